"""Turn the library's results into what the templates show: words for codes, thresholds and ratings.

The analyzer (and with it the model) is imported inside each function, so loading the web app never loads
the model; the first analysis does.
"""
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils.text import Truncator

from pathways.mi.codes import COUNSELLOR

from .words import behaviour_words, code_words, confidence_words, moment_label, speaker_label

RATING_WORDS = {"good": "good", "fair": "fair", "not yet": "not yet fair"}
RATING_CLASSES = {"good": "good", "fair": "fair", "not yet": "below"}


@dataclass(frozen=True)
class Turn:
    index: int
    speaker: str  # a word for people: "Supporter" or "Person"
    side: str  # "counsellor" or "person", for the CSS class
    text: str
    code: str  # the code's own name, for the CSS class
    words: str  # "open question", "change talk"…
    confidence: str  # "82% sure"
    time: str = ""  # as the transcript wrote it, or ""
    behaviours: str = ""  # the MITI behaviours heard, in words, or ""
    moment: str = ""  # "Heard as confronting"… for a MI-non-adherent turn, else ""


# A saved session shows its turns this many to a page; the summary and lists above them always cover them all.
TURNS_PER_PAGE = 200


@dataclass(frozen=True)
class TurnLink:
    """A turn named in a suggestion or the moments list, and where to find it ("" when no page shows it)."""
    number: int  # counted from 1, as the timeline numbers turns
    time: str
    href: str


@dataclass(frozen=True)
class SuggestionRow:
    quote: str
    tip: str
    turn: TurnLink | None  # None for a general tip


@dataclass(frozen=True)
class MomentRow:
    turn: TurnLink
    label: str  # "Heard as arguing for change"
    quote: str  # the start of what was said


@dataclass(frozen=True)
class PageLink:
    label: str  # "Turns 201–400"
    href: str
    current: bool


@dataclass(frozen=True)
class MeasureRow:
    label: str
    display: str
    rating: str  # in words; "not rated" where MITI gives no threshold
    rating_class: str
    thresholds: str  # "fair at 1:1, good at 2:1", or ""
    explanation: str


def analysis_context(utterances, *, page=1, paged: bool = False) -> dict:
    """The whole analysis, with one page of its turns.

    `paged` is for a saved transcript, whose own URL takes `?page=N`: `page` chooses which turns to show (a
    page number that is not one, or past the end, shows the first or last page), and a link to a turn on
    another page goes there. An analysis not yet saved has no URL of its own to page through, so it shows the
    first page, and a turn past it is named without a link.
    """
    from pathways.mi.analysis import analyze

    analysis = analyze(utterances)
    paginator = Paginator(analysis.utterances, TURNS_PER_PAGE)
    shown = paginator.get_page(page if paged else 1)

    def link(u) -> TurnLink:
        on = u.index // TURNS_PER_PAGE + 1
        href = f"#turn-{u.index}" if on == shown.number else f"?page={on}#turn-{u.index}" if paged else ""
        return TurnLink(number=u.index + 1, time=u.time, href=href)

    by_index = {c.utterance.index: c.utterance for c in analysis.utterances}
    return {
        "analysis": analysis,
        "measures": [_measure_row(m) for m in analysis.measures],
        "turns": [_turn(c.utterance, c.coding) for c in shown],
        "turn_page": shown,
        "turn_pages": _page_links(paginator, shown) if paged and paginator.num_pages > 1 else [],
        "turns_not_shown": 0 if paged else paginator.count - len(shown),
        "suggestions": [SuggestionRow(s.quote, s.tip, link(by_index[s.index]) if s.index is not None else None)
                        for s in analysis.suggestions],
        "moments": [MomentRow(link(c.utterance), moment_label(c.coding.behaviours),
                              Truncator(" ".join(c.utterance.text.split())).chars(120))
                    for c in analysis.moments],
    }


def _page_links(paginator: Paginator, shown: Page) -> list[PageLink]:
    links = []
    for number in paginator.page_range:
        first, last = (number - 1) * TURNS_PER_PAGE + 1, min(number * TURNS_PER_PAGE, paginator.count)
        links.append(PageLink(f"Turns {first}–{last}", f"?page={number}#timeline-heading", number == shown.number))
    return links


def _turn(utterance, coding) -> Turn:
    return Turn(index=utterance.index, speaker=speaker_label(utterance.speaker),
                side="counsellor" if utterance.speaker == COUNSELLOR else "person", text=utterance.text,
                code=coding.code, words=code_words(coding), confidence=confidence_words(coding),
                time=utterance.time, behaviours=behaviour_words(coding.behaviours),
                moment=moment_label(coding.behaviours) if utterance.speaker == COUNSELLOR else "")


def _measure_row(measure) -> MeasureRow:
    thresholds = ""
    if measure.fair is not None and measure.good is not None:
        thresholds = f"fair at {_amount(measure, measure.fair)}, good at {_amount(measure, measure.good)}"
    # No rating either because MITI sets no threshold, or because there was nothing to count this time.
    unrated = "not rated, as there was nothing to count" if thresholds else "not rated"
    return MeasureRow(label=measure.label, display=measure.display,
                      rating=RATING_WORDS.get(measure.rating, unrated),
                      rating_class=RATING_CLASSES.get(measure.rating, "none"), thresholds=thresholds,
                      explanation=measure.explanation)


def _amount(measure, value: float) -> str:
    """A threshold as the measure shows its value: a ratio "2:1" or a share "50%"."""
    return f"{value:g}:1" if measure.key == "reflection_to_question" else f"{value:g}%"


def statement_context(slug: str) -> dict:
    """The statement asked for (the first one when the slug is unknown or missing) and the one after it."""
    from pathways.mi.practice import STATEMENTS, get_statement

    statement = get_statement(slug) or STATEMENTS[0]
    following = STATEMENTS[(STATEMENTS.index(statement) + 1) % len(STATEMENTS)]
    return {"statement": statement, "next_statement": following}


def practice_context(statement, reply: str) -> dict:
    """How the reply was coded and the one tip. Raises ValueError for an empty reply."""
    from pathways.mi.practice import practice_feedback

    feedback = practice_feedback(statement.text, reply)
    return {"feedback": feedback, "feedback_words": code_words(feedback.coding),
            "feedback_confidence": confidence_words(feedback.coding),
            "feedback_behaviours": behaviour_words(feedback.coding.behaviours)}
