"""Reads about accounts and organisations. Admins see their organisation's accounts, never records."""
from django.http import Http404
from django.utils import timezone

from .models import STAFF_ROLES, Membership, Organisation, Role, User

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
    """Who belongs to the organisation, by role, and which invitations are still open."""
    memberships = organisation.memberships.select_related("user").order_by("role", "user__email")
    by_role: dict[str, list[Membership]] = {heading: [] for heading in ROSTER_HEADINGS.values()}
    for membership in memberships:
        by_role[ROSTER_HEADINGS[membership.role]].append(membership)
    open_invitations = organisation.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
    return {"by_role": by_role, "open_invitations": list(open_invitations.order_by("-created_at"))}


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
