"""The programme's outcome figures before any cell is withheld: what reports.outcome_selectors counts and
reports.outcomes turns into the published, de-identified report.

Only people who count are in any figure: people in recovery of the organisation who said yes to programme
statistics, or who have not said and whose organisation counts people by default. Every figure is a count of
people or of events, or a mean over counted people; none names anyone or carries their words. Months are
calendar months in the organisation's time zone, and only months that have ended are reported. There is no
grand total across months: two reports a month apart would give away the newest month's small counts by their
difference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

RETENTION_MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class MonthFigures:
    """What happened in one calendar month."""

    month: date  # its first day
    enrolled: int  # people who joined the programme that month
    active: int  # people with at least one daily check-in that month
    steps_done: int  # plan steps marked done that month
    goals_achieved: int  # goals marked achieved that month
    lapses: int  # use-log entries the person themselves counted as a lapse, by the day they were about
    returns: int  # people whose check-in that month came after 30 or more days without one


@dataclass(frozen=True)
class CohortFigures:
    """The people who joined in one month, followed on."""

    month: date  # month of joining, its first day
    joined: int
    # months after joining -> people of this cohort active in that calendar month; None until that month has ended
    retained: dict[int, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeFigures:
    """From a person's first to their latest answer on one measure, over people who answered it at least twice."""

    measure: str  # a stable key: "dimension:health", "chime:hope", "questionnaire:<url>"
    label: str  # words for the page: "Health", "Hope and optimism", a questionnaire's title
    scale: str  # words for the unit: "points out of 10", "points out of 100", "score"
    people: int
    mean_change: float | None  # None when people == 0
    # how many moved down, stayed about the same, moved up (the three add up to `people`); what "about the same"
    # means for the measure is said in `same_within`
    lower: int
    same: int
    higher: int
    same_within: float
    # Questionnaires with a cut-off only: people on the worse side of it at first and on the better side at the latest
    # answer, and the other way round. None for measures without a cut-off.
    crossed_to_better: int | None = None
    crossed_to_worse: int | None = None


@dataclass(frozen=True)
class ProgrammeFigures:
    """Everything the outcomes report shows, for one organisation, as of one day."""

    organisation_name: str
    as_of: date  # the day the figures were counted; the last month reported is the one before it
    months: list[MonthFigures]  # oldest first
    cohorts: list[CohortFigures]  # oldest first
    changes: list[ChangeFigures]  # dimensions, then CHIME processes, then questionnaires
