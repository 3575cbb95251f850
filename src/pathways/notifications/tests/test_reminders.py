"""Check-in reminders: at the person's chosen time, once a day, never when off or after they checked in."""
import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from pathways.checkins.models import DailyCheckIn
from pathways.notifications import services
from pathways.notifications.models import EmailDelivery, Notification, ReminderSetting

TOMORROW = timezone.localdate() + dt.timedelta(days=1)  # a day the settings page's "starts tomorrow" rule allows


def at(hour: int, minute: int = 0, day: dt.date = TOMORROW) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def pat_reminded_at_seven(pat):
    services.reminder_settings_update(person=pat, checkin_reminder_on=True, checkin_reminder_time=dt.time(19, 0))
    return pat


def reminders(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person, kind="checkin_reminder"))


def test_nothing_before_the_chosen_time(pat_reminded_at_seven):
    assert services.checkin_reminders_create_due(now=at(18, 59)) == 0
    assert reminders(pat_reminded_at_seven) == []


def test_one_reminder_once_the_time_has_come(pat_reminded_at_seven):
    assert services.checkin_reminders_create_due(now=at(19, 0)) == 1
    assert services.checkin_reminders_create_due(now=at(19, 5)) == 0
    assert services.checkin_reminders_create_due(now=at(23, 59)) == 0
    [reminder] = reminders(pat_reminded_at_seven)
    assert reminder.link == "/checkin/" and EmailDelivery.objects.filter(notification=reminder).exists()
    assert ReminderSetting.objects.get(person=pat_reminded_at_seven).last_reminded_on == TOMORROW


def test_again_the_next_day(pat_reminded_at_seven):
    services.checkin_reminders_create_due(now=at(19, 30))
    services.checkin_reminders_create_due(now=at(19, 30, day=TOMORROW + dt.timedelta(days=1)))
    assert len(reminders(pat_reminded_at_seven)) == 2


def test_not_when_the_person_already_checked_in_that_day(pat_reminded_at_seven):
    DailyCheckIn.objects.create(person=pat_reminded_at_seven, day=TOMORROW)
    assert services.checkin_reminders_create_due(now=at(20)) == 0
    assert reminders(pat_reminded_at_seven) == []


def test_not_when_reminders_are_off(pat, rue):
    services.reminder_settings_update(person=pat, checkin_reminder_on=False, checkin_reminder_time=dt.time(9, 0))
    assert services.checkin_reminders_create_due(now=at(20)) == 0  # and Rue never set anything up
    assert not Notification.objects.exists()


def test_a_reminder_without_email_when_the_person_prefers(pat_reminded_at_seven):
    services.reminder_settings_update(person=pat_reminded_at_seven, email_muted_kinds=["checkin_reminder"])
    services.checkin_reminders_create_due(now=at(20))
    assert len(reminders(pat_reminded_at_seven)) == 1 and not EmailDelivery.objects.exists()


def test_choosing_a_time_that_already_passed_today_starts_tomorrow(pat):
    earlier = (timezone.localtime() - dt.timedelta(minutes=1)).time()
    if earlier > timezone.localtime().time():
        pytest.skip("just after midnight there is no earlier time today")
    services.reminder_settings_update(person=pat, checkin_reminder_on=True, checkin_reminder_time=earlier)
    assert services.checkin_reminders_create_due() == 0
    assert services.checkin_reminders_create_due(now=at(23, 59)) == 1


def test_the_worker_creates_and_sends_due_reminders(pat_reminded_at_seven, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(19, 1))
    call_command("run_worker", "--once", stdout=io.StringIO())
    assert len(reminders(pat_reminded_at_seven)) == 1 and len(mail.outbox) == 1
