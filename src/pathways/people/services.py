"""Every write about accounts, organisations and invitations.

Two things here serve other apps too: account_create, the one place an account is made, and the invitation
mechanism (a single-use token, finding an open invitation by its link, accepting it with a new account),
which organisation invitations below and circle invitations (pathways.circle) share.
"""
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pathways.outbox.services import email_queue

from .models import (
    STAFF_ROLES,
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
from .selectors import staff_memberships
from .signals import person_joined

INVITATION_LIFETIME = timedelta(days=7)


def account_create(*, email: str, password: str | None = None, password_hash: str | None = None, name: str = "",
                   preferred_name: str = "", pronouns: str = "",
                   home_organisation: Organisation | None = None) -> User:
    """Make an account: the one place a User is created (sign-up, invitations to an organisation or a circle,
    the demo). Give the password typed, or its hash (a confirmed sign-up); with neither, no password works.
    Raises ValidationError, saving nothing, for an address that is taken or a value that does not fit."""
    user = User(email=User.objects.normalize_email(email).lower(), name=name, preferred_name=preferred_name,
                pronouns=pronouns, home_organisation=home_organisation)
    if password_hash is not None:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


def _become_person(*, user: User, organisation: Organisation, country: str = "") -> None:
    Membership.objects.get_or_create(organisation=organisation, user=user, role=Role.PERSON)
    PersonProfile.objects.get_or_create(user=user, defaults={"country": country})
    person_joined.send(sender=Membership, person=user, organisation=organisation)


class SignUpLinkUnavailable(Exception):
    """The sign-up link was already used, has expired, never existed, or its address now has an account."""


def sign_up_request(*, email: str, password: str, name: str = "", preferred_name: str = "", pronouns: str = "",
                    country: str = "", ip: str | None = None) -> None:
    """Someone filled in the sign-up form. The same work happens whether or not the address has an account
    (hash the password, store a pending sign-up, queue its email); the worker then sends either the link to
    finish signing up or, to an address that has an account, a notice that someone tried."""
    from .account_mail import SIGN_UP_LINK_LIFETIME, AccountEmailKind, queue

    password_hash = make_password(password)  # before the transaction: a slow hash must not hold the write lock
    with transaction.atomic():
        now = timezone.now()
        pending = PendingSignUp(email=User.objects.normalize_email(email).lower(), password_hash=password_hash,
                                name=name, preferred_name=preferred_name, pronouns=pronouns, country=country,
                                created_at=now, expires_at=now + SIGN_UP_LINK_LIFETIME)
        pending.full_clean(exclude=["token_digest"])
        pending.save()
        if not queue(purpose=AccountEmailKind.SIGN_UP, email=pending.email, ip=ip, sign_up=pending):
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
    user = account_create(email=pending.email, password_hash=pending.password_hash, name=pending.name,
                          preferred_name=pending.preferred_name, pronouns=pending.pronouns,
                          home_organisation=organisation)
    _become_person(user=user, organisation=organisation, country=pending.country)
    PendingSignUp.objects.filter(email=pending.email).delete()  # this and any other sign-up for the address
    return user


@transaction.atomic
def person_sign_up(*, email: str, password: str, name: str = "", preferred_name: str = "",
                   pronouns: str = "") -> User:
    """Self-directed sign-up: the person gets a personal organisation of their own."""
    organisation = Organisation.objects.create(name="Personal", is_personal=True)
    user = account_create(email=email, password=password, name=name, preferred_name=preferred_name,
                          pronouns=pronouns, home_organisation=organisation)
    _become_person(user=user, organisation=organisation)
    return user


@transaction.atomic
def organisation_create(*, name: str) -> Organisation:
    organisation = Organisation(name=name)
    organisation.full_clean()
    organisation.save()
    return organisation


# --- Invitations: the mechanism both kinds share ------------------------------------------------------------

class InvitationUnavailable(Exception):
    """The invitation link was already used, withdrawn, has expired, or never existed."""


def invitation_issue(invitation: models.Model) -> str:
    """Give an unsaved invitation (any model with token_digest, expires_at and is_open) its single-use link and
    its expiry, check it and save it. Returns the link's token; only its digest is stored, so a copy of the
    database cannot be used to join."""
    token = new_token()
    invitation.token_digest = token_digest(token)
    invitation.expires_at = timezone.now() + INVITATION_LIFETIME
    invitation.full_clean()
    invitation.save()
    return token


def invitation_open(invitations: models.QuerySet, *, token: str, lock: bool = False):
    """The open invitation among `invitations` whose link carries this token, else InvitationUnavailable.

    With lock, its row stays locked until the transaction ends, so a link clicked twice at once is used once."""
    rows = invitations.select_for_update() if lock else invitations
    invitation = rows.filter(token_digest=token_digest(token)).first()
    if invitation is None or not invitation.is_open():
        raise InvitationUnavailable
    return invitation


def invitation_mark_accepted(invitation: models.Model, *, by: User) -> None:
    """The link stops working: its invitation is accepted, by this account."""
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def invitation_accept_with_new_account(invitations: models.QuerySet, *, token: str,
                                       accept: Callable[[models.Model, User], object], **account) -> User:
    """Accept an invitation with an account made for it, in one step: nothing is kept if either fails.

    The invitation is locked first (so one link makes one account), then account_create(**account), then
    accept(invitation, user), which adds the account wherever the invitation leads and marks it accepted.
    A value in `account` may be a function of the invitation, e.g. the address it was sent to."""
    invitation = invitation_open(invitations, token=token, lock=True)
    user = account_create(**{name: value(invitation) if callable(value) else value for name, value in account.items()})
    accept(invitation, user)
    return user


# --- Invitations to an organisation ------------------------------------------------------------------------

ORGANISATION_INVITATION_EMAIL = "organisation_invitation"  # its outbox kind


@transaction.atomic
def invitation_create(*, organisation: Organisation, invited_by: User | None, email: str, role: str,
                      base_url: str = "") -> tuple[OrganisationInvitation, str]:
    """Create an invitation and queue the email with its link; returns the invitation and the link's token."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the listed roles."})
    invitation = OrganisationInvitation(organisation=organisation, email=email.strip().lower(), role=role,
                                        invited_by=invited_by)
    token = invitation_issue(invitation)
    link = base_url + reverse("people:join", args=[token])
    email_queue(kind=ORGANISATION_INVITATION_EMAIL, to=invitation.email, reference=invitation.pk,
                subject=f"You are invited to join {organisation.name} on Pathways",
                body=render_to_string("people/email/invitation.txt",
                                      {"organisation": organisation, "link": link, "invitation": invitation}))
    return invitation, token


def _invitations() -> models.QuerySet:
    return OrganisationInvitation.objects.select_related("organisation")


def invitation_find_open(*, token: str) -> OrganisationInvitation:
    return invitation_open(_invitations(), token=token)


def _accept(invitation: OrganisationInvitation, user: User, country: str = "") -> None:
    if invitation.role == Role.PERSON:
        _become_person(user=user, organisation=invitation.organisation, country=country)
    else:
        Membership.objects.get_or_create(organisation=invitation.organisation, user=user, role=invitation.role)
    invitation_mark_accepted(invitation, by=user)


def invitation_accept_new_account(*, token: str, password: str, name: str = "", preferred_name: str = "",
                                  pronouns: str = "", country: str = "") -> User:
    """A new account for the invitation. The country is kept for a person (their crisis lines); staff have no plan."""
    return invitation_accept_with_new_account(
        _invitations(), token=token, accept=lambda invitation, user: _accept(invitation, user, country=country),
        email=lambda invitation: invitation.email, home_organisation=lambda invitation: invitation.organisation,
        password=password, name=name, preferred_name=preferred_name, pronouns=pronouns)


@transaction.atomic
def invitation_accept_existing_account(*, token: str, user: User) -> None:
    invitation = invitation_open(_invitations(), token=token, lock=True)
    if invitation.email != user.email.lower():  # a forwarded link must not make someone else staff
        raise ValidationError("This invitation was sent to a different email address. Log in with that address, "
                              "or ask for an invitation to yours.")
    if invitation.role == Role.PERSON and user.home_organisation and not user.home_organisation.is_personal:
        raise ValidationError("This account already belongs to an organisation's programme.")
    _accept(invitation, user)
    if invitation.role == Role.PERSON:
        user.home_organisation = invitation.organisation
        user.save(update_fields=["home_organisation"])


@transaction.atomic
def profile_update(*, user: User, preferred_name: str, pronouns: str, name: str, culture: str,
                   language: str, faith: str, what_helps: str, country: str = "", time_zone: str = "",
                   how_to_reach_me: str | None = None) -> None:
    """Save the person's "About me" page. `how_to_reach_me` left out (None) keeps what they wrote before."""
    user.preferred_name, user.pronouns, user.name, user.time_zone = preferred_name, pronouns, name, time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["preferred_name", "pronouns", "name", "time_zone"])
    profile, _ = PersonProfile.objects.get_or_create(user=user)
    profile.culture, profile.language, profile.faith, profile.what_helps = culture, language, faith, what_helps
    profile.country = country
    if how_to_reach_me is not None:
        profile.how_to_reach_me = how_to_reach_me
    profile.full_clean()
    profile.save()


