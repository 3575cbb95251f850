"""Reads about accounts and organisations. Admins see their organisation's accounts, never records."""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from .models import STAFF_ROLES, Membership, Organisation, OrganisationInvitation, Role, User

ROSTER_HEADINGS = {
    Role.PERSON: "People in the programme",
    Role.PEER_SUPPORTER: "Peer supporters",
    Role.PROFESSIONAL: "Professionals",
    Role.ADMIN: "Organisation admins",
}


def organisations_administered(*, viewer) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=viewer, memberships__role=Role.ADMIN).order_by("name"))


def organisation_for_admin(*, organisation_id: int, viewer) -> Organisation:
    """The organisation, if the viewer administers it; otherwise 404."""
    organisation = Organisation.objects.filter(
        pk=organisation_id, memberships__user=viewer, memberships__role=Role.ADMIN).first()
    if organisation is None:
        raise Http404
    return organisation


def organisation_roster(*, organisation: Organisation) -> dict:
    """How many belong to the organisation in each role, and which invitations are still open."""
    counts = dict(organisation.memberships.order_by().values_list("role").annotate(count=Count("pk")))
    open_invitations = organisation.invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True,
                                                       expires_at__gt=timezone.now())
    return {"counts": {heading: counts.get(role, 0) for role, heading in ROSTER_HEADINGS.items()},
            "open_invitations": list(open_invitations.order_by("-created_at"))}


def open_invitation_for_admin(*, organisation: Organisation, invitation_id: int) -> OrganisationInvitation:
    """One of the organisation's invitations still waiting to be accepted; anything else (another
    organisation's, accepted, withdrawn, expired) is 404."""
    invitation = organisation.invitations.filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open():
        raise Http404
    return invitation


# --- The admin's lists of accounts ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Account:
    """One account as its organisation's admin sees it: who, in which roles, since when, whether it is
    deactivated, and (for a person) their named professional. Nothing of anyone's record."""

    user: User
    roles: tuple[str, ...]  # the roles' words, e.g. ("professional", "organisation admin")
    joined_at: datetime
    deactivated_at: datetime | None
    professional: User | None


def organisation_accounts(*, organisation: Organisation, staff: bool, search: str = "") -> list[Account]:
    """The organisation's people (staff=False) or its staff, by name, narrowed to those whose name, preferred
    name or email address holds every word searched for. Names are encrypted at rest, so SQL cannot match
    them: one query loads the organisation's memberships, and the matching happens here."""
    roles = STAFF_ROLES if staff else (Role.PERSON,)
    memberships = (organisation.memberships.filter(role__in=roles).select_related("user", "professional")
                   .order_by("created_at", "pk"))
    by_user: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, []).append(membership)
    words = search.casefold().split()
    accounts = [_account(held) for held in by_user.values() if _matches(held[0].user, words)]
    return sorted(accounts, key=lambda account: by_name(account.user))


def _account(memberships: list[Membership]) -> Account:
    first = memberships[0]
    deactivated = [m.deactivated_at for m in memberships if m.deactivated_at is not None]
    return Account(user=first.user, roles=tuple(m.get_role_display() for m in memberships),
                   joined_at=first.created_at, deactivated_at=max(deactivated) if deactivated else None,
                   professional=next((m.professional for m in memberships if m.role == Role.PERSON), None))


def _matches(user: User, words: list[str]) -> bool:
    known = " ".join((user.name, user.preferred_name, user.email)).casefold()
    return all(word in known for word in words)


def account_of_organisation(*, organisation: Organisation, public_id, staff: bool | None = None) -> User:
    """An account that belongs to the organisation (only its staff, or only its people, when `staff` says);
    anyone else, or an id that names nobody, is 404."""
    memberships = Membership.objects.filter(organisation=organisation, user__public_id=public_id)
    if staff is not None:
        memberships = memberships.filter(role__in=STAFF_ROLES if staff else (Role.PERSON,))
    membership = memberships.select_related("user").first()
    if membership is None:
        raise Http404
    return membership.user


def professionals_of(*, organisation: Organisation) -> list[User]:
    """The organisation's professionals whose accounts are active, by name."""
    professionals = User.objects.filter(memberships__organisation=organisation, memberships__role=Role.PROFESSIONAL,
                                        memberships__deactivated_at__isnull=True, is_active=True).distinct()
    return sorted(professionals, key=by_name)


def named_professional(*, person: User) -> User | None:
    """The professional the person's organisation named as theirs, if any (see Membership.professional)."""
    membership = (person_memberships(person).filter(organisation_id=person.home_organisation_id)
                  .select_related("professional").first())
    return membership.professional if membership else None


def organisations_only_admin_of(*, user) -> list[Organisation]:
    """Organisations (not personal ones) where this account is the only admin: it may not be deleted yet."""
    administered = Organisation.objects.filter(memberships__user=user, memberships__role=Role.ADMIN,
                                               is_personal=False).distinct()
    return [org for org in administered
            if not Membership.objects.filter(organisation=org, role=Role.ADMIN).exclude(user=user).exists()]


def is_person_in_recovery(user) -> bool:
    """Whether the account is a person an organisation serves (role PERSON): someone with their own plan,
    circle and safety plan. Staff accounts are not, unless they joined as a person too. The one way to ask."""
    return user is not None and user.is_authenticated and person_memberships(user).exists()


def is_programme_staff(user) -> bool:
    """Whether the account works for a programme: a peer supporter, professional or admin of an organisation."""
    return user is not None and user.is_authenticated and staff_memberships(user).exists()


# The two questions above as querysets, for a query that asks them with others at once (Exists): the page
# header and the two-step check ask several such questions on every request.
def person_memberships(user):
    return Membership.objects.filter(user=user, role=Role.PERSON)


def staff_memberships(user):
    return Membership.objects.filter(user=user, role__in=STAFF_ROLES)


def admin_memberships(user):
    return Membership.objects.filter(user=user, role=Role.ADMIN)


def people_in_recovery():
    """Every account with the role PERSON, as a queryset to narrow further."""
    return User.objects.filter(memberships__role=Role.PERSON).distinct()


def roles_of(user) -> set[str]:
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def by_name(user) -> tuple[str, str]:
    """Sort key for lists of people: preferred name, then email. Names are encrypted at rest, so SQL cannot sort them."""
    return (user.preferred_name.casefold(), user.email)


def keeps_counselling_notes_apart(person: User) -> bool:
    """Whether the person's organisation shares counselling notes under a consent category of their own."""
    organisation = person.home_organisation
    return organisation is not None and organisation.counselling_notes_apart
