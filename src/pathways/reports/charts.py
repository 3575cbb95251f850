"""Server-rendered SVG charts. Each comes with a sentence and a table, for screen readers and for anyone.

Only presentation attributes are used (no style attributes), so the strict content security policy
applies to charts too. Every piece of text is escaped.
"""
import itertools
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .periods import AVERAGE_WORDS, Period

INK = "#1f2a30"
GRID = "#c9d0d3"
# Colour is never the only difference: each series also has its own line pattern and marker.
SERIES_STYLES = [
    {"stroke": "#1d5f6e", "dash": "", "marker": "circle"},
    {"stroke": "#a0430a", "dash": "6 4", "marker": "square"},
    {"stroke": "#5b3f8c", "dash": "2 3", "marker": "diamond"},
    {"stroke": "#2f6b2f", "dash": "10 3 2 3", "marker": "circle"},
    {"stroke": "#7a5c00", "dash": "1 2", "marker": "square"},
]
MARKERS_UP_TO = 60  # points in a line; beyond that markers crowd the line, and only a lone value gets one


@dataclass
class Chart:
    title: str
    svg: SafeString
    summary: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    full_table: tuple[str, str] | None = None  # (link words, anchor) on the page of all the numbers, if any

    @property
    def table(self) -> SafeString:
        """The numbers as an HTML table, built here like the picture: a template loop over every cell cost more
        than the rest of the page."""
        return table_html(caption=self.title, columns=self.columns, rows=self.rows)


def table_html(*, caption: str, columns: list[str], rows: list[list[str]]) -> SafeString:
    """A table whose first column names each row. Every piece of text is escaped."""
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    body = "".join(f'<tr><th scope="row">{escape(first)}</th>{"".join(f"<td>{escape(cell)}</td>" for cell in rest)}</tr>'
                   for first, *rest in rows)
    return mark_safe(  # nosec B308, B703  # every text part escaped above
        f'<table class="log"><caption class="visually-hidden">{escape(caption)}</caption>'
        f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def number(value) -> str:
    """A value as a table or sentence shows it: at most one decimal, a dash for nothing recorded."""
    if value is None:
        return "—"
    if isinstance(value, float | Decimal):
        return f"{float(value):.1f}".rstrip("0").rstrip(".")
    return str(value)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f} {y - 4:.1f} L{x + 4:.1f} {y:.1f} L{x:.1f} {y + 4:.1f} L{x - 4:.1f} {y:.1f} Z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="{colour}"/>'


def _svg(width: int, height: int, title: str, desc: str, body: str, chart_id: str) -> SafeString:
    # Every text part of the chart is escaped where it is built; numbers, colours and ids are ours.
    return mark_safe(  # nosec B308, B703  # body and title built from escaped text only
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>{body}</svg>'
    )


