"""Counting the programme's outcome figures (reports.outcome_figures says what each one means).

Only aggregates leave the database: counts by month and by cohort, and each counted person's first and latest
score on each measure, which are combined into means and distributions here. No name and no free text is read.

The heavy part is the daily check-ins, read in one pass: a person's days are first folded into one row per month
they checked in (first day, last day, how many, how many they called a lapse), and "active", "returned" and the
lapses are all read from those rows. A return is a check-in that came RETURN_AFTER_DAYS or more after the person's
one before; between months that is the month's first day against the last day of the month they last checked in,
and inside a month only a month with exactly two check-ins can hold a gap that long (a third day would sit between
them and split it).

Django builds each query's inner rows (who counts, local months, values out of JSON), so that part reads the same
on PostgreSQL and SQLite; the folding and ranking around them is plain SQL both understand.
"""
from __future__ import annotations

import math
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FilteredRelation,
    FloatField,
    Func,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from pathways.checkins.models import DailyCheckIn, Questionnaire, QuestionnaireResponse, RecoveryCheckIn
from pathways.checkins.recovery_items import DIMENSION_MAX, PROCESSES
from pathways.people.models import Membership, Organisation, Role
from pathways.people.time_zones import organisation_time_zone_name
from pathways.plans.models import Dimension, Goal, GoalStatus, Step, StepStatus

from .outcome_figures import RETENTION_MONTHS, ChangeFigures, CohortFigures, MonthFigures, ProgrammeFigures
from .periods import MONTH, PeriodStart

MONTHS_REPORTED = 36  # at most the last three years: older months change nothing a programme decides now
RETURN_AFTER_DAYS = 30
DIMENSION_SAME_WITHIN = 1  # points out of 10
PROCESS_SAME_WITHIN = 10  # points out of 100
QUESTIONNAIRE_SAME_SHARE = 0.1  # of the questionnaire's possible range
BEFORE_THE_MONTHS = date.min  # the "month of joining" of people who joined before the first month reported
AFTER_THE_MONTHS = date.max  # ... and of people who joined after the last
# For the one transaction a report is counted in on PostgreSQL (see _counting_on_its_own).
REPORT_WORK_MEM = "64MB"


class DayNumber(Func):
    """A date as a count of days, so two dates subtract to the days between them on either database."""

    template = "(%(expressions)s - DATE '1970-01-01')"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS integer)",
                              **extra_context)


def _counted_memberships(organisation: Organisation) -> QuerySet:
    said_yes = Q(statistics_consent=True)
    if organisation.statistics_by_default:
        said_yes |= Q(statistics_consent__isnull=True)
    return Membership.objects.filter(said_yes, organisation=organisation, role=Role.PERSON)


def people_who_count(organisation: Organisation) -> QuerySet:
    """The ids of the people in recovery of the organisation who are counted in its figures: those who said yes,
    and those who have not said while the organisation counts people by default. For `person__in=`."""
    return _counted_memberships(organisation).values("user_id")


def _month_after(month: date, months: int = 1) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _as_date(value) -> date:
    """A month as plain SQL hands it back: a date from PostgreSQL, ISO text from SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True)
class _Months:
    """The months reported, on the organisation's clock: `first` up to, not including, `end` (the month of as_of)."""

    zone: ZoneInfo
    first: date
    end: date

    def midnight(self, month: date) -> datetime:
        return datetime.combine(month, time.min, tzinfo=self.zone)

    @property
    def starts(self) -> list[date]:
        months, month = [], self.first
        while month < self.end:
            months.append(month)
            month = _month_after(month)
        return months

    def month_of(self, moment: str) -> Case:
        """SQL for the local month a date-time field falls in, or BEFORE_ or AFTER_THE_MONTHS. Each month's first
        midnight is compared as a literal, newest first: on SQLite, converting every row to local time calls into
        Python."""
        after = When(**{f"{moment}__gte": self.midnight(self.end)}, then=Value(AFTER_THE_MONTHS))
        return Case(after, *(When(**{f"{moment}__gte": self.midnight(month)}, then=Value(month))
                             for month in reversed(self.starts)),
                    default=Value(BEFORE_THE_MONTHS), output_field=DateField())

    def counts_by_month(self, rows: QuerySet, moment: str) -> dict[date, int]:
        """How many of `rows` fall in each month reported, by the date-time field `moment`."""
        counted = (rows.filter(**{f"{moment}__gte": self.midnight(self.first), f"{moment}__lt": self.midnight(self.end)})
                   .annotate(month=self.month_of(moment)).values("month").annotate(n=Count("pk")).values_list("month", "n"))
        return dict(counted)


