"""Server-rendered SVG charts. Each comes with a sentence and a table, for screen readers and for anyone.

Only presentation attributes are used (no style attributes), so the strict content security policy
applies to charts too. Every piece of text is escaped.
"""
import math
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@dataclass
class Chart:
    title: str
    svg: SafeString
    summary: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
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
    rows = [[axis] + [_fmt(values[i]) for _, values in series] for i, axis in enumerate(axes)]
    summary = "; ".join(f"{name}: " + ", ".join(f"{axis} {_fmt(v)}" for axis, v in zip(axes, values, strict=True))
                        for name, values in series) + f" (out of {_fmt(maximum)})."
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


def lines(*, chart_id: str, title: str, series: list[tuple[str, list[tuple[date, float | None]]]],
          low: float, high: float, unit: str = "") -> Chart:
    """Trend lines over time on a shared scale; gaps where nothing was recorded."""
    width, height, left, right, top, bottom = 420, 240 + 18 * len(series), 34, 10, 14, 40 + 18 * len(series)
    dates = sorted({day for _, points in series for day, value in points if value is not None})
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = []
    for step in range(5):
        value = low + (high - low) * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13" fill="{INK}">{_fmt(value)}</text>')
    if dates:
        first, last = dates[0], dates[-1]
        span = max((last - first).days, 1)

        def x_of(day):
            return left + plot_w * (day - first).days / span

        def y_of(value):
            return top + plot_h - plot_h * (min(max(value, low), high) - low) / (high - low)

        for label_day in (first, last) if first != last else (first,):
            anchor = "start" if label_day == first else "end"
            parts.append(f'<text x="{x_of(label_day):.1f}" y="{top + plot_h + 16}" text-anchor="{anchor}" font-size="13" '
                         f'fill="{INK}">{label_day:%d %b %Y}</text>')
        for index, (_, points) in enumerate(series):
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            segment: list[str] = []
            for day, value in points:
                if value is None:
                    parts.append(_polyline(segment, style))
                    segment = []
                    continue
                segment.append(f"{x_of(day):.1f},{y_of(value):.1f}")
            parts.append(_polyline(segment, style))
            if len(points) <= 60:
                parts.extend(_marker(style["marker"], x_of(d), y_of(v), style["stroke"]) for d, v in points if v is not None)
    legend = _legend([name for name, _ in series], x=left, y=height - 18 * len(series) + 8)
    columns = ["Week of"] + [f"{name}{f' ({unit})' if unit else ''}" for name, _ in series]
    table = {day: [None] * len(series) for day in dates}
    for index, (_, points) in enumerate(series):
        for day, value in points:
            if value is not None:
                table[day][index] = value
    rows = [[f"{day:%d %b %Y}"] + [_fmt(v) for v in values] for day, values in table.items()]
    summary = _trend_summary(series) if dates else "Nothing recorded yet."
    return Chart(title=title, svg=_svg(width, height, title, summary, "".join(parts) + legend, chart_id),
                 summary=summary, columns=columns, rows=rows)


def _polyline(points: list[str], style: dict) -> str:
    if len(points) < 2:
        return ""
    return (f'<polyline points="{" ".join(points)}" fill="none" stroke="{style["stroke"]}" stroke-width="2.5" '
            f'stroke-dasharray="{style["dash"]}" stroke-linejoin="round"/>')


def _trend_summary(series) -> str:
    sentences = []
    for name, points in series:
        values = [v for _, v in points if v is not None]
        if not values:
            continue
        if len(values) == 1:
            sentences.append(f"{name}: {_fmt(values[0])}.")
            continue
        sentences.append(f"{name}: from {_fmt(values[0])} to {_fmt(values[-1])}, between {_fmt(min(values))} "
                         f"and {_fmt(max(values))}.")
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
