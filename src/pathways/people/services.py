"""Every write about accounts, organisations and invitations."""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pathways.plans.services import plan_create

from .models import (
    STAFF_ROLES,
    AccountEmailPurpose,
    Membership,
    Organisation,
    OrganisationInvitation,
    PendingSignUp,
    PersonProfile,
    Role,
    User,
    new_token,
    token_digest,
)

INVITATION_LIFETIME = timedelta(days=7)


def _account_create(*, email: str, password: str, name: str = "", preferred_name: str = "",
                    pronouns: str = "", home_organisation: Organisation) -> User:
    user = User(email=User.objects.normalize_email(email).lower(), name=name,
                preferred_name=preferred_name, pronouns=pronouns, home_organisation=home_organisation)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def _become_person(*, user: User, organisation: Organisation, country: str = "") -> None:
    Membership.objects.get_or_create(organisation=organisation, user=user, role=Role.PERSON)
    PersonProfile.objects.get_or_create(user=user, defaults={"country": country})
    plan_create(person=user)


class SignUpLinkUnavailable(Exception):
    """The sign-up link was already used, has expired, never existed, or its address now has an account."""


def sign_up_request(*, email: str, password: str, name: str = "", preferred_name: str = "", pronouns: str = "",
                    country: str = "", ip: str | None = None) -> None:
    """Someone filled in the sign-up form. The same work happens whether or not the address has an account
    (hash the password, store a pending sign-up, queue its email); the worker then sends either the link to
    finish signing up or, to an address that has an account, a notice that someone tried."""
    from .account_mail import SIGN_UP_LINK_LIFETIME, queue

    password_hash = make_password(password)  # before the transaction: a slow hash must not hold the write lock
    with transaction.atomic():
        now = timezone.now()
        pending = PendingSignUp(email=User.objects.normalize_email(email).lower(), password_hash=password_hash,
                                name=name, preferred_name=preferred_name, pronouns=pronouns, country=country,
                                created_at=now, expires_at=now + SIGN_UP_LINK_LIFETIME)
        pending.full_clean(exclude=["token_digest"])
        pending.save()
        if not queue(purpose=AccountEmailPurpose.SIGN_UP, email=pending.email, ip=ip, sign_up=pending):
            pending.delete()  # over the hourly limit: keep nothing of it


def sign_up_link_find(*, token: str) -> PendingSignUp:
    pending = PendingSignUp.objects.filter(token_digest=token_digest(token), expires_at__gt=timezone.now()).first()
    if pending is None:
        raise SignUpLinkUnavailable
    return pending


@transaction.atomic
def sign_up_confirm(*, token: str) -> User:
    """The emailed link was followed: create the account from what was typed. The link works once."""
    pending = PendingSignUp.objects.select_for_update().filter(
        token_digest=token_digest(token), expires_at__gt=timezone.now()).first()
    if pending is None or User.objects.filter(email__iexact=pending.email).exists():
        raise SignUpLinkUnavailable
    organisation = Organisation.objects.create(name="Personal", is_personal=True)
    user = User(email=pending.email, name=pending.name, preferred_name=pending.preferred_name,
                pronouns=pending.pronouns, home_organisation=organisation, password=pending.password_hash)
    user.full_clean()
    user.save()
    _become_person(user=user, organisation=organisation, country=pending.country)
    PendingSignUp.objects.filter(email=pending.email).delete()  # this and any other sign-up for the address
    return user


@transaction.atomic
def person_sign_up(*, email: str, password: str, name: str = "", preferred_name: str = "",
                   pronouns: str = "") -> User:
    """Self-directed sign-up: the person gets a personal organisation of their own."""
    organisation = Organisation.objects.create(name="Personal", is_personal=True)
    user = _account_create(email=email, password=password, name=name, preferred_name=preferred_name,
                           pronouns=pronouns, home_organisation=organisation)
    _become_person(user=user, organisation=organisation)
    return user


