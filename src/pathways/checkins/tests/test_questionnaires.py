"""The questionnaire engine: what a FHIR Questionnaire file must hold, and how answers are scored.

Every item wording here is a placeholder: no published instrument's wording appears in this project.
"""
import copy
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.checkins import questionnaires as engine
from pathways.checkins.questionnaires import AnswerError, QuestionnaireError

SHIPPED = Path(engine.__file__).parent / "questionnaires" / "pathways-wellbeing-snapshot.json"


def rule(name, **value):
    return {"url": name, **value}


def nested(name, *parts):
    return {"url": name, "extension": list(parts)}


def cutoff(low, high, label):
    return nested("cutoff", rule("min", valueInteger=low), rule("max", valueInteger=high),
                  rule("label", valueString=label))


def subscale(name, *link_ids, min_answered=None):
    parts = [rule("name", valueString=name)] + [rule("item", valueString=link_id) for link_id in link_ids]
    if min_answered is not None:
        parts.append(rule("minAnswered", valueInteger=min_answered))
    return nested("subscale", *parts)


def choice(link_id, values=(0, 1, 2, 3, 4)):
    return {"linkId": link_id, "type": "choice", "text": f"Item {link_id} (placeholder wording)",
            "answerOption": [{"valueInteger": value} for value in values]}


def coded(link_id, values=(0, 1, 2, 3, 4), on_option=False):
    options = []
    for value in values:
        ordinal = [{"url": engine.ORDINAL_URL, "valueDecimal": value}]
        coding = {"system": "https://example.org/answers", "code": f"a{value}", "display": f"Answer {value}"}
        if on_option:
            options.append({"valueCoding": coding, "extension": ordinal})
        else:
            options.append({"valueCoding": {**coding, "extension": ordinal}})
    return {"linkId": link_id, "type": "choice", "text": f"Item {link_id} (placeholder wording)",
            "answerOption": options}


def resource(items=None, rules=None, low=0, high=4, **root):
    """A valid Questionnaire: four 0–4 items summed, unless told otherwise."""
    items = [choice(f"q{n}", range(low, high + 1)) for n in range(1, 5)] if items is None else items
    rules = [] if rules is None else rules
    return {
        "resourceType": "Questionnaire", "url": "https://example.org/Questionnaire/test", "version": "1",
        "title": "A test questionnaire", "status": "active", "item": items,
        "extension": [{"url": engine.SCORING_URL, "extension": [
            rule("itemMin", valueInteger=low), rule("itemMax", valueInteger=high), *rules]}],
        **root,
    }


def parse(**kwargs):
    return engine.parse(resource(**kwargs))


def problems_of(res) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        engine.parse(res)
    return [str(problem) for problem in caught.value.problems]


# Scoring -----------------------------------------------------------------------------------------

def test_a_complete_sum_is_the_plain_sum_and_stays_a_whole_number():
    score = engine.score(parse(), {"q1": 4, "q2": 3, "q3": 0, "q4": 2})
    assert score == {"total": 9, "range": [0, 16], "subscales": {}, "label": None, "answered": 4, "of": 4}
    assert isinstance(score["total"], int)


def test_reverse_items_are_scored_from_the_other_end_of_the_scale():
    definition = parse(low=1, high=6, rules=[rule("reverse", valueString="q2"), rule("reverse", valueString="q4")])
    # q2: 1 + 6 - 2 = 5; q4: 1 + 6 - 6 = 1
    assert engine.score(definition, {"q1": 3, "q2": 2, "q3": 4, "q4": 6})["total"] == 3 + 5 + 4 + 1


def test_subscales_score_their_own_items_after_reversing():
    definition = parse(rules=[rule("reverse", valueString="q3"), subscale("First", "q1", "q2"),
                              subscale("Second", "q3", "q4")])
    score = engine.score(definition, {"q1": 1, "q2": 2, "q3": 0, "q4": 3})
    assert score["subscales"] == {"First": 3, "Second": 4 + 3}
    assert score["total"] == 10
    assert engine.subscale_ranges(definition) == {"First": [0, 8], "Second": [0, 8]}