def radar(*, chart_id: str, title: str, axes: list[str], series: list[tuple[str, list[float | None]]],
          maximum: float = 10) -> Chart:
    """A star chart of several scores on the same scale, one polygon per series."""
    width, cx, cy, radius = 360, 180, 122, 80
    height = 2 * cy + 18 * len(series) + 10
    parts = []
    angles = [-math.pi / 2 + 2 * math.pi * i / len(axes) for i in range(len(axes))]
    for ring in range(1, 6):
        r = radius * ring / 5
        points = " ".join(f"{cx + r * math.cos(a):.1f},{cy + r * math.sin(a):.1f}" for a in angles)
        parts.append(f'<polygon points="{points}" fill="none" stroke="{GRID}" stroke-width="1"/>')
    for axis, angle in zip(axes, angles, strict=True):
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = cx + (radius + 12) * math.cos(angle), cy + (radius + 18) * math.sin(angle) + 5
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="15" fill="{INK}">'
                     f'{escape(axis)}</text>')
    for index, (_, values) in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        coords = [(cx + radius * (v or 0) / maximum * math.cos(a), cy + radius * (v or 0) / maximum * math.sin(a))
                  for v, a in zip(values, angles, strict=True)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        fill = style["stroke"] if index == len(series) - 1 else "none"
        parts.append(f'<polygon points="{points}" fill="{fill}" fill-opacity="0.15" stroke="{style["stroke"]}" '
                     f'stroke-width="2.5" stroke-dasharray="{style["dash"]}"/>')
        parts.extend(_marker(style["marker"], x, y, style["stroke"]) for (x, y), v in zip(coords, values, strict=True)
                     if v is not None)
    legend = _legend([name for name, _ in series], x=10, y=2 * cy + 14)
    rows = [[axis] + [number(values[i]) for _, values in series] for i, axis in enumerate(axes)]
    summary = "; ".join(f"{name}: " + ", ".join(f"{axis} {number(v)}" for axis, v in zip(axes, values, strict=True))
                        for name, values in series) + f" (out of {number(maximum)})."
    return Chart(title=title, svg=_svg(width, height, title, summary, "".join(parts) + legend, chart_id),
                 summary=summary, columns=["Part of life"] + [name for name, _ in series], rows=rows)


def _legend(names: list[str], *, x: float, y: float) -> str:
    parts = []
    for index, name in enumerate(names):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        ly = y + 18 * index
        parts.append(f'<line x1="{x}" y1="{ly - 4}" x2="{x + 26}" y2="{ly - 4}" stroke="{style["stroke"]}" '
                     f'stroke-width="2.5" stroke-dasharray="{style["dash"]}"/>')
        parts.append(_marker(style["marker"], x + 13, ly - 4, style["stroke"]))
        parts.append(f'<text x="{x + 32}" y="{ly}" font-size="14" fill="{INK}">{escape(name)}</text>')
    return "".join(parts)


def lines(*, chart_id: str, title: str, periods: list[Period], series: list[tuple[str, list[float | None]]],
          low: float, high: float, unit: str = "", full_table: tuple[str, str] | None = None) -> Chart:
    """Trend lines over periods (weeks, months or years, each series with one value or None per period), points
    evenly spaced; gaps where nothing was recorded. Where the kind of period changes, a dashed line marks it and
    the axis names each stretch, so a yearly average is never read as a week."""
    width, left, right, top = 420, 34, 10, 14
    height, bottom = 256 + 18 * len(series), 56 + 18 * len(series)
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = []
    for step in range(5):
        value = low + (high - low) * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13" fill="{INK}">{number(value)}</text>')

    def x_of(index):
        return left + (plot_w * index / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y_of(value):
        return top + plot_h - plot_h * (min(max(value, low), high) - low) / (high - low)

    if periods:
        parts.append(_period_axis(periods, x_of, y=top + plot_h, right=width - right))
        for index, (_, values) in enumerate(series):
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            segment: list[str] = []
            for i, value in enumerate(values):
                if value is None:
                    parts.append(_polyline(segment, style))
                    segment = []
                    continue
                segment.append(f"{x_of(i):.1f},{y_of(value):.1f}")
                # A value with nothing recorded either side draws no line, so it always gets its marker.
                alone = (i == 0 or values[i - 1] is None) and (i == len(values) - 1 or values[i + 1] is None)
                if alone or len(values) <= MARKERS_UP_TO:
                    parts.append(_marker(style["marker"], x_of(i), y_of(value), style["stroke"]))
            parts.append(_polyline(segment, style))
    legend = _legend([name for name, _ in series], x=left, y=height - 18 * len(series) + 8)
    columns = ["Period"] + [f"{name}{f' ({unit})' if unit else ''}" for name, _ in series]
    rows = [[period.label] + [number(values[i]) for _, values in series] for i, period in enumerate(periods)]
    summary = _trend_summary(periods, series) or "Nothing recorded yet."
    return Chart(title=title, svg=_svg(width, height, title, summary, "".join(parts) + legend, chart_id),
                 summary=summary, columns=columns, rows=rows, full_table=full_table)


def _period_axis(periods: list[Period], x_of, *, y: float, right: float) -> str:
    """The first and last periods under the ends of the axis; below them, each stretch of one kind named."""
    parts = []
    ends = (0, len(periods) - 1) if len(periods) > 1 else (0,)
    for index in ends:
        anchor = "middle" if len(ends) == 1 else ("start" if index == 0 else "end")
        parts.append(f'<text x="{x_of(index):.1f}" y="{y + 16}" text-anchor="{anchor}" font-size="13" '
                     f'fill="{INK}">{escape(periods[index].label)}</text>')
    stretches = [(kind, [i for i, p in enumerate(periods) if p.kind == kind])
                 for kind in dict.fromkeys(p.kind for p in periods)]
    if len(stretches) == 1:
        return "".join(parts)
    edges = [x_of(0)]
    for (_, before), (_, after) in itertools.pairwise(stretches):
        edge = (x_of(before[-1]) + x_of(after[0])) / 2
        edges.append(edge)
        parts.append(f'<line x1="{edge:.1f}" y1="{y - 4}" x2="{edge:.1f}" y2="{y + 36}" stroke="{INK}" '
                     f'stroke-dasharray="3 3"/>')
    edges.append(right)
    for (kind, _), (start, end) in zip(stretches, itertools.pairwise(edges), strict=True):
        words = AVERAGE_WORDS[kind]
        if end - start >= 7 * len(words):  # too narrow a stretch stays unnamed; the table names every point
            parts.append(f'<text x="{(start + end) / 2:.1f}" y="{y + 33}" text-anchor="middle" font-size="13" '
                         f'fill="{INK}">{words}</text>')
    return "".join(parts)


def _polyline(points: list[str], style: dict) -> str:
    if len(points) < 2:
        return ""
    return (f'<polyline points="{" ".join(points)}" fill="none" stroke="{style["stroke"]}" stroke-width="2.5" '
            f'stroke-dasharray="{style["dash"]}" stroke-linejoin="round"/>')


def _trend_summary(periods: list[Period], series) -> str:
    sentences = []
    for name, values in series:
        known = [(period, value) for period, value in zip(periods, values, strict=True) if value is not None]
        if not known:
            continue
        (first, start), (last, end) = known[0], known[-1]
        if len(known) == 1:
            sentences.append(f"{name}: {number(start)} ({first.in_words}).")
            continue
        numbers = [value for _, value in known]
        if min(numbers) == max(numbers):  # "from 0 to 0, between 0 and 0" says less than this
            sentences.append(f"{name}: {number(start)} each time, from {first.in_words} to {last.in_words}.")
            continue
        sentences.append(f"{name}: from {number(start)} ({first.in_words}) to {number(end)} ({last.in_words}), "
                         f"between {number(min(numbers))} and {number(max(numbers))}.")
    return " ".join(sentences)


def bars(*, chart_id: str, title: str, series: list[tuple[str, list[tuple[date, int]]]]) -> Chart:
    """Counts per week, bars side by side for each series."""
    width, height, left, right, top, bottom = 420, 200 + 18 * len(series), 30, 10, 14, 40 + 18 * len(series)
    weeks = sorted({day for _, points in series for day, _ in points})
    peak = max([count for _, points in series for _, count in points] + [1])
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK}"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="13" fill="{INK}">{peak}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="13" fill="{INK}">0</text>']
    counts = {name: dict(points) for name, points in series}
    slot = plot_w / max(len(weeks), 1)
    bar_w = max(slot / (len(series) + 1), 1)
    for w, week in enumerate(weeks):
        for index, (name, _) in enumerate(series):
            count = counts[name].get(week, 0)
            h = plot_h * count / peak
            x = left + w * slot + index * bar_w + bar_w / 2
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w * 0.9:.1f}" height="{h:.1f}" '
                         f'fill="{style["stroke"]}" fill-opacity="{1 - 0.35 * index}"/>')
    if weeks:
        parts.append(f'<text x="{left}" y="{top + plot_h + 16}" font-size="13" fill="{INK}">{weeks[0]:%d %b}</text>')
        parts.append(f'<text x="{width - right}" y="{top + plot_h + 16}" text-anchor="end" font-size="13" '
                     f'fill="{INK}">{weeks[-1]:%d %b}</text>')
    legend = _legend([name for name, _ in series], x=left, y=height - 18 * len(series) + 8)
    rows = [[f"{week:%d %b %Y}"] + [str(counts[name].get(week, 0)) for name, _ in series] for week in weeks]
    totals = ", ".join(f"{sum(c for _, c in points)} {name.lower()}" for name, points in series)
    summary = f"Over the last {len(weeks)} weeks: {totals}." if weeks else "Nothing yet."
    return Chart(title=title, svg=_svg(width, height, title, summary, "".join(parts) + legend, chart_id),
                 summary=summary, columns=["Week of"] + [name for name, _ in series], rows=rows)
