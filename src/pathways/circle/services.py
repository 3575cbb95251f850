"""Every write to the circle: invitations, members, grants (consents), emergency access."""
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pathways.notifications.services import notify
from pathways.people.models import Membership, Role, User, new_token, token_digest

from .models import (
    ALLOWED_ACCESS,
    Access,
    Category,
    CircleInvitation,
    CircleMember,
    EmergencyAccess,
    Grant,
    GrantItem,
    SupporterRole,
)
from .policy import may_use_emergency_access

INVITATION_LIFETIME = timedelta(days=7)


class InvitationUnavailable(Exception):
    """The circle invitation was used, withdrawn, has expired, or never existed."""


def _notify_by_email(*, to: str, subject: str, body: str) -> None:
    """Send after the transaction commits, so an email never describes something that was rolled back."""
    if to:
        transaction.on_commit(lambda: send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL,
                                                recipient_list=[to], fail_silently=True))


@transaction.atomic
def invitation_create(*, person: User, role: str, name: str, email: str = "", relationship: str = "",
                      base_url: str = "") -> tuple[CircleInvitation, str]:
    """A single-use link for someone the person wants in their circle; emailed too if an address is given."""
    token = new_token()
    invitation = CircleInvitation(person=person, role=role, name=name.strip(), email=email.strip().lower(),
                                  relationship=relationship.strip(), token_digest=token_digest(token),
                                  expires_at=timezone.now() + INVITATION_LIFETIME)
    invitation.full_clean()
    invitation.save()
    link = base_url + reverse("circle:join", args=[token])
    # No names: both were typed by the person and email travels in the clear. The page behind the link says who.
    _notify_by_email(
        to=invitation.email,
        subject="You are invited to a circle of support on Pathways",
        body=("Hello,\n\nSomeone who knows you would like you in their circle of support on Pathways. Open this "
              f"link to see who it is and to accept. It works once and expires in 7 days:\n{link}\n\n"
              "You will see only what they choose to share with you.\n"),
    )
    return invitation, token


def invitation_find_open(*, token: str) -> CircleInvitation:
    invitation = CircleInvitation.objects.select_related("person").filter(token_digest=token_digest(token)).first()
    if invitation is None or not invitation.is_open():
        raise InvitationUnavailable
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, supporter: User) -> CircleMember:
    """Join the person's circle with an existing account. The link then stops working."""
    invitation = CircleInvitation.objects.select_for_update().select_related("person").filter(
        token_digest=token_digest(token)).first()
    if invitation is None or not invitation.is_open():
        raise InvitationUnavailable
    if invitation.person_id == supporter.pk:
        raise ValidationError("This is your own invitation: send the link to the person you want in your circle.")
    member = _member_add(person=invitation.person, supporter=supporter, role=invitation.role,
                         relationship=invitation.relationship)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = supporter
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


@transaction.atomic
def invitation_accept_new_account(*, token: str, email: str, password: str, name: str,
                                  preferred_name: str = "", pronouns: str = "") -> User:
    """Create the supporter's account and join the circle in one step; nothing is kept if either fails."""
    supporter = User(email=email.strip().lower(), name=name, preferred_name=preferred_name, pronouns=pronouns)
    supporter.set_password(password)
    supporter.full_clean()
    supporter.save()
    invitation_accept(token=token, supporter=supporter)
    return supporter


@transaction.atomic
def invitation_withdraw(*, invitation: CircleInvitation) -> None:
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])


def _member_add(*, person: User, supporter: User, role: str, relationship: str = "") -> CircleMember:
    current = CircleMember.objects.filter(person=person, supporter=supporter, removed_at__isnull=True).first()
    if current:
        return current
    member = CircleMember(person=person, supporter=supporter, role=role, relationship=relationship)
    member.full_clean()
    member.save()
    return member


STAFF_TO_CIRCLE_ROLE = {Role.PEER_SUPPORTER: SupporterRole.PEER_SUPPORTER, Role.PROFESSIONAL: SupporterRole.PROFESSIONAL}