def _months_reported(organisation: Organisation, as_of: date) -> _Months:
    zone = ZoneInfo(organisation_time_zone_name(organisation))
    end = as_of.replace(day=1)
    first_joined = _counted_memberships(organisation).aggregate(first=Min("created_at"))["first"]
    if first_joined is None:
        return _Months(zone=zone, first=end, end=end)
    first = max(first_joined.astimezone(zone).date().replace(day=1), _month_after(end, -MONTHS_REPORTED))
    return _Months(zone=zone, first=min(first, end), end=end)


@contextmanager
def _counting_on_its_own():
    """On PostgreSQL, a transaction whose settings suit one large report; elsewhere nothing changes.

    A report is an admin's occasional question over every check-in of the programme, a handful of big statements
    each run once. Just-in-time compilation costs each of them 100 ms or more and never pays back on a statement
    that is not repeated, and the default 4 MB of working memory sends their sorts and hashes to disk. SET LOCAL
    ends with the transaction, so no other query on the connection runs with either. (SQLite has neither, and a
    transaction there is better left to the writes, see reports.outcome_services.)"""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SELECT set_config('work_mem', %s, true)", [REPORT_WORK_MEM])  # true: SET LOCAL
        yield


def programme_figures(*, organisation: Organisation, as_of: date) -> ProgrammeFigures:
    """The organisation's figures for every month that ended before `as_of`, from its first counted person's month
    (at most MONTHS_REPORTED of them); changes count every answer given before the month of `as_of` began."""
    with _counting_on_its_own():
        return _programme_figures(organisation, as_of)


def _programme_figures(organisation: Organisation, as_of: date) -> ProgrammeFigures:
    months = _months_reported(organisation, as_of)
    changes = _changes(organisation, before=months.midnight(months.end))
    if not months.starts:
        return ProgrammeFigures(organisation_name=organisation.name, as_of=as_of, months=[], cohorts=[],
                                changes=changes)
    counted = people_who_count(organisation)
    enrolled = months.counts_by_month(_counted_memberships(organisation), "created_at")
    steps = months.counts_by_month(
        Step.objects.filter(status=StepStatus.DONE, goal__plan__person__in=counted), "completed_at")
    goals = months.counts_by_month(
        Goal.objects.filter(status=GoalStatus.ACHIEVED, plan__person__in=counted), "achieved_at")
    active_by_cohort = _days_checked_in(organisation, months)
    active, returns, lapses = defaultdict(int), defaultdict(int), defaultdict(int)
    for (_, month), days in active_by_cohort.items():
        active[month] += days.active
        returns[month] += days.returned
        lapses[month] += days.lapses

    def retained(cohort: date, k: int) -> int | None:
        later = _month_after(cohort, k)
        if later >= months.end:
            return None
        days = active_by_cohort.get((cohort, later))
        return days.active if days else 0

    return ProgrammeFigures(
        organisation_name=organisation.name, as_of=as_of,
        months=[MonthFigures(month=month, enrolled=enrolled.get(month, 0), active=active[month],
                             steps_done=steps.get(month, 0), goals_achieved=goals.get(month, 0),
                             lapses=lapses[month], returns=returns[month]) for month in months.starts],
        cohorts=[CohortFigures(month=cohort, joined=enrolled.get(cohort, 0),
                               retained={k: retained(cohort, k) for k in RETENTION_MONTHS})
                 for cohort in months.starts],
        changes=changes)


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    """A queryset's SQL to build on, without the model's default order (a sort of every row for nothing)."""
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, tuple(params)


@dataclass(frozen=True)
class _Days:
    active: int  # people who checked in
    returned: int  # of them, people who came back after RETURN_AFTER_DAYS or more
    lapses: int  # check-ins the person called a lapse, whenever they joined


