"""Charts are drawn on the server, escape every text, and carry a sentence and a table."""
from datetime import date, timedelta

from pathways.reports import charts

XSS = '<script>alert("x")</script>'


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
    line = charts.lines(chart_id="l", title="t", low=0, high=10, series=[(XSS, [(date(2026, 1, 5), 3.0)])])
    bar = charts.bars(chart_id="b", title="t", series=[(XSS, [(date(2026, 1, 5), 2)])])
    for svg in (chart.svg, line.svg, bar.svg):
        assert "<script>" not in str(svg) and "&lt;script&gt;" in str(svg)


def test_no_style_attributes_so_the_strict_csp_holds():
    line = charts.lines(chart_id="l", title="t", low=0, high=10,
                        series=[("A", [(date(2026, 1, 5) + timedelta(weeks=n), float(n)) for n in range(5)])])
    assert "style=" not in str(line.svg)


def test_lines_leave_gaps_where_nothing_was_recorded_and_summarise_the_trend():
    start = date(2026, 1, 5)
    points = [(start, 2.0), (start + timedelta(weeks=1), None), (start + timedelta(weeks=2), 4.0),
              (start + timedelta(weeks=3), 5.0)]
    chart = charts.lines(chart_id="m", title="Mood", low=1, high=5, series=[("Mood", points)])
    assert str(chart.svg).count("<polyline") == 1  # the single point before the gap draws no line
    assert chart.summary == "Mood: from 2 to 5, between 2 and 5."
    assert [row[1] for row in chart.rows] == ["2", "4", "5"]


def test_an_empty_chart_says_so():
    assert charts.lines(chart_id="e", title="t", low=0, high=1, series=[("A", [])]).summary == "Nothing recorded yet."


def test_bars_count_per_week():
    week = date(2026, 3, 2)
    chart = charts.bars(chart_id="b", title="t", series=[("Wins", [(week, 3), (week + timedelta(weeks=1), 0)]),
                                                          ("Steps done", [(week, 1), (week + timedelta(weeks=1), 2)])])
    assert chart.summary == "Over the last 2 weeks: 3 wins, 3 steps done."
    assert chart.rows == [["02 Mar 2026", "3", "1"], ["09 Mar 2026", "0", "2"]]
