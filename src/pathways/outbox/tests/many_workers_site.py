"""The data side of the many-workers test, run as its own process against the database the workers share.

    python many_workers_site.py seed EMAILS REMINDED ALERTED   queue the work, all in one transaction
    python many_workers_site.py report                         print, as JSON, what the workers left behind

The test process cannot always reach that database itself (SQLite's test database lives in its memory), so
both steps run here, with the same settings and keys as the workers.
"""
import json
import sys
from datetime import time, timedelta

import django

ALERT_WAIT_MINUTES = 15


def race_address(number: int) -> str:
    return f"race{number}@example.org"


def reminded_address(number: int) -> str:
    return f"reminded{number}@example.org"


def supporter_address(person: int, alert_round: int) -> str:
    return f"round{alert_round}-of-{person}@example.org"


def seed(emails: int, reminded: int, alerted: int) -> None:
    """`emails` plain emails; `reminded` people whose check-in reminder is due; `alerted` people whose crisis
    alert has waited its time with nobody answering, so its second round is due."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from pathways.circle import services as circle
    from pathways.circle.models import SupporterRole
    from pathways.circle.telling import alert_preference_update
    from pathways.notifications.models import ReminderSetting
    from pathways.outbox.services import email_queue
    from pathways.people.models import User
    from pathways.people.services import person_sign_up
    from pathways.safety.models import CrisisAlert
    from pathways.safety.services import crisis_alert_raise

    # Nobody signs in with these accounts: hashing their passwords slowly would only slow the test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with transaction.atomic():  # the workers see all of it at once, so they race from the same moment
        for number in range(emails):
            email_queue(kind="race_test", to=race_address(number), subject=f"Race {number}", body="Hello.")
        for number in range(reminded):
            person = User.objects.create_user(email=reminded_address(number))
            ReminderSetting.objects.create(person=person, checkin_reminder_on=True, checkin_reminder_time=time(0, 0))
        for number in range(alerted):
            person = person_sign_up(email=f"alerted{number}@example.org", password="not used by the test")
            for alert_round in (1, 2):
                account = User.objects.create_user(email=supporter_address(number, alert_round))
                _, token = circle.invitation_create(person=person, role=SupporterRole.ALLY, name=f"R{alert_round}")
                member = circle.invitation_accept(token=token, supporter=account)
                circle.grant_create(member=member, items={"crisis_alerts": "view"}, purpose="x", signature="P")
                member.alert_round = alert_round
                member.save(update_fields=["alert_round"])
            alert_preference_update(person=person, wait_minutes=ALERT_WAIT_MINUTES, on_duty_allowed=False)
            crisis_alert_raise(person=person)  # round 1 is told now, in this transaction
        CrisisAlert.objects.update(next_round_at=timezone.now() - timedelta(seconds=1))  # the wait is over


def report() -> dict:
    from django.db.models import Count
    from django.utils import timezone

    from pathways.notifications.models import Notification, ReminderSetting
    from pathways.outbox.models import OutgoingEmail
    from pathways.safety.models import CrisisAlert

    def told(kind: str, address_start: str) -> dict[str, int]:
        return dict(Notification.objects.filter(kind=kind, recipient__email__startswith=address_start)
                    .values("recipient__email").annotate(count=Count("pk")).values_list("recipient__email", "count"))

    return {
        "emails": dict(OutgoingEmail.objects.values_list("pk", "status")),
        "attempts": sorted(set(OutgoingEmail.objects.values_list("attempts", flat=True))),
        "reminders": told("checkin_reminder", "reminded"),
        "reminded_today": ReminderSetting.objects.filter(last_reminded_on=timezone.localdate()).count(),
        "round_two_told": told("crisis_alert", "round2-"),
        "round_one_told": told("crisis_alert", "round1-"),
        "alert_rounds": sorted(CrisisAlert.objects.values_list("round", flat=True)),
    }


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "seed":
        seed(*map(int, sys.argv[2:5]))
    else:
        print(json.dumps(report()))
