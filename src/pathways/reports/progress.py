"""The progress page: pictures of change over time, each shown only where the viewer may see it."""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Avg, Count, FloatField, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncWeek
from django.utils import timezone

from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn, UseLog
from pathways.checkins.recovery_items import PROCESSES
from pathways.circle.policy import Category, permits_and_log
from pathways.people.time_zones import time_zone_of
from pathways.plans.models import Dimension, Goal, GoalStatus, Step, StepStatus, Win

from . import charts, periods
from .charts import Chart

ACTIVITY_WEEKS = 12
MEASURE_MONTHS = 12
LAPSES_SHOWN = 50


@dataclass
class Progress:
    person: object
    charts: list[Chart] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)
    lapses: list[UseLog] = field(default_factory=list)  # lapses and reflections, newest first


def progress(*, person, viewer) -> Progress:
    """Everything the viewer may see of the person's progress; each part asks the policy (and is logged)."""
    result = Progress(person=person)
    if permits_and_log(viewer, person, Category.MEASURES, page="your progress page"):
        result.shown.add(Category.MEASURES)
        result.charts.extend(_measures(person))
    if permits_and_log(viewer, person, Category.CHECKINS, page="your progress page"):
        result.shown.add(Category.CHECKINS)
        result.charts.extend(_daily_trends(person))
        result.counts.append(("Days checked in", DailyCheckIn.objects.filter(person=person).count()))
    if permits_and_log(viewer, person, Category.PLAN, page="your progress page"):
        result.shown.add(Category.PLAN)
        result.charts.append(_activity(person))
        result.counts.extend(_plan_counts(person))
    if permits_and_log(viewer, person, Category.USE_LOG, page="your progress page"):
        result.shown.add(Category.USE_LOG)
        result.lapses = _lapses(person, viewer=viewer)
    return result


def _lapses(person, *, viewer) -> list[UseLog]:
    """Lapses the person noted and what they wrote about them, so what they learned is there to look back on.

    A supporter with the use-log grant reads a day's reflections only when the person chose to share them that
    day; otherwise they see the lapse alone, and the unshared words are not even handed to the template.
    """
    wrote = ~Q(what_was_happening="") | ~Q(what_i_learned="")
    own = viewer.pk == person.pk
    logs = list(UseLog.objects.filter(checkin__person=person)
                .filter(Q(is_lapse=True) | (wrote if own else wrote & Q(reflection_shared=True)))
                .select_related("checkin").order_by("-checkin__day")[:LAPSES_SHOWN])
    if not own:
        for log in logs:
            if not log.reflection_shared:  # read-only copies for this page, never saved
                log.what_was_happening = log.what_i_learned = ""
    return logs


def _measures(person) -> list[Chart]:
    """The radar of the first and latest rated check-ins, and the CHIME processes averaged per period.

    process_scores is JSON, averaged inside the database through a key lookup cast to a number: on SQLite and on
    PostgreSQL the lookup gives NULL for an absent key (a process not scored), which Avg leaves out as it should.
    """
    zone = time_zone_of(person)
    tiers = periods.months_then_years(timezone.localdate(timezone=zone), months=MEASURE_MONTHS)
    checkins = RecoveryCheckIn.objects.filter(person=person)
    by_period = list(checkins.filter(taken_at__gte=datetime.combine(tiers.earliest, time.min, tzinfo=zone))
                     .annotate(period=tiers.moment_expression("taken_at", zone))
                     .values("period")
                     .annotate(**{process.key: Avg(Cast(KT(f"process_scores__{process.key}"), FloatField()))
                                  for process in PROCESSES})
                     .order_by("period"))
    found = []
    radar = _first_and_latest_ratings(checkins)
    if radar:
        found.append(radar)
    if by_period:
        # Periods without a check-in are left out, not drawn as gaps: a recovery check-in comes now and then.
        points = [tiers.period_of(row["period"]) for row in by_period]
        found.append(charts.lines(
            chart_id="chime", title=f"Recovery processes over time ({periods.averages_in_words(points)}, 0–100)",
            low=0, high=100, periods=points, full_table=("Every recovery check-in", "recovery-checkins"),
            series=[(process.name, [row[process.key] for row in by_period]) for process in PROCESSES]))
    return found


