"""The progress page: pictures of change over time, each shown only where the viewer may see it."""
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn, UseLog
from pathways.checkins.recovery_items import PROCESSES
from pathways.circle.policy import Category, permits_and_log
from pathways.plans.models import Dimension, Goal, GoalStatus, Step, StepStatus, Win

from . import charts
from .charts import Chart

ACTIVITY_WEEKS = 12
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
    checkins = list(RecoveryCheckIn.objects.filter(person=person).order_by("taken_at", "pk")
                    .only("taken_at", "dimension_ratings", "process_scores"))
    if not checkins:
        return []
    rated = [c for c in checkins if c.dimension_ratings]
    found = []
    if rated:
        first, latest = rated[0], rated[-1]
        series = [(f"First ({first.taken_at:%d %b %Y})", [first.dimension_ratings.get(d.value) for d in Dimension])]
        if latest is not first:
            series.append((f"Latest ({latest.taken_at:%d %b %Y})",
                           [latest.dimension_ratings.get(d.value) for d in Dimension]))
        found.append(charts.radar(chart_id="radar", title="The four parts of life, first and latest",
                                  axes=[d.label for d in Dimension], series=series))
    found.append(charts.lines(
        chart_id="chime", title="Recovery processes over time (0–100)", low=0, high=100,
        series=[(process.name, [(c.taken_at.date(), c.process_scores.get(process.key)) for c in checkins])
                for process in PROCESSES]))
    return found


def _daily_trends(person) -> list[Chart]:
    weekly = list(DailyCheckIn.objects.filter(person=person).annotate(week=TruncWeek("day")).values("week")
                  .annotate(mood=Avg("mood"), cravings=Avg("cravings"), sleep=Avg("sleep_hours")).order_by("week"))
    if not weekly:
        return []

    def points(key):
        return [(row["week"], float(row[key]) if row[key] is not None else None) for row in weekly]

    return [
        charts.lines(chart_id="mood", title="Mood (weekly average, 1–5)", low=1, high=5,
                     series=[("Mood", points("mood"))]),
        charts.lines(chart_id="cravings", title="Cravings (weekly average, 0–10)", low=0, high=10,
                     series=[("Cravings", points("cravings"))]),
        charts.lines(chart_id="sleep", title="Sleep (weekly average, hours)", low=0, high=12, unit="hours",
                     series=[("Sleep", points("sleep"))]),
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