def test_the_mean_method_gives_the_mean_on_the_item_scale():
    definition = parse(low=1, high=5, rules=[rule("method", valueCode="mean"), subscale("Pair", "q1", "q2")])
    score = engine.score(definition, {"q1": 5, "q2": 4, "q3": 4, "q4": 4})
    assert score["total"] == 4.3  # 17 / 4 = 4.25, rounded half-up
    assert score["range"] == [1, 5]
    assert score["subscales"] == {"Pair": 4.5}


def test_without_min_answered_every_question_is_needed_for_a_score():
    score = engine.score(parse(), {"q1": 4, "q2": 4, "q3": 4, "q4": None})
    assert score["total"] is None
    assert (score["answered"], score["of"]) == (3, 4)


def test_missing_answers_are_prorated_from_the_answered_ones_when_enough_are_answered():
    definition = parse(rules=[rule("minAnswered", valueInteger=3)])
    # (4 + 3 + 3) / 3 × 4 = 13.33… → 13.3; the skipped item is never counted as zero.
    score = engine.score(definition, {"q1": 4, "q2": 3, "q3": 3})
    assert score["total"] == 13.3
    assert score["answered"] == 3


def test_prorating_rounds_half_up_to_one_decimal():
    items = [choice(f"q{n}") for n in range(1, 9)]
    definition = parse(items=items, rules=[rule("minAnswered", valueInteger=1)])
    assert engine.score(definition, {"q1": 1})["total"] == 8  # 1 / 1 × 8
    assert engine.score(definition, {f"q{n}": 1 for n in range(1, 6)} | {"q6": 2})["total"] == 9.3  # 7 / 6 × 8
    means = parse(rules=[rule("method", valueCode="mean"), rule("minAnswered", valueInteger=1)])
    assert engine.score(means, {"q1": 1, "q2": 2, "q3": 2, "q4": 2})["total"] == 1.8  # 1.75 → 1.8, not 1.7
    assert engine.score(means, {"q1": 0, "q2": 0, "q3": 0, "q4": 1})["total"] == 0.3  # 0.25 → 0.3


def test_too_few_answers_give_no_score_and_no_label():
    definition = parse(rules=[rule("minAnswered", valueInteger=3), cutoff(0, 16, "Anything")])
    score = engine.score(definition, {"q1": 4, "q2": None})
    assert (score["total"], score["label"], score["answered"]) == (None, None, 1)


def test_a_subscale_needs_the_same_share_of_its_items_unless_it_says_otherwise():
    items = [choice(f"q{n}") for n in range(1, 11)]
    definition = parse(items=items, rules=[
        rule("minAnswered", valueInteger=8),
        subscale("Five", "q1", "q2", "q3", "q4", "q5"),
        subscale("Lenient", "q6", "q7", "q8", "q9", "q10", min_answered=1),
    ])
    assert [s.min_answered for s in definition.scoring.subscales] == [4, 1]
    score = engine.score(definition, {"q1": 2, "q2": 2, "q3": 2, "q6": 4})
    assert score["subscales"] == {"Five": None, "Lenient": 20}
    assert score["total"] is None


def test_no_answers_at_all_give_no_score():
    definition = parse(rules=[rule("minAnswered", valueInteger=1)])
    assert engine.score(definition, {})["total"] is None


def test_cut_offs_give_the_label_of_the_band_the_total_reaches():
    definition = parse(low=1, high=6, items=[choice(f"q{n}", range(1, 7)) for n in range(1, 11)],
                       rules=[rule("minAnswered", valueInteger=8), cutoff(10, 46, "Below"), cutoff(47, 60, "At or above")])
    assert engine.score(definition, {f"q{n}": 5 for n in range(1, 11)} | {"q10": 2})["label"] == "At or above"
    assert engine.score(definition, {f"q{n}": 4 for n in range(1, 11)})["label"] == "Below"
    # 9 answers prorate to 42 / 9 × 10 = 46.7: the band 47–60 is not reached yet.
    near = {f"q{n}": 5 for n in range(1, 7)} | {"q7": 4, "q8": 4, "q9": 4}
    score = engine.score(definition, near)
    assert (score["total"], score["label"]) == (46.7, "Below")


