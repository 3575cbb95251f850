"""The analyzer's codes in plain words, for people who have never read the MITI manual.

Kept apart from the templates so the analyze page, saved transcripts and practice mode all say the same thing.
"""
from pathways.mi.codes import COUNSELLOR, Coding

SPEAKERS = {COUNSELLOR: "Supporter"}  # whoever else speaks is the person
PERSON_LABEL = "Person"

CODE_WORDS = {
    ("question", "open"): "open question",
    ("question", "closed"): "closed question",
    ("question", ""): "question",
    ("reflection", "simple"): "simple reflection",
    ("reflection", "complex"): "complex reflection",
    ("reflection", ""): "reflection",
    ("input", "information"): "giving information",
    ("input", "advice"): "giving advice",
    ("input", "options"): "offering options",
    ("input", "negotiation"): "agreeing goals together",
    ("input", ""): "giving input",
    ("other", ""): "other (greeting, affirming, structuring)",
    ("change", ""): "change talk",
    ("neutral", ""): "neither for nor against change",
    ("sustain", ""): "sustain talk",
}


# MITI behaviour codes (pathways.mi.behaviours), as a sentence about the reply would name them.
BEHAVIOUR_WORDS = {
    "confront": "a label or a judgement (confronting)",
    "persuade": "an argument for change (persuading)",
    "persuade_with_permission": "an idea offered after asking (persuading with permission)",
    "giving_information": "giving information",
    "affirm": "affirming",
    "seeking_collaboration": "seeking collaboration",
    "emphasizing_autonomy": "emphasizing the person's choice",
}


# How a MI-non-adherent turn is marked in the timeline, in words, so the mark never rests on colour alone.
MOMENT_WORDS = {"confront": "confronting", "persuade": "arguing for change"}


def moment_label(behaviours) -> str:
    """"Heard as confronting", "Heard as arguing for change" (or both); "" for a turn with neither."""
    heard = [MOMENT_WORDS[b] for b in behaviours if b in MOMENT_WORDS]
    return f"Heard as {' and '.join(heard)}" if heard else ""


def behaviour_words(behaviours) -> str:
    """"a label or a judgement (confronting) and affirming"; "" for none."""
    return " and ".join(BEHAVIOUR_WORDS.get(b, b.replace("_", " ")) for b in behaviours)


def speaker_label(speaker: str) -> str:
    return SPEAKERS.get(speaker, PERSON_LABEL)


def code_words(coding: Coding) -> str:
    """"open question", "change talk"…; an unknown pair falls back to its own names rather than failing."""
    return CODE_WORDS.get((coding.code, coding.subcode)) or " ".join(filter(None, (coding.subcode, coding.code)))


def confidence_words(coding: Coding) -> str:
    return f"{round(coding.confidence * 100)}% sure"
