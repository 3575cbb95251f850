"""TEMPORARY stand-in so the rest of the analyzer can be built while the model is trained.

The real module keeps exactly this interface: `code_utterances(utterances) -> list[Coding]`, one Coding per
utterance in the same order, loading the model lazily on first use. This stand-in will be replaced.
"""
from collections.abc import Sequence

from pathways.mi.codes import (
    CHANGE,
    COUNSELLOR,
    INPUT,
    NEUTRAL,
    OTHER,
    QUESTION,
    REFLECTION,
    SUSTAIN,
    Coding,
)


def code_utterances(utterances: Sequence) -> list[Coding]:
    return [_guess(u.speaker, u.text) for u in utterances]


def _guess(speaker: str, text: str) -> Coding:
    lowered = text.lower()
    if speaker == COUNSELLOR:
        if text.rstrip().endswith("?"):
            opener = lowered.split()[0] if lowered.split() else ""
            return Coding(QUESTION, "open" if opener in {"what", "how", "tell", "why"} else "closed", 0.6)
        if lowered.startswith(("it sounds", "you feel", "you're", "so you")):
            return Coding(REFLECTION, "complex" if len(text) > 60 else "simple", 0.6)
        if "should" in lowered or "might try" in lowered:
            return Coding(INPUT, "advice", 0.5)
        return Coding(OTHER, "", 0.5)
    if any(w in lowered for w in ("want to stop", "i will", "i could", "cut down", "quit")):
        return Coding(CHANGE, "", 0.5)
    if any(w in lowered for w in ("i don't want", "can't", "not a problem")):
        return Coding(SUSTAIN, "", 0.5)
    return Coding(NEUTRAL, "", 0.5)
