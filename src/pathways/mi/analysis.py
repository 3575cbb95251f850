"""A MITI-style summary of a coded session, and a few suggestions drawn from it.

The thresholds are those of the Motivational Interviewing Treatment Integrity code, MITI 4.2.1 (Moyers, Manuel &
Ernst, 2014; Moyers, Rowell, Manuel, Ernst & Houck, "The Motivational Interviewing Treatment Integrity Code
(MITI 4): Rationale, Preliminary Reliability and Validity", J Subst Abuse Treat 2016;65:36-42):

* reflection-to-question ratio: fair from 1:1, good from 2:1;
* complex reflections as a share of all reflections: fair from 40%, good from 50%.

MITI 4.2.1 does not split questions into open and closed, so the share of open questions has no MITI 4
threshold and is shown without a rating. The share of unsolicited input and the share of change talk have no
MITI threshold either; they are shown for the supporter to read, not rated.

Unsolicited input. A counsellor utterance coded as input (information, advice, options, negotiation) counts as
solicited when, since the person last spoke, either the person's last words asked something (ended with "?"),
or the counsellor's last words before those asked permission ("would it be okay if I…", "can I share…",
"may I…", "do you mind if I…", "would you like to hear…"). All other input is unsolicited. Permission asked and
input given in the same breath counts as unsolicited: the person has not yet had the chance to answer.

MITI behaviour codes (pathways.mi.behaviours). MITI 4.2.1 totals the counsellor's MI-adherent behaviours
(affirm, seeking collaboration, emphasizing autonomy) and MI-non-adherent ones (confront, persuade without
permission) and sets no threshold for either; its aim is plainly more of the first than the second, so the
summary counts both, each behaviour on its own, and says in words how they compare. A turn coded with two
behaviours counts once for each. Every MI-non-adherent turn is a "moment worth another look"
(`Analysis.moments`), and the suggestion about the first one says when it happened: at the time the
transcript gave ("At 12:03 a reply argued for change; …"), or else by its turn number, counted from 1 as the
pages show them ("In turn 14 …").

Percentages are 0–100. Where a denominator is zero the value is None and the display says why in words.
"""
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pathways.mi.behaviours import ADHERENT, BEHAVIOURS, NON_ADHERENT
from pathways.mi.codes import (
    CHANGE,
    COUNSELLOR,
    INPUT,
    NEUTRAL,
    OTHER,
    PERSON,
    QUESTION,
    REFLECTION,
    SUSTAIN,
    Coding,
)
from pathways.mi.transcript import Utterance

GOOD, FAIR, NOT_YET = "good", "fair", "not yet"

