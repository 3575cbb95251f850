"""Telling a person's supporters something about them: the one loop every alert goes through.

Only supporters whose live grant covers the category are told (a grant, not emergency access: emergency
access lets a professional read, not subscribe). Each telling is a disclosure of that category, so it is
decided by the one access policy and written to the person's access log.

Crisis alerts go out in the person's chosen rounds (CircleMember.alert_round, see pathways.safety.escalation);
how they travel is the person's to choose, and `alert_preference_update` is where that choice is written.
"""
from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pathways.notifications.services import notify

from .models import ALERT_ROUNDS, AlertPreference, Category, CircleMember
from .policy import Access, Decision, decide, log_read


def members_allowed(*, person, category: Category) -> list[tuple[CircleMember, Decision]]:
    """The person's current circle members whose live grant covers `category`, in the order they joined, each
    with the policy's decision. Answers only: nothing is disclosed, so nothing is logged."""
    members = (CircleMember.objects.filter(person=person, removed_at__isnull=True, supporter__isnull=False)
               .select_related("supporter").order_by("joined_at", "pk"))
    allowed = []
    for member in members:
        decision = decide(member.supporter, person, category, Access.VIEW)
        if decision.grant is not None:
            allowed.append((member, decision))
    return allowed


def supporters_tell(*, person, category: Category, kind: str, title: str, body: str, link: str,
                    rounds: Collection[int] | None = None, urgent: bool = False) -> list:
    """Notify each supporter allowed to receive `category` about `person` (only those in `rounds` of the
    person's alert order, when given); returns the supporters told, in the order they joined. A supporter who
    turned this kind of notification off is not told, and nothing of the person's is disclosed to them."""
    told = []
    for member, decision in members_allowed(person=person, category=category):
        if rounds is not None and member.alert_round not in rounds:
            continue
        supporter = member.supporter
        if notify(recipient=supporter, about=person, kind=kind, title=title, body=body, link=link,
                  urgent=urgent) is None:
            continue
        log_read(supporter, person, category, Access.VIEW, decision)  # the disclosure, in the access log
        told.append(supporter)
    return told


def alert_rounds(*, person) -> list[int]:
    """The rounds, earliest first, that hold at least one supporter allowed to receive crisis alerts."""
    return sorted({member.alert_round for member, _ in members_allowed(person=person,
                                                                       category=Category.CRISIS_ALERTS)})


@transaction.atomic
def alert_preference_update(*, person, wait_minutes: int, on_duty_allowed: bool,
                            rounds: Mapping[int, int] | None = None) -> AlertPreference:
    """The person's choice of how their crisis alerts travel: the wait between rounds, whether their
    organisation's on-duty professional may be told when nobody answers, and the round of each supporter
    (`rounds` maps a CircleMember's pk to 1..ALERT_ROUNDS; members left out keep theirs)."""
    preference, _ = AlertPreference.objects.select_for_update().get_or_create(person=person)
    preference.wait_minutes, preference.on_duty_allowed = wait_minutes, on_duty_allowed
    preference.updated_at = timezone.now()
    preference.full_clean()
    preference.save()
    for member_pk, alert_round in (rounds or {}).items():
        if not 1 <= alert_round <= ALERT_ROUNDS:
            raise ValidationError(f"An alert round is between 1 and {ALERT_ROUNDS}.")
        # Only the person's own current members: a pk from anyone else's circle changes nothing.
        CircleMember.objects.filter(pk=member_pk, person=person, removed_at__isnull=True).update(
            alert_round=alert_round)
    return preference
