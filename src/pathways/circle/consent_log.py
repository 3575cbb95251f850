"""Changes to what a person shares, written into the access log beside the reads.

A consent signed or revoked, someone taken out of the circle, and emergency access opened are written by
the service that makes the change, inside its transaction. A consent reaching its end date and emergency
access running out happen by the clock, with nobody acting; `endings_record` writes each of them once,
when Pathways first notices: on the worker's next round, when the ended grant or emergency access first
refuses a read, or when the person opens "Who has seen my information", whichever comes first.
"""
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from pathways.lib.personal_data import DELETED_ACCOUNT
from pathways.people.models import Role

from . import access_log
from .models import Change, EmergencyAccess, Grant


def change_record(change: Change, *, person, other, role: str, opens: bool, grant=None, emergency=None,
                  other_name: str = ""):
    """One change about `person`, concerning `other` (the supporter or professional), in the access log."""
    return access_log.append(person=person, viewer=other, viewer_name=other_name or DELETED_ACCOUNT,
                             viewer_role=role, category="", action=change, allowed=opens, grant=grant,
                             emergency=emergency)


@transaction.atomic
def endings_record(*, person=None, viewer=None) -> int:
    """Write every consent that reached its end date and every emergency access that ran out, not yet written,
    (only those of `person`, or held by `viewer`, when given). Each is written once, however many callers race."""
    now = timezone.now()
    grants = Grant.objects.filter(expires_at__lte=now, revoked_at__isnull=True, expiry_logged_at__isnull=True).filter(
        Q(member__removed_at__isnull=True) | Q(member__removed_at__gt=F("expires_at")))
    emergencies = EmergencyAccess.objects.filter(ends_at__lte=now, end_logged_at__isnull=True)
    if person is not None:
        grants, emergencies = grants.filter(person=person), emergencies.filter(person=person)
    if viewer is not None:
        grants, emergencies = grants.filter(recipient=viewer), emergencies.filter(professional=viewer)
    written = 0
    for grant in grants.select_related("person", "recipient", "member").order_by("expires_at", "pk"):
        if Grant.objects.filter(pk=grant.pk, expiry_logged_at__isnull=True).update(expiry_logged_at=now):
            change_record(Change.GRANT_EXPIRED, person=grant.person, other=grant.recipient,
                          other_name=grant.recipient_name, role=grant.member.role, grant=grant, opens=False)
            written += 1
    for emergency in emergencies.select_related("person", "professional").order_by("ends_at", "pk"):
        if EmergencyAccess.objects.filter(pk=emergency.pk, end_logged_at__isnull=True).update(end_logged_at=now):
            change_record(Change.EMERGENCY_CLOSED, person=emergency.person, other=emergency.professional,
                          role=Role.PROFESSIONAL, emergency=emergency, opens=False)
            written += 1
    return written


def endings_sweep() -> int:
    """The worker's round: every ending not yet written, for everyone."""
    return endings_record()
