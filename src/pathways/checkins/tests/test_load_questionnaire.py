"""`manage.py load_questionnaire`: a good file loads whole, a bad one loads nothing and says where and why.

The BARC-10-shaped file below carries its scoring facts only (10 items, 1–6, total 10–60, 47 or more
associated with sustained remission in Vilsaint et al., 2017); its item wording is placeholder text.
"""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pathways.checkins import questionnaires as engine
from pathways.checkins.models import Questionnaire
from pathways.people.services import organisation_create

AGREEMENT = [f"Answer {value} (your licensed label here)" for value in range(1, 7)]


def barc_10_shaped() -> dict:
    """What an organisation holding the licence would write, with its own copy of the wording."""
    def option(value, display):
        return {"valueCoding": {"system": "https://example.org/agreement", "code": str(value), "display": display,
                                "extension": [{"url": engine.ORDINAL_URL, "valueDecimal": value}]}}

    return {
        "resourceType": "Questionnaire",
        "url": "https://example.org/fhir/Questionnaire/barc-10",
        "version": "2017",
        "title": "Brief Assessment of Recovery Capital (BARC-10)",
        "status": "active",
        "extension": [{"url": engine.SCORING_URL, "extension": [
            {"url": "method", "valueCode": "sum"},
            {"url": "itemMin", "valueInteger": 1},
            {"url": "itemMax", "valueInteger": 6},
            {"url": "cutoff", "extension": [
                {"url": "min", "valueInteger": 47}, {"url": "max", "valueInteger": 60},
                {"url": "label", "valueString": "47 or more: the level associated with sustained remission"}]},
        ]}],
        "item": [{"linkId": f"barc{n}", "type": "choice", "text": f"Item {n} (your licensed wording here)",
                  "answerOption": [option(value, label) for value, label in enumerate(AGREEMENT, start=1)]}
                 for n in range(1, 11)],
    }


def small() -> dict:
    return {
        "resourceType": "Questionnaire", "url": "https://example.org/fhir/Questionnaire/small", "version": "1.0",
        "title": "A small questionnaire", "status": "active",
        "extension": [{"url": engine.SCORING_URL, "extension": [
            {"url": "itemMin", "valueInteger": 0}, {"url": "itemMax", "valueInteger": 3},
            {"url": "reverse", "valueString": "b"}]}],
        "item": [{"linkId": link_id, "type": "integer", "text": f"Question {link_id} (placeholder)"} for link_id in "abc"],
    }


@pytest.fixture
def write(tmp_path):
    def write(content, name="questionnaire.json") -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return str(path)
    return write


def load(path, *args) -> str:
    out = StringIO()
    call_command("load_questionnaire", path, *args, stdout=out)
    return out.getvalue()


def refusal(path, *args) -> str:
    with pytest.raises(CommandError) as caught:
        load(path, *args)
    return str(caught.value)


def test_a_good_file_loads_for_everyone(write, db):
    path = write(small())
    assert load(path) == "Loaded “A small questionnaire” version 1.0 (https://example.org/fhir/Questionnaire/small), " \
                         "offered to everyone.\n"
    questionnaire = Questionnaire.objects.get(url="https://example.org/fhir/Questionnaire/small")
    assert (questionnaire.version, questionnaire.title, questionnaire.organisation) == ("1.0", "A small questionnaire",
                                                                                        None)
    assert questionnaire.resource == small()
    assert engine.score(questionnaire.definition, {"a": 3, "b": 0, "c": 3})["total"] == 9


def test_a_file_can_be_loaded_for_one_organisation(write, organisation):
    assert "offered to people of Harbour Lights Programme" in load(write(small()), "--organisation",
                                                                   str(organisation.pk))
    assert Questionnaire.objects.get(url=small()["url"]).organisation == organisation


def test_the_barc_10_shaped_file_loads_and_scores_10_to_60(write, db):
    load(write(barc_10_shaped()))
    definition = Questionnaire.objects.get(url="https://example.org/fhir/Questionnaire/barc-10").definition
    assert (len(definition.questions), definition.range) == (10, (10, 60))
    top = engine.score(definition, {f"barc{n}": 6 for n in range(1, 11)})
    assert (top["total"], top["label"]) == (60, "47 or more: the level associated with sustained remission")
    assert engine.score(definition, {f"barc{n}": 1 for n in range(1, 11)}) == {
        "total": 10, "range": [10, 60], "subscales": {}, "label": None, "answered": 10, "of": 10}
    just = engine.score(definition, {f"barc{n}": 5 for n in range(1, 11)} | {"barc1": 2, "barc2": 2, "barc3": 3})
    assert (just["total"], just["label"]) == (42, None)
    at = engine.score(definition, {f"barc{n}": 5 for n in range(1, 11)} | {"barc1": 2})
    assert (at["total"], at["label"][:10]) == (47, "47 or more")


