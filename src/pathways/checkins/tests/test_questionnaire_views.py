"""Questionnaire pages: admins load files, people fill in what they like, only granted supporters see scores."""
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pathways.checkins import services
from pathways.checkins.models import Questionnaire, QuestionnaireResponse
from pathways.checkins.questionnaires import DATA_ABSENT_URL
from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry
from pathways.people.services import organisation_create

from .test_load_questionnaire import barc_10_shaped, small

SNAPSHOT_URL = "https://pathways.example/fhir/Questionnaire/wellbeing-snapshot"


@pytest.fixture
def snapshot(db):
    return Questionnaire.objects.get(url=SNAPSHOT_URL)


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


def grant(membership, items):
    return circle_services.grant_create(member=membership, items=items, purpose="To support me",
                                        signature="Pat Example")


def upload(content, name="questionnaire.json"):
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile(name, data, content_type="application/json")


def snapshot_post(**answers):
    data = {f"item_{n}": "" for n in range(8)} | {"submission_key": str(uuid.uuid4())}
    data.update(answers)
    return data


# The organisation admin's upload -------------------------------------------------------------------

def test_the_organisation_page_links_to_its_questionnaires(ada_client, organisation):
    body = ada_client.get(reverse("people:organisation", args=[organisation.pk])).content.decode()
    assert reverse("questionnaires:organisation", args=[organisation.pk]) in body


def test_an_admin_loads_a_questionnaire_for_their_organisation(ada_client, organisation):
    url = reverse("questionnaires:organisation", args=[organisation.pk])
    response = ada_client.post(url, {"file": upload(barc_10_shaped())})
    assert response.status_code == 302 and response["Location"] == url
    questionnaire = Questionnaire.objects.get(url=barc_10_shaped()["url"])
    assert questionnaire.organisation == organisation
    page = ada_client.get(url).content.decode()
    assert "Loaded “Brief Assessment of Recovery Capital (BARC-10)”" in page
    assert "<td>2017</td>" in page