@transaction.atomic
def staff_add(*, person: User, staff: User) -> CircleMember:
    """Add a member of staff of the person's own organisation, chosen from its list."""
    membership = Membership.objects.filter(
        user=staff, organisation_id=person.home_organisation_id, role__in=list(STAFF_TO_CIRCLE_ROLE)).first()
    if membership is None or staff.pk == person.pk:
        raise ValidationError("Choose someone from your organisation's list.")
    return _member_add(person=person, supporter=staff, role=STAFF_TO_CIRCLE_ROLE[Role(membership.role)])


@transaction.atomic
def member_remove(*, member: CircleMember) -> None:
    """Take someone out of the circle: every grant they hold ends at the same moment."""
    now = timezone.now()
    member.removed_at = now
    member.save(update_fields=["removed_at"])
    member.grants.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_because="removed from the circle")


@transaction.atomic
def grant_create(*, member: CircleMember, items: dict[str, str], purpose: str, signature: str,
                 expires_at: datetime | None = None, expiry_event: str = "") -> Grant:
    """The person signs a consent that lets one member of their circle see the chosen categories."""
    problems = {}
    if not items:
        problems["items"] = "Choose at least one thing to share."
    for category, access in items.items():
        if category not in Category.values:
            problems["items"] = f"“{category}” is not something that can be shared."
        elif access not in ALLOWED_ACCESS[Category(category)]:
            problems["items"] = f"{Category(category).label.capitalize()} can be shared to see only."
    if not signature.strip():
        problems["signature"] = "Type your name to sign."
    if not purpose.strip():
        problems["purpose"] = "Say what the sharing is for."
    if expires_at is not None and expires_at <= timezone.now():
        problems["expires_at"] = "Choose an end date in the future, or leave it empty for “until I revoke it”."
    if member.removed_at is not None:
        problems["member"] = "This person is no longer in your circle."
    if problems:
        raise ValidationError(problems)
    grant = Grant(person=member.person, member=member, recipient=member.supporter,
                  recipient_name=member.supporter.name or member.supporter.display_name, purpose=purpose.strip(),
                  expires_at=expires_at, expiry_event=expiry_event.strip(), signature=signature.strip())
    grant.full_clean()
    grant.save()
    GrantItem.objects.bulk_create(GrantItem(grant=grant, category=c, access=Access(a)) for c, a in items.items())
    return grant


@transaction.atomic
def grant_revoke(*, grant: Grant, because: str = "revoked by the person") -> Grant:
    """Revocation takes effect on the very next request, because every read asks the policy afresh."""
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_because = because
        grant.save(update_fields=["revoked_at", "revoked_because"])
    return grant


@transaction.atomic
def emergency_access_start(*, professional: User, person: User, reason: str) -> EmergencyAccess:
    """Open a record without a grant: professionals of the person's organisation only, with a reason, for an hour."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why you need to open this record now."})
    if not may_use_emergency_access(professional, person):
        raise PermissionError("only a professional of the person's organisation can use emergency access")
    now = timezone.now()
    access = EmergencyAccess.objects.create(person=person, professional=professional, reason=reason.strip(),
                                            started_at=now, ends_at=now + timedelta(minutes=EmergencyAccess.MAX_MINUTES))
    # In the same transaction: the person is told if and only if the access happened.
    notify(recipient=person, kind="emergency_access", title="Someone opened your record in an emergency",
           body=(f"{professional.display_name} from your organisation used emergency access to your record, "
                 f"saying: “{access.reason}”. It lasts at most {EmergencyAccess.MAX_MINUTES} minutes and "
                 "every look is logged. You can see each one in “Who has seen my information”."),
           link=reverse("circle:access_log"))
    return access


@transaction.atomic
def emergency_notices_take(*, person: User) -> list[EmergencyAccess]:
    """The emergency accesses the person has not been told about yet; marks them as told."""
    pending = list(EmergencyAccess.objects.select_for_update().select_related("professional")
                   .filter(person=person, person_told_at__isnull=True))
    EmergencyAccess.objects.filter(pk__in=[access.pk for access in pending]).update(person_told_at=timezone.now())
    return pending
