"""Check-in reminders: at the person's chosen time, once a day, never when off or after they checked in."""
import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from pathways.checkins.models import DailyCheckIn
from pathways.checkins.reminders import checkin_reminders_create_due
from pathways.notifications import services
from pathways.notifications.models import Notification, ReminderSetting
from pathways.outbox.models import OutgoingEmail

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
    assert checkin_reminders_create_due(now=at(18, 59)) == 0
    assert reminders(pat_reminded_at_seven) == []


def test_one_reminder_once_the_time_has_come(pat_reminded_at_seven):
    assert checkin_reminders_create_due(now=at(19, 0)) == 1
    assert checkin_reminders_create_due(now=at(19, 5)) == 0
    assert checkin_reminders_create_due(now=at(23, 59)) == 0
    [reminder] = reminders(pat_reminded_at_seven)
    assert reminder.link == "/checkin/" and OutgoingEmail.objects.filter(kind="notification", reference=reminder.pk).exists()
    assert ReminderSetting.objects.get(person=pat_reminded_at_seven).last_reminded_on == TOMORROW


def test_again_the_next_day(pat_reminded_at_seven):
    checkin_reminders_create_due(now=at(19, 30))
    checkin_reminders_create_due(now=at(19, 30, day=TOMORROW + dt.timedelta(days=1)))
    assert len(reminders(pat_reminded_at_seven)) == 2


def test_not_when_the_person_already_checked_in_that_day(pat_reminded_at_seven):
    DailyCheckIn.objects.create(person=pat_reminded_at_seven, day=TOMORROW)
    assert checkin_reminders_create_due(now=at(20)) == 0
    assert reminders(pat_reminded_at_seven) == []


def test_not_when_reminders_are_off(pat, rue):
    services.reminder_settings_update(person=pat, checkin_reminder_on=False, checkin_reminder_time=dt.time(9, 0))
    assert checkin_reminders_create_due(now=at(20)) == 0  # and Rue never set anything up
    assert not Notification.objects.exists()


def test_a_reminder_without_email_when_the_person_prefers(pat_reminded_at_seven):
    services.reminder_settings_update(person=pat_reminded_at_seven, email_muted_kinds=["checkin_reminder"])
    checkin_reminders_create_due(now=at(20))
    assert len(reminders(pat_reminded_at_seven)) == 1 and not OutgoingEmail.objects.exists()


def test_choosing_a_time_that_already_passed_today_starts_tomorrow(pat):
    earlier = (timezone.localtime() - dt.timedelta(minutes=1)).time()
    if earlier > timezone.localtime().time():
        pytest.skip("just after midnight there is no earlier time today")
    services.reminder_settings_update(person=pat, checkin_reminder_on=True, checkin_reminder_time=earlier)
    assert checkin_reminders_create_due() == 0
    assert checkin_reminders_create_due(now=at(23, 59)) == 1


def test_the_worker_creates_and_sends_due_reminders(pat_reminded_at_seven, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(19, 1))
    call_command("run_worker", "--once", stdout=io.StringIO())
    assert len(reminders(pat_reminded_at_seven)) == 1 and len(mail.outbox) == 1


# --- On each person's own clock ---------------------------------------------------------------------------------
# Auckland is UTC+13 in January and Los Angeles UTC-8: at 16:00 UTC on 15 January it is 08:00 on the 15th in
# Los Angeles and 05:00 on the 16th in Auckland.

def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, 1, day, hour, minute, tzinfo=dt.UTC)


def living_in(person, zone: str):
    person.time_zone = zone
    person.save(update_fields=["time_zone"])
    return person


@pytest.fixture
def pat_in_auckland_and_rue_in_los_angeles_at_eight(pat, rue):
    for person, zone in ((pat, "Pacific/Auckland"), (rue, "America/Los_Angeles")):
        services.reminder_settings_update(person=living_in(person, zone), checkin_reminder_on=True,
                                          checkin_reminder_time=dt.time(8, 0), now=utc(1, 0))
    return pat, rue


def test_each_person_is_reminded_when_their_own_clock_reaches_the_time(
        pat_in_auckland_and_rue_in_los_angeles_at_eight):
    pat, rue = pat_in_auckland_and_rue_in_los_angeles_at_eight
    assert checkin_reminders_create_due(now=utc(15, 15, 59)) == 0  # 07:59 in LA, 04:59 in Auckland
    assert checkin_reminders_create_due(now=utc(15, 16, 0)) == 1
    assert (len(reminders(rue)), len(reminders(pat))) == (1, 0)
    assert checkin_reminders_create_due(now=utc(15, 19, 30)) == 1  # 08:30 on the 16th in Auckland
    assert (len(reminders(rue)), len(reminders(pat))) == (1, 1)
    assert ReminderSetting.objects.get(person=rue).last_reminded_on == dt.date(2030, 1, 15)
    assert ReminderSetting.objects.get(person=pat).last_reminded_on == dt.date(2030, 1, 16)