def test_a_total_between_no_bands_has_no_label():
    definition = parse(rules=[cutoff(12, 16, "High")])
    assert engine.score(definition, {"q1": 0, "q2": 0, "q3": 0, "q4": 0})["label"] is None


@pytest.mark.parametrize("answers,message", [
    ({"q1": 5}, "q1: the answer 5 is outside the valid range 0 to 4"),
    ({"q1": -1}, "q1: the answer -1 is outside the valid range 0 to 4"),
    ({"q9": 1}, "q9: is not a question of this questionnaire"),
    ({"q1": "3"}, "q1: the answer must be a whole number, not '3'"),
    ({"q1": True}, "q1: the answer must be a whole number, not True"),
    ({"q1": 2.0}, "q1: the answer must be a whole number, not 2.0"),
])
def test_answers_the_questionnaire_does_not_allow_are_refused(answers, message):
    with pytest.raises(AnswerError) as caught:
        engine.score(parse(), answers)
    assert str(caught.value) == message


def test_an_answer_in_range_but_not_an_option_is_refused():
    definition = parse(items=[choice("q1", [0, 2, 4])])
    with pytest.raises(AnswerError, match="q1: the answer 3 is not one of this question's options"):
        engine.score(definition, {"q1": 3})


def test_coded_options_score_by_their_ordinal_value_on_the_coding_or_the_option():
    definition = parse(items=[coded("q1"), coded("q2", on_option=True)])
    assert [option.label for option in definition.questions[0].options] == [f"Answer {n}" for n in range(5)]
    assert engine.score(definition, {"q1": 3, "q2": 1})["total"] == 4


def test_an_integer_question_without_options_is_answered_on_the_whole_scale():
    definition = parse(low=1, high=3, items=[{"linkId": "n", "type": "integer", "text": "How many (placeholder)"}])
    assert [option.value for option in definition.questions[0].options] == [1, 2, 3]
    assert engine.score(definition, {"n": 3})["total"] == 3


def test_groups_nest_and_give_their_questions_a_section_heading():
    items = [
        {"linkId": "intro", "type": "display", "text": "Some introduction (placeholder)"},
        {"linkId": "g1", "type": "group", "text": "Part one", "item": [
            choice("a"),
            {"linkId": "g2", "type": "group", "text": "Inner", "item": [choice("b")]},
        ]},
        choice("c"),
    ]
    definition = parse(items=items)
    assert [(e.link_id, e.section) for e in definition.entries] == [
        ("intro", ""), ("a", "Part one"), ("b", "Part one — Inner"), ("c", "")]
    assert definition.range == (0, 12)
    assert definition.roots == ("intro", "g1", "c")


def test_required_flags_in_a_file_never_make_a_question_compulsory():
    items = [dict(choice("q1"), required=True), choice("q2")]
    definition = parse(items=items, rules=[rule("minAnswered", valueInteger=1)])
    assert engine.score(definition, {"q2": 4})["total"] == 8


# The QuestionnaireResponse -------------------------------------------------------------------------

def test_answers_become_a_questionnaire_response_with_groups_kept():
    items = [{"linkId": "g", "type": "group", "text": "Part", "item": [choice("a"), coded("b")]}, choice("c"),
             choice("d")]
    definition = parse(items=items)
    response = engine.response_resource(definition, {"a": 2, "b": 3, "c": None}, declined=["d"],
                                        authored="2026-03-01T09:00:00+00:00")
    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["questionnaire"] == "https://example.org/Questionnaire/test|1"
    assert response["status"] == "completed"
    assert response["authored"] == "2026-03-01T09:00:00+00:00"
    group, declined = response["item"]
    assert group["linkId"] == "g"
    assert group["item"][0] == {"linkId": "a", "answer": [{"valueInteger": 2}]}
    assert group["item"][1]["answer"][0]["valueCoding"]["code"] == "a3"
    assert declined == {"linkId": "d", "extension": [{"url": engine.DATA_ABSENT_URL, "valueCode": "asked-declined"}]}
    json.dumps(response)  # storable as it is
    assert engine.answers_from_response(definition, response) == ({"a": 2, "b": 3}, {"d"})