def test_a_bad_file_is_refused_with_each_problem_and_nothing_is_loaded(ada_client, organisation):
    bad = barc_10_shaped()
    bad["item"][2]["answerOption"][0]["valueCoding"]["extension"] = []
    del bad["title"]
    before = Questionnaire.objects.count()
    response = ada_client.post(reverse("questionnaires:organisation", args=[organisation.pk]), {"file": upload(bad)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "title: is required and must be text" in body
    assert "item[2].answerOption[0]: a coded option needs the ordinalValue extension" in body
    assert "Nothing you typed was lost" in body  # the shared problems box, linked to the field
    assert Questionnaire.objects.count() == before


@pytest.mark.parametrize("content,message", [
    (b'{"resourceType": ', "line 1 column 18: not valid JSON"),
    (b"x" * (1024 * 1024 + 1), "The file is larger than 1 MB"),
])
def test_a_file_that_is_not_json_or_too_large_is_refused(ada_client, organisation, content, message):
    response = ada_client.post(reverse("questionnaires:organisation", args=[organisation.pk]),
                               {"file": upload(content)})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_file_nested_too_deep_is_refused_on_the_page_with_the_form_kept(ada_client, organisation):
    url = reverse("questionnaires:organisation", args=[organisation.pk])
    before = Questionnaire.objects.count()
    response = ada_client.post(url, {"file": upload(b"[" * 100_000)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "line 1 column 65: lists and objects are nested more than 64 levels deep" in body
    assert 'type="file" name="file"' in body and "Check and load" in body  # the form is there to try again
    assert Questionnaire.objects.count() == before


def test_loading_a_version_twice_is_refused_on_the_page(ada_client, organisation):
    url = reverse("questionnaires:organisation", args=[organisation.pk])
    ada_client.post(url, {"file": upload(small())})
    response = ada_client.post(url, {"file": upload(small())})
    assert response.status_code == 400
    assert "is already loaded for Harbour Lights Programme" in response.content.decode()


def test_someone_who_is_not_an_admin_of_the_organisation_gets_404(client, organisation, lee, pat):
    url = reverse("questionnaires:organisation", args=[organisation.pk])
    for user in (lee, pat):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"file": upload(small())}).status_code == 404
    assert not Questionnaire.objects.filter(url=small()["url"]).exists()


def test_an_admin_of_one_organisation_gets_404_for_another(ada_client):
    other = organisation_create(name="Northside Peer Network")
    assert ada_client.get(reverse("questionnaires:organisation", args=[other.pk])).status_code == 404


def test_the_upload_page_needs_a_login(client, organisation):
    response = client.get(reverse("questionnaires:organisation", args=[organisation.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# A person fills in a questionnaire -----------------------------------------------------------------

def test_a_person_sees_questionnaires_for_everyone_and_for_their_organisation_only(pat_client, pat, organisation):
    other = organisation_create(name="Northside Peer Network")
    ours = services.questionnaire_load(resource=small(), organisation=organisation)
    theirs = services.questionnaire_load(resource=barc_10_shaped(), organisation=other)
    pat.home_organisation = organisation
    pat.save()
    offered = pat_client.get(reverse("questionnaires:list")).context["offered"]
    assert [q.title for q in offered] == ["A small questionnaire", "Wellbeing snapshot"]
    assert pat_client.get(reverse("questionnaires:fill", args=[ours.pk])).status_code == 200
    assert pat_client.get(reverse("questionnaires:fill", args=[theirs.pk])).status_code == 404


def test_only_the_newest_version_is_offered(pat_client):
    services.questionnaire_load(resource=small())
    newer = services.questionnaire_load(resource=small() | {"version": "1.1", "title": "A small questionnaire, v1.1"})
    offered = pat_client.get(reverse("questionnaires:list")).context["offered"]
    assert [q.pk for q in offered if q.url == newer.url] == [newer.pk]


def test_a_newer_retired_version_withdraws_the_questionnaire(pat_client):
    services.questionnaire_load(resource=small())
    services.questionnaire_load(resource=small() | {"version": "2.0", "status": "retired"})
    offered = pat_client.get(reverse("questionnaires:list")).context["offered"]
    assert small()["url"] not in [q.url for q in offered]


def test_the_form_shows_every_question_as_labelled_radios_that_can_be_declined(pat_client, snapshot):
    body = pat_client.get(reverse("questionnaires:fill", args=[snapshot.pk])).content.decode()
    assert body.count("<legend>") == 8
    assert body.count("<span>Prefer not to say</span>") == 8
    assert "Think about the last two weeks." in body
    assert "How I have been feeling" in body and "My days and my people" in body
    assert 'type="radio"' in body and "required" not in body.split("<form", 1)[1].split("</form>")[0]


def test_filling_in_with_skips_and_a_declined_question(pat_client, pat, snapshot):
    # wb1..wb8 are item_0..item_7; wb4 (item_3) is reverse-scored; wb7 skipped, wb8 declined.
    response = pat_client.post(reverse("questionnaires:fill", args=[snapshot.pk]), snapshot_post(
        item_0="4", item_1="3", item_2="2", item_3="0", item_4="4", item_5="1", item_7="declined"))
    stored = QuestionnaireResponse.objects.get(person=pat)
    assert response.status_code == 302
    assert response["Location"] == reverse("questionnaires:response", args=[stored.pk])
    assert stored.score == {"total": 24, "range": [0, 32], "label": "A steadier stretch. Worth noticing what is helping.",
                            "subscales": {"How I have been feeling": 13, "My days and my people": None},
                            "answered": 6, "of": 8}
    assert stored.resource["questionnaire"] == f"{SNAPSHOT_URL}|1.0.0"
    days = stored.resource["item"][1]
    assert [item["linkId"] for item in days["item"]] == ["wb5", "wb6", "wb8"]
    assert days["item"][2]["extension"] == [{"url": DATA_ABSENT_URL, "valueCode": "asked-declined"}]

    page = pat_client.get(response["Location"]).content.decode()
    assert "Your score is <strong>24</strong>, on a scale from 0 to 32." in page
    assert "A steadier stretch. Worth noticing what is helping." in page
    assert "6 of the 8 questions were answered, so the score is estimated from those." in page
    assert "Skipped" in page and "Prefer not to say" in page


def test_too_few_answers_are_saved_without_a_score_and_kindly_explained(pat_client, pat, snapshot):
    response = pat_client.post(reverse("questionnaires:fill", args=[snapshot.pk]), snapshot_post(item_0="2"))
    assert QuestionnaireResponse.objects.get(person=pat).score["total"] is None
    page = pat_client.get(response["Location"]).content.decode()
    assert "There is no score this time." in page
    assert "needs at least 6 to give a score" in page and "skipping a question is always fine" in page


def test_an_empty_form_is_fine(pat_client, pat, snapshot):
    assert pat_client.post(reverse("questionnaires:fill", args=[snapshot.pk]), snapshot_post()).status_code == 302
    assert QuestionnaireResponse.objects.get(person=pat).score["answered"] == 0


def test_a_value_the_question_does_not_offer_is_explained_and_nothing_is_stored(pat_client, pat, snapshot):
    response = pat_client.post(reverse("questionnaires:fill", args=[snapshot.pk]),
                               snapshot_post(item_0="4", item_1="9"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["form"]["item_0"].value() == "4"  # what was chosen stays chosen
    assert not QuestionnaireResponse.objects.filter(person=pat).exists()


def test_a_form_posted_twice_stores_one_response(pat_client, pat, snapshot):
    data = snapshot_post(item_0="1")
    first = pat_client.post(reverse("questionnaires:fill", args=[snapshot.pk]), data)
    second = pat_client.post(reverse("questionnaires:fill", args=[snapshot.pk]), data)
    assert first["Location"] == second["Location"]
    assert QuestionnaireResponse.objects.filter(person=pat).count() == 1


def test_past_responses_are_listed_with_their_scores(pat_client, pat, snapshot):
    services.questionnaire_response_record(person=pat, questionnaire=snapshot,
                                           answers={f"wb{n}": 2 for n in range(1, 9)})
    body = pat_client.get(reverse("questionnaires:list")).content.decode()
    assert "16 <span class=\"quiet\">(from 0 to 32)</span>" in body
    assert "A mixed stretch, with some steady ground to stand on." in body


def test_the_service_refuses_a_questionnaire_not_offered_to_the_person(pat, organisation):
    from django.core.exceptions import ValidationError

    theirs = services.questionnaire_load(resource=small(), organisation=organisation)
    with pytest.raises(ValidationError, match="not offered to you"):
        services.questionnaire_response_record(person=pat, questionnaire=theirs, answers={"a": 1})


def test_the_service_refuses_answers_out_of_range(pat, snapshot):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="wb1: the answer 5 is outside the valid range 0 to 4"):
        services.questionnaire_response_record(person=pat, questionnaire=snapshot, answers={"wb1": 5})
    assert not QuestionnaireResponse.objects.filter(person=pat).exists()


# Who else may see the responses ------------------------------------------------------------------------

@pytest.fixture
def pats_response(pat, snapshot):
    return services.questionnaire_response_record(person=pat, questionnaire=snapshot,
                                                  answers={f"wb{n}": 3 for n in range(1, 9)})


def test_another_person_cannot_see_a_response(client, rue, pats_response):
    client.force_login(rue)
    assert client.get(reverse("questionnaires:response", args=[pats_response.pk])).status_code == 404
    assert client.get(reverse("questionnaires:response", args=[pats_response.pk + 1000])).status_code == 404
    entry = AccessLogEntry.objects.latest("pk")
    assert (entry.category, entry.allowed) == ("measures", False)


def test_a_supporter_without_a_measures_grant_sees_nothing(client, sam, sams_membership, pat, pats_response):
    grant(sams_membership, {"plan": "view"})
    client.force_login(sam)
    assert client.get(reverse("questionnaires:shared", args=[pat.public_id])).status_code == 404
    assert client.get(reverse("questionnaires:response", args=[pats_response.pk])).status_code == 404


def test_a_supporter_with_a_measures_grant_reads_the_scores_but_not_the_answers(client, sam, sams_membership, pat,
                                                                                pats_response):
    grant(sams_membership, {"measures": "view"})
    client.force_login(sam)
    listing = client.get(reverse("questionnaires:shared", args=[pat.public_id])).content.decode()
    assert "Pat's questionnaires" in listing and "Protected information" in listing
    assert "Wellbeing snapshot" in listing and "22 <span class=\"quiet\">(from 0 to 32)</span>" in listing
    detail = client.get(reverse("questionnaires:response", args=[pats_response.pk])).content.decode()
    assert "The score is <strong>22</strong>" in detail
    assert "Protected information" in detail
    assert "I have felt hopeful" not in detail  # the answers stay with Pat
    assert AccessLogEntry.objects.filter(category="measures", allowed=True).count() == 2


def test_revoking_the_grant_takes_effect_at_once(client, sam, sams_membership, pat, pats_response):
    measures = grant(sams_membership, {"measures": "view"})
    client.force_login(sam)
    assert client.get(reverse("questionnaires:response", args=[pats_response.pk])).status_code == 200
    circle_services.grant_revoke(grant=measures)
    assert client.get(reverse("questionnaires:response", args=[pats_response.pk])).status_code == 404
