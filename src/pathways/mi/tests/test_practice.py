"""Practice mode: the statements, and one tip chosen by how the reply is coded."""
import pytest

from pathways.mi.codes import CHANGE, COUNSELLOR, INPUT, OTHER, PERSON, QUESTION, REFLECTION, Coding
from pathways.mi.practice import STATEMENTS, PracticeFeedback, get_statement, practice_feedback


def test_statements_cover_the_four_dimensions_and_each_kind_of_talk():
    assert len(STATEMENTS) >= 12
    assert len({s.slug for s in STATEMENTS}) == len(STATEMENTS)
    assert {s.dimension for s in STATEMENTS} == {"Health", "Home", "Purpose", "Community"}
    assert {s.talk for s in STATEMENTS} == {"ambivalence", "sustain talk", "change talk"}
    assert all(s.slug == s.slug.lower() and " " not in s.slug and s.text.strip() for s in STATEMENTS)


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