PERMISSION = re.compile(
    r"\b(would|will) it be (ok|okay|all right|alright)\b|\bis it (ok|okay|all right|alright)\b"
    r"|\b(can|could|may) i (share|tell|offer|suggest|give|mention|add|make)\b|\bmay i\b"
    r"|\bdo you mind if i\b|\bmind if i\b|\bwould you like (me to|to hear|some|to know)\b"
    r"|\bwould you be (interested|open)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CodedUtterance:
    utterance: Utterance
    coding: Coding


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    value: float | None  # None when the denominator is zero; percentages are 0–100
    display: str
    fair: float | None
    good: float | None
    rating: str  # "good" | "fair" | "not yet" | "" when no threshold or no value
    explanation: str


@dataclass(frozen=True)
class Suggestion:
    index: int | None  # the utterance quoted, or None for a general tip
    quote: str
    tip: str
    time: str = ""  # when the quoted utterance was said, if the transcript said


@dataclass(frozen=True)
class BehaviourSummary:
    counts: dict  # behaviour -> the counsellor's turns coded with it, for every behaviour
    adherent: int
    non_adherent: int
    reading: str


@dataclass(frozen=True)
class Analysis:
    utterances: tuple[CodedUtterance, ...]
    measures: tuple[Measure, ...]
    counts: dict
    suggestions: tuple[Suggestion, ...]
    behaviours: BehaviourSummary

    @property
    def moments(self) -> tuple[CodedUtterance, ...]:
        """Every counsellor turn coded MI-non-adherent (confront, persuade), in the order they were said."""
        return tuple(c for c in self.utterances if _argues_or_labels(c))

    def to_dict(self) -> dict:
        summary: dict = {"counts": dict(self.counts)}
        for m in self.measures:
            summary[m.key] = {"value": m.value, "display": m.display, "fair": m.fair, "good": m.good,
                              "rating": m.rating}
        summary["behaviours"] = {"mi_adherent": self.behaviours.adherent,
                                 "mi_non_adherent": self.behaviours.non_adherent,
                                 "counts": dict(self.behaviours.counts), "reading": self.behaviours.reading}
        summary["suggestions"] = [{"index": s.index, "quote": s.quote, "tip": s.tip} for s in self.suggestions]
        return {"utterances": [_utterance_dict(c) for c in self.utterances], "summary": summary}


def _utterance_dict(c: CodedUtterance) -> dict:
    said = {"index": int(c.utterance.index), "speaker": c.utterance.speaker, "text": c.utterance.text,
            "code": c.coding.code, "subcode": c.coding.subcode, "confidence": float(c.coding.confidence)}
    if c.utterance.time:  # only when the transcript gave one, so untimed output keeps its shape
        said["time"] = c.utterance.time
    if c.utterance.speaker == COUNSELLOR:  # behaviour codes are the counsellor's alone
        said["behaviours"] = list(c.coding.behaviours)
    return said


def analyze(utterances: Sequence[Utterance], codings: Sequence[Coding] | None = None) -> Analysis:
    """Code the utterances (unless codings are given, one per utterance) and summarise the session."""
    if codings is None:
        from pathways.mi.coder import code_utterances  # here, so the model loads only when it is needed

        codings = code_utterances(utterances)
    if len(codings) != len(utterances):
        raise ValueError(f"{len(codings)} codings were given for {len(utterances)} utterances; give one each.")
    coded = tuple(CodedUtterance(u, c) for u, c in zip(utterances, codings, strict=True))
    unsolicited = unsolicited_input(coded)
    counts = _counts(coded, unsolicited)
    measures = _measures(counts)
    return Analysis(coded, measures, counts, _suggestions(coded, measures, unsolicited), summarise_behaviours(coded))


def summarise_behaviours(coded: Sequence[CodedUtterance]) -> BehaviourSummary:
    """MITI 4.2.1's behaviour counts over the counsellor's turns, and a plain reading of them."""
    counts = {b: sum(b in c.coding.behaviours for c in coded if c.utterance.speaker == COUNSELLOR)
              for b in BEHAVIOURS}
    adherent = sum(counts[b] for b in ADHERENT)
    non_adherent = sum(counts[b] for b in NON_ADHERENT)
    return BehaviourSummary(counts, adherent, non_adherent, _behaviour_reading(adherent, non_adherent))


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _behaviour_reading(adherent: int, non_adherent: int) -> str:
    if not adherent and not non_adherent:
        return ("No affirming, seeking collaboration or emphasizing autonomy was heard, and no confronting or "
                "persuading either. MITI 4.2.1 counts the first three as MI-adherent and the last two as "
                "MI-non-adherent; the aim is more of the first.")
    said = (f"MI-adherent behaviour (affirming, seeking collaboration, emphasizing autonomy) was heard "
            f"{_times(adherent)}" if adherent else "No MI-adherent behaviour was heard")
    said += (f", and MI-non-adherent behaviour (confronting, persuading without permission) {_times(non_adherent)}."
             if non_adherent else ", and no MI-non-adherent behaviour.")
    if adherent > non_adherent:
        return said + " More adherent than non-adherent is what MITI 4.2.1 looks for."
    return said + (" MITI 4.2.1 looks for more adherent than non-adherent. Where a reply argued or labelled, a "
                   "reflection of the person's own view, or a question about what they think, tends to land better.")


def _is(c: CodedUtterance, speaker: str, code: str, subcode: str | None = None) -> bool:
    # Counsellor codes only count on the counsellor's turns and the person's codes on the person's, so a
    # mis-assigned code can never inflate a measure.
    return (c.utterance.speaker == speaker and c.coding.code == code
            and (subcode is None or c.coding.subcode == subcode))


def unsolicited_input(coded: Sequence[CodedUtterance]) -> list[int]:
    """Positions (in `coded`) of counsellor input nobody asked for, by the rule in the module docstring."""
    found = []
    # One pass, remembering the person's latest words and the counsellor's words just before them.
    person_words: str | None = None
    counsellor_before_person = counsellor_last = ""
    for i, c in enumerate(coded):
        if c.utterance.speaker == PERSON:
            person_words, counsellor_before_person = c.utterance.text, counsellor_last
            continue
        if _is(c, COUNSELLOR, INPUT):
            solicited = person_words is not None and (
                person_words.rstrip().endswith("?") or PERMISSION.search(counsellor_before_person) is not None)
            if not solicited:
                found.append(i)
        counsellor_last = c.utterance.text
    return found


def _next_counsellor(coded: Sequence[CodedUtterance]) -> list[CodedUtterance | None]:
    """For each position, the first counsellor utterance after it (one backward pass, so long sessions stay fast)."""
    following: list[CodedUtterance | None] = [None] * len(coded)
    for i in range(len(coded) - 2, -1, -1):
        after = coded[i + 1]
        following[i] = after if after.utterance.speaker == COUNSELLOR else following[i + 1]
    return following


def _counts(coded: Sequence[CodedUtterance], unsolicited: list[int]) -> dict:
    def n(speaker: str, code: str, subcode: str | None = None) -> int:
        return sum(_is(c, speaker, code, subcode) for c in coded)

    return {
        "utterances": len(coded),
        "counsellor_utterances": sum(c.utterance.speaker == COUNSELLOR for c in coded),
        "person_utterances": sum(c.utterance.speaker == PERSON for c in coded),
        "questions": n(COUNSELLOR, QUESTION),
        "open_questions": n(COUNSELLOR, QUESTION, "open"),
        "closed_questions": n(COUNSELLOR, QUESTION, "closed"),
        "reflections": n(COUNSELLOR, REFLECTION),
        "simple_reflections": n(COUNSELLOR, REFLECTION, "simple"),
        "complex_reflections": n(COUNSELLOR, REFLECTION, "complex"),
        "input": n(COUNSELLOR, INPUT),
        "unsolicited_input": len(unsolicited),
        "other": n(COUNSELLOR, OTHER),
        "change_talk": n(PERSON, CHANGE),
        "sustain_talk": n(PERSON, SUSTAIN),
        "neutral_talk": n(PERSON, NEUTRAL),
    }


def _rating(value: float | None, fair: float | None, good: float | None) -> str:
    if value is None or fair is None or good is None:
        return ""
    return GOOD if value >= good else FAIR if value >= fair else NOT_YET


def _percent(key: str, label: str, part: int, whole: int, none: str, explanation: str,
             fair: float | None = None, good: float | None = None) -> Measure:
    # Rounded before rating, so the rating always agrees with the number shown.
    value = round(100 * part / whole, 1) if whole else None
    display = f"{value:g}%" if value is not None else none
    return Measure(key, label, value, display, fair, good, _rating(value, fair, good), explanation)


def _measures(counts: dict) -> tuple[Measure, ...]:
    questions, reflections = counts["questions"], counts["reflections"]
    ratio = round(reflections / questions, 2) if questions else None
    return (
        Measure("reflection_to_question", "Reflection-to-question ratio", ratio,
                f"{ratio:g}:1" if ratio is not None else "no questions", 1.0, 2.0, _rating(ratio, 1.0, 2.0),
                "Reflections for each question asked. MITI 4.2.1: fair from 1:1, good from 2:1."),
        _percent("complex_reflections", "Complex reflections", counts["complex_reflections"], reflections,
                 "no reflections",
                 "Reflections that add meaning or feeling beyond the person's words, out of all reflections. "
                 "MITI 4.2.1: fair from 40%, good from 50%.", 40.0, 50.0),
        _percent("open_questions", "Open questions", counts["open_questions"], questions, "no questions",
                 "Open questions out of all questions. MITI 4.2.1 sets no threshold for this, so it is not rated."),
        _percent("unsolicited_input", "Unsolicited input", counts["unsolicited_input"], counts["input"],
                 "no information or advice given",
                 "Information or advice given without the person asking or agreeing first, out of all "
                 "information and advice. Not rated; fewer is usually better."),
        _percent("change_talk", "Change talk", counts["change_talk"], counts["change_talk"] + counts["sustain_talk"],
                 "no change or sustain talk",
                 "The person's talk for change, out of their talk for and against change. Not rated."),
    )


# Simple, grammatical ways to open a closed question; each keeps the question's own words.
_OPENINGS = (
    (re.compile(r"^do you think (?:that )?(.+)$", re.I), "What are your thoughts on whether {}?"),
    (re.compile(r"^do you want to (.+)$", re.I), "What would it mean for you to {}?"),
    (re.compile(r"^(?:are|were) you (?:worried|concerned) about (.+)$", re.I), "How do you feel about {}?"),
    (re.compile(r"^are you ready to (.+)$", re.I), "How ready do you feel to {}?"),
    (re.compile(r"^are you willing to (.+)$", re.I), "How willing are you to {}?"),
    (re.compile(r"^have you (?:thought about|considered) (.+)$", re.I), "What are your thoughts about {}?"),
    (re.compile(r"^have you tried (.+)$", re.I), "What have you tried so far, and how did it go?"),
    (re.compile(r"^is (.+) important to you$", re.I), "How important is {} to you?"),
)
_LEAD_IN = re.compile(r"^(?:(?:so|and|okay|ok|well|right|now),?\s+)+", re.I)


def open_alternative(question: str) -> str:
    """An open version of a closed question when a simple one can be made, else ""."""
    asked = [s.strip() for s in re.findall(r"[^.?!]*\?", question) if s.strip()]
    if not asked:
        return ""
    sentence = _LEAD_IN.sub("", asked[-1]).rstrip("?").strip()
    for pattern, template in _OPENINGS:
        match = pattern.match(sentence)
        if match:
            return template.format(*match.groups())
    return ""


_FIRST_PERSON = {"i": "you", "i'm": "you're", "i've": "you've", "i'll": "you'll", "i'd": "you'd",
                 "me": "you", "my": "your", "mine": "yours", "myself": "yourself"}
_AFTER_I = {"am": "are", "was": "were"}  # "I was" → "you were", but "my dad was" stays as it is


def reflect_back(words: str) -> str:
    """A simple reflection of the first plain first-person sentence ("I want…" → "It sounds like you want…"),
    or "" when there is none."""
    for sentence in re.split(r"(?<=[.!?])\s+", words.replace("’", "'")):
        tokens = sentence.strip().rstrip(".!?").split()
        # Only plain first-person sentences turn over cleanly; anything addressed to "you" would come out garbled.
        if (tokens and tokens[0].lower() in {"i", "i'm", "i've", "i'll", "i'd"} and len(tokens) <= 20
                and not any(t.lower().strip(",;") in {"you", "your", "you're", "yours"} for t in tokens)):
            return _turn_over(tokens)
    return ""


def _turn_over(tokens: list[str]) -> str:
    turned = []
    for i, token in enumerate(tokens):
        word = token.rstrip(",;:")
        swap = _AFTER_I if i and tokens[i - 1].lower() == "i" else _FIRST_PERSON
        turned.append(swap.get(word.lower(), _FIRST_PERSON.get(word.lower(), word)) + token[len(word):])
    return "It sounds like " + " ".join(turned) + "."


def _quote(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _suggestions(coded: Sequence[CodedUtterance], measures: Sequence[Measure],
                 unsolicited: list[int]) -> tuple[Suggestion, ...]:
    """Two to four suggestions: what went well first, then the first moment of each kind worth another try."""
    by_key = {m.key: m for m in measures}
    following = _next_counsellor(coded)
    found: list[Suggestion] = []

    moments = [c for c in coded if _argues_or_labels(c)]
    pushing = moments[0] if moments else None
    well = [m for m in measures if m.rating in (GOOD, FAIR)]
    # A reply that labelled or argued is never held up as good listening, whatever its code.
    reflection = next((c for c in coded if _is(c, COUNSELLOR, REFLECTION, "complex") and not _argues_or_labels(c)),
                      None)
    if well or reflection:
        what = " and ".join(f"your {m.label.lower()} ({m.display}) reached “{m.rating}”" for m in well)
        opening = "Well done: " if pushing is None else "On the counts, "
        tip = (f"{opening}{what}. " if what else "") + (
            "This reflection went beyond the person's words to what they might mean or feel; keep doing that."
            if reflection else "Keep listening this way.")
        found.append(_about(reflection, tip) if reflection else Suggestion(None, "", tip))
    if pushing is not None:
        found.append(_about(pushing, pushing_moment_tip(pushing, len(moments))))

    for i, c in enumerate(coded):
        if not _is(c, PERSON, CHANGE):
            continue
        reply = following[i]
        if reply is not None and reply.coding.code != REFLECTION:
            example = reflect_back(c.utterance.text)
            found.append(_about(c, "Here the person spoke about their own reasons for change. Reflecting their "
                                    "words back helps them hear themselves say it"
                                + (f", for example: “{example}”" if example else ".")))
            break

    # Asking permission ("Would it be okay if…?") is closed on purpose: it is not the question to open up.
    closed = next((c for c in coded if _is(c, COUNSELLOR, QUESTION, "closed")
                   and not {"seeking_collaboration", "persuade_with_permission"} & set(c.coding.behaviours)), None)
    if closed is not None:
        alternative = open_alternative(closed.utterance.text)
        found.append(_about(closed, "A closed question invites a yes or a no. An open one invites the person's story"
                                + (f", for example: “{alternative}”" if alternative else
                                   "; try starting with “what” or “how”, such as “How do you see it?”")))

    if unsolicited:
        given = coded[unsolicited[0]]
        found.append(_about(given, "This information or advice came before the person asked for it. Asking first — "
                                "“Would it be okay if I shared something that has helped others?” — keeps them in "
                                "charge of their own recovery, and makes the idea easier to hear."))

    if by_key["reflection_to_question"].rating == NOT_YET:
        found.append(_reflect_between_questions(coded, following))

    for tip in _GENERAL_TIPS[:max(0, 2 - len(found))]:
        found.append(Suggestion(None, "", tip))
    return tuple(found[:4])


def _about(c: CodedUtterance, tip: str) -> Suggestion:
    """A suggestion quoting one utterance, carrying when it was said."""
    return Suggestion(c.utterance.index, _quote(c.utterance.text), tip, c.utterance.time)


def _argues_or_labels(c: CodedUtterance) -> bool:
    return c.utterance.speaker == COUNSELLOR and any(b in NON_ADHERENT for b in c.coding.behaviours)


def when(u: Utterance) -> str:
    """"At 12:03" when the transcript gave a time, else "In turn 14" (counted from 1, as pages show turns)."""
    return f"At {u.time}" if u.time else f"In turn {u.index + 1}"


def pushing_moment_tip(c: CodedUtterance, moments: int = 1) -> str:
    """When a confronting or persuading reply came, what might have landed better, and why. `moments` is how
    many such replies the session had, so the supporter knows whether this one was the only one."""
    if "confront" in c.coding.behaviours:
        tip = (f"{when(c.utterance)} a reply read as a label or a judgement; a reflection of what the person said, "
               "or an open question such as “How do you see things right now?”, might have landed better. Being "
               "labelled tends to make people defend themselves rather than think about change.")
    else:
        tip = (f"{when(c.utterance)} a reply argued for change; a reflection of the person's own reasons, or an "
               "open question such as “What would you like to do about it, if anything?”, might have landed "
               "better. When someone argues for change, the other person tends to argue back for staying the same.")
    return tip + (f" Replies like this came {_times(moments)} in this session." if moments > 1 else "")


def kinder_way(behaviours: Sequence[str]) -> str:
    """What a confronting or persuading reply sounded like, why it tends to backfire, and another way to say it."""
    if "confront" in behaviours:
        return ("This reads as a label or a judgement of the person. Being labelled tends to make people defend "
                "themselves rather than think about change. A reflection of what they said, or an open question "
                "about how they see it, keeps them talking, for example: “How do you see things right now?”")
    return ("This reads as an argument for change. When someone argues for change, the other person tends to argue "
            "back for staying the same. Asking what they think, or asking before offering an idea, tends to land "
            "better, for example: “What would you like to do about it, if anything?”")


# For a session too short to draw two suggestions from.
_GENERAL_TIPS = (
    "Try a reflection after each answer before asking the next question: say back, in a sentence, what you heard "
    "and what it might mean to the person.",
    "Invite the person's own reasons for change with an open question, such as “What would be different for you "
    "if things changed?”",
)


def _reflect_between_questions(coded: Sequence[CodedUtterance],
                               following: list[CodedUtterance | None]) -> Suggestion:
    tip = ("After the person answered, the next turn was another question. A short reflection of what they said "
           "shows you heard them, and often brings out more than a question would.")
    for i, c in enumerate(coded):
        if c.utterance.speaker != PERSON or i == 0 or not _is(coded[i - 1], COUNSELLOR, QUESTION):
            continue
        reply = following[i]
        if reply is not None and reply.coding.code == QUESTION:
            return _about(c, tip)
    return Suggestion(None, "", "There were more questions than reflections. After a question, try reflecting "
                                "the answer before asking the next one.")