def test_each_person_is_reminded_once_per_day_of_their_own(pat_in_auckland_and_rue_in_los_angeles_at_eight):
    pat, rue = pat_in_auckland_and_rue_in_los_angeles_at_eight
    for now in (utc(15, 16), utc(15, 19, 30), utc(16, 7), utc(16, 10, 59)):  # the last: 23:59 on the 16th in Auckland
        checkin_reminders_create_due(now=now)
    assert (len(reminders(rue)), len(reminders(pat))) == (1, 1)
    assert checkin_reminders_create_due(now=utc(16, 16)) == 1  # Rue's 16th begins at 08:00 for her
    assert (len(reminders(rue)), len(reminders(pat))) == (2, 1)


def test_a_check_in_on_the_persons_own_today_means_no_reminder(pat_in_auckland_and_rue_in_los_angeles_at_eight):
    pat, _ = pat_in_auckland_and_rue_in_los_angeles_at_eight
    DailyCheckIn.objects.create(person=pat, day=dt.date(2030, 1, 16))  # Auckland's 16th, still the 15th in UTC
    checkin_reminders_create_due(now=utc(15, 19, 30))
    assert reminders(pat) == []


def test_a_check_in_on_the_persons_yesterday_does_not_count_for_today(
        pat_in_auckland_and_rue_in_los_angeles_at_eight):
    pat, _ = pat_in_auckland_and_rue_in_los_angeles_at_eight
    DailyCheckIn.objects.create(person=pat, day=dt.date(2030, 1, 15))  # the UTC date, but yesterday in Auckland
    checkin_reminders_create_due(now=utc(15, 19, 30))
    assert len(reminders(pat)) == 1


def test_without_a_zone_of_their_own_a_person_is_reminded_on_their_organisations_clock(ada, organisation):
    from pathways.people.services import invitation_accept_new_account, invitation_create

    organisation.time_zone = "Pacific/Auckland"
    organisation.save(update_fields=["time_zone"])
    _, token = invitation_create(organisation=organisation, invited_by=ada, email="kai@example.org", role="person")
    kai = invitation_accept_new_account(token=token, password="a long enough test passphrase")
    services.reminder_settings_update(person=kai, checkin_reminder_on=True, checkin_reminder_time=dt.time(8, 0),
                                      now=utc(1, 0))
    assert checkin_reminders_create_due(now=utc(15, 16)) == 0  # long past 08:00 in UTC, but 05:00 in Auckland
    assert checkin_reminders_create_due(now=utc(15, 19, 30)) == 1


def test_a_time_already_past_on_the_persons_clock_starts_on_their_tomorrow(pat, rue):
    # At 19:30 UTC on the 15th it is 08:30 on the 16th in Auckland, but only 11:30 on the 15th in Los Angeles.
    for person, zone in ((pat, "Pacific/Auckland"), (rue, "America/Los_Angeles")):
        services.reminder_settings_update(person=living_in(person, zone), checkin_reminder_on=True,
                                          checkin_reminder_time=dt.time(8, 0), now=utc(15, 19, 30))
    assert ReminderSetting.objects.get(person=pat).last_reminded_on == dt.date(2030, 1, 16)
    assert ReminderSetting.objects.get(person=rue).last_reminded_on == dt.date(2030, 1, 15)
    assert checkin_reminders_create_due(now=utc(15, 19, 31)) == 0
    assert checkin_reminders_create_due(now=utc(16, 19, 0)) == 2  # 08:00 on the 17th; 11:00 on the 16th


def test_finding_who_is_due_costs_a_query_per_time_zone_not_per_person(pat, rue, django_assert_num_queries):
    from pathways.people.models import User

    people = [pat, rue] + [User.objects.create_user(email=f"p{n}@example.org", password="x") for n in range(6)]
    for n, person in enumerate(people):
        services.reminder_settings_update(person=living_in(person, ["Pacific/Auckland", "America/Los_Angeles"][n % 2]),
                                          checkin_reminder_on=True, checkin_reminder_time=dt.time(8, 0),
                                          now=utc(1, 0))
    with django_assert_num_queries(3):  # the zones in use, then who is due in each: nobody yet
        assert checkin_reminders_create_due(now=utc(15, 15)) == 0


def test_the_settings_page_names_the_persons_time_zone(client, pat):
    living_in(pat, "Pacific/Auckland")
    client.force_login(pat)
    body = client.get("/notifications/settings/").content.decode()
    assert "For example 19:30, in your time zone (Pacific/Auckland)" in body
    assert "in your time zone, Pacific/Auckland" in body