def test_a_questionnaire_without_version_is_referred_to_by_its_url_alone():
    res = resource()
    del res["version"]
    definition = engine.parse(res)
    assert engine.response_resource(definition, {}, authored="2026-01-01")["questionnaire"] == res["url"]


def test_the_answer_summary_says_skipped_and_prefer_not_to_say_in_words():
    definition = parse(items=[coded("a"), choice("b"), choice("c")])
    response = engine.response_resource(definition, {"a": 1}, declined=["b"], authored="2026-01-01")
    assert engine.answer_summary(definition, response) == [
        ("Item a (placeholder wording)", "Answer 1"), ("Item b (placeholder wording)", "Prefer not to say"),
        ("Item c (placeholder wording)", "Skipped")]


# Validation: every problem names where it is and what is wrong ------------------------------------

def without(key):
    def change(res):
        del res[key]
    return change


def setting(path, value):
    """Set a value at a path of keys and indexes, e.g. ("item", 0, "type")."""
    def change(res):
        target = res
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def scoring_rules(*rules):
    def change(res):
        res["extension"][0]["extension"][2:] = list(rules)
    return change


def scoring_replaced(name, new):
    def change(res):
        parts = res["extension"][0]["extension"]
        parts[:] = [new if part["url"] == name else part for part in parts]
    return change