@transaction.atomic
def organisation_settings_update(*, organisation: Organisation, country: str, time_zone: str,
                                 on_duty_professional: int | None,
                                 counselling_notes_apart: bool | None = None) -> Organisation:
    """Where the programme is: the country and time zone its people get until they choose their own; its
    on-duty professional (a pk; None for nobody), who must be one of its professionals; and whether its people
    share counselling notes under a consent of their own (None leaves that as it is)."""
    if on_duty_professional is not None and not Membership.objects.filter(
            organisation=organisation, user_id=on_duty_professional, role=Role.PROFESSIONAL).exists():
        raise ValidationError("Choose one of your organisation's professionals to be on duty.")
    organisation.country, organisation.time_zone = country.upper(), time_zone
    organisation.on_duty_professional_id = on_duty_professional
    if counselling_notes_apart is not None:
        organisation.counselling_notes_apart = counselling_notes_apart
    organisation.full_clean()
    organisation.save(update_fields=["country", "time_zone", "on_duty_professional", "counselling_notes_apart"])
    return organisation


@transaction.atomic
def organisation_about_update(*, organisation: Organisation, name: str, statistics_by_default: bool,
                              statistics_notice: str) -> Organisation:
    """The programme's name, and whether its people who have not said either way count in its statistics,
    with the notice that tells them so."""
    organisation.name, organisation.statistics_notice = name.strip(), statistics_notice.strip()
    organisation.statistics_by_default = statistics_by_default
    organisation.full_clean()
    organisation.save(update_fields=["name", "statistics_by_default", "statistics_notice"])
    return organisation