def _days_checked_in(organisation: Organisation, months: _Months) -> dict[tuple[date, date], _Days]:
    """(month of joining, month) -> the month's check-ins of the people who joined then, for the months reported.
    People are active and return only from their month of joining on; people who joined before the first month
    share BEFORE_THE_MONTHS, and those who joined after the last AFTER_THE_MONTHS (their lapses still count)."""
    people, people_params = _sql(
        _counted_memberships(organisation).annotate(who=F("user_id"), cohort=months.month_of("created_at"))
        .values("who", "cohort"))
    days, days_params = _sql(
        DailyCheckIn.objects.filter(person__in=people_who_count(organisation), day__lt=months.end)
        .annotate(lapse=FilteredRelation("use", condition=Q(use__is_lapse=True)))
        .annotate(who=F("person_id"), month=PeriodStart(MONTH, "day"), day_number=DayNumber("day"),
                  lapse_id=F("lapse__id"))
        .values("who", "month", "day_number", "lapse_id"))
    # Only Django's own compiled SQL (its values stay parameters) and names written here go into the text.
    sql = f"""
        WITH people AS ({people}),
        person_months AS (
            SELECT who, month, MIN(day_number) AS first_day, MAX(day_number) AS last_day, COUNT(*) AS days,
                   COUNT(lapse_id) AS lapses
            FROM ({days}) AS days GROUP BY who, month),
        marked AS (
            SELECT who, month, lapses,
                   CASE WHEN first_day - LAG(last_day) OVER (PARTITION BY who ORDER BY month) >= %s
                          OR (days = 2 AND last_day - first_day >= %s) THEN 1 ELSE 0 END AS returned
            FROM person_months)
        SELECT people.cohort, marked.month,
               SUM(CASE WHEN marked.month >= people.cohort THEN 1 ELSE 0 END),
               SUM(CASE WHEN marked.month >= people.cohort THEN marked.returned ELSE 0 END), SUM(marked.lapses)
        FROM marked JOIN people ON people.who = marked.who
        WHERE marked.month >= %s
        GROUP BY people.cohort, marked.month"""  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, (*people_params, *days_params, RETURN_AFTER_DAYS, RETURN_AFTER_DAYS, months.first))
        # PostgreSQL sums counts as numeric: int() keeps every figure a plain whole number.
        return {(_as_date(cohort), _as_date(month)): _Days(int(active), int(returned), int(lapses))
                for cohort, month, active, returned, lapses in cursor.fetchall()}


# Changes from first to latest answer -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Measure:
    key: str  # as ChangeFigures.measure
    label: str
    scale: str
    same_within: float
    column: str  # the SQL column its values are in
    better_from: float | None = None  # a cut-off: totals whose whole part reaches it are on its better side


def _first_and_latest(answers: QuerySet, columns: list[str], *, by_key: bool) -> list[tuple]:
    """For each person (and questionnaire, `by_key`), each column's first and latest value that is not NULL and how
    many there were: rows of (key, then first, latest, count per column). `answers` has who, key, at, tie (the
    order within one moment) and the columns."""
    inner, params = _sql(answers)
    group = "key, who" if by_key else "who"
    ends = ", ".join(f"MIN(CASE WHEN {c} IS NOT NULL THEN n END) AS {c}_first, "
                     f"MAX(CASE WHEN {c} IS NOT NULL THEN n END) AS {c}_last, COUNT({c}) AS {c}_count" for c in columns)
    values = ", ".join(f"MAX(CASE WHEN ranked.n = ends.{c}_first THEN ranked.{c} END), "
                       f"MAX(CASE WHEN ranked.n = ends.{c}_last THEN ranked.{c} END), MAX(ends.{c}_count)"
                       for c in columns)
    joined = " AND ".join(f"ranked.{part} = ends.{part}" for part in group.split(", "))
    # Only Django's compiled SQL (values as parameters) and column names this module chose (RECOVERY_MEASURES,
    # "total") go into the text.
    sql = f"""
        WITH ranked AS (
            SELECT answers.*, ROW_NUMBER() OVER (PARTITION BY {group} ORDER BY at, tie) AS n FROM ({inner}) AS answers),
        ends AS (SELECT {group}, {ends} FROM ranked GROUP BY {group})
        SELECT {"ends.key" if by_key else "''"}, {values}
        FROM ends JOIN ranked ON {joined}
        GROUP BY {", ".join(f"ends.{part}" for part in group.split(", "))}"""  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _change(measure: _Measure, pairs: list[tuple[float, float]]) -> ChangeFigures:
    changes = [latest - first for first, latest in pairs]
    crossed_to_better = crossed_to_worse = None
    if measure.better_from is not None:
        def better(total): return math.floor(total) >= measure.better_from
        crossed_to_better = sum(not better(first) and better(latest) for first, latest in pairs)
        crossed_to_worse = sum(better(first) and not better(latest) for first, latest in pairs)
    return ChangeFigures(
        measure=measure.key, label=measure.label, scale=measure.scale, people=len(pairs),
        mean_change=round(sum(changes) / len(changes), 2) if changes else None,
        lower=sum(change < -measure.same_within for change in changes),
        same=sum(abs(change) <= measure.same_within for change in changes),
        higher=sum(change > measure.same_within for change in changes),
        same_within=measure.same_within, crossed_to_better=crossed_to_better, crossed_to_worse=crossed_to_worse)


