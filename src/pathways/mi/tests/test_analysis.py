"""The session summary: exact arithmetic on hand-coded transcripts, and suggestions drawn from the session."""
import json

import pytest

from pathways.mi.analysis import analyze, open_alternative, reflect_back, unsolicited_input
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

T, P = COUNSELLOR, PERSON

# 4 questions (3 open), 6 reflections (3 complex), 4 input (1 unsolicited), 3 change and 1 sustain talk.
SESSION = [
    (T, "What brings you here today?", QUESTION, "open"),
    (P, "My doctor is worried about my drinking.", NEUTRAL, ""),
    (T, "Your doctor is worried.", REFLECTION, "simple"),
    (P, "I want to be around for my grandkids.", CHANGE, ""),
    (T, "Do you drink every day?", QUESTION, "closed"),
    (P, "Most days.", NEUTRAL, ""),
    (T, "It's most days.", REFLECTION, "simple"),
    (P, "I could cut down on weeknights.", CHANGE, ""),
    (T, "You're already seeing where a change might fit.", REFLECTION, "complex"),
    (P, "But I don't see how I'd relax without it.", SUSTAIN, ""),
    (T, "Drinking is how you've learned to unwind, and letting go of that feels risky.", REFLECTION, "complex"),
    (P, "What do other people do?", NEUTRAL, ""),
    (T, "Some people take a walk after work.", INPUT, "information"),  # asked for
    (T, "Others call a friend.", INPUT, "information"),  # still answering the person's question
    (P, "Hmm.", NEUTRAL, ""),
    (T, "You should join a gym.", INPUT, "advice"),  # nobody asked: unsolicited
    (T, "Would it be okay if I shared what has helped others?", OTHER, ""),
    (P, "Sure.", NEUTRAL, ""),
    (T, "Many people find an evening routine helps.", INPUT, "information"),  # permission given
    (T, "How would that fit your evenings?", QUESTION, "open"),
    (P, "I want to try it.", CHANGE, ""),
    (T, "It sounds like you're ready to try something new for yourself.", REFLECTION, "complex"),
    (P, "Maybe a walk.", NEUTRAL, ""),
    (T, "A walk.", REFLECTION, "simple"),
    (T, "What would make weeknights easier?", QUESTION, "open"),
]


def build(rows):
    utterances = [Utterance(i, speaker, text) for i, (speaker, text, _, _) in enumerate(rows)]
    codings = [Coding(code, subcode, 0.9) for _, _, code, subcode in rows]
    return utterances, codings


def measures(analysis):
    return {m.key: m for m in analysis.measures}


def test_summary_arithmetic_and_ratings():
    analysis = analyze(*build(SESSION))
    m = measures(analysis)
    assert (m["reflection_to_question"].value, m["reflection_to_question"].display) == (1.5, "1.5:1")
    assert (m["reflection_to_question"].fair, m["reflection_to_question"].good) == (1.0, 2.0)
    assert m["reflection_to_question"].rating == "fair"
    assert (m["complex_reflections"].value, m["complex_reflections"].display) == (50.0, "50%")
    assert (m["complex_reflections"].fair, m["complex_reflections"].good) == (40.0, 50.0)
    assert m["complex_reflections"].rating == "good"
    assert (m["open_questions"].value, m["open_questions"].display, m["open_questions"].rating) == (75.0, "75%", "")
    assert (m["open_questions"].fair, m["open_questions"].good) == (None, None)
    assert (m["unsolicited_input"].value, m["unsolicited_input"].display) == (25.0, "25%")
    assert (m["change_talk"].value, m["change_talk"].display, m["change_talk"].rating) == (75.0, "75%", "")
    assert analysis.counts == {
        "utterances": 25, "counsellor_utterances": 15, "person_utterances": 10,
        "questions": 4, "open_questions": 3, "closed_questions": 1,
        "reflections": 6, "simple_reflections": 3, "complex_reflections": 3,
        "input": 4, "unsolicited_input": 1, "other": 1,
        "change_talk": 3, "sustain_talk": 1, "neutral_talk": 6,
    }


