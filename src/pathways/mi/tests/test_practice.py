"""Practice mode: the statements, and one tip chosen by how the reply is coded."""
import re
from collections import Counter

import pytest

from pathways.mi.codes import CHANGE, COUNSELLOR, INPUT, OTHER, PERSON, QUESTION, REFLECTION, Coding
from pathways.mi.practice import (
    DIMENSIONS,
    DISCORD,
    HELPS,
    NEITHER,
    STATEMENTS,
    SUSTAIN_TALK,
    TALK_KINDS,
    TRY_AGAIN,
    PracticeFeedback,
    get_statement,
    practice_feedback,
    reply_outcome,
)

# Slugs that tests and links already use: issue 29 added statements without renaming these.
EARLIER_SLUGS = ("sleep-and-drinking", "doctor-appointment", "methadone-judged", "walk-mornings", "flatmate-uses",
                 "kids-visits", "tidy-flat", "job-interview", "nothing-to-do", "college-course", "old-friends",
                 "group-meeting", "mum-calls", "not-a-problem")


def test_statements_cover_the_four_dimensions_and_each_kind_of_talk():
    assert len(STATEMENTS) >= 30
    assert len({s.slug for s in STATEMENTS}) == len(STATEMENTS)
    assert len({s.text for s in STATEMENTS}) == len(STATEMENTS)
    assert DIMENSIONS == ("Health", "Home", "Purpose", "Community")
    assert TALK_KINDS == ("ambivalence", "sustain talk", "change talk", "discord")
    assert all(s.dimension in DIMENSIONS and s.talk in TALK_KINDS for s in STATEMENTS)
    assert {s.dimension for s in STATEMENTS} == set(DIMENSIONS)
    assert {s.talk for s in STATEMENTS} == set(TALK_KINDS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.slug) and s.text.strip() == s.text for s in STATEMENTS)


def test_there_is_plenty_of_sustain_talk_and_discord_to_practise_with():
    kinds = Counter(s.talk for s in STATEMENTS)
    assert kinds[DISCORD] >= 6 and kinds[SUSTAIN_TALK] >= 8
    assert get_statement("all-the-same").talk == DISCORD  # "you just want me to stop": pushing back at the supporter


def test_each_dimension_has_several_statements():
    assert min(Counter(s.dimension for s in STATEMENTS).values()) >= 5


def test_the_earlier_slugs_are_kept_in_their_order():
    assert [s.slug for s in STATEMENTS[:len(EARLIER_SLUGS)]] == list(EARLIER_SLUGS)


def test_the_statements_use_person_first_words():
    """DESIGN §5: the statements are the person's own voice, and still never use a label for a person."""
    labels = re.compile(r"\b(addicts?|alcoholics?|junkies?|clean|dirty)\b", re.IGNORECASE)
    assert [s.slug for s in STATEMENTS if labels.search(s.text)] == []


def test_get_statement():
    assert get_statement(STATEMENTS[3].slug) is STATEMENTS[3]
    assert get_statement("no-such-statement") is None


class FakeCoder:
    """Codes the reply as told, and remembers what it was asked to code."""

    def __init__(self, code: str, subcode: str = "", behaviours: tuple[str, ...] = ()):
        self.coding, self.seen = Coding(code, subcode, 0.8, behaviours=behaviours), []

    def __call__(self, utterances):
        self.seen = list(utterances)
        return [Coding(CHANGE, "", 0.7), self.coding]


def test_the_reply_is_coded_as_the_counsellor_turn_after_the_statement():
    coder = FakeCoder(REFLECTION, "complex")
    feedback = practice_feedback(" I want my kids back. ", "  It sounds like being a dad matters a lot.  ", coder=coder)
    assert [(u.index, u.speaker, u.text) for u in coder.seen] == [
        (0, PERSON, "I want my kids back."), (1, COUNSELLOR, "It sounds like being a dad matters a lot.")]
    assert feedback == PracticeFeedback(Coding(REFLECTION, "complex", 0.8), feedback.tip)


@pytest.mark.parametrize(("code", "subcode", "reply", "words"), [
    (QUESTION, "closed", "Do you want to stop?", "“What would it mean for you to stop?”"),
    (QUESTION, "closed", "Is that hard?", "“what” or “how”"),
    (QUESTION, "open", "What would that look like?", "try a reflection"),
    (REFLECTION, "simple", "You want to stop.", "one step further"),
    (REFLECTION, "complex", "Part of you is ready for something different.", "Well done"),
    (INPUT, "advice", "You should go to a meeting.", "ask permission"),
    (OTHER, "", "Okay.", "reflection"),
])
def test_one_tip_chosen_by_the_code(code, subcode, reply, words):
    feedback = practice_feedback(STATEMENTS[0].text, reply, coder=FakeCoder(code, subcode))
    assert (feedback.coding.code, feedback.coding.subcode) == (code, subcode)
    assert words in feedback.tip


@pytest.mark.parametrize(("code", "subcode", "behaviours", "reply", "words"), [
    (REFLECTION, "complex", ("confront",), "You're an alcoholic and you're in denial.", "label or a judgement"),
    (QUESTION, "open", ("persuade", "confront"), "So why don't you just stop drinking?", "label or a judgement"),
    (INPUT, "advice", ("persuade",), "You need to quit, it's killing you.", "argument for change"),
])
def test_a_reply_that_labels_or_argues_is_never_praised(code, subcode, behaviours, reply, words):
    tip = practice_feedback(STATEMENTS[0].text, reply, coder=FakeCoder(code, subcode, behaviours)).tip
    assert words in tip and "Well done" not in tip and "helps people" not in tip
    assert "for example: “" in tip  # and it offers another way to say it


@pytest.mark.parametrize("reply", ["", "   \n\t"])
def test_an_empty_reply_is_refused_clearly(reply):
    with pytest.raises(ValueError, match="Write your reply"):
        practice_feedback(STATEMENTS[0].text, reply, coder=FakeCoder(OTHER))


@pytest.mark.parametrize(("coding", "outcome"), [
    (Coding(REFLECTION, "complex", 0.9), HELPS),
    (Coding(REFLECTION, "simple", 0.9), HELPS),
    (Coding(QUESTION, "open", 0.9), HELPS),
    (Coding(QUESTION, "open", 0.9, behaviours=("emphasizing_autonomy",)), HELPS),
    (Coding(REFLECTION, "complex", 0.9, behaviours=("confront",)), TRY_AGAIN),
    (Coding(QUESTION, "open", 0.9, behaviours=("persuade", "confront")), TRY_AGAIN),
    (Coding(INPUT, "advice", 0.9, behaviours=("persuade",)), TRY_AGAIN),
    (Coding(QUESTION, "closed", 0.9), NEITHER),
    (Coding(INPUT, "advice", 0.9), NEITHER),
    (Coding(OTHER, "", 0.9), NEITHER),
])
def test_reply_outcome_never_counts_a_label_or_an_argument_as_helping(coding, outcome):
    assert reply_outcome(coding) == outcome