def _pairs(rows: list[tuple], index: int) -> list[tuple[float, float]]:
    """The (first, latest) pairs of column `index` of `_first_and_latest`'s rows, for people who answered twice."""
    at = 1 + 3 * index
    return [(float(row[at]), float(row[at + 1])) for row in rows if row[at + 2] >= 2]


RECOVERY_MEASURES = (
    *(_Measure(f"dimension:{d.value}", d.label, f"points out of {DIMENSION_MAX}", DIMENSION_SAME_WITHIN,
               f"dimension_{d.value}") for d in Dimension),
    *(_Measure(f"chime:{p.key}", p.name, "points out of 100", PROCESS_SAME_WITHIN, f"chime_{p.key}")
      for p in PROCESSES),
)


def _recovery_changes(counted: QuerySet, before: datetime) -> list[ChangeFigures]:
    answers = RecoveryCheckIn.objects.filter(person__in=counted, taken_at__lt=before)
    values = {f"dimension_{d.value}": Cast(KeyTextTransform(d.value, "dimension_ratings"), FloatField())
              for d in Dimension}
    values |= {f"chime_{p.key}": Cast(KeyTextTransform(p.key, "process_scores"), FloatField()) for p in PROCESSES}
    answers = answers.annotate(who=F("person_id"), at=F("taken_at"), tie=F("pk"), **values).values(
        "who", "at", "tie", *values)
    rows = _first_and_latest(answers, list(values), by_key=False)
    return [_change(measure, _pairs(rows, index)) for index, measure in enumerate(RECOVERY_MEASURES)]


def _cut_off(definition) -> float | None:
    """Where the questionnaire's one band begins, when its rules give exactly one and it reaches one end of the
    possible totals (BARC-10's "47 or more"). The rules do not say which way is better; as on every other measure
    here, the higher side is read as the better one. Several bands name no single cut-off."""
    low, high = definition.range
    bands = definition.scoring.cutoffs
    if len(bands) != 1 or (bands[0].min <= low) == (bands[0].max >= high):
        return None
    return bands[0].min if bands[0].max >= high else bands[0].max + 1


def _questionnaire_changes(organisation: Organisation, counted: QuerySet, before: datetime) -> list[ChangeFigures]:
    """One measure for each questionnaire the organisation's people are offered (its own and those offered to
    everyone), by url: versions of one instrument share it, read by the newest version's rules."""
    offered = Questionnaire.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
    newest = {questionnaire.url: questionnaire for questionnaire in offered.order_by("loaded_at", "pk")}
    if not newest:
        return []
    answers = (QuestionnaireResponse.objects.filter(person__in=counted, authored_at__lt=before, questionnaire__in=offered)
               .annotate(who=F("person_id"), key=F("questionnaire__url"), at=F("authored_at"), tie=F("pk"),
                         total=Cast(KeyTextTransform("total", "score"), FloatField()))
               .values("who", "key", "at", "tie", "total"))
    rows_by_url = defaultdict(list)
    for row in _first_and_latest(answers, ["total"], by_key=True):
        rows_by_url[row[0]].append(row)
    changes = []
    for url, questionnaire in sorted(newest.items(), key=lambda item: item[1].title):
        definition = questionnaire.definition
        low, high = definition.range
        measure = _Measure(f"questionnaire:{url}", questionnaire.title, "score",
                           round(QUESTIONNAIRE_SAME_SHARE * (high - low), 2), "total", _cut_off(definition))
        changes.append(_change(measure, _pairs(rows_by_url[url], 0)))
    return changes


def _changes(organisation: Organisation, *, before: datetime) -> list[ChangeFigures]:
    counted = people_who_count(organisation)
    return _recovery_changes(counted, before) + _questionnaire_changes(organisation, counted, before)
