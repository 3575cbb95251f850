"""Reads about accounts and organisations. Admins see their organisation's accounts, never records."""
from django.http import Http404
from django.utils import timezone

from .models import Membership, Organisation, Role

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


def roles_of(user) -> set[str]:
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def by_name(user) -> tuple[str, str]:
    """Sort key for lists of people: preferred name, then email. Names are encrypted at rest, so SQL cannot sort them."""
    return (user.preferred_name.casefold(), user.email)
