"""Reads about the circle: the person's own view of it, grants, supporters' people, the access log."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from pathways.people.models import Membership, Role, User
from pathways.people.selectors import by_name, is_person_in_recovery, people_in_recovery

from .models import ACCESS_RANK, AccessLogEntry, Category, CircleInvitation, CircleMember, Grant, GrantItem


def _live_grants_filter(now=None) -> Q:
    now = now or timezone.now()
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def _require_self(*, person: User, viewer: User) -> None:
    """The circle itself, its grants and its log belong to the person alone (staff accounts have none)."""
    if viewer is None or not viewer.is_authenticated or viewer.pk != person.pk:
        raise Http404
    if not is_person_in_recovery(person):
        raise Http404


@dataclass
class MemberView:
    member: CircleMember
    live_grants: list[Grant]
    shares: list[tuple[str, str, str]] = field(default_factory=list)  # (category, its label, access label)


def circle_for_person(*, person: User, viewer: User) -> list[MemberView]:
    """Each current member, with exactly what their live grants let them see, in plain words."""
    _require_self(person=person, viewer=viewer)
    live = Grant.objects.filter(_live_grants_filter()).prefetch_related("items")
    members = (CircleMember.objects.filter(person=person, removed_at__isnull=True)
               .select_related("supporter").prefetch_related(Prefetch("grants", queryset=live, to_attr="live"))
               .order_by("joined_at"))
    views = []
    for member in members:
        best: dict[str, GrantItem] = {}
        for grant in member.live:
            for item in grant.items.all():
                if item.category not in best or ACCESS_RANK[item.access] > ACCESS_RANK[best[item.category].access]:
                    best[item.category] = item
        shares = [(category, item.get_category_display(), item.get_access_display())
                  for category in Category.values if (item := best.get(category))]
        views.append(MemberView(member=member, live_grants=member.live, shares=shares))
    return views


def member_get(*, member_public_id, viewer: User) -> CircleMember:
    member = CircleMember.objects.select_related("supporter", "person").filter(
        public_id=member_public_id, removed_at__isnull=True).first()
    if member is None or member.person_id != getattr(viewer, "pk", None):
        raise Http404
    return member


def live_grants_of(*, member: CircleMember) -> list[Grant]:
    """The member's live grants, with what each covers. Take the member from `member_get`, which checks that
    they are in the viewer's own circle."""
    return list(member.grants.filter(_live_grants_filter()).prefetch_related("items"))


def open_invitations(*, person: User, viewer: User) -> list[CircleInvitation]:
    _require_self(person=person, viewer=viewer)
    now = timezone.now()
    return list(CircleInvitation.objects.filter(person=person, accepted_at__isnull=True, withdrawn_at__isnull=True,
                                                expires_at__gt=now).order_by("-created_at"))


def invitation_get(*, invitation_id: int, viewer: User) -> CircleInvitation:
    invitation = CircleInvitation.objects.filter(pk=invitation_id, person_id=getattr(viewer, "pk", None)).first()
    if invitation is None:
        raise Http404
    return invitation


def staff_to_choose_from(*, person: User, viewer: User) -> list[User]:
    """Peer supporters and professionals of the person's organisation not already in the circle."""
    _require_self(person=person, viewer=viewer)
    if person.home_organisation is None or person.home_organisation.is_personal:
        return []
    in_circle = CircleMember.objects.filter(person=person, removed_at__isnull=True).values("supporter_id")
    staff_ids = Membership.objects.filter(organisation=person.home_organisation,
                                          role__in=[Role.PEER_SUPPORTER, Role.PROFESSIONAL]).values("user_id")
    return sorted(User.objects.filter(pk__in=staff_ids, is_active=True).exclude(pk__in=in_circle)
                  .exclude(pk=person.pk), key=by_name)


def grants_given(*, person: User, viewer: User) -> list[Grant]:
    """Every grant the person ever signed, live or not, newest first."""
    _require_self(person=person, viewer=viewer)
    return list(Grant.objects.filter(person=person).select_related("recipient").prefetch_related("items"))


def grant_get(*, grant_public_id, viewer: User) -> Grant:
    """The person who signed a grant, and its recipient, may read it; for anyone else it does not exist."""
    grant = Grant.objects.select_related("person", "recipient", "member").prefetch_related("items").filter(
        public_id=grant_public_id).first()
    if grant is None or getattr(viewer, "pk", None) not in (grant.person_id, grant.recipient_id):
        raise Http404
    return grant


def live_grants_held(*, viewer: User, person: User | None = None) -> list[Grant]:
    """The grants that currently let the viewer see something (of one person, or of everyone)."""
    grants = Grant.objects.filter(_live_grants_filter(), recipient=viewer, member__removed_at__isnull=True,
                                  person__is_active=True)
    if person is not None:
        grants = grants.filter(person=person)
    return list(grants.select_related("person").prefetch_related("items"))


def person_by_public_id(*, public_id) -> User:
    """Look a person up by the id used in URLs. Callers still need the policy before reading anything."""
    person = people_in_recovery().filter(public_id=public_id).first()
    if person is None:
        raise Http404
    return person


@dataclass
class LogFilters:
    kind: str = ""  # "" everything, "reads" who looked, "changes" changes to what the person shares
    viewer_ref: str = ""
    category: str = ""
    allowed: bool | None = None
    since: date | None = None
    until: date | None = None


def access_log_for_person(*, person: User, viewer: User, filters: LogFilters | None = None,
                          limit: int = 500) -> list[AccessLogEntry]:
    """"Who has seen my information": every read of the person's data by anyone else, and every change to
    what they share. Seen or refused (`allowed`) is about reads, so filtering by it leaves the changes out."""
    _require_self(person=person, viewer=viewer)
    filters = filters or LogFilters()
    entries = AccessLogEntry.objects.filter(person_ref=str(person.public_id))
    if filters.kind == "reads":
        entries = entries.reads()
    elif filters.kind == "changes":
        entries = entries.changes()
    if filters.viewer_ref:
        entries = entries.filter(viewer_ref=filters.viewer_ref)
    if filters.category:
        entries = entries.filter(category=filters.category)
    if filters.allowed is not None:
        entries = entries.reads().filter(allowed=filters.allowed)
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__date__lte=filters.until)
    return list(entries.order_by("-sequence")[:limit])


def access_log_viewers(*, person: User, viewer: User) -> list[tuple[str, str]]:
    """The distinct people who appear in the person's access log, for the filter list."""
    _require_self(person=person, viewer=viewer)
    rows = (AccessLogEntry.objects.filter(person_ref=str(person.public_id)).exclude(viewer_ref="")
            .values_list("viewer_ref", "viewer_name").distinct())
    return sorted(set(rows), key=lambda row: row[1].lower())


DISCLOSURE_YEARS = 3


def disclosures(*, person: User, viewer: User) -> list[AccessLogEntry]:
    """The accounting of disclosures: every allowed read by someone else in the last three years."""
    _require_self(person=person, viewer=viewer)
    since = timezone.now() - timedelta(days=365 * DISCLOSURE_YEARS + 1)
    return list(AccessLogEntry.objects.reads().filter(person_ref=str(person.public_id), allowed=True, at__gte=since)
                .order_by("sequence"))
