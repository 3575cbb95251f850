"""Charts are drawn on the server, escape every text, and carry a sentence and a table."""
import re
from datetime import date, timedelta

from pathways.reports import charts
from pathways.reports.periods import MONTH, WEEK, YEAR, Period

XSS = '<script>alert("x")</script>'


def weeks(count: int, start: date = date(2026, 1, 5)) -> list[Period]:
    return [Period(WEEK, start + timedelta(weeks=n), start + timedelta(weeks=n, days=6)) for n in range(count)]


def test_radar_draws_one_polygon_per_series_and_summarises_in_words():
    chart = charts.radar(chart_id="r", title="Four parts", axes=["Health", "Home", "Purpose", "Community"],
                         series=[("First", [2, 4, 6, 8]), ("Latest", [5, 5, 7, 9])])
    svg = str(chart.svg)
    assert svg.startswith("<svg") and svg.count("<polygon") == 5 + 2  # five grid rings, two series
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "First: Health 2, Home 4, Purpose 6, Community 8" in chart.summary
    assert chart.rows[0] == ["Health", "2", "5"]


def test_text_in_charts_is_escaped():
    chart = charts.radar(chart_id="r", title=XSS, axes=[XSS, "b", "c"], series=[(XSS, [1, 2, 3])])
    line = charts.lines(chart_id="l", title="t", low=0, high=10, periods=weeks(1), series=[(XSS, [3.0])])
    bar = charts.bars(chart_id="b", title="t", series=[(XSS, [(date(2026, 1, 5), 2)])])
    for svg in (chart.svg, line.svg, bar.svg):
        assert "<script>" not in str(svg) and "&lt;script&gt;" in str(svg)
    for table in (chart.table, line.table):
        assert "<script>" not in str(table) and "&lt;script&gt;" in str(table)


def test_no_style_attributes_so_the_strict_csp_holds():
    line = charts.lines(chart_id="l", title="t", low=0, high=10, periods=weeks(5),
                        series=[("A", [float(n) for n in range(5)])])
    assert "style=" not in str(line.svg) and "style=" not in str(line.table)


def test_lines_leave_gaps_where_nothing_was_recorded_and_summarise_the_trend():
    chart = charts.lines(chart_id="m", title="Mood", low=1, high=5, periods=weeks(4),
                         series=[("Mood", [2.0, None, 4.0, 5.0])])
    assert str(chart.svg).count("<polyline") == 1  # the single point before the gap draws no line
    assert chart.summary == "Mood: from 2 (week of 5 Jan 2026) to 5 (week of 26 Jan 2026), between 2 and 5."
    assert chart.rows == [["Week of 5 Jan 2026", "2"], ["Week of 12 Jan 2026", "—"], ["Week of 19 Jan 2026", "4"],
                          ["Week of 26 Jan 2026", "5"]]


def test_a_value_alone_between_gaps_keeps_its_marker_when_a_long_line_has_none():
    values = [None] * 70
    values[10] = 3.0  # alone: no line can show it
    values[40:45] = [2.0, 3.0, 4.0, 3.0, 2.0]  # a run: the line shows it
    chart = charts.lines(chart_id="m", title="Mood", low=1, high=5, periods=weeks(70), series=[("Mood", values)])
    assert len(re.findall(r"<circle ", str(chart.svg))) == 1 + 1  # the lone value, and the legend's sample
    assert str(chart.svg).count("<polyline") == 1


def test_a_line_over_years_months_and_weeks_marks_where_the_kind_of_point_changes():
    periods = ([Period(YEAR, date(y, 1, 1), date(y, 12, 31)) for y in (2022, 2023)]
               + [Period(MONTH, date(2024, m, 1), date(2024, m + 1, 1) - timedelta(days=1)) for m in range(1, 12)]
               + weeks(52, start=date(2024, 12, 30)))
    chart = charts.lines(chart_id="m", title="Mood", low=1, high=5, periods=periods,
                         series=[("Mood", [3.0] * len(periods))])
    svg = str(chart.svg)
    assert svg.count('stroke-dasharray="3 3"') == 2  # a mark between years and months, one between months and weeks
    assert ">monthly<" in svg and ">weekly<" in svg
    assert ">yearly<" not in svg  # two points of 65 are too narrow a stretch to name; the table names them
    assert ">2022<" in svg and ">Week of 22 Dec 2025<" in svg  # the two ends
    assert [row[0] for row in chart.rows[:3]] == ["2022", "2023", "January 2024"]
    assert chart.columns == ["Period", "Mood"]
    assert chart.summary == "Mood: 3 each time, from 2022 to week of 22 Dec 2025."


def test_an_empty_chart_says_so():
    assert charts.lines(chart_id="e", title="t", low=0, high=1, periods=[], series=[("A", [])]).summary == \
        "Nothing recorded yet."


def test_bars_count_per_week():
    week = date(2026, 3, 2)
    chart = charts.bars(chart_id="b", title="t", series=[("Wins", [(week, 3), (week + timedelta(weeks=1), 0)]),
                                                          ("Steps done", [(week, 1), (week + timedelta(weeks=1), 2)])])
    assert chart.summary == "Over the last 2 weeks: 3 wins, 3 steps done."
    assert chart.rows == [["02 Mar 2026", "3", "1"], ["09 Mar 2026", "0", "2"]]


def test_numbers_show_at_most_one_decimal_and_a_dash_for_nothing():
    from decimal import Decimal

    assert [charts.number(v) for v in (None, 3, 3.0, 3.25, Decimal("7.0833333"))] == ["—", "3", "3", "3.2", "7.1"]
