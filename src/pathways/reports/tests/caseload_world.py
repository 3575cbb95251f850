"""People who share with a supporter, and each state the caseload can show, for the caseload's tests."""
from datetime import timedelta

from django.utils import timezone

from pathways.checkins.models import DailyCheckIn, GentleNote
from pathways.circle import services as circle
from pathways.circle.models import ALLOWED_ACCESS, Access, Category, SupporterRole
from pathways.people.services import person_sign_up
from pathways.safety.models import AlertResponse, CrisisAlert

EVERYTHING = {category: Access.VIEW for category in Category if Access.VIEW in ALLOWED_ACCESS[category]}
# The categories whose state a caseload card shows, and the words that show it.
STATE_WORDS = {
    Category.PLAN: "Plan last changed",
    Category.CHECKINS: "No check-in for",
    Category.CRISIS_ALERTS: "A crisis alert",
    Category.EARLY_WARNING: "An early-warning sign was noticed",
}


def person_in_circle_of(supporter, name: str):
    """A person in recovery with `supporter` in their circle (no grant yet); returns (person, membership)."""
    person = person_sign_up(email=f"{name.lower()}@example.org", password="a long enough test passphrase",
                            preferred_name=name)
    _, token = circle.invitation_create(person=person, role=SupporterRole.PEER_SUPPORTER, name="Supporter")
    return person, circle.invitation_accept(token=token, supporter=supporter)


def grant(member, items=None):
    return circle.grant_create(member=member, items=items or EVERYTHING, purpose="To support me",
                               signature=member.person.display_name)


def quiet_checkins(person, *, days_ago: int = 10) -> None:
    DailyCheckIn.objects.create(person=person, day=timezone.localdate() - timedelta(days=days_ago), mood=3)


def alert_told_to(person, supporter, *, answered_by=(), hours_ago: float = 1) -> CrisisAlert:
    alert = CrisisAlert.objects.create(person=person, raised_at=timezone.now() - timedelta(hours=hours_ago))
    alert.notified.add(supporter)
    for answering in answered_by:
        AlertResponse.objects.create(alert=alert, supporter=answering)
    return alert


def sign_noticed(person, *, told=("Sam",), named: bool = False, days_ago: float = 1) -> GentleNote:
    return GentleNote.objects.create(person=person, rule="sleep_below_usual", supporters_told=list(told),
                                     fired_at=timezone.now() - timedelta(days=days_ago),
                                     sign_named_to_supporters=named)


def every_state(person, supporter) -> None:
    quiet_checkins(person)
    alert_told_to(person, supporter)
    sign_noticed(person)
