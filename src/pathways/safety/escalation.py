"""A crisis alert travels in the person's chosen rounds until somebody answers.

Round 1 of the person's circle is told when the alert is raised. If nobody has said "I'm reaching out" after
the person's wait (AlertPreference.wait_minutes), the worker tells the next round, and after the last round the
organisation's on-duty professional, when the person allowed that and the organisation has one. Everything
the worker needs is in the alert's row (`round`, `next_round_at`, `on_duty_told`), so a restarted worker picks
up where the last one stopped, and each step runs with the row locked, so two workers never tell twice.
"""
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pathways.circle.models import AlertPreference, Category
from pathways.circle.policy import Access, decide, log_read
from pathways.circle.telling import alert_rounds, supporters_tell
from pathways.notifications.services import notify
from pathways.people.pronouns import words_for

from .models import CrisisAlert

BATCH = 100  # alerts looked at per run; the rest wait for the worker's next round, seconds later


def alert_link(alert: CrisisAlert) -> str:
    return reverse("safety:alert", kwargs={"alert_id": alert.public_id})


def _wait(person) -> timedelta:
    minutes = AlertPreference.objects.filter(person=person).values_list("wait_minutes", flat=True).first()
    return timedelta(minutes=minutes or AlertPreference.DEFAULT_WAIT_MINUTES)


def _on_duty_to_tell(alert: CrisisAlert):
    """The on-duty professional, with the policy's decision, when the person allowed them to be told and they
    have not been yet; else (None, None)."""
    organisation = alert.person.home_organisation
    if alert.on_duty_told_id is not None or organisation is None or organisation.on_duty_professional is None:
        return None, None
    professional = organisation.on_duty_professional
    decision = decide(professional, alert.person, Category.CRISIS_ALERTS, Access.VIEW)
    return (professional, decision) if decision.on_duty else (None, None)


def _tell_round(alert: CrisisAlert, alert_round: int) -> None:
    about = words_for(alert.person)
    told = supporters_tell(
        person=alert.person, category=Category.CRISIS_ALERTS, kind="crisis_alert",
        title=f"{about.name} may need support now",
        body=f"{about.name} asked Pathways to let you know when {about.possessive} answers show {about.subject} may "
             f"be in crisis. Please reach out to {about.object} in the way you agreed.",
        link=alert_link(alert), rounds={alert_round}, urgent=True)
    alert.notified.add(*told)
    alert.round = alert_round


def _tell_on_duty(alert: CrisisAlert, professional, decision) -> None:
    about = words_for(alert.person)
    notify(recipient=professional, about=alert.person, kind="crisis_alert",
           title=f"{about.name} may need support now, and nobody has answered yet",
           body=f"{about.name} asked Pathways to tell {about.possessive} organisation's on-duty professional when "
                f"{about.possessive} answers show {about.subject} may be in crisis and nobody in "
                f"{about.possessive} circle has answered in time.",
           link=alert_link(alert), urgent=True)
    log_read(professional, alert.person, Category.CRISIS_ALERTS, Access.VIEW, decision)  # the disclosure
    alert.on_duty_told = professional


def _schedule(alert: CrisisAlert, now: datetime) -> None:
    """Due again after the person's wait when anyone is left to tell; otherwise nothing pending."""
    later = any(alert_round > alert.round for alert_round in alert_rounds(person=alert.person))
    left = later or _on_duty_to_tell(alert)[0] is not None
    alert.next_round_at = now + _wait(alert.person) if left else None


def first_round_tell(alert: CrisisAlert, *, now: datetime | None = None) -> None:
    """Tell round 1 (when nobody is in round 1, the earliest round anyone is in) and schedule the next step."""
    now = now or timezone.now()
    rounds = alert_rounds(person=alert.person)
    if rounds:
        _tell_round(alert, rounds[0])
    _schedule(alert, now)
    alert.save(update_fields=["round", "next_round_at"])


def due_alert_ids(*, now: datetime | None = None) -> list[int]:
    return list(CrisisAlert.objects.filter(next_round_at__lte=now or timezone.now())
                .order_by("next_round_at", "pk").values_list("pk", flat=True)[:BATCH])


@transaction.atomic
def alert_escalate(alert_id: int, *, now: datetime | None = None) -> bool:
    """Take one due alert its next step; False when it was no longer due (another worker took it, someone
    answered, or it is not time yet). The row stays locked until the step is written."""
    now = now or timezone.now()
    alert = (CrisisAlert.objects.select_for_update(skip_locked=True)
             .filter(pk=alert_id, next_round_at__lte=now).first())
    if alert is None:
        return False
    if alert.responses.exists():  # somebody is reaching out: nobody more needs telling
        alert.next_round_at = None
    else:
        later = [alert_round for alert_round in alert_rounds(person=alert.person) if alert_round > alert.round]
        professional, decision = _on_duty_to_tell(alert)
        if later:
            _tell_round(alert, later[0])
        elif professional is not None:
            _tell_on_duty(alert, professional, decision)
        _schedule(alert, now)
    alert.save(update_fields=["round", "next_round_at", "on_duty_told"])
    return True


def crisis_alerts_escalate_due(*, now: datetime | None = None) -> int:
    """The worker's job: every alert whose wait is over with nobody answering takes its next step, each in its
    own transaction. Returns how many steps were taken."""
    return sum(alert_escalate(alert_id, now=now) for alert_id in due_alert_ids(now=now))