OVERLAP = [cutoff(0, 10, "Low"), cutoff(8, 16, "High")]
INVALID = [
    ("wrong resource type", setting(("resourceType",), "Patient"), 'resourceType: must be "Questionnaire", not "Patient"'),
    ("no url", without("url"), "url: is required and must be text"),
    ("a version in the url", setting(("url",), "https://example.org/q|2"), 'url: must not contain "|"'),
    ("no title", without("title"), "title: is required and must be text"),
    ("blank title", setting(("title",), "  "), "title: is required and must be text"),
    ("long title", setting(("title",), "t" * 201), "title: is longer than 200 characters"),
    ("long version", setting(("version",), "v" * 41), "version: is longer than 40 characters"),
    ("bad status", setting(("status",), "final"), 'status: must be one of draft, active, retired, unknown, not "final"'),
    ("no items", setting(("item",), []), "item: must be a list with at least one question"),
    ("an item that is not an object", setting(("item", 1), "q2"), "item[1]: must be an object"),
    ("no linkId", setting(("item", 1, "linkId"), ""), "item[1].linkId: is required and must be text"),
    ("a linkId used twice", setting(("item", 2, "linkId"), "q1"),
     'item[2].linkId: "q1" is used again (first at item[0])'),
    ("an unscorable type", setting(("item", 0, "type"), "string"),
     'item[0].type: must be group, display, choice or integer, not "string"'),
    ("a question without text", setting(("item", 3, "text"), ""), "item[3].text: is required"),
    ("a choice with an empty option list", setting(("item", 0, "answerOption"), []),
     "item[0].answerOption: must be a list with at least one option"),
    ("a choice without options", lambda res: res["item"][0].pop("answerOption"),
     "item[0].answerOption: a choice question needs a list of answer options"),
    ("a string option", setting(("item", 0, "answerOption", 1), {"valueString": "Often"}),
     "item[0].answerOption[1]: valueString cannot be scored: use valueInteger, or valueCoding"),
    ("two values in one option", setting(("item", 0, "answerOption", 1), {"valueInteger": 1, "valueString": "x"}),
     "item[0].answerOption[1]: needs exactly one value"),
    ("a decimal option", setting(("item", 0, "answerOption", 1), {"valueInteger": 1.5}),
     "item[0].answerOption[1].valueInteger: must be a whole number"),
    ("an option out of range", setting(("item", 2, "answerOption", 0), {"valueInteger": 7}),
     "item[2].answerOption[0]: value 7 is outside the scoring range 0 to 4 (itemMin, itemMax)"),
    ("two options with one value", setting(("item", 0, "answerOption", 1), {"valueInteger": 0}),
     "item[0].answerOption[1]: value 0 is given to another option of this question already"),
    ("a coding without ordinal value", setting(("item", 0, "answerOption", 0), {"valueCoding": {"code": "x"}}),
     "item[0].answerOption[0]: a coded option needs the ordinalValue extension"),
    ("a fractional ordinal value", setting(("item", 0, "answerOption", 0), {"valueCoding": {
        "code": "x", "extension": [{"url": engine.ORDINAL_URL, "valueDecimal": 0.5}]}}),
     "item[0].answerOption[0].valueCoding.extension[0].valueDecimal: the ordinal value must be a whole number"),
    ("conditional questions", setting(("item", 0, "enableWhen"), [{"question": "q2"}]),
     "item[0].enableWhen: conditional questions (enableWhen) are not supported"),
    ("repeating answers", setting(("item", 0, "repeats"), True),
     "item[0].repeats: questions that take several answers cannot be scored"),
    ("options from a value set", setting(("item", 1, "answerValueSet"), "http://example.org/vs"),
     "item[1].answerValueSet: options from a value set are not supported"),
    ("items inside a question", setting(("item", 0, "item"), [choice("inner")]),
     "item[0].item: only a group may hold items"),
    ("an empty group", setting(("item", 0), {"linkId": "g", "type": "group", "text": "G", "item": []}),
     "item[0].item: a group must hold a list of at least one item"),
    ("a bad option inside a group", setting(("item", 0), {"linkId": "g", "type": "group", "text": "G", "item": [
        choice("inner1"), choice("inner2", [0, 9])]}),
     "item[0].item[1].answerOption[1]: value 9 is outside the scoring range 0 to 4"),
    ("no scoring rules", setting(("extension",), []),
     f"extension[scoring]: the scoring rules are missing: add an extension with url {engine.SCORING_URL}"),
    ("scoring rules twice", lambda res: res["extension"].append(copy.deepcopy(res["extension"][0])),
     "extension[scoring]: appears more than once"),
    ("empty scoring rules", setting(("extension", 0, "extension"), []),
     "extension[scoring]: must hold its rules as a list of nested extensions"),
    ("no itemMin", lambda res: res["extension"][0]["extension"].pop(0),
     "extension[scoring].itemMin: is required (valueInteger)"),
    ("itemMin as text", scoring_replaced("itemMin", rule("itemMin", valueString="0")),
     "extension[scoring].itemMin: needs valueInteger (a whole number)"),
    ("itemMax not above itemMin", scoring_replaced("itemMax", rule("itemMax", valueInteger=0)),
     "extension[scoring].itemMax: must be greater than itemMin (0)"),
    ("itemMin twice", scoring_rules(rule("itemMin", valueInteger=0)), "extension[scoring].itemMin: may be given only once"),
    ("an unknown method", scoring_rules(rule("method", valueCode="median")),
     'extension[scoring].method: must be "sum" or "mean", not "median"'),
    ("a misspelt rule", scoring_rules(rule("reversed", valueString="q1")),
     'extension[scoring].extension[2]: unknown rule "reversed"'),
    ("reversing an unknown item", scoring_rules(rule("reverse", valueString="q9")),
     'extension[scoring].reverse[0]: "q9" is not the linkId of a choice or integer question'),
    ("reversing an item twice", scoring_rules(rule("reverse", valueString="q1"), rule("reverse", valueString="q1")),
     'extension[scoring].reverse[1]: "q1" is already reverse-scored'),
    ("reverse without a linkId", scoring_rules(rule("reverse", valueInteger=1)),
     "extension[scoring].reverse[0]: needs valueString (text)"),
    ("minAnswered zero", scoring_rules(rule("minAnswered", valueInteger=0)),
     "extension[scoring].minAnswered: must be between 1 and the number of questions (4)"),
    ("minAnswered above the count", scoring_rules(rule("minAnswered", valueInteger=5)),
     "extension[scoring].minAnswered: must be between 1 and the number of questions (4)"),
    ("a subscale without name", scoring_rules(nested("subscale", rule("item", valueString="q1"))),
     "extension[scoring].subscale[0].name: is required (valueString)"),
    ("a subscale without items", scoring_rules(nested("subscale", rule("name", valueString="S"))),
     "extension[scoring].subscale[0].item: a subscale needs at least one item"),
    ("a subscale with an unknown item", scoring_rules(subscale("S", "q1", "q7")),
     'extension[scoring].subscale[0].item[1]: "q7" is not the linkId of a choice or integer question'),
    ("a subscale naming an item twice", scoring_rules(subscale("S", "q1", "q1")),
     'extension[scoring].subscale[0].item[1]: "q1" is in this subscale already'),
    ("two subscales with one name", scoring_rules(subscale("S", "q1"), subscale("S", "q2")),
     'extension[scoring].subscale[1].name: "S" names another subscale too'),
    ("a subscale minAnswered above its size", scoring_rules(subscale("S", "q1", "q2", min_answered=3)),
     "extension[scoring].subscale[0].minAnswered: must be between 1 and the subscale's number of items (2)"),
    ("a subscale with an unknown part", scoring_rules(nested("subscale", rule("name", valueString="S"),
                                                             rule("item", valueString="q1"), rule("weight", valueInteger=2))),
     "extension[scoring].subscale[0].extension[2]: a subscale holds only name, item and minAnswered"),
    ("a cut-off without label", scoring_rules(nested("cutoff", rule("min", valueInteger=0), rule("max", valueInteger=4))),
     "extension[scoring].cutoff[0].label: is required (valueString)"),
    ("a cut-off upside down", scoring_rules(cutoff(10, 2, "Upside down")),
     "extension[scoring].cutoff[0]: min (10) is greater than max (2)"),
    ("a cut-off beyond the possible totals", scoring_rules(cutoff(10, 20, "Too high")),
     "extension[scoring].cutoff[0]: the band 10 to 20 goes outside the possible scores 0 to 16"),
    ("overlapping cut-offs", scoring_rules(*OVERLAP),
     "extension[scoring].cutoff[1]: the band 8 to 16 overlaps the band 0 to 10"),
]


