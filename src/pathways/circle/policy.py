"""The one access policy: who may see or change which part of a person's record.

Every selector that returns a person's data calls `require_and_log()` first. The person always has
access to everything of their own. Anyone else needs a live grant for that category (or, for a
professional of the person's organisation, a running emergency access; or, for crisis alerts only, being
the organisation's on-duty professional when the person allowed them to be told), and every such read,
allowed or refused, is written to the access log. `decide()` and `can()` only answer; the functions
whose names end in `_and_log` also write the entry, and `log_read()` writes one for a decision already made.
"""
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from pathways.people.models import Membership, Role

from . import access_log, consent_log
from .models import ACCESS_RANK, Access, AlertPreference, Category, CircleMember, EmergencyAccess, Grant, GrantItem

__all__ = ["Access", "Category", "Decision", "can", "decide", "decisions_from_grants", "is_on_duty_for", "log_read",
           "log_reads", "may_use_emergency_access", "permits_and_log", "require_and_log"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    grant: Grant | None = None
    emergency: EmergencyAccess | None = None
    on_duty: bool = False  # the person allowed their organisation's on-duty professional to be told of alerts


REFUSED = Decision(allowed=False)
ALLOWED_AS_THE_PERSON = Decision(allowed=True)
ALLOWED_ON_DUTY = Decision(allowed=True, on_duty=True)
ON_DUTY_PURPOSE = "You allowed your organisation's on-duty professional to be told when nobody answered an alert"
# The purpose written for a refusal caused merely by opening a page that shows only what is shared
# ("opened your progress page"); circle.wording turns such an entry into a fair sentence.
OPENED_PAGE = "opened "


def decide(viewer, person, category: Category, action: Access) -> Decision:
    """Whether `viewer` may take `action` on `person`'s `category`, and on what authority."""
    if viewer is None or person is None or not viewer.is_authenticated or not viewer.is_active:
        return REFUSED
    if viewer.pk == person.pk:
        return ALLOWED_AS_THE_PERSON
    if not person.is_active:
        return REFUSED
    category, action = Category(category), Access(action)
    grant = _live_grant(viewer, person, category, action)
    if grant is not None:
        return Decision(allowed=True, grant=grant)
    if category == Category.CRISIS_ALERTS and action == Access.VIEW and is_on_duty_for(viewer, person):
        return ALLOWED_ON_DUTY
    if action == Access.VIEW and may_use_emergency_access(viewer, person):  # still a professional there
        emergency = _running_emergency(viewer, person)
        if emergency is not None:
            return Decision(allowed=True, emergency=emergency)
    return REFUSED


def _live_grant(viewer, person, category: Category, action: Access) -> Grant | None:
    now = timezone.now()
    strong_enough = [access for access, rank in ACCESS_RANK.items() if rank >= ACCESS_RANK[action]]
    item = (
        GrantItem.objects.select_related("grant")
        .filter(grant__person=person, grant__recipient=viewer, category=category, access__in=strong_enough)
        .filter(grant__revoked_at__isnull=True, grant__member__removed_at__isnull=True)
        .filter(Q(grant__expires_at__isnull=True) | Q(grant__expires_at__gt=now))
        .order_by("-grant__signed_at")
        .first()
    )
    return item.grant if item else None


def _running_emergency(viewer, person) -> EmergencyAccess | None:
    now = timezone.now()
    return EmergencyAccess.objects.filter(professional=viewer, person=person, started_at__lte=now,
                                          ends_at__gt=now).order_by("-started_at").first()


def is_on_duty_for(viewer, person) -> bool:
    """The viewer is the on-duty professional of the person's organisation, still a professional there, and the
    person allowed that professional to be told of their crisis alerts."""
    organisation = person.home_organisation
    if organisation is None or organisation.is_personal or organisation.on_duty_professional_id != viewer.pk:
        return False
    allowed = AlertPreference.objects.filter(person=person, on_duty_allowed=True).exists()
    return allowed and Membership.objects.filter(user=viewer, organisation=organisation, role=Role.PROFESSIONAL).exists()


def can(viewer, person, category: Category, action: Access) -> bool:
    """True when the viewer may take the action. Does not log: use `require_and_log()` when reading."""
    return decide(viewer, person, category, action).allowed


def log_read(viewer, person, category: Category, action: Access, decision: Decision, *, page: str = "") -> None:
    """Write the read (or refusal) `decision` answered to the access log, when the viewer is someone else.

    A refusal is also when an ended consent or emergency access is first noticed, so its ending is written
    first (once; see consent_log). `page` names the page the viewer opened when a part was merely left out of
    it ("your progress page"), so the person reads that refusal as what happened, not as prying.
    """
    is_someone_else = viewer is not None and viewer.is_authenticated and person is not None and viewer.pk != person.pk
    if not is_someone_else:
        return
    if not decision.allowed:
        consent_log.endings_record(person=person, viewer=viewer)
    purpose = ON_DUTY_PURPOSE if decision.on_duty else (OPENED_PAGE + page if page and not decision.allowed else "")
    access_log.append(person=person, viewer=viewer, viewer_role=viewer_role(viewer, person), category=category,
                      action=action, allowed=decision.allowed, grant=decision.grant, emergency=decision.emergency,
                      purpose=purpose)


def decisions_from_grants(viewer, grants, action: Access = Access.VIEW) -> dict[tuple[int, str], Decision]:
    """`decide`'s grant-based answer for every (person id, category) that the viewer's `grants` cover for `action`,
    without a query per question: for a page about many people at once, such as the caseload.

    `grants` come from `circle.selectors.live_grants_held(viewer=viewer)`, which holds only live grants, from
    active people, to a viewer still in their circle; what can be checked without the database is checked
    again here. As in `decide`, the newest grant covering a category is the authority. Anything missing from
    the answer is refused here; `decide` alone also knows emergency access and the on-duty professional.
    """
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return {}
    now = timezone.now()
    decisions: dict[tuple[int, str], Decision] = {}
    for grant in sorted(grants, key=lambda grant: (grant.signed_at, grant.pk), reverse=True):
        if grant.recipient_id != viewer.pk or grant.person_id == viewer.pk or not grant.is_live(now):
            continue
        if not grant.person.is_active:
            continue
        for item in grant.items.all():
            if ACCESS_RANK[Access(item.access)] >= ACCESS_RANK[Access(action)]:
                decisions.setdefault((grant.person_id, item.category), Decision(allowed=True, grant=grant))
    return decisions


def log_reads(viewer, reads, action: Access = Access.VIEW) -> None:
    """Write several allowed reads at once: `reads` holds (person, category, decision), decided already (as by
    `decisions_from_grants`). One lock of the log and one insert, however many people a page shows.

    Reads of the viewer's own record are not disclosures and are left out. A refusal goes through `log_read`,
    which first writes an ended consent that the refusal is the first to notice.
    """
    someone_elses = [(person, category, decision) for person, category, decision in reads if person.pk != viewer.pk]
    if any(not decision.allowed for _, _, decision in someone_elses):
        raise ValueError("log_reads writes allowed reads only; log a refusal with log_read")
    roles = _viewer_roles(viewer, {person.pk for person, _, _ in someone_elses})
    access_log.append_many([
        dict(person=person, viewer=viewer, viewer_role=roles[person.pk], category=category, action=action,
             allowed=True, grant=decision.grant, emergency=decision.emergency,
             purpose=ON_DUTY_PURPOSE if decision.on_duty else "")
        for person, category, decision in someone_elses])


def _viewer_roles(viewer, person_ids: set[int]) -> dict[int, str]:
    """`viewer_role` for many people in two queries at most."""
    roles = dict(CircleMember.objects.filter(person_id__in=person_ids, supporter=viewer, removed_at__isnull=True)
                 .values_list("person_id", "role"))
    if person_ids - roles.keys():
        outside = ",".join(sorted(set(viewer.memberships.values_list("role", flat=True)))) or "no relationship"
        roles.update({person_id: outside for person_id in person_ids - roles.keys()})
    return roles


def permits_and_log(viewer, person, category: Category, action: Access = Access.VIEW, *, page: str = "") -> bool:
    """Decide, and write the read to the access log if the viewer is someone else; for pages that show only
    what is shared (`page` names such a page, for the wording of a refusal). Call it only when the answer leads
    to showing (or not showing) that part."""
    decision = decide(viewer, person, category, action)
    log_read(viewer, person, category, action, decision, page=page)
    return decision.allowed


def require_and_log(viewer, person, category: Category, action: Access = Access.VIEW) -> None:
    """Like `permits_and_log`, but answers 404 (never 403) when refused, so a refusal reveals nothing."""
    if not permits_and_log(viewer, person, category, action):
        raise Http404


def may_use_emergency_access(viewer, person) -> bool:
    """Only a professional of the person's own (non-personal) organisation may open a record without a grant."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active or viewer.pk == person.pk:
        return False
    return Membership.objects.filter(user=viewer, role=Role.PROFESSIONAL, organisation_id=person.home_organisation_id,
                                     organisation__is_personal=False).exists()


def viewer_role(viewer, person) -> str:
    """How the viewer stands to the person: their circle role, or their role in an organisation."""
    member = CircleMember.objects.filter(person=person, supporter=viewer, removed_at__isnull=True).first()
    if member:
        return member.role
    roles = sorted(set(viewer.memberships.values_list("role", flat=True)))
    return ",".join(roles) or "no relationship"
