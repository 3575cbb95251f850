"""Check-in reminders: at the time each person chose, on their own clock, unless they already checked in.

The worker (`manage.py run_worker`) runs `checkin_reminders_create_due` every round. It lives with check-ins
because it asks whether someone checked in today; the reminder itself is an ordinary notification.
"""
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pathways.notifications.models import Kind, ReminderSetting
from pathways.notifications.services import notify
from pathways.people.time_zones import time_zone_expression, zone_info

from .models import DailyCheckIn

REMINDER_BATCH = 500  # per time zone and round; the next round (seconds later) takes the rest


def checkin_reminders_create_due(*, now: datetime | None = None) -> int:
    """Remind everyone whose chosen time has passed on their own clock today, who has not checked in on their
    today and was not reminded yet.

    People are taken a time zone at a time: one query lists the zones in use, then one query per zone finds who
    is due there, so the cost follows the number of zones, not of people.
    """
    now = now or timezone.now()
    reminders_on = (ReminderSetting.objects.filter(checkin_reminder_on=True)
                    .annotate(zone=time_zone_expression("person")))
    created = 0
    for name in list(reminders_on.order_by().values_list("zone", flat=True).distinct()):
        created += _reminders_create_due_in_zone(reminders_on.filter(zone=name),
                                                 local=timezone.localtime(now, zone_info(name)))
    return created


def _reminders_create_due_in_zone(reminders_on, *, local: datetime) -> int:
    """Remind the people of one time zone, whose clock reads `local`."""
    today = local.date()
    not_yet_today = Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today)
    due = (reminders_on.filter(not_yet_today, checkin_reminder_time__lte=local.time())
           .exclude(person__in=DailyCheckIn.objects.filter(day=today).values("person"))
           .select_related("person").order_by("pk")[:REMINDER_BATCH])
    created = 0
    for setting in due:
        with transaction.atomic():
            # The conditional UPDATE is the claim: of two workers, only one reminds the person today.
            if ReminderSetting.objects.filter(not_yet_today, pk=setting.pk).update(last_reminded_on=today):
                notify(recipient=setting.person, kind=Kind.CHECKIN_REMINDER, title="A moment to check in",
                       body="When you have a minute, how is today going? Skip anything you like.",
                       link=reverse("checkins:daily"))
                created += 1
    return created
