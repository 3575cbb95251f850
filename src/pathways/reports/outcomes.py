"""From a programme's figures to the numbers it may publish.

Every figure gets a key that stays the same from one monthly report to the next ("month:2026-10:active",
"cohort:2026-04:retained:3", "change:chime:hope:higher"), so a report can be checked against the one before it.
A month's enrolment and its cohort's size are one count under one key.

Wherever one count holds part of another, the rest gets a key too and the sum is handed to the suppression
(pathways.reports.suppression) with the counts: otherwise two large published counts could differ by a small one,
as "12 joined, 11 still checking in" says that one person stopped. The rests are:
- people whose change went lower, stayed about the same or went higher: all the people whose change is shown;
- those who crossed a questionnaire's cut-off either way, and those who did not: the same people again;
- of a month's joiners, those still checking in k months on, and those not;
- of a month's active people, those who came back after a break, and the others;
- of a month's active people, the joiners of 3, 6 and 12 months before who are retained that month (three
  different cohorts, so three separate groups), and everyone else.

Means are not counts: a mean is published only beside the count of people it is over, and withheld with it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from .outcome_figures import ProgrammeFigures
from .suppression import Sum, SuppressionError, protect

MONTH_COUNTS = ("enrolled", "active", "steps_done", "goals_achieved", "lapses", "returns")
SPLIT = ("lower", "same", "higher")
CROSSINGS = ("crossed_to_better", "crossed_to_worse", "crossed_neither")


def threshold() -> int:
    """The smallest count published (settings.PATHWAYS_OUTCOMES_MIN_COUNT; never below 11 in production)."""
    return settings.PATHWAYS_OUTCOMES_MIN_COUNT


def month_key(month: date, count: str) -> str:
    return f"month:{month:%Y-%m}:{count}"


def joined_key(month: date) -> str:
    """The people who joined in a month: that month's enrolment and its cohort's size."""
    return month_key(month, "enrolled")


def retained_key(month: date, months_on: int, *, kept: bool = True) -> str:
    return f"cohort:{month:%Y-%m}:{'retained' if kept else 'not_retained'}:{months_on}"


def change_key(measure: str, part: str) -> str:
    return f"change:{measure}:{part}"


def _months_on(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Publication:
    """What a monthly report stores: the numbers published (None where withheld, means included), the counts
    they came from, for next month's check, and the words for its measures."""

    cells: dict[str, int | float | None]
    counts: dict[str, int]
    measures: list[dict]


def counts_and_sums(figures: ProgrammeFigures) -> tuple[dict[str, int], list[Sum]]:
    """Every count of the figures under its key, the rests described above, and the sums between them."""
    counts: dict[str, int] = {}
    sums: list[Sum] = []

    def split(total: str, parts: dict[str, int]) -> None:
        counts.update(parts)
        sums.append(Sum(total, tuple(parts)))

    for month in figures.months:
        counts.update({month_key(month.month, count): getattr(month, count) for count in MONTH_COUNTS})
        split(month_key(month.month, "active"),
              {month_key(month.month, "returns"): month.returns,
               month_key(month.month, "active_not_returning"): month.active - month.returns})
    retained_in: dict[date, dict[str, int]] = {}  # month -> the cohorts' retained people active in it
    for cohort in figures.cohorts:
        joined = joined_key(cohort.month)
        counts.setdefault(joined, cohort.joined)
        for months_on, retained in cohort.retained.items():
            if retained is None:
                continue
            split(joined, {retained_key(cohort.month, months_on): retained,
                           retained_key(cohort.month, months_on, kept=False): cohort.joined - retained})
            retained_in.setdefault(_months_on(cohort.month, months_on), {})[
                retained_key(cohort.month, months_on)] = retained
    for month, retained in retained_in.items():
        active = month_key(month, "active")
        if active in counts:
            rest = month_key(month, "active_not_in_cohorts")
            counts[rest] = counts[active] - sum(retained.values())
            sums.append(Sum(active, (*retained, rest)))
    for change in figures.changes:
        people = change_key(change.measure, "people")
        counts[people] = change.people
        split(people, {change_key(change.measure, part): getattr(change, part) for part in SPLIT})
        if change.crossed_to_better is not None:
            neither = change.people - change.crossed_to_better - change.crossed_to_worse
            split(people, dict(zip((change_key(change.measure, part) for part in CROSSINGS),
                                   (change.crossed_to_better, change.crossed_to_worse, neither), strict=True)))
    return counts, sums


def publish(figures: ProgrammeFigures, *, min_count: int, previous_cells: dict | None = None,
            previous_counts: dict[str, int] | None = None) -> Publication:
    """The figures as they may be published, checked together with the report before this one (its cells and
    counts), so that neither report, nor the two side by side, gives away a withheld count."""
    counts, sums = counts_and_sums(figures)
    previous = {key: previous_cells.get(key) for key in previous_counts} if previous_counts else None
    try:
        published = protect(counts, sums, threshold=min_count, previous=previous, previous_counts=previous_counts)
    except SuppressionError:
        # Only when the reports before gave too much away to protect this one: then nothing but zeros is
        # published this month, which protects everything, and the next report is checked against that.
        published = {key: None if count else 0 for key, count in counts.items()}
    cells: dict[str, int | float | None] = dict(published)
    for change in figures.changes:
        shown = published[change_key(change.measure, "people")] is not None and change.mean_change is not None
        cells[change_key(change.measure, "mean")] = round(change.mean_change, 1) if shown else None
    measures = [{"key": change.measure, "label": change.label, "scale": change.scale,
                 "same_within": change.same_within, "cut_off": change.crossed_to_better is not None}
                for change in figures.changes]
    return Publication(cells=cells, counts=counts, measures=measures)