@pytest.mark.parametrize("change,message", [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_an_invalid_questionnaire_is_refused_with_path_and_reason(change, message):
    res = resource()
    change(res)
    found = problems_of(res)
    assert any(problem.startswith(message) for problem in found), found


def test_a_file_that_is_not_an_object_is_refused():
    assert problems_of(["Questionnaire"]) == ["(root): must be a JSON object holding one Questionnaire"]


def test_every_problem_is_reported_at_once():
    res = resource(rules=[rule("reverse", valueString="nope")])
    del res["title"]
    res["item"][1]["answerOption"][0] = {"valueInteger": 99}
    assert problems_of(res) == [
        "title: is required and must be text",
        "item[1].answerOption[0]: value 99 is outside the scoring range 0 to 4 (itemMin, itemMax)",
        'extension[scoring].reverse[0]: "nope" is not the linkId of a choice or integer question',
    ]


def test_a_questionnaire_of_display_text_only_has_nothing_to_score():
    res = resource(items=[{"linkId": "d", "type": "display", "text": "Hello"}])
    assert "item: holds no question of type choice or integer, so there is nothing to score" in problems_of(res)


@pytest.mark.parametrize("text,message", [
    ('{"resourceType": "Questionnaire",', "line 1 column 34: not valid JSON: Expecting property name"),
    ('{"a": NaN}', "(file): not valid JSON: NaN is not allowed in FHIR JSON"),
    (b"\xff\xfe{}", "(file): is not UTF-8 text"),
])
def test_text_that_is_not_json_is_refused_with_where_and_why(text, message):
    with pytest.raises(QuestionnaireError) as caught:
        engine.load_json(text)
    assert str(caught.value).startswith(message)


def test_json_with_a_byte_order_mark_is_read():
    assert engine.load_json(b"\xef\xbb\xbf{\"a\": 1}") == {"a": 1}


@pytest.mark.parametrize("text,where", [
    ("[" * 100_000, "line 1 column 65"),
    ('{"item": ' * 100_000, "line 1 column 577"),
    ("{\n" + '"a": [\n' * 64 + "1" + "]" * 64 + "}", "line 65 column 6"),
])
def test_lists_and_objects_nested_too_deep_are_refused_where_they_go_too_deep(text, where):
    with pytest.raises(QuestionnaireError) as caught:
        engine.load_json(text)
    assert str(caught.value) == f"{where}: {engine.TOO_DEEP}"


def test_nesting_up_to_the_limit_is_read_and_brackets_inside_strings_do_not_count():
    assert engine.load_json("[" * engine.MAX_NESTING + "]" * engine.MAX_NESTING) is not None
    assert engine.load_json(json.dumps({"text": "[" * 1000, "quoted": '\\"[{' * 100})) == {
        "text": "[" * 1000, "quoted": '\\"[{' * 100}


def test_if_the_reader_still_runs_out_of_stack_the_file_is_refused_not_crashed(monkeypatch):
    monkeypatch.setattr(engine, "MAX_NESTING", 10**9)  # as if the early check were missing
    with pytest.raises(QuestionnaireError) as caught:
        engine.load_json("[" * 100_000)
    assert str(caught.value) == f"(file): {engine.TOO_DEEP}"


# The questionnaire shipped with Pathways ------------------------------------------------------------

def test_the_shipped_wellbeing_snapshot_is_valid_and_scores_as_documented():
    definition = engine.parse(json.loads(SHIPPED.read_text()))
    assert (len(definition.questions), definition.range, definition.scoring.min_answered) == (8, (0, 32), 6)
    assert definition.scoring.reverse == {"wb4"}
    everything_well = {f"wb{n}": 4 for n in range(1, 9)} | {"wb4": 0}
    score = engine.score(definition, everything_well)
    assert (score["total"], score["label"]) == (32, "A steadier stretch. Worth noticing what is helping.")
    assert score["subscales"] == {"How I have been feeling": 16, "My days and my people": 16}


# Properties ------------------------------------------------------------------------------------------

@st.composite
def definitions_with_answers(draw):
    """A random valid Questionnaire (flat or grouped, choice, coded or integer items) and random answers."""
    count = draw(st.integers(1, 12))
    low = draw(st.integers(-5, 5))
    high = low + draw(st.integers(1, 10))
    link_ids = [f"q{n}" for n in range(count)]
    items = []
    for link_id in link_ids:
        kind = draw(st.sampled_from(["choice", "coded", "integer"]))
        values = draw(st.lists(st.integers(low, high), min_size=1, unique=True))
        if kind == "integer":
            items.append({"linkId": link_id, "type": "integer", "text": f"Item {link_id} (placeholder)"})
        else:
            items.append((coded if kind == "coded" else choice)(link_id, values))
    if draw(st.booleans()):
        split = draw(st.integers(0, count))
        items = items[:split] + [{"linkId": "group", "type": "group", "text": "A group", "item": items[split:]}] \
            if split < count else items
    method = draw(st.sampled_from(["sum", "mean"]))
    rules = [rule("method", valueCode=method), rule("minAnswered", valueInteger=draw(st.integers(1, count)))]
    rules += [rule("reverse", valueString=link_id)
              for link_id in draw(st.lists(st.sampled_from(link_ids), unique=True))]
    for index, members in enumerate(draw(st.lists(st.lists(st.sampled_from(link_ids), min_size=1, unique=True),
                                                   max_size=3))):
        rules.append(subscale(f"Subscale {index}", *members))
    lowest, highest = (low, high) if method == "mean" else (count * low, count * high)
    bounds = sorted(draw(st.lists(st.integers(lowest, highest), max_size=6, unique=True)))
    rules += [cutoff(a, b, f"Band {a}") for a, b in zip(bounds[::2], bounds[1::2], strict=False)]
    definition = engine.parse(resource(items=items, rules=rules, low=low, high=high))
    answers = {question.link_id: draw(st.none() | st.sampled_from([o.value for o in question.options]))
               for question in definition.questions}
    return definition, answers


@settings(max_examples=300, deadline=None)
@given(definitions_with_answers())
def test_scores_always_stay_within_the_declared_range(case):
    definition, answers = case
    score = engine.score(definition, answers)
    answered = sum(value is not None for value in answers.values())
    assert (score["answered"], score["of"]) == (answered, len(definition.questions))
    assert (score["total"] is None) == (answered < definition.scoring.min_answered)
    low, high = score["range"]
    if score["total"] is not None:
        assert low <= score["total"] <= high
        expected = [c.label for c in definition.scoring.cutoffs if c.min <= math.floor(score["total"]) <= c.max]
        assert score["label"] == (expected[0] if expected else None)
    ranges = engine.subscale_ranges(definition)
    for name, value in score["subscales"].items():
        if value is not None:
            assert ranges[name][0] <= value <= ranges[name][1]
    json.dumps(engine.response_resource(definition, answers, authored="2026-01-01"))


@settings(max_examples=100, deadline=None)
@given(definitions_with_answers(), st.data())
def test_an_answer_outside_the_range_is_always_refused(case, data):
    definition, answers = case
    question = data.draw(st.sampled_from(definition.questions))
    rules = definition.scoring
    outside = data.draw(st.integers(max_value=rules.item_min - 1) | st.integers(min_value=rules.item_max + 1))
    with pytest.raises(AnswerError, match=f"{question.link_id}: the answer {outside} is outside the valid range"):
        engine.score(definition, answers | {question.link_id: outside})


# Risk items: answers an organisation marks as showing risk -----------------------------------------------

def risky(item, *levels):
    return {**item, "extension": [nested(engine.RISK_URL, *(rule(level, valueInteger=value) for level, value in levels))]}


def test_a_risk_item_gives_the_highest_level_its_answers_show():
    items = [choice("q1"), risky(choice("q2"), ("some", 2), ("some", 3), ("strong", 4)), choice("q3"), choice("q4")]
    definition = parse(items=items)
    assert engine.risk_level(definition, {"q1": 4, "q2": 1}) == ""
    assert engine.risk_level(definition, {"q2": 3}) == "some"
    assert engine.risk_level(definition, {"q2": 4, "q3": 0}) == "strong"
    assert engine.risk_level(definition, {"q2": None}) == ""  # skipped or declined: never a risk


def test_risk_answers_of_coded_options_use_their_ordinal_values():
    definition = parse(items=[risky(coded("q1"), ("strong", 4)), choice("q2"), choice("q3"), choice("q4")])
    assert engine.risk_level(definition, {"q1": 4}) == "strong"


@pytest.mark.parametrize("levels,reason", [
    ([("some", 7)], "7 is not one of this question's answers"),
    ([("some", 2), ("strong", 2)], "2 is listed as a risk answer already"),
    ([("urgent", 2)], 'must be "some" or "strong", not "urgent"'),
    ([], 'must hold its answers as nested extensions "some" or "strong"'),
])
def test_a_wrong_risk_item_is_refused_with_the_reason(levels, reason):
    items = [risky(choice("q1"), *levels), choice("q2"), choice("q3"), choice("q4")]
    assert any(reason in problem and problem.startswith("item[0].extension[0]") for problem in
               problems_of(resource(items=items))), reason


def test_only_a_question_can_be_a_risk_item():
    display = risky({"linkId": "intro", "type": "display", "text": "Placeholder"}, ("some", 1))
    assert "item[0].extension: only a choice or integer question can be a risk item" in problems_of(
        resource(items=[display, choice("q1"), choice("q2")]))
