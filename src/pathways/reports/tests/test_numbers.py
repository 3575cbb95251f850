"""All the numbers behind the progress charts: every week and every recovery check-in, a year a page, for the person
and for a supporter with the grant (and only the parts granted, each read logged)."""
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry
from pathways.reports.numbers import numbers


@pytest.fixture
def pats_winter(pat):
    """Daily check-ins from 20 December 2023 to 20 February 2024, but none from 8 to 21 January; and two
    recovery check-ins, one each winter."""
    gap = (date(2024, 1, 8), date(2024, 1, 21))
    days = [date(2023, 12, 20) + timedelta(days=n) for n in range(63)]
    DailyCheckIn.objects.bulk_create(DailyCheckIn(person=pat, day=day, mood=day.weekday() % 5 + 1, cravings=2)
                                     for day in days if not gap[0] <= day <= gap[1])
    zone = timezone.get_current_timezone()
    for day, score in ((date(2023, 12, 28), 25.0), (date(2024, 2, 1), 75.0)):
        RecoveryCheckIn.objects.create(person=pat, taken_at=datetime.combine(day, time(12), tzinfo=zone),
                                       process_scores={"hope": score}, dimension_ratings={"health": 4})
    return pat


def test_every_week_of_the_year_is_listed_those_without_check_ins_too(pats_winter):
    found = numbers(person=pats_winter, viewer=pats_winter, year=None)
    assert found.years == [2024, 2023] and found.year == 2024  # the latest, unless another is asked for
    assert [row[:2] for row in found.weeks.rows] == [
        ["1 Jan", "7"], ["8 Jan", "0"], ["15 Jan", "0"], ["22 Jan", "7"], ["29 Jan", "7"], ["5 Feb", "7"],
        ["12 Feb", "7"], ["19 Feb", "2"]]
    assert found.weeks.rows[0][2:] == ["2.6", "2", "—"]  # mood 1 to 5, then 1 and 2: 18 / 7; no sleep noted
    assert found.weeks.rows[1][2:] == ["—", "—", "—"]
    # A week belongs to the year its Monday is in: the days of 2023's last week stay together, on 2023's page.
    earlier = numbers(person=pats_winter, viewer=pats_winter, year=2023)
    assert [row[:2] for row in earlier.weeks.rows] == [["18 Dec", "5"], ["25 Dec", "7"]]
    assert [(checkin.day, checkin.scores[:2], checkin.scores[5:]) for checkin in earlier.recovery] == [
        (date(2023, 12, 28), [("Connectedness", "—"), ("Hope and optimism", "25")],
         [("Health", "4"), ("Home", "—"), ("Purpose", "—"), ("Community", "—")])]


def test_the_pages_of_every_year_together_list_every_week_of_a_long_history(pat):
    """Three years of check-ins, but none for the six weeks around the turn of one year."""
    today = timezone.localdate()
    new_year = date(today.year - 1, 1, 1)
    DailyCheckIn.objects.bulk_create(DailyCheckIn(person=pat, day=day, mood=3) for day in (
        today - timedelta(days=n) for n in range(3 * 365)) if abs((day - new_year).days) > 21)
    first_monday = today - timedelta(days=3 * 365 - 1)
    first_monday -= timedelta(days=first_monday.weekday())
    weeks = (today - first_monday).days // 7 + 1
    years = numbers(person=pat, viewer=pat, year=None).years
    listed = [(year, row[0]) for year in years for row in numbers(person=pat, viewer=pat, year=year).weeks.rows]
    assert len(listed) == len(set(listed)) == weeks
    assert sum(row[1] == "0" for year in years for row in numbers(person=pat, viewer=pat, year=year).weeks.rows) >= 5


def test_the_page_lists_the_years_and_opens_the_one_asked_for(client, pats_winter):
    client.force_login(pats_winter)
    body = client.get("/people/progress/numbers/?year=2023").content.decode()
    assert "My progress: all the numbers, 2023</h1>" in body
    assert '<a href="?year=2023" aria-current="page">2023</a>' in body and '<a href="?year=2024">2024</a>' in body
    assert 'id="weeks"' in body and 'id="recovery-checkins"' in body and "<th scope=\"row\">25 Dec</th>" in body
    for nonsense in ("1999", "twenty", "２０２３", "-1"):  # a year with nothing, or no year: the latest one
        assert "all the numbers, 2024</h1>" in client.get(f"/people/progress/numbers/?year={nonsense}").content.decode()


def test_with_nothing_recorded_the_page_says_so(client, pat):
    client.force_login(pat)
    body = client.get("/people/progress/numbers/").content.decode()
    assert "Your numbers appear here after your first check-ins." in body and "<table" not in body


def _sam_with(pat, sam, items):
    _, token = circle_services.invitation_create(person=pat, role="peer_supporter", name="Sam")
    member = circle_services.invitation_accept(token=token, supporter=sam)
    circle_services.grant_create(member=member, items=items, purpose="To walk with me", signature="Pat")


def test_a_supporter_without_the_check_ins_grant_sees_no_week_on_either_page(client, pats_winter, sam):
    _sam_with(pats_winter, sam, {"measures": "view"})
    client.force_login(sam)
    progress_page = client.get(f"/people/{pats_winter.public_id}/progress/").content.decode()
    assert "Mood" not in progress_page and "All the numbers, week by week" not in progress_page
    assert f'<a href="/people/{pats_winter.public_id}/progress/numbers/#recovery-checkins">' in progress_page
    logged_before = AccessLogEntry.objects.reads().count()
    numbers_page = client.get(f"/people/{pats_winter.public_id}/progress/numbers/").content.decode()
    assert 'id="recovery-checkins"' in numbers_page and 'id="weeks"' not in numbers_page
    assert ">8 Jan<" not in numbers_page and "Pat's progress: all the numbers, 2024" in numbers_page
    assert '<time datetime="2024-02-01">1 February 2024</time>' in numbers_page
    logged = AccessLogEntry.objects.reads().order_by("sequence")[logged_before:]
    assert sorted((entry.category, entry.allowed) for entry in logged) == [("checkins", False), ("measures", True)]
    refusal = next(entry for entry in logged if not entry.allowed)
    assert "the numbers behind your progress charts" in refusal.purpose  # how Pat reads it in her access log


def test_a_supporter_with_the_check_ins_grant_sees_every_week_but_no_recovery_check_in(client, pats_winter, sam):
    _sam_with(pats_winter, sam, {"checkins": "view"})
    client.force_login(sam)
    body = client.get(f"/people/{pats_winter.public_id}/progress/numbers/?year=2024").content.decode()
    assert 'id="weeks"' in body and "<th scope=\"row\">8 Jan</th>" in body
    assert 'id="recovery-checkins"' not in body and "Hope and optimism" not in body


def test_a_supporter_shown_neither_part_finds_no_page(client, pats_winter, sam):
    _sam_with(pats_winter, sam, {"plan": "view"})  # the progress page shows them Pat's plan; these numbers, nothing
    client.force_login(sam)
    assert client.get(f"/people/{pats_winter.public_id}/progress/").status_code == 200
    assert client.get(f"/people/{pats_winter.public_id}/progress/numbers/").status_code == 404
    assert numbers(person=pats_winter, viewer=sam, year=None).shown == set()
