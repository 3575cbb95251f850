"""Turn the library's results into what the templates show: words for codes, thresholds and ratings.

The analyzer (and with it the model) is imported inside each function, so loading the web app never loads
the model; the first analysis does.
"""
from dataclasses import dataclass

from pathways.mi.codes import COUNSELLOR

from .words import behaviour_words, code_words, confidence_words, speaker_label

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


@dataclass(frozen=True)
class MeasureRow:
    label: str
    display: str
    rating: str  # in words; "not rated" where MITI gives no threshold
    rating_class: str
    thresholds: str  # "fair at 1:1, good at 2:1", or ""
    explanation: str


def analysis_context(utterances) -> dict:
    from pathways.mi.analysis import analyze

    analysis = analyze(utterances)
    return {
        "analysis": analysis,
        "measures": [_measure_row(m) for m in analysis.measures],
        "turns": [_turn(c.utterance, c.coding) for c in analysis.utterances],
        "suggestions": analysis.suggestions,
    }


def _turn(utterance, coding) -> Turn:
    return Turn(index=utterance.index, speaker=speaker_label(utterance.speaker),
                side="counsellor" if utterance.speaker == COUNSELLOR else "person", text=utterance.text,
                code=coding.code, words=code_words(coding), confidence=confidence_words(coding))


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