@transaction.atomic
def invitation_withdraw(*, invitation: OrganisationInvitation) -> None:
    """The link stops working at once; the invitation stays, marked withdrawn."""
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])


# --- An admin's changes to an account of the organisation ------------------------------------------------------
# People's part of each. What follows from them in the apps above (consents ending, the access log, two-step
# devices, sessions) is done by pathways.circle.account_services, which calls these inside its transaction.

def _other_programmes(account: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(user=account, organisation__is_personal=False).exclude(
        organisation=organisation).exists()


def _is_last_active_admin(account: User, organisation: Organisation) -> bool:
    admins = list(Membership.objects.select_for_update().filter(organisation=organisation, role=Role.ADMIN)
                  .select_related("user"))  # locked: two admins cannot deactivate each other at once
    active = [m.user_id for m in admins if m.deactivated_at is None and m.user.is_active]
    return account.pk in active and len(active) == 1


@transaction.atomic
def memberships_deactivate(*, organisation: Organisation, account: User, by: User) -> None:
    """The account leaves the programme: its memberships here are marked deactivated and it can no longer sign
    in (which ends its sessions: pathways.signins.receivers). Its record is kept. Raises ValidationError, changing
    nothing, for the admin's own account, the last active admin, an account that is already deactivated, or one
    that belongs to another organisation's programme too (signing it out would sign it out there as well)."""
    memberships = Membership.objects.select_for_update().filter(organisation=organisation, user=account)
    if account.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account. Another admin of your organisation can.")
    if not account.is_active or any(m.deactivated_at for m in memberships):
        raise ValidationError(f"{account.display_name}'s account is already deactivated.")
    if _other_programmes(account, organisation):
        raise ValidationError(f"{account.display_name} also belongs to another organisation's programme, and "
                              "deactivating the account would sign them out there too. Ask that organisation first.")
    if _is_last_active_admin(account, organisation):
        raise ValidationError(f"{account.display_name} is your organisation's last active admin. Invite or "
                              "reactivate another admin first.")
    memberships.update(deactivated_at=timezone.now())
    # A professional who left is nobody's named professional any more; the admin names another.
    Membership.objects.filter(organisation=organisation, professional=account).update(professional=None)
    account.is_active = False
    account.save(update_fields=["is_active"])


@transaction.atomic
def memberships_reactivate(*, organisation: Organisation, account: User) -> None:
    """The account can sign in again. Nothing it shared or was shared with comes back by itself."""
    memberships = Membership.objects.select_for_update().filter(organisation=organisation, user=account,
                                                                deactivated_at__isnull=False)
    if not memberships.exists():
        raise ValidationError(f"{account.display_name}'s account is not deactivated.")
    memberships.update(deactivated_at=None)
    account.is_active = True
    account.save(update_fields=["is_active"])


@transaction.atomic
def professional_name(*, organisation: Organisation, person: User, professional_id: int) -> User:
    """Name the organisation's professional who is the person's key contact (a pk; one of its active
    professionals). Naming shares nothing: the person decides whether to add them to their circle.
    Returns the professional."""
    membership = Membership.objects.select_for_update().filter(organisation=organisation, user=person,
                                                               role=Role.PERSON).first()
    professional = User.objects.filter(
        pk=professional_id, is_active=True, memberships__organisation=organisation,
        memberships__role=Role.PROFESSIONAL, memberships__deactivated_at__isnull=True).exclude(pk=person.pk).first()
    if membership is None or professional is None:
        raise ValidationError("Choose one of your organisation's professionals.")
    if membership.professional_id == professional.pk:
        raise ValidationError(f"{professional.display_name} is already {person.display_name}'s professional.")
    membership.professional = professional
    membership.save(update_fields=["professional"])
    return professional


def professional_clear(*, organisation: Organisation, person: User) -> User:
    """Name no professional for the person any more (one was named in error, say). Returns who it was."""
    # Locks the membership row alone: PostgreSQL cannot lock the nullable side of the join to the professional.
    membership = Membership.objects.select_for_update(of=("self",)).select_related("professional").filter(
        organisation=organisation, user=person, role=Role.PERSON).first()
    if membership is None or membership.professional is None:
        raise ValidationError(f"{person.display_name} has no named professional.")
    former = membership.professional
    membership.professional = None
    membership.save(update_fields=["professional"])
    return former


TWO_STEP_RESET_EMAIL = "two_step_reset"  # its outbox kind


def two_step_reset_notice(*, organisation: Organisation, account: User, by: User) -> None:
    """People's part of resetting a member of staff's two-step sign-in: check it is allowed (one of the
    organisation's staff, not the admin's own account, which has its own page), and queue the email that tells
    them. The email has no link that signs anyone in: only the address of the sign-in page."""
    if account.pk == by.pk:
        raise ValidationError("To change your own two-step sign-in, use your own two-step sign-in page.")
    if not staff_memberships(account).filter(organisation=organisation).exists():
        raise ValidationError("Only the two-step sign-in of your organisation's staff can be reset here.")
    if _other_programmes(account, organisation):  # it guards their work there too: that organisation decides
        raise ValidationError(f"{account.display_name} also belongs to another organisation's programme, so "
                              "their two-step sign-in guards their work there too. Ask that organisation's admin.")
    email_queue(kind=TWO_STEP_RESET_EMAIL, to=account.email, person=account,
                subject="Your two-step sign-in to Pathways was reset",
                body=render_to_string("people/email/two_step_reset.txt", {
                    "organisation": organisation, "login_url": settings.PATHWAYS_SITE_URL + reverse("login")}))


def staff_roles() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in STAFF_ROLES]
