"""The one picture the outcomes report needs that the progress charts have not: how people's change splits into
lower, about the same and higher, one bar for each measure, as shares of the people whose change is shown; what is
withheld is the pale part left at the end.

Drawn like the other charts (pathways.reports.charts): presentation attributes only, every text escaped. Colour is
never the only difference: the parts keep one order, left to right, and each part wide enough to hold it names
its share.
"""
from django.utils.html import escape

from .charts import INK, Chart, _svg

# (name, fill, colour of the share written on it): four clearly different greys when printed in black and white.
PARTS = (("Lower", "#a0430a", "#ffffff"), ("About the same", "#9aa5a9", INK), ("Higher", "#1d3f4e", "#ffffff"))
WITHHELD = "#e4e8e9"  # the parts withheld, together: pale, and never labelled with a share
LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 150, 250, 34
LABEL_FROM = 0.12  # a part narrower than this share of the bar leaves its number to the table


def splits(*, chart_id: str, title: str, rows: list[tuple[str, int | None, tuple[int | None, ...]]]) -> Chart:
    """One bar per (label, people, (lower, same, higher)), each part as its share of the people. Withheld parts
    (None) are drawn together as one pale part at the end, the share that is left; a row whose people are withheld
    is named without a bar. The caller gives the table; the chart gives the picture and its sentence."""
    width = LABEL_WIDTH + BAR_WIDTH + 10
    top = 30
    height = top + ROW_HEIGHT * len(rows) + 6
    parts = _legend(y=16)
    sentences = []
    for index, (label, people, counts) in enumerate(rows):
        y = top + ROW_HEIGHT * index
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 19}" text-anchor="end" font-size="13" fill="{INK}">'
                     f'{escape(_short(label))}</text>')
        if not people:
            words = "withheld" if people is None else "nobody has answered twice yet"
            parts.append(f'<text x="{LABEL_WIDTH}" y="{y + 19}" font-size="13" fill="{INK}">{words}</text>')
            sentences.append(f"{label}: {words}.")
            continue
        shown = [(name, colour, ink, count / people) for (name, colour, ink), count in zip(PARTS, counts, strict=True)
                 if count is not None]
        left = 1 - sum(share for *_, share in shown)
        x = float(LABEL_WIDTH)
        for _, colour, ink, share in [*shown, *([("withheld", WITHHELD, None, left)] if left > 0.001 else [])]:
            parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{BAR_WIDTH * share:.1f}" height="22" fill="{colour}"/>')
            if share >= LABEL_FROM and ink:
                parts.append(f'<text x="{x + BAR_WIDTH * share / 2:.1f}" y="{y + 19}" text-anchor="middle" '
                             f'font-size="12" fill="{ink}">{round(share * 100)}%</text>')
            x += BAR_WIDTH * share
        words = [f"{round(share * 100)}% {name.lower()}" for name, _, _, share in shown]
        if left > 0.001:
            words.append(f"{round(left * 100)}% withheld")
        sentences.append(f"{label}: " + ", ".join(words) + ".")
    summary = " ".join(sentences)
    return Chart(title=title, svg=_svg(width, height, title, summary, "".join(parts), chart_id), summary=summary,
                 columns=[], rows=[])


def _legend(*, y: float) -> list[str]:
    parts, x = [], 0.0
    for name, colour, _ in (*PARTS, ("Withheld", WITHHELD, None)):
        parts.append(f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="{y}" font-size="13" fill="{INK}">{escape(name)}</text>')
        x += 16 + 8 * len(name) + 14
    return parts


def _short(label: str, most: int = 22) -> str:
    """A long name is cut on the picture; the sentence and the table give it whole."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"
