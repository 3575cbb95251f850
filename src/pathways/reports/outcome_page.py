"""The outcomes report as people read it: tables, charts and sentences made from one published report.

Only what the report published is read, never the programme's records, so an earlier month reads exactly as it did
when it was made. The page, the CSV and the PDF are all made from the same sections. A withheld count reads "fewer
than 11" (the report's threshold) wherever it appears; a mean is shown only beside the count of people it is over.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.http import Http404
from django.utils.safestring import SafeString

from pathways.people.models import Organisation
from pathways.people.selectors import organisation_for_admin

from . import charts, outcome_charts
from .charts import Chart, table_html
from .models import OutcomeReport
from .outcome_figures import RETENTION_MONTHS
from .outcomes import change_key, joined_key, month_key, retained_key
from .periods import MONTH, Period

MEASURE_GROUPS = (
    ("dimension:", "parts-of-life", "Change in the four parts of life"),
    ("chime:", "recovery-processes", "Change in the recovery processes"),
    ("questionnaire:", "questionnaires", "Change in questionnaire scores"),
)


@dataclass
class Section:
    id: str
    title: str
    sentence: str  # what the section shows, in plain words
    columns: list[str]
    rows: list[list[str]]
    chart: Chart | None = None

    @property
    def table(self) -> SafeString:
        return table_html(caption=self.title, columns=self.columns, rows=self.rows)


@dataclass
class OutcomesPage:
    organisation: Organisation
    report: OutcomeReport | None  # None while the programme's first month is still running
    published: list[date] = field(default_factory=list)  # the months with a report, newest first
    sections: list[Section] = field(default_factory=list)

    @property
    def withheld(self) -> str:
        return f"fewer than {self.report.threshold}" if self.report else ""


def report_for_admin(*, organisation_id: int, viewer, year: int, month: int) -> tuple[Organisation, OutcomeReport]:
    """A published report of an organisation the viewer administers; 404 for anyone else or a month never made."""
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=viewer)
    try:
        first_day = date(year, month, 1)
    except (ValueError, OverflowError):  # month 13, year 0, or a number too big for a date
        raise Http404 from None
    report = OutcomeReport.objects.filter(organisation=organisation, month=first_day).first()
    if report is None:
        raise Http404
    return organisation, report


def outcomes_page(*, organisation: Organisation, report: OutcomeReport | None) -> OutcomesPage:
    published = list(OutcomeReport.objects.filter(organisation=organisation).order_by("-month")
                     .values_list("month", flat=True))
    if report is None:
        return OutcomesPage(organisation=organisation, report=None, published=published)
    cells = _Cells(report)
    sections = [_taking_part(cells), _cohorts(cells), _steps_and_goals(cells), _lapses_and_returns(cells)]
    for prefix, section_id, title in MEASURE_GROUPS:
        measures = [measure for measure in report.measures if measure["key"].startswith(prefix)]
        if measures:
            sections.append(_changes(cells, measures, section_id=section_id, title=title))
    return OutcomesPage(organisation=organisation, report=report, published=published, sections=sections)


class _Cells:
    """The published numbers of one report, read by key, and written out as the page shows them."""

    def __init__(self, report: OutcomeReport):
        self.values = report.cells
        self.withheld = f"fewer than {report.threshold}"
        self.months = sorted({date.fromisoformat(key.split(":")[1] + "-01") for key in self.values
                              if key.startswith("month:")})

    def get(self, key: str):
        return self.values.get(key)

    def text(self, key: str) -> str:
        """A count as the page shows it; a dash where there is nothing to count yet (a month not yet ended)."""
        if key not in self.values:
            return "—"
        value = self.values[key]
        return self.withheld if value is None else charts.number(value)


def _month_period(month: date) -> Period:
    following = (month + timedelta(days=31)).replace(day=1)
    return Period(kind=MONTH, start=month, end=following - timedelta(days=1))


def _ceiling(value: float) -> float:
    """A round top for a count axis (10, 20, 40, 100, 200, 400 …), so the four grid steps are whole numbers."""
    if value <= 10:
        return 10
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 4, 10) if value <= step * magnitude)


def _month_lines(cells: _Cells, *, chart_id: str, title: str, series: list[tuple[str, str]]) -> Chart | None:
    """Counts by month, one line for each (name, count) pair; a withheld month is a gap in its line."""
    if not cells.months:
        return None
    values = [(name, [cells.get(month_key(month, count)) for month in cells.months]) for name, count in series]
    highest = max([value for _, points in values for value in points if value is not None], default=0)
    return charts.lines(chart_id=chart_id, title=title, periods=[_month_period(m) for m in cells.months],
                        series=values, low=0, high=_ceiling(highest))


def _month_rows(cells: _Cells, counts: list[str]) -> list[list[str]]:
    return [[f"{month:%B %Y}"] + [cells.text(month_key(month, count)) for count in counts] for month in cells.months]


def _taking_part(cells: _Cells) -> Section:
    return Section(
        id="taking-part", title="Joining and checking in",
        sentence="How many people joined the programme each month, and how many checked in at least once that month.",
        columns=["Month", "Joined", "Checked in"], rows=_month_rows(cells, ["enrolled", "active"]),
        chart=_month_lines(cells, chart_id="taking-part-chart", title="People who joined and who checked in, by month",
                           series=[("Joined", "enrolled"), ("Checked in", "active")]))


def _cohorts(cells: _Cells) -> Section:
    rows, series = [], {months_on: [] for months_on in RETENTION_MONTHS}
    for month in cells.months:
        joined = cells.get(joined_key(month))
        rows.append([f"{month:%B %Y}", cells.text(joined_key(month))]
                    + [cells.text(retained_key(month, months_on)) for months_on in RETENTION_MONTHS])
        for months_on in RETENTION_MONTHS:
            retained = cells.get(retained_key(month, months_on))
            series[months_on].append(100 * retained / joined if joined and retained is not None else None)
    chart = None
    if any(value is not None for values in series.values() for value in values):
        chart = charts.lines(chart_id="cohorts-chart", title="Share of each month's newcomers still checking in",
                             periods=[_month_period(m) for m in cells.months], low=0, high=100, unit="%",
                             series=[(f"After {months_on} months (%)", series[months_on])
                                     for months_on in RETENTION_MONTHS])
    return Section(
        id="cohorts", title="Staying in touch",
        sentence="The people who joined in each month, and how many of them checked in during the month 3, 6 and 12 "
                 "months after they joined. A dash means that month has not ended yet.",
        columns=["Month joined", "Joined"] + [f"After {months_on} months" for months_on in RETENTION_MONTHS],
        rows=rows, chart=chart)


def _steps_and_goals(cells: _Cells) -> Section:
    return Section(
        id="steps-and-goals", title="Steps done and goals achieved",
        sentence="Small steps people marked done in their recovery plans each month, and goals they marked achieved.",
        columns=["Month", "Steps done", "Goals achieved"], rows=_month_rows(cells, ["steps_done", "goals_achieved"]),
        chart=_month_lines(cells, chart_id="steps-chart", title="Steps done and goals achieved, by month",
                           series=[("Steps done", "steps_done"), ("Goals achieved", "goals_achieved")]))


def _lapses_and_returns(cells: _Cells) -> Section:
    return Section(
        id="lapses-and-returns", title="Lapses and coming back",
        sentence="Lapses people noted in their own check-ins each month (a lapse is something to learn from, never a "
                 "failure), and people who checked in again after 30 days or more without a check-in.",
        columns=["Month", "Lapses noted", "Came back after a break"], rows=_month_rows(cells, ["lapses", "returns"]),
        chart=_month_lines(cells, chart_id="lapses-chart", title="Lapses noted and people coming back, by month",
                           series=[("Lapses noted", "lapses"), ("Came back", "returns")]))


def _changes(cells: _Cells, measures: list[dict], *, section_id: str, title: str) -> Section:
    with_cut_off = any(measure["cut_off"] for measure in measures)
    columns = ["Measure", "People", "Mean change", "Lower", "About the same", "Higher"]
    if with_cut_off:
        columns += ["Crossed to the better side of the cut-off", "Share who crossed to the better side",
                    "Crossed to the worse side"]
    # Measures on one scale (the four parts of life, the recovery processes) say it once, in the sentence.
    scales = {(measure["scale"], measure["same_within"]) for measure in measures}
    rows, bars = [], []
    for measure in measures:
        def key(part, measure=measure):
            return change_key(measure["key"], part)

        people, mean = cells.get(key("people")), cells.get(key("mean"))
        label = measure["label"] if len(scales) == 1 else f"{measure['label']} ({_scale_words(measure)})"
        row = [label, cells.text(key("people")), f"{mean:+.1f}" if mean is not None else "—" if people == 0 else
               "not shown", cells.text(key("lower")), cells.text(key("same")), cells.text(key("higher"))]
        if with_cut_off:
            crossed = cells.get(key("crossed_to_better"))
            share = f"{round(100 * crossed / people)}%" if measure["cut_off"] and people and crossed is not None else "—"
            row += [cells.text(key("crossed_to_better")) if measure["cut_off"] else "—", share,
                    cells.text(key("crossed_to_worse")) if measure["cut_off"] else "—"]
        rows.append(row)
        bars.append((measure["label"], people, tuple(cells.get(key(part)) for part in ("lower", "same", "higher"))))
    scale = f" Scale: {_scale_words(measures[0])}." if len(scales) == 1 else ""
    return Section(
        id=section_id, title=title,
        sentence="From each person's first answer to their latest, among people who answered at least twice: the "
                 "mean change, and how many moved lower, stayed about the same or moved higher. A mean is shown only "
                 f"where the number of people it is over is shown.{scale}",
        columns=columns, rows=rows,
        chart=outcome_charts.splits(chart_id=f"{section_id}-chart", title=f"{title}: lower, about the same, higher",
                                    rows=bars))


def _scale_words(measure: dict) -> str:
    return f"{measure['scale']}; “about the same” is a change of {charts.number(measure['same_within'])} or less"
