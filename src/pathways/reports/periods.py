"""Periods that keep years of history to a bounded number of chart points: weeks lately, months before, years before.

A day belongs to exactly one period. Tiers are listed finest first, each with the day it begins: a day on or after
the weeks' first day falls in its week; else, on or after the months' first day, in its month; else in its year.
The tiers begin on a Monday, a first of the month and a first of January, so a period the database truncates a
day to never starts before its tier; where a finer tier begins mid-month (or mid-year) the coarser period is cut
short there, and its label says which days it covers. Days before the coarsest tier are not charted at all.

The database puts each row in its period (`Tiers.expression`) and averages there, so a chart reads the same few
rows after ten years as after one. `Tiers.period_of` is the same rule in Python, for filling gaps and for tests.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db.models import Case, DateField, Func, Value, When

WEEK, MONTH, YEAR = "week", "month", "year"
AVERAGE_WORDS = {WEEK: "weekly", MONTH: "monthly", YEAR: "yearly"}

WEEKS_CHARTED = 52
MONTHS_CHARTED = 12
YEARS_CHARTED = 10


class PeriodStart(Func):
    """The first day of the week (from Monday), month or year a date falls in, as a date.

    Written out rather than Django's Trunc functions: on SQLite those call back into Python for every row, which
    for ten years of days cost more than the rest of the page; SQLite's own date modifiers do the same in C.
    """

    output_field = DateField()
    SQLITE = {WEEK: "date(%(expressions)s, 'weekday 0', '-6 days')",  # the coming Sunday, then back to Monday
              MONTH: "date(%(expressions)s, 'start of month')", YEAR: "date(%(expressions)s, 'start of year')"}

    def __init__(self, kind: str, day):
        if kind not in AVERAGE_WORDS:
            raise ValueError(f"No such period: {kind}")
        super().__init__(day)
        self.kind = kind

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL truncates timestamps: a plain one (no time zone to shift it) and back to a date.
        template = f"CAST(DATE_TRUNC('{self.kind}', CAST(%(expressions)s AS timestamp)) AS date)"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template=self.SQLITE[self.kind], **extra_context)


def _first_of_month(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _natural_start(kind: str, day: date) -> date:
    if kind == WEEK:
        return day - timedelta(days=day.weekday())
    if kind == MONTH:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _natural_end(kind: str, start: date) -> date:
    if kind == WEEK:
        return start + timedelta(days=6)
    if kind == MONTH:
        return _first_of_month(start, months_back=-1) - timedelta(days=1)
    return start.replace(month=12, day=31)


def _day_and_month(day: date) -> str:
    return f"{day.day} {day:%B}"


@dataclass(frozen=True)
class Period:
    """One point of a chart: the days from `start` to `end`, a week, a month or a year (or the part of one left
    before a finer tier begins)."""

    kind: str
    start: date
    end: date  # the last day it covers

    @property
    def is_whole(self) -> bool:
        return self.end == _natural_end(self.kind, self.start)

    @cached_property  # read for the axis, the table and the sentence of every line that shares the period
    def label(self) -> str:
        """"Week of 3 Mar 2025", "March 2025", "2019"; a period cut short names its days: "1–9 March 2025"."""
        if self.kind == WEEK:
            return f"Week of {self.start.day} {self.start:%b %Y}"
        if not self.is_whole:
            if (self.start.year, self.start.month) == (self.end.year, self.end.month):
                return f"{self.start.day}–{self.end.day} {self.end:%B %Y}"
            return f"{_day_and_month(self.start)} – {_day_and_month(self.end)} {self.end.year}"
        return f"{self.start:%B %Y}" if self.kind == MONTH else str(self.start.year)

    @property
    def in_words(self) -> str:
        """The label as it reads inside a sentence."""
        return self.label[0].lower() + self.label[1:] if self.kind == WEEK else self.label


@dataclass(frozen=True)
class Tiers:
    """Where each kind of period begins, as seen on `today`."""

    today: date
    starts: tuple[tuple[str, date], ...]  # (kind, first day), finest tier first

    @property
    def earliest(self) -> date:
        """The first day charted; older days are left to the full table."""
        return self.starts[-1][1]

    def expression(self, day: str) -> Case:
        """SQL for the first day of the period the date in `day` (a field or annotation) falls in."""
        *finer, (coarsest, _) = self.starts
        return Case(*(When(**{f"{day}__gte": start}, then=PeriodStart(kind, day)) for kind, start in finer),
                    default=PeriodStart(coarsest, day), output_field=DateField())

    def moment_expression(self, moment: str, zone) -> Case:
        """SQL for the first day of the period the moment in `moment` (a date-time field) falls in, on the clock of
        `zone`; NULL before the first day charted.

        Each period's first local midnight is compared as a literal, newest first: there are only a few dozen, and
        on SQLite converting every row's moment to a local date would call back into Python for each.
        """
        starts = [period.start for period in self.every_period(self.period_of(self.earliest), self.period_of(self.today))]
        return Case(*(When(**{f"{moment}__gte": datetime.combine(start, time.min, tzinfo=zone)}, then=Value(start))
                      for start in reversed(starts)), output_field=DateField())

    def period_of(self, day: date) -> Period:
        """The period a day falls in, or whose first day the database gave."""
        finer_start = None
        for kind, tier_start in self.starts:
            if day >= tier_start:
                start = _natural_start(kind, day)
                end = _natural_end(kind, start)
                if finer_start is not None:
                    end = min(end, finer_start - timedelta(days=1))
                return Period(kind=kind, start=start, end=end)
            finer_start = tier_start
        raise ValueError(f"{day} is before the first day charted, {self.earliest}")

    def every_period(self, first: Period, last: Period) -> list[Period]:
        """Every period from `first` to `last`, those with nothing recorded included, so gaps show as gaps."""
        periods = [first]
        while periods[-1].start < last.start:
            periods.append(self.period_of(periods[-1].end + timedelta(days=1)))
        return periods


def weeks_then_months_then_years(today: date) -> Tiers:
    """The last 52 weeks by week, the 12 calendar months before by month, the 10 calendar years before by year."""
    weeks = _natural_start(WEEK, today) - timedelta(weeks=WEEKS_CHARTED - 1)
    months = _first_of_month(weeks - timedelta(days=1), months_back=MONTHS_CHARTED - 1)
    return Tiers(today=today, starts=((WEEK, weeks), (MONTH, months), (YEAR, _years_before(months))))


def months_then_years(today: date, *, months: int) -> Tiers:
    """The last `months` calendar months by month, the 10 calendar years before by year."""
    month_start = _first_of_month(today, months_back=months - 1)
    return Tiers(today=today, starts=((MONTH, month_start), (YEAR, _years_before(month_start))))


def _years_before(day: date) -> date:
    """The first of January ten calendar years before `day`, counting the year cut short by `day` as one."""
    return date((day - timedelta(days=1)).year - (YEARS_CHARTED - 1), 1, 1)


def averages_in_words(periods: list[Period]) -> str:
    """"weekly average", or "yearly, monthly and weekly averages": what the points of a chart are."""
    words = [AVERAGE_WORDS[kind] for kind in dict.fromkeys(period.kind for period in periods)]
    if len(words) == 1:
        return f"{words[0]} average"
    return f"{', '.join(words[:-1])} and {words[-1]} averages"
