"""The progress page after ten years costs what it costs after one: a bounded number of points, computed by the
database, with the same queries; and each point is the right average over the period its label names."""
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import PASSWORD
from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
from pathways.checkins.recovery_items import PROCESSES
from pathways.people.services import person_sign_up
from pathways.plans.models import Dimension
from pathways.reports import periods
from pathways.reports.charts import Chart
from pathways.reports.progress import MEASURE_MONTHS, progress

MOST_POINTS = periods.WEEKS_CHARTED + periods.MONTHS_CHARTED + periods.YEARS_CHARTED


def person_with_history(years: int, *, person=None, ending: int = 0):
    """A person with a daily check-in every day and a recovery check-in every month, for `years` years, up to
    `ending` years ago."""
    person = person or person_sign_up(email=f"years.{years}@example.org", password=PASSWORD, preferred_name="Jo")
    today, now, offset = timezone.localdate(), timezone.now(), 365 * ending
    DailyCheckIn.objects.bulk_create(
        DailyCheckIn(person=person, day=today - timedelta(days=n), mood=1 + n % 5, cravings=n % 11,
                     sleep_hours=Decimal(4 + n % 7)) for n in range(offset, offset + 365 * years))
    RecoveryCheckIn.objects.bulk_create(
        RecoveryCheckIn(person=person, taken_at=now - timedelta(days=offset + 30 * month),
                        dimension_ratings={d.value: month % 11 for d in Dimension},
                        process_scores={p.key: float(month % 10 * 10) for p in PROCESSES})
        for month in range(12 * years))
    return person


def lines(person) -> dict[str, Chart]:
    return {chart.svg.split('id="', 1)[1].split("-t", 1)[0]: chart for chart in progress(person=person, viewer=person)
            .charts if chart.columns[0] == "Period"}


def page_and_queries(person) -> tuple[str, int]:
    client = Client()
    client.force_login(person)
    client.get("/people/progress/")  # the first request of a session may do more (its session, its sign-in)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/people/progress/").content.decode()
    return page, len(captured.captured_queries)


def test_the_points_are_bounded_and_the_queries_the_same_after_one_ten_or_thirty_years(db):
    people = {years: person_with_history(years) for years in (1, 10, 30)}
    points = {years: {name: len(chart.rows) for name, chart in lines(person).items()}
              for years, person in people.items()}
    assert set(points[30]) == {"chime", "mood", "cravings", "sleep"}
    # Daily lines: 52 weeks, then 12 months, then 10 years; recovery processes: 12 months, then 10 years.
    assert points[30] == {"chime": MEASURE_MONTHS + periods.YEARS_CHARTED, "mood": MOST_POINTS, "cravings": MOST_POINTS,
                          "sleep": MOST_POINTS}
    # A year is 52 weeks and a few days: those fall in the month (or two) before the weeks. Ten years reach into
    # the years charted, not to the first of them.
    assert periods.WEEKS_CHARTED < points[1]["mood"] <= periods.WEEKS_CHARTED + 2
    assert points[1]["mood"] < points[10]["mood"] <= MOST_POINTS
    pages, queries = zip(*(page_and_queries(person) for person in people.values()), strict=True)
    assert queries[0] == queries[1] == queries[2]
    rows = [page.count("<tr>") for page in pages]
    assert rows[0] < rows[1] <= rows[2] <= 4 * (MOST_POINTS + 1) + 2 * 5 + 12  # four lines, radar, activity


def test_history_older_than_the_charts_changes_nothing_on_the_page(pat):
    person_with_history(13, person=pat)  # enough to fill every period charted
    before, (_, queries_before) = lines(pat), page_and_queries(pat)
    person_with_history(10, person=pat, ending=13)
    after, (_, queries_after) = lines(pat), page_and_queries(pat)
    assert {name: (chart.rows, str(chart.svg)) for name, chart in before.items()} == \
        {name: (chart.rows, str(chart.svg)) for name, chart in after.items()}
    assert queries_before == queries_after


def test_each_point_is_the_average_of_its_period(pat):
    """A week, a month and a year, worked out by hand; the periods between them are gaps."""
    tiers = periods.weeks_then_months_then_years(timezone.localdate())
    (_, first_week), (_, first_month), (_, first_year) = tiers.starts
    monday = first_week + timedelta(weeks=10)
    answers = {
        monday: (2, 1, 6), monday + timedelta(days=2): (5, 4, 8),  # mood 3.5, cravings 2.5, sleep 7
        first_month: (1, 0, 5), first_month + timedelta(days=14): (4, 3, 7), first_month + timedelta(days=27): (4, 9, 9),
        date(first_year.year, 1, 10): (5, 10, 4), date(first_year.year, 12, 20): (2, 0, 5),  # 3.5, 5, 4.5
        first_year - timedelta(days=1): (1, 10, 12),  # before the first day charted: in the full table only
    }
    DailyCheckIn.objects.bulk_create(DailyCheckIn(person=pat, day=day, mood=mood, cravings=cravings, sleep_hours=sleep)
                                     for day, (mood, cravings, sleep) in answers.items())
    found = {chart.title: chart for chart in progress(person=pat, viewer=pat).charts}
    mood = found["Mood (yearly, monthly and weekly averages, 1–5)"]
    cravings = found["Cravings (yearly, monthly and weekly averages, 0–10)"]
    sleep = found["Sleep (yearly, monthly and weekly averages, hours)"]
    rows = {label: (m, c, s) for (label, m), (_, c), (_, s) in zip(mood.rows, cravings.rows, sleep.rows, strict=True)}
    assert rows[f"Week of {monday.day} {monday:%b %Y}"] == ("3.5", "2.5", "7")
    assert rows[f"{first_month:%B %Y}"] == ("3", "4", "7")
    assert rows[str(first_year.year)] == ("3.5", "5", "4.5")
    assert rows[str(first_year.year + 1)] == ("—", "—", "—")  # a year with no check-ins is a gap, not left out
    assert mood.rows[0][0] == str(first_year.year) and mood.rows[-1][0] == f"Week of {monday.day} {monday:%b %Y}"
    assert len(mood.rows) == periods.YEARS_CHARTED + periods.MONTHS_CHARTED + 11
    assert mood.summary == (f"Mood: from 3.5 ({first_year.year}) to 3.5 (week of {monday.day} {monday:%b %Y}), "
                            "between 3 and 3.5.")
    assert str(mood.svg).count("<polyline") == 0  # three lone points, each between gaps: markers only


def test_weeks_without_check_ins_are_gaps_in_the_line_and_the_table(pat):
    this_monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    weeks = [this_monday - timedelta(weeks=n) for n in (5, 4, 1, 0)]  # weeks 3 and 2 before this one: nothing
    DailyCheckIn.objects.bulk_create(DailyCheckIn(person=pat, day=monday, mood=3) for monday in weeks)
    mood = next(chart for chart in progress(person=pat, viewer=pat).charts if chart.title.startswith("Mood"))
    assert [value for _, value in mood.rows] == ["3", "3", "—", "—", "3", "3"]
    assert str(mood.svg).count("<polyline") == 2


def test_with_no_history_there_is_nothing_to_chart_but_the_plan(client, pat):
    found = progress(person=pat, viewer=pat)
    assert [chart.title for chart in found.charts] == ["Wins and steps done each week"]
    client.force_login(pat)
    body = client.get("/people/progress/").content.decode()
    assert body.count("<svg") == 1 and "All the numbers" not in body
