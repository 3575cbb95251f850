"""The one access policy: who may see or change which part of a person's record.

Every selector that returns a person's data calls `require_and_log()` first. The person always has
access to everything of their own. Anyone else needs a live grant for that category (or, for a
professional of the person's organisation, a running emergency access), and every such read,
allowed or refused, is written to the access log. `decide()` and `can()` only answer; the functions
whose names end in `_and_log` also write the entry, and `log_read()` writes one for a decision already made.
"""
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from pathways.people.models import Membership, Role

from . import access_log, consent_log
from .models import ACCESS_RANK, Access, Category, CircleMember, EmergencyAccess, Grant, GrantItem

__all__ = ["Access", "Category", "Decision", "can", "decide", "log_read", "may_use_emergency_access",
           "permits_and_log", "require_and_log"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    grant: Grant | None = None
    emergency: EmergencyAccess | None = None


REFUSED = Decision(allowed=False)
ALLOWED_AS_THE_PERSON = Decision(allowed=True)


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


def can(viewer, person, category: Category, action: Access) -> bool:
    """True when the viewer may take the action. Does not log: use `require_and_log()` when reading."""
    return decide(viewer, person, category, action).allowed


def log_read(viewer, person, category: Category, action: Access, decision: Decision) -> None:
    """Write the read (or refusal) `decision` answered to the access log, when the viewer is someone else.

    A refusal is also when an ended consent or emergency access is first noticed, so its ending is written
    first (once; see consent_log).
    """
    is_someone_else = viewer is not None and viewer.is_authenticated and person is not None and viewer.pk != person.pk
    if not is_someone_else:
        return
    if not decision.allowed:
        consent_log.endings_record(person=person, viewer=viewer)
    access_log.append(person=person, viewer=viewer, viewer_role=viewer_role(viewer, person), category=category,
                      action=action, allowed=decision.allowed, grant=decision.grant, emergency=decision.emergency)


def permits_and_log(viewer, person, category: Category, action: Access = Access.VIEW) -> bool:
    """Decide, and write the read to the access log if the viewer is someone else; for pages that show only
    what is shared. Call it only when the answer leads to showing (or not showing) that part."""
    decision = decide(viewer, person, category, action)
    log_read(viewer, person, category, action, decision)
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