def test_text_that_is_not_json_is_refused_with_line_and_column(write, db):
    before = Questionnaire.objects.count()
    path = write('{"resourceType": "Questionnaire",\n  "url": }')
    assert refusal(path) == f"{path}: line 2 column 10: not valid JSON: Expecting value\nNothing was loaded."
    assert Questionnaire.objects.count() == before


def test_a_file_nested_too_deep_is_refused_in_one_line_without_a_traceback(write, db):
    before = Questionnaire.objects.count()
    path = write("[" * 100_000)
    assert refusal(path) == f"{path}: line 1 column 65: {engine.TOO_DEEP}\nNothing was loaded."
    assert Questionnaire.objects.count() == before


@pytest.mark.parametrize("change,message", [
    (lambda r: r.update(resourceType="ValueSet"), 'resourceType: must be "Questionnaire", not "ValueSet"'),
    (lambda r: r.pop("url"), "url: is required and must be text"),
    (lambda r: r["item"][4]["answerOption"].append({"valueInteger": 7}),
     "item[4].answerOption[6]: value 7 is outside the scoring range 1 to 6 (itemMin, itemMax)"),
    (lambda r: r["extension"][0]["extension"][3]["extension"].insert(0, {"url": "min", "valueInteger": 40}),
     "extension[scoring].cutoff[0].min: may be given only once"),
    (lambda r: r["extension"][0]["extension"].append(r["extension"][0]["extension"][3]),
     "extension[scoring].cutoff[1]: the band 47 to 60 overlaps the band 47 to 60"),
    (lambda r: r["extension"][0]["extension"].append({"url": "reverse", "valueString": "barc11"}),
     'extension[scoring].reverse[0]: "barc11" is not the linkId of a choice or integer question'),
])
def test_an_invalid_file_is_refused_naming_the_file_the_path_and_the_reason(write, db, change, message):
    resource = barc_10_shaped()
    change(resource)
    path = write(resource)
    before = Questionnaire.objects.count()
    assert refusal(path) == f"{path}: {message}\nNothing was loaded."
    assert Questionnaire.objects.count() == before


def test_a_file_with_many_problems_lists_each_on_its_own_line(write, db):
    resource = barc_10_shaped()
    resource["status"] = "published"
    resource["item"][9]["linkId"] = "barc1"
    path = write(resource)
    assert refusal(path).splitlines() == [
        f'{path}: status: must be one of draft, active, retired, unknown, not "published"',
        f'{path}: item[9].linkId: "barc1" is used again (first at item[0])',
        "Nothing was loaded."]


def test_loading_the_same_version_again_is_refused_and_changes_nothing(write, db):
    path = write(small())
    load(path)
    changed = small() | {"title": "A changed title"}
    message = refusal(write(changed, "changed.json"))
    assert "version: A changed title version “1.0” is already loaded for everyone" in message
    assert "give the file a new version" in message
    assert Questionnaire.objects.get(url=small()["url"]).title == "A small questionnaire"
    load(write(small() | {"version": "1.1"}, "newer.json"))
    assert Questionnaire.objects.filter(url=small()["url"]).count() == 2


def test_two_organisations_may_each_load_the_same_instrument_but_each_only_once(write, organisation):
    other = organisation_create(name="Northside Peer Network")
    path = write(barc_10_shaped())
    load(path, "--organisation", str(organisation.pk))
    load(path, "--organisation", str(other.pk))
    assert "already loaded for Harbour Lights Programme" in refusal(path, "--organisation", str(organisation.pk))
    assert Questionnaire.objects.filter(url=barc_10_shaped()["url"]).count() == 2


def test_an_organisation_cannot_load_again_what_everyone_already_has(write, organisation):
    load(write(small()))
    assert "already loaded for everyone" in refusal(write(small()), "--organisation", str(organisation.pk))


def test_an_unknown_organisation_or_a_missing_file_is_refused(write, db):
    assert refusal(write(small()), "--organisation", "999999") == \
        "There is no organisation with id 999999. Nothing was loaded."
    assert refusal("/nonexistent/questionnaire.json").startswith("/nonexistent/questionnaire.json: cannot be read")
    assert not Questionnaire.objects.filter(url=small()["url"]).exists()


def test_the_shipped_wellbeing_snapshot_is_offered_to_everyone_after_migrating(db):
    snapshot = Questionnaire.objects.get(url="https://pathways.example/fhir/Questionnaire/wellbeing-snapshot")
    assert (snapshot.version, snapshot.organisation, snapshot.title) == ("1.0.0", None, "Wellbeing snapshot")
