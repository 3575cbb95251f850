"""All the numbers behind the progress charts, a year at a time: every week of daily check-ins, every recovery check-in.

The progress page charts a bounded number of periods; this page, asked for from under a chart, holds the whole
history. It may cost what a year of rows costs; one year a page keeps it readable on a phone. It shows each part
only where the viewer may see it, through the same policy calls as the progress page (and is logged the same way).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Max, Min
from django.utils import timezone
from django.utils.safestring import SafeString

from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
from pathways.checkins.recovery_items import PROCESSES
from pathways.circle.policy import Category, permits_and_log
from pathways.people.time_zones import time_zone_of
from pathways.plans.models import Dimension

from .charts import number, table_html
from .periods import WEEK, PeriodStart

PAGE = "the numbers behind your progress charts"  # how a refusal reads in the person's access log


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]

    @property
    def html(self) -> SafeString:
        return table_html(caption=self.caption, columns=self.columns, rows=self.rows)


@dataclass
class RecoveryNumbers:
    day: date
    scores: list[tuple[str, str]]  # (process or part of life, its score as shown)


@dataclass
class Numbers:
    person: object
    shown: set[str] = field(default_factory=set)
    years: list[int] = field(default_factory=list)  # newest first, every year from the first record to the latest
    year: int | None = None
    weeks: Table | None = None  # None: not shown to this viewer
    recovery: list[RecoveryNumbers] | None = None  # oldest first; None: not shown to this viewer


def numbers(*, person, viewer, year: int | None) -> Numbers:
    """The year asked for (else the latest) of what the viewer may see; years run from Monday-started weeks, so a
    week is never split between two pages."""
    result = Numbers(person=person)
    zone = time_zone_of(person)
    spans, first_and_last_weeks = [], None
    if permits_and_log(viewer, person, Category.MEASURES, page=PAGE):
        result.shown.add(Category.MEASURES)
        spans.append(_recovery_years(person, zone))
    if permits_and_log(viewer, person, Category.CHECKINS, page=PAGE):
        result.shown.add(Category.CHECKINS)
        first_and_last_weeks = _first_and_last_weeks(person)
        spans.append(first_and_last_weeks and tuple(week.year for week in first_and_last_weeks))
    known = [span for span in spans if span]
    if not known:
        return result
    result.years = list(range(max(last for _, last in known), min(first for first, _ in known) - 1, -1))
    result.year = year if year in result.years else result.years[0]
    if Category.MEASURES in result.shown:
        result.recovery = _recovery_checkins(person, result.year, zone)
    if Category.CHECKINS in result.shown:
        result.weeks = _weeks(person, result.year, first_and_last_weeks)
    return result


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _first_and_last_weeks(person) -> tuple[date, date] | None:
    """The Mondays of the first and the latest weeks with a check-in. A week is listed in the year of its Monday."""
    span = DailyCheckIn.objects.filter(person=person).aggregate(first=Min("day"), last=Max("day"))
    return (_monday_of(span["first"]), _monday_of(span["last"])) if span["first"] else None


def _recovery_years(person, zone) -> tuple[int, int] | None:
    span = RecoveryCheckIn.objects.filter(person=person).aggregate(first=Min("taken_at"), last=Max("taken_at"))
    if not span["first"]:
        return None
    return timezone.localtime(span["first"], zone).year, timezone.localtime(span["last"], zone).year


def _weeks(person, year: int, first_and_last_weeks: tuple[date, date] | None) -> Table:
    """Every week whose Monday falls in the year and within the person's history, those without a check-in too;
    no rows for a year without any."""
    start, end = _monday_on_or_after(date(year, 1, 1)), _monday_on_or_after(date(year + 1, 1, 1))
    found = {row["week"]: row for row in
             DailyCheckIn.objects.filter(person=person, day__gte=start, day__lt=end)
             .annotate(week=PeriodStart(WEEK, "day")).values("week")
             .annotate(days=Count("pk"), mood=Avg("mood"), cravings=Avg("cravings"), sleep=Avg("sleep_hours"))}
    rows = []
    if found:
        first, last = first_and_last_weeks
        week = max(start, first)
        while week < end and week <= last:
            row = found.get(week)
            rows.append([f"{week.day} {week:%b}", str(row["days"]) if row else "0"]  # the year is the page's
                        + [number(row[key] if row else None) for key in ("mood", "cravings", "sleep")])
            week += timedelta(weeks=1)
    return Table(caption=f"Daily check-ins in {year}, week by week", rows=rows,
                 columns=["Week of", "Days", "Mood", "Cravings", "Sleep"])  # short, to fit a phone


def _recovery_checkins(person, year: int, zone) -> list[RecoveryNumbers]:
    """Each check-in of the year with every score, as a list rather than a table: nine columns do not fit a phone."""
    start, end = (datetime.combine(date(y, 1, 1), time.min, tzinfo=zone) for y in (year, year + 1))
    checkins = (RecoveryCheckIn.objects.filter(person=person, taken_at__gte=start, taken_at__lt=end)
                .order_by("taken_at", "pk").values_list("taken_at", "process_scores", "dimension_ratings"))
    return [RecoveryNumbers(day=timezone.localtime(taken_at, zone).date(), scores=[
        *((process.name, number(scores.get(process.key))) for process in PROCESSES),
        *((dimension.label, number(ratings.get(dimension.value))) for dimension in Dimension)])
        for taken_at, scores, ratings in checkins]