def test_unsolicited_input_rule():
    rows = [
        (T, "You might try a meeting.", INPUT, "advice"),  # before the person has said anything
        (P, "I don't know.", NEUTRAL, ""),
        (T, "Can I share an idea? Some people keep a diary.", INPUT, "information"),  # no time to answer
        (P, "Can you tell me more?", NEUTRAL, ""),
        (T, "A diary helps some people notice patterns.", INPUT, "information"),  # asked for
        (T, "May I tell you what worked for others?", OTHER, ""),
        (P, "Go on.", NEUTRAL, ""),
        (T, "Some people plan their evenings.", INPUT, "options"),  # permission asked first
        (P, "Okay.", NEUTRAL, ""),
        (T, "And you should see a doctor.", INPUT, "advice"),  # the permission was for the last idea
        (P, "Why?", NEUTRAL, ""),  # a person's question, but the input code below is on a person's turn
        (P, "You should stop.", INPUT, "advice"),
    ]
    assert unsolicited_input(analyze(*build(rows)).utterances) == [0, 2, 9]


def test_zero_denominators_give_no_value_and_say_why():
    analysis = analyze(*build([(T, "Hello, I'm Sam.", OTHER, ""), (P, "Hi.", NEUTRAL, "")]))
    m = measures(analysis)
    assert {key: (x.value, x.display, x.rating) for key, x in m.items()} == {
        "reflection_to_question": (None, "no questions", ""),
        "complex_reflections": (None, "no reflections", ""),
        "open_questions": (None, "no questions", ""),
        "unsolicited_input": (None, "no information or advice given", ""),
        "change_talk": (None, "no change or sustain talk", ""),
    }
    assert 2 <= len(analysis.suggestions) <= 4


def test_reflections_without_questions_have_no_ratio_but_complex_share_is_rated():
    rows = [(P, "I'm tired.", NEUTRAL, ""), (T, "You're tired.", REFLECTION, "simple"),
            (P, "Of all of it.", SUSTAIN, ""), (T, "It's weighing on you.", REFLECTION, "complex"),
            (T, "And part of you wants a rest.", REFLECTION, "simple")]
    m = measures(analyze(*build(rows)))
    assert (m["reflection_to_question"].value, m["reflection_to_question"].display) == (None, "no questions")
    assert (m["complex_reflections"].value, m["complex_reflections"].display) == (33.3, "33.3%")
    assert m["complex_reflections"].rating == "not yet"
    assert (m["change_talk"].value, m["change_talk"].display) == (0.0, "0%")


@pytest.mark.parametrize(("reflections", "questions", "rating"), [(2, 1, "good"), (1, 1, "fair"), (0, 1, "not yet"),
                                                                  (4, 5, "not yet"), (5, 2, "good")])
def test_ratio_thresholds(reflections, questions, rating):
    rows = [(T, "What matters?", QUESTION, "open")] * questions + [(T, "That matters.", REFLECTION, "simple")] * reflections
    assert measures(analyze(*build(rows)))["reflection_to_question"].rating == rating


@pytest.mark.parametrize(("complex_", "simple", "rating"), [(2, 3, "fair"), (1, 1, "good"), (1, 2, "not yet")])
def test_complex_reflection_thresholds(complex_, simple, rating):
    rows = ([(T, "You care.", REFLECTION, "complex")] * complex_ + [(T, "You said so.", REFLECTION, "simple")] * simple)
    assert measures(analyze(*build(rows)))["complex_reflections"].rating == rating


def test_suggestions_quote_the_session():
    suggestions = analyze(*build(SESSION)).suggestions
    assert 2 <= len(suggestions) <= 4
    by_index = {s.index: s for s in suggestions}
    # What went well comes first, quoting the first complex reflection.
    assert suggestions[0].index == 8 and "Well done" in suggestions[0].tip
    # Change talk answered by a question rather than a reflection.
    assert by_index[3].quote == "I want to be around for my grandkids."
    assert "It sounds like you want to be around for your grandkids." in by_index[3].tip
    # The closed question, with a general way to open it when no simple rewrite exists.
    assert by_index[4].quote == "Do you drink every day?" and "“what” or “how”" in by_index[4].tip
    # The unsolicited advice, with a way to ask permission.
    assert by_index[15].quote == "You should join a gym." and "Would it be okay" in by_index[15].tip


