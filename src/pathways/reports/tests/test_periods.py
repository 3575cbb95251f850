"""Periods keep a long history to a bounded number of points, and the database puts each day where Python does."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
from pathways.reports import periods
from pathways.reports.periods import MONTH, WEEK, YEAR, Period

WEDNESDAY = date(2026, 3, 11)


def test_the_tiers_begin_52_weeks_12_months_and_10_years_back():
    tiers = periods.weeks_then_months_then_years(WEDNESDAY)
    # This week began Monday 9 March 2026; 51 weeks before that is Monday 17 March 2025. The months are the
    # twelve up to and including March 2025 (cut short on the 16th); the years, the ten up to and including
    # 2024 (cut short at the end of March).
    assert tiers.starts == ((WEEK, date(2025, 3, 17)), (MONTH, date(2024, 4, 1)), (YEAR, date(2015, 1, 1)))
    every = tiers.every_period(tiers.period_of(tiers.earliest), tiers.period_of(WEDNESDAY))
    assert [sum(p.kind == kind for p in every) for kind in (YEAR, MONTH, WEEK)] == [10, 12, 52]
    assert every[-1] == Period(WEEK, date(2026, 3, 9), date(2026, 3, 15))


def test_each_period_says_which_days_it_covers():
    tiers = periods.weeks_then_months_then_years(WEDNESDAY)
    assert [tiers.period_of(day).label for day in (
        date(2025, 3, 19), date(2025, 3, 16), date(2025, 2, 14), date(2024, 3, 31), date(2019, 7, 1),
    )] == ["Week of 17 Mar 2025", "1–16 March 2025", "February 2025", "1 January – 31 March 2024", "2019"]
    assert tiers.period_of(date(2025, 3, 19)).in_words == "week of 17 Mar 2025"
    with pytest.raises(ValueError):
        tiers.period_of(date(2014, 12, 31))  # before the first day charted


def test_charts_say_what_their_points_average():
    week = Period(WEEK, date(2026, 3, 9), date(2026, 3, 15))
    month = Period(MONTH, date(2025, 2, 1), date(2025, 2, 28))
    year = Period(YEAR, date(2019, 1, 1), date(2019, 12, 31))
    assert periods.averages_in_words([week]) == "weekly average"
    assert periods.averages_in_words([month, week]) == "monthly and weekly averages"
    assert periods.averages_in_words([year, month, week]) == "yearly, monthly and weekly averages"


def test_the_database_puts_every_day_in_the_period_python_does(pat):
    """Eleven years of days, every weekday and month boundary included, on SQLite or PostgreSQL."""
    today = date(2026, 1, 1)  # a Thursday, the first of a month and of a year: every tier meets a boundary
    tiers = periods.weeks_then_months_then_years(today)
    days = [today - timedelta(days=n) for n in range((today - tiers.earliest).days + 1)]
    DailyCheckIn.objects.bulk_create(DailyCheckIn(person=pat, day=day) for day in days)
    found = dict(DailyCheckIn.objects.filter(person=pat).annotate(period=tiers.expression("day"))
                 .values_list("day", "period"))
    assert found == {day: tiers.period_of(day).start for day in days}


def test_a_moment_falls_in_the_period_of_its_local_day(pat):
    """Half an hour either side of midnight in Chicago, at the turn of a month and of a year."""
    chicago = ZoneInfo("America/Chicago")
    tiers = periods.months_then_years(date(2026, 3, 11), months=24)
    assert tiers.starts == ((MONTH, date(2024, 4, 1)), (YEAR, date(2015, 1, 1)))
    moments = {datetime.combine(day, time(23, 30), tzinfo=chicago): expected
               for day, expected in ((date(2024, 3, 31), date(2024, 1, 1)), (date(2024, 4, 1), date(2024, 4, 1)),
                                     (date(2025, 12, 31), date(2025, 12, 1)), (date(2026, 1, 1), date(2026, 1, 1)))}
    moments |= {moment + timedelta(hours=1): tiers.period_of(moment.date() + timedelta(days=1)).start
                for moment in list(moments)}
    RecoveryCheckIn.objects.bulk_create(RecoveryCheckIn(person=pat, taken_at=moment) for moment in moments)
    found = dict(RecoveryCheckIn.objects.filter(person=pat)
                 .annotate(period=tiers.moment_expression("taken_at", chicago)).values_list("taken_at", "period"))
    assert found == moments
