"""Every write to the circle: invitations, members, grants (consents), emergency access."""
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pathways.notifications.services import notify
from pathways.outbox.services import email_queue
from pathways.people import services as people
from pathways.people.models import Membership, Role, User

from . import wording
from .consent_log import change_record
from .models import (
    ALLOWED_ACCESS,
    Access,
    Category,
    Change,
    CircleInvitation,
    CircleMember,
    EmergencyAccess,
    Grant,
    GrantItem,
    SupporterRole,
)
from .policy import may_use_emergency_access

# Invitations share people's mechanism (token, expiry, finding an open one, accepting with a new account), and
# so its exception: a circle link that was used, withdrawn, has expired or never existed raises this.
InvitationUnavailable = people.InvitationUnavailable
CIRCLE_INVITATION_EMAIL = "circle_invitation"  # its outbox kind


@transaction.atomic
def invitation_create(*, person: User, role: str, name: str, email: str = "", relationship: str = "",
                      base_url: str = "") -> tuple[CircleInvitation, str]:
    """A single-use link for someone the person wants in their circle; emailed too if an address is given."""
    invitation = CircleInvitation(person=person, role=role, name=name.strip(), email=email.strip().lower(),
                                  relationship=relationship.strip())
    token = people.invitation_issue(invitation)
    link = base_url + reverse("circle:join", args=[token])
    if invitation.email:
        # No names: both were typed by the person. The page behind the link says who is asking.
        email_queue(
            kind=CIRCLE_INVITATION_EMAIL, to=invitation.email, person=person, reference=invitation.pk,
            subject="You are invited to a circle of support on Pathways",
            body=("Hello,\n\nSomeone who knows you would like you in their circle of support on Pathways. Open "
                  "this link to see who it is and to accept. It works once and expires in "
                  f"{people.INVITATION_LIFETIME.days} days:\n{link}\n\n"
                  "You will see only what they choose to share with you.\n"),
        )
    return invitation, token


def _invitations():
    return CircleInvitation.objects.select_related("person")


def invitation_find_open(*, token: str) -> CircleInvitation:
    return people.invitation_open(_invitations(), token=token)


def _accept(invitation: CircleInvitation, supporter: User) -> CircleMember:
    if invitation.person_id == supporter.pk:
        raise ValidationError("This is your own invitation: send the link to the person you want in your circle.")
    member = _member_add(person=invitation.person, supporter=supporter, role=invitation.role,
                         relationship=invitation.relationship)
    people.invitation_mark_accepted(invitation, by=supporter)
    return member


@transaction.atomic
def invitation_accept(*, token: str, supporter: User) -> CircleMember:
    """Join the person's circle with an existing account. The link then stops working."""
    return _accept(people.invitation_open(_invitations(), token=token, lock=True), supporter)


def invitation_accept_new_account(*, token: str, email: str, password: str, name: str,
                                  preferred_name: str = "", pronouns: str = "") -> User:
    """Create the supporter's account and join the circle in one step; nothing is kept if either fails."""
    return people.invitation_accept_with_new_account(_invitations(), token=token, accept=_accept, email=email,
                                                     password=password, name=name, preferred_name=preferred_name,
                                                     pronouns=pronouns)


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
    change_record(Change.MEMBER_REMOVED, person=member.person, other=member.supporter, role=member.role, opens=False)


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
    change_record(Change.GRANT_SIGNED, person=grant.person, other=member.supporter, role=member.role, grant=grant,
                  opens=True)
    return grant


@transaction.atomic
def grant_revoke(*, grant: Grant, because: str = "revoked by the person") -> Grant:
    """Revocation takes effect on the very next request, because every read asks the policy afresh."""
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_because = because
        grant.save(update_fields=["revoked_at", "revoked_because"])
        change_record(Change.GRANT_REVOKED, person=grant.person, other=grant.recipient, other_name=grant.recipient_name,
                      role=grant.member.role, grant=grant, opens=False)
    return grant


@transaction.atomic
def category_revoke(*, member: CircleMember, category: str) -> list[Grant]:
    """Stop sharing one category with one member, keeping the rest: each live grant of theirs that covers it is
    revoked and, when it covered more, signed again for the rest (same purpose, end, signature), naming the grant
    it replaces. Both changes are in the access log, and both grants stay in the person's history. Returns the
    new grants (none when the category was all a grant covered)."""
    now = timezone.now()
    covering = (Grant.objects.select_for_update(of=("self",)).select_related("member").order_by("pk")
                .filter(member=member, revoked_at__isnull=True, items__category=category)
                .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)))
    because = f"stopped sharing {wording.short(category)}"
    replacements = []
    for grant in covering:
        grant_revoke(grant=grant, because=because)
        rest = [(item.category, item.access) for item in grant.items.all() if item.category != category]
        if rest:
            replacements.append(_grant_resign(grant, rest))
    return replacements


def _grant_resign(old: Grant, items: list[tuple[str, str]]) -> Grant:
    """The same consent, covering fewer categories: not a new choice, so nothing is asked of the person again."""
    grant = Grant.objects.create(person=old.person, member=old.member, recipient=old.recipient,
                                 recipient_name=old.recipient_name, purpose=old.purpose, expires_at=old.expires_at,
                                 expiry_event=old.expiry_event, signature=old.signature, replaces=old)
    GrantItem.objects.bulk_create(GrantItem(grant=grant, category=category, access=access)
                                  for category, access in items)
    change_record(Change.GRANT_SIGNED, person=grant.person, other=grant.recipient, other_name=grant.recipient_name,
                  role=old.member.role, grant=grant, opens=True)
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
    change_record(Change.EMERGENCY_OPENED, person=person, other=professional, role=Role.PROFESSIONAL, emergency=access,
                  opens=True)
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