def test_a_confronting_reply_is_never_the_one_praised_and_is_named_kindly():
    rows = [(P, "I had a few drinks again this weekend.", NEUTRAL, ""),
            (T, "You're an alcoholic and you're in denial.", REFLECTION, "complex"),
            (P, "That's not fair.", SUSTAIN, ""),
            (T, "It felt unfair to hear that, and the weekend was hard.", REFLECTION, "complex")]
    utterances, codings = build(rows)
    codings[1] = Coding(REFLECTION, "complex", 0.9, behaviours=("confront",))
    suggestions = analyze(utterances, codings).suggestions
    praised = suggestions[0]
    assert praised.index == 3 and "Well done" not in praised.tip  # the other reflection, and no "well done" today
    named = next(s for s in suggestions if s.index == 1)
    assert "label or a judgement" in named.tip and "How do you see things right now?" in named.tip


def test_asking_permission_is_not_the_closed_question_to_open_up():
    rows = [(T, "Would it be okay if I shared what has helped others?", QUESTION, "closed"),
            (P, "Sure.", NEUTRAL, "")]
    utterances, codings = build(rows)
    codings[0] = Coding(QUESTION, "closed", 0.9, behaviours=("seeking_collaboration",))
    assert all(s.index != 0 for s in analyze(utterances, codings).suggestions)


def test_a_low_ratio_suggests_reflecting_between_questions():
    rows = [(T, "How are things?", QUESTION, "open"), (P, "Busy, with the new job.", NEUTRAL, ""),
            (T, "Do you think you could see a doctor?", QUESTION, "closed"), (P, "Maybe.", NEUTRAL, "")]
    suggestions = analyze(*build(rows)).suggestions
    closed = next(s for s in suggestions if s.index == 2)
    assert "“What are your thoughts on whether you could see a doctor?”" in closed.tip
    between = next(s for s in suggestions if s.index == 1)
    assert between.quote == "Busy, with the new job." and "reflection" in between.tip
    assert not any("Well done" in s.tip for s in suggestions)


def test_suggestions_are_deterministic():
    assert analyze(*build(SESSION)).suggestions == analyze(*build(SESSION)).suggestions


def test_to_dict_shape_and_json():
    result = analyze(*build(SESSION)).to_dict()
    assert set(result) == {"utterances", "summary"}
    assert result["utterances"][4] == {"index": 4, "speaker": "counsellor", "text": "Do you drink every day?",
                                       "code": "question", "subcode": "closed", "confidence": 0.9,
                                       "behaviours": []}
    summary = result["summary"]
    assert set(summary) == {"counts", "reflection_to_question", "complex_reflections", "open_questions",
                            "unsolicited_input", "change_talk", "behaviours", "suggestions"}
    assert summary["reflection_to_question"] == {"value": 1.5, "display": "1.5:1", "fair": 1.0, "good": 2.0,
                                                 "rating": "fair"}
    assert all(set(s) == {"index", "quote", "tip"} for s in summary["suggestions"])
    assert json.loads(json.dumps(result)) == result


def test_codings_must_match_the_utterances():
    utterances, codings = build(SESSION)
    with pytest.raises(ValueError, match="one each"):
        analyze(utterances, codings[:-1])


@pytest.mark.parametrize(("closed", "opened"), [
    ("Do you want to cut down?", "What would it mean for you to cut down?"),
    ("So, are you ready to make a change?", "How ready do you feel to make a change?"),
    ("Okay. Have you tried meetings?", "What have you tried so far, and how did it go?"),
    ("Is your health important to you?", "How important is your health to you?"),
    ("Are you worried about your job?", "How do you feel about your job?"),
    ("Do you drink every day?", ""),
    ("Tell me more.", ""),
])
def test_open_alternative(closed, opened):
    assert open_alternative(closed) == opened


@pytest.mark.parametrize(("said", "reflection"), [
    ("I want my kids back.", "It sounds like you want your kids back."),
    ("Honestly. I was scared my dad was right.", "It sounds like you were scared your dad was right."),
    ("I’m tired of waking up sick", "It sounds like you're tired of waking up sick."),
    ("You know, I want out.", ""),
    ("Maybe next week.", ""),
])
def test_reflect_back(said, reflection):
    assert reflect_back(said) == reflection