@transaction.atomic
def organisation_create(*, name: str) -> Organisation:
    organisation = Organisation(name=name)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def invitation_create(*, organisation: Organisation, invited_by: User | None, email: str, role: str,
                      base_url: str = "") -> tuple[OrganisationInvitation, str]:
    """Create an invitation and email its link; returns the invitation and the link's token."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the listed roles."})
    token = new_token()
    invitation = OrganisationInvitation(
        organisation=organisation, email=email.lower(), role=role, token_digest=token_digest(token),
        invited_by=invited_by, expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    link = base_url + reverse("people:join", args=[token])
    transaction.on_commit(lambda: send_mail(
        subject=f"You are invited to join {organisation.name} on Pathways",
        message=render_to_string("people/email/invitation.txt",
                                 {"organisation": organisation, "link": link, "invitation": invitation}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
        fail_silently=True,
    ))
    return invitation, token


class InvitationUnavailable(Exception):
    """The link was already used, has expired, or never existed."""


def invitation_find_open(*, token: str) -> OrganisationInvitation:
    invitation = OrganisationInvitation.objects.select_related("organisation").filter(
        token_digest=token_digest(token)).first()
    if invitation is None or not invitation.is_open():
        raise InvitationUnavailable
    return invitation


def _accept(invitation: OrganisationInvitation, user: User, country: str = "") -> None:
    if invitation.role == Role.PERSON:
        _become_person(user=user, organisation=invitation.organisation, country=country)
    else:
        Membership.objects.get_or_create(organisation=invitation.organisation, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def invitation_accept_new_account(*, token: str, password: str, name: str = "", preferred_name: str = "",
                                  pronouns: str = "", country: str = "") -> User:
    """A new account for the invitation. The country is kept for a person (their crisis lines); staff have no plan."""
    invitation = _lock_open_invitation(token)
    user = _account_create(email=invitation.email, password=password, name=name,
                           preferred_name=preferred_name, pronouns=pronouns,
                           home_organisation=invitation.organisation)
    _accept(invitation, user, country=country)
    return user


@transaction.atomic
def invitation_accept_existing_account(*, token: str, user: User) -> None:
    invitation = _lock_open_invitation(token)
    if invitation.email != user.email.lower():  # a forwarded link must not make someone else staff
        raise ValidationError("This invitation was sent to a different email address. Log in with that address, "
                              "or ask for an invitation to yours.")
    if invitation.role == Role.PERSON and user.home_organisation and not user.home_organisation.is_personal:
        raise ValidationError("This account already belongs to an organisation's programme.")
    _accept(invitation, user)
    if invitation.role == Role.PERSON:
        user.home_organisation = invitation.organisation
        user.save(update_fields=["home_organisation"])


def _lock_open_invitation(token: str) -> OrganisationInvitation:
    """Lock the row so a link clicked twice at once is still used only once."""
    invitation = OrganisationInvitation.objects.select_for_update().select_related("organisation").filter(
        token_digest=token_digest(token)).first()
    if invitation is None or not invitation.is_open():
        raise InvitationUnavailable
    return invitation


@transaction.atomic
def profile_update(*, user: User, preferred_name: str, pronouns: str, name: str, culture: str,
                   language: str, faith: str, what_helps: str, country: str = "", time_zone: str = "") -> None:
    user.preferred_name, user.pronouns, user.name, user.time_zone = preferred_name, pronouns, name, time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["preferred_name", "pronouns", "name", "time_zone"])
    profile, _ = PersonProfile.objects.get_or_create(user=user)
    profile.culture, profile.language, profile.faith, profile.what_helps = culture, language, faith, what_helps
    profile.country = country
    profile.full_clean()
    profile.save()


@transaction.atomic
def organisation_settings_update(*, organisation: Organisation, country: str, time_zone: str) -> Organisation:
    """Where the programme is: the country and time zone its people get until they choose their own."""
    organisation.country, organisation.time_zone = country.upper(), time_zone
    organisation.full_clean()
    organisation.save(update_fields=["country", "time_zone"])
    return organisation


def staff_roles() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in STAFF_ROLES]