def _first_and_latest_ratings(checkins) -> Chart | None:
    rated = checkins.exclude(dimension_ratings={})
    first = rated.order_by("taken_at", "pk").values("pk")[:1]
    latest = rated.order_by("-taken_at", "-pk").values("pk")[:1]
    ends = list(rated.filter(Q(pk=Subquery(first)) | Q(pk=Subquery(latest))).order_by("taken_at", "pk")
                .only("taken_at", "dimension_ratings"))
    if not ends:
        return None
    return charts.radar(chart_id="radar", title="The four parts of life, first and latest",
                        axes=[d.label for d in Dimension],
                        series=[(f"{name} ({checkin.taken_at:%d %b %Y})",
                                 [checkin.dimension_ratings.get(d.value) for d in Dimension])
                                for name, checkin in zip(("First", "Latest"), ends, strict=False)])


def _daily_trends(person) -> list[Chart]:
    """Mood, cravings and sleep averaged per period, by the database, over a bounded number of periods."""
    tiers = periods.weeks_then_months_then_years(timezone.localdate(timezone=time_zone_of(person)))
    rows = {row["period"]: row for row in
            DailyCheckIn.objects.filter(person=person, day__gte=tiers.earliest)
            .annotate(period=tiers.expression("day")).values("period")
            .annotate(mood=Avg("mood"), cravings=Avg("cravings"), sleep=Avg("sleep_hours")).order_by("period")}
    if not rows:
        return []
    starts = list(rows)
    every = tiers.every_period(tiers.period_of(starts[0]), tiers.period_of(starts[-1]))
    averages = periods.averages_in_words(every)
    full_table = ("All the numbers, week by week", "weeks")

    def values(key):
        return [float(rows[p.start][key]) if p.start in rows and rows[p.start][key] is not None else None
                for p in every]

    return [
        charts.lines(chart_id="mood", title=f"Mood ({averages}, 1–5)", low=1, high=5, periods=every,
                     series=[("Mood", values("mood"))], full_table=full_table),
        charts.lines(chart_id="cravings", title=f"Cravings ({averages}, 0–10)", low=0, high=10, periods=every,
                     series=[("Cravings", values("cravings"))], full_table=full_table),
        charts.lines(chart_id="sleep", title=f"Sleep ({averages}, hours)", low=0, high=12, unit="hours",
                     periods=every, series=[("Sleep", values("sleep"))], full_table=full_table),
    ]


def _activity(person) -> Chart:
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=ACTIVITY_WEEKS - 1)
    weeks = [start + timedelta(weeks=n) for n in range(ACTIVITY_WEEKS)]
    wins = dict(Win.objects.filter(plan__person=person, occurred_on__gte=start).annotate(week=TruncWeek("occurred_on"))
                .values("week").annotate(n=Count("pk")).values_list("week", "n"))
    done_days = Step.objects.filter(goal__plan__person=person, status=StepStatus.DONE,
                                    completed_at__date__gte=start).values_list("completed_at", flat=True)
    steps: dict = {}
    for moment in done_days:
        day = timezone.localtime(moment).date()
        week = day - timedelta(days=day.weekday())
        steps[week] = steps.get(week, 0) + 1
    return charts.bars(chart_id="activity", title="Wins and steps done each week", series=[
        ("Wins", [(week, wins.get(week, 0)) for week in weeks]),
        ("Steps done", [(week, steps.get(week, 0)) for week in weeks]),
    ])


def _plan_counts(person) -> list[tuple[str, int]]:
    return [
        ("Wins so far", Win.objects.filter(plan__person=person).count()),
        ("Steps done", Step.objects.filter(goal__plan__person=person, status=StepStatus.DONE).count()),
        ("Goals achieved", Goal.objects.filter(plan__person=person, status=GoalStatus.ACHIEVED).count()),
    ]