# A session with times and two pushing replies: one argues for change, one labels; one adherent turn between.
TIMED = [
    ("00:10", T, "What brings you in today?", QUESTION, "open", ()),
    ("00:25", P, "My partner says I drink too much.", NEUTRAL, "", ()),
    ("12:03", T, "You really need to stop, it's ruining your health.", INPUT, "advice", ("persuade",)),
    ("12:20", P, "I know, I know.", SUSTAIN, "", ()),
    ("12:41", T, "You came in today, and that took courage.", OTHER, "", ("affirm",)),
    ("13:02", P, "I suppose.", NEUTRAL, "", ()),
    ("13:30", T, "Face it, you're in denial.", REFLECTION, "complex", ("confront",)),
]


def build_timed(rows, *, timed=True):
    utterances = [Utterance(i, speaker, text, time=time if timed else "")
                  for i, (time, speaker, text, _, _, _) in enumerate(rows)]
    codings = [Coding(code, subcode, 0.9, behaviours=behaviours) for _, _, _, code, subcode, behaviours in rows]
    return utterances, codings


def test_the_suggestion_for_a_pushing_moment_says_when_it_happened():
    analysis = analyze(*build_timed(TIMED))
    pushing = next(s for s in analysis.suggestions if s.index == 2)
    assert pushing.time == "12:03" and pushing.quote.startswith("You really need to stop")
    assert pushing.tip.startswith("At 12:03 a reply argued for change; a reflection of the person's own reasons")
    assert "might have landed better" in pushing.tip and "Replies like this came twice in this session." in pushing.tip
    # Only the first pushing moment is a suggestion; the list of moments has every one, in order, with its time.
    assert all(s.index != 6 for s in analysis.suggestions)
    assert [(c.utterance.index, c.utterance.time) for c in analysis.moments] == [(2, "12:03"), (6, "13:30")]


def test_without_times_the_suggestion_names_the_turn_counted_from_one():
    rows = [row for i, row in enumerate(TIMED) if i != 2]  # the labelling reply is now the only pushing one
    pushing = next(s for s in analyze(*build_timed(rows, timed=False)).suggestions if s.index == 5)
    assert pushing.time == ""
    assert pushing.tip.startswith("In turn 6 a reply read as a label or a judgement; a reflection of what the "
                                  "person said, or an open question")
    assert "Replies like this" not in pushing.tip  # the only one


def test_times_change_no_count_and_the_behaviour_summary_counts_every_moment():
    timed, untimed = analyze(*build_timed(TIMED)), analyze(*build_timed(TIMED, timed=False))
    assert timed.counts == untimed.counts and timed.measures == untimed.measures
    assert timed.counts["questions"] == 1 and timed.counts["unsolicited_input"] == 1
    assert timed.counts["counsellor_utterances"] == 4 and timed.counts["person_utterances"] == 3
    b = timed.behaviours
    assert (b.adherent, b.non_adherent) == (1, 2)
    assert b.counts["persuade"] == 1 and b.counts["confront"] == 1 and b.counts["affirm"] == 1
    assert len(timed.moments) == b.non_adherent
    assert analyze(*build(SESSION)).moments == ()


def test_a_persuading_person_turn_is_never_a_moment():
    # Behaviour codes are the counsellor's alone, whatever a coding says about the person's words.
    utterances, codings = build_timed(TIMED[:2])
    codings[1] = Coding(NEUTRAL, "", 0.9, behaviours=("persuade",))
    assert analyze(utterances, codings).moments == ()


def test_to_dict_gives_a_time_only_where_the_transcript_had_one():
    utterances, codings = build_timed(TIMED)
    utterances[1] = Utterance(1, P, utterances[1].text)
    said = analyze(utterances, codings).to_dict()["utterances"]
    assert said[0]["time"] == "00:10" and "time" not in said[1] and said[2]["time"] == "12:03"
    assert said[2]["behaviours"] == ["persuade"] and "behaviours" not in said[1]
