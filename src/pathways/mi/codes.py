"""The codes the analyzer gives, and one coded utterance."""
from dataclasses import dataclass

COUNSELLOR = "counsellor"
PERSON = "person"

# Counsellor behaviour (after MITI 4.2.1 and AnnoMI's main therapist behaviour).
QUESTION = "question"
REFLECTION = "reflection"
INPUT = "input"
OTHER = "other"
COUNSELLOR_CODES = (QUESTION, REFLECTION, INPUT, OTHER)

# The person's talk about change.
CHANGE = "change"
NEUTRAL = "neutral"
SUSTAIN = "sustain"
PERSON_CODES = (CHANGE, NEUTRAL, SUSTAIN)

SUBCODES = {
    QUESTION: ("open", "closed"),
    REFLECTION: ("simple", "complex"),
    INPUT: ("information", "advice", "options", "negotiation"),
}


@dataclass(frozen=True)
class Coding:
    """The analyzer's reading of one utterance. `subcode` is "" where a code has none."""

    code: str
    subcode: str
    confidence: float  # the model's probability for `code`, 0–1
    # MITI behaviour codes (pathways.mi.behaviours) of a counsellor's turn; always empty for the person's.
    behaviours: tuple[str, ...] = ()
