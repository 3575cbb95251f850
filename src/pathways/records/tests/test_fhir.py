"""The record as a FHIR R4 bundle: every resource validates, only the person's own data goes out, and a bundle
imported into a fresh account exports again as the same record."""
import copy
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from conftest import PASSWORD
from pathways.checkins import services as checkins
from pathways.checkins.models import DailyCheckIn, Questionnaire, QuestionnaireResponse, RecoveryCheckIn
from pathways.circle import services as circle
from pathways.circle.models import Category, CircleMember, Grant, SupporterRole
from pathways.people import services as people
from pathways.people.models import User
from pathways.plans import services as plans
from pathways.plans.models import Goal, Pathway, PlanChange, Step, Strength, Win
from pathways.records import fhir_export, fhir_import
from pathways.records import fhir_terms as t

SNAPSHOT = "https://pathways.example/fhir/Questionnaire/wellbeing-snapshot"


def full_record(email: str = "kit@fhir.example") -> User:
    """A person who has used every part that travels: plan, check-ins with a use log, measures, consents."""
    kit = people.person_sign_up(email=email, password=PASSWORD, preferred_name="Kit")
    people.profile_update(user=kit, preferred_name="Kit", name="Kit Ó Briain-Ndlovu", pronouns="they/them",
                          culture="Irish and Zulu", language="English, isiZulu", faith="", what_helps="Sea swims",
                          country="IE", how_to_reach_me="Text first")
    kit.refresh_from_db()
    plan = kit.plan
    plans.recovery_meaning_update(plan=plan, actor=kit, text="Mornings I look forward to")
    plans.lapse_plan_update(plan=plan, actor=kit, what_i_will_do="Ring Jo, then eat", who_i_will_tell="Jo")
    plans.pathways_set(plan=plan, actor=kit, chosen={Pathway.MODERATION: ""})
    plans.pathways_set(plan=plan, actor=kit, chosen={Pathway.HARM_REDUCTION: "safer, slower", Pathway.MEDICATION: ""})
    plans.strength_add(plan=plan, actor=kit, kind="mine", text="Stubborn in a good way")
    plans.strength_add(plan=plan, actor=kit, kind="family", text="My aunt's Sunday dinners")
    sleep = plans.goal_create(plan=plan, actor=kit, dimension="health", title="Sleep before midnight",
                              why_it_matters="I think better rested", importance=8, confidence=5,
                              first_steps=["Phone out of the bedroom", "Lights off at 11"])
    plans.step_complete(step=sleep.steps.order_by("pk").first(), actor=kit)
    plans.step_skip(step=sleep.steps.order_by("pk").last(), actor=kit)
    plans.step_create(goal=sleep, actor=kit, text="Ask the GP about sleep", due_on=timezone.localdate() + timedelta(7))
    flat = plans.goal_create(plan=plan, actor=kit, dimension="home", title="A flat of my own")
    plans.goal_set_status(goal=flat, actor=kit, status="paused")
    choir = plans.goal_create(plan=plan, actor=kit, dimension="community", title="Choir on Thursdays")
    plans.goal_set_status(goal=choir, actor=kit, status="achieved")
    plans.win_add(plan=plan, actor=kit, text="Went to the sea with Jo")
    today = timezone.localdate()
    checkins.daily_checkin_save(person=kit, day=today - timedelta(days=2), answers={
        "mood": 2, "cravings": 7, "sleep_hours": Decimal("5.5"), "hungry": "yes", "lonely": "prefer_not",
        "note": "Hard day at the office"}, declined=["lonely", "energy", "what"],
        use={"used": "yes", "how_much": "two cans", "is_lapse": False, "naloxone_at_hand": "no",
             "what_i_learned": "Eat first", "doses_taken": 2})
    checkins.daily_checkin_save(person=kit, day=today, answers={"mood": 4, "connected": "yes",
                                                                "self_harm_thoughts": "no"})
    checkins.recovery_checkin_record(person=kit, answers={"c1": 3, "c2": 2, "h1": 4, "h2": 4, "h3": 1},
                                     dimension_ratings={"health": 6, "home": 3}, declined=["c3", "rate_purpose"])
    # Shipped by a data migration; a browser test's database is emptied between tests, so it is loaded again then.
    questionnaire = Questionnaire.objects.filter(url=SNAPSHOT).first() or checkins.questionnaire_load(
        resource=json.loads((Path(checkins.__file__).parent / "questionnaires" / "pathways-wellbeing-snapshot.json")
                            .read_text()))
    checkins.questionnaire_response_record(person=kit, questionnaire=questionnaire,
                                           answers={"wb1": 3, "wb2": 1, "wb4": 2}, declined=["wb3"])
    jo = User.objects.create_user(email=f"jo.{email}", preferred_name="Jo")
    _, token = circle.invitation_create(person=kit, role=SupporterRole.ALLY, name="Jo")
    member = circle.invitation_accept(token=token, supporter=jo)
    circle.grant_create(member=member, items={Category.PLAN: "suggest", Category.SAFETY_PLAN: "view"},
                        purpose="So Jo can help with my plan", signature="Kit Ó Briain-Ndlovu",
                        expires_at=timezone.now() + timedelta(days=90))
    old = circle.grant_create(member=member, items={Category.CHECKINS: "view"}, purpose="For the first month",
                              signature="Kit Ó Briain-Ndlovu")
    circle.grant_revoke(grant=old)
    return kit


def resources(bundle: dict, kind: str | None = None) -> list[dict]:
    return [entry["resource"] for entry in bundle["entry"] if kind in (None, entry["resource"]["resourceType"])]


def component(observation: dict, code: str) -> dict | None:
    return next((c for c in observation.get("component", []) if c["code"]["coding"][0]["code"] == code), None)


# --- export -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_bundle_validates_and_holds_the_record_in_fhir_terms():
    kit = full_record()
    bundle = fhir_export.record_bundle(user=kit)
    parsed = Bundle.model_validate(bundle)  # the library accepts the whole bundle, every resource in it
    assert parsed.type == "collection"
    counts = {kind: len(resources(bundle, kind)) for kind in
              ("Patient", "CarePlan", "Goal", "Observation", "QuestionnaireResponse", "Consent")}
    # Three goals; two daily check-ins, one use log and one recovery check-in; two consents (one revoked).
    assert counts == {"Patient": 1, "CarePlan": 1, "Goal": 3, "Observation": 4, "QuestionnaireResponse": 1,
                      "Consent": 2}
    ids = [entry["resource"]["id"] for entry in bundle["entry"]]
    assert len(set(ids)) == len(ids) and all(entry["fullUrl"] == t.urn(entry["resource"]["id"])
                                             for entry in bundle["entry"])

    patient = resources(bundle, "Patient")[0]
    assert patient["name"] == [{"use": "official", "text": "Kit Ó Briain-Ndlovu"}, {"use": "usual", "text": "Kit"}]
    assert patient["extension"][0] == {"url": t.PRONOUNS_URL, "extension": [
        {"url": "value", "valueCodeableConcept": {"text": "they/them"}}]}
    assert not {"gender", "birthDate", "telecom"} & set(patient)  # nothing we do not hold

    care_plan = resources(bundle, "CarePlan")[0]
    assert care_plan["description"] == "Mornings I look forward to"
    pathways = [(a["detail"]["code"]["coding"][0]["code"], a["detail"]["status"]) for a in care_plan["activity"]
                if "code" in a["detail"]]
    assert pathways == [("moderation", "stopped"), ("harm_reduction", "in-progress"), ("medication", "in-progress")]
    steps = [(a["detail"]["description"], a["detail"]["status"], "progress" in a) for a in care_plan["activity"]
             if "code" not in a["detail"]]
    assert steps == [("Phone out of the bedroom", "completed", True), ("Lights off at 11", "cancelled", False),
                     ("Ask the GP about sleep", "not-started", False)]
    notes = {(note["extension"][0]["valueCode"], note["text"]) for note in care_plan["note"]}
    assert ("strength-family", "My aunt's Sunday dinners") in notes and ("lapse-who-i-will-tell", "Jo") in notes
    goals = resources(bundle, "Goal")
    assert [(g["description"]["text"], g["lifecycleStatus"], g["category"][0]["coding"][0]["code"]) for g in goals] \
        == [("Sleep before midnight", "active", "health"), ("A flat of my own", "on-hold", "home"),
            ("Choir on Thursdays", "completed", "community")]
    assert care_plan["goal"] == [{"reference": t.urn(goal["id"])} for goal in goals]
    assert goals[2]["statusDate"] == timezone.localdate().isoformat()  # achieved today: its day travels
    assert "statusDate" not in goals[0]

    hard_day, use_log, _, recovery = resources(bundle, "Observation")
    assert component(hard_day, "mood")["valueInteger"] == 2
    assert component(hard_day, "sleep_hours")["valueQuantity"]["value"] == 5.5
    assert component(hard_day, "hungry")["valueBoolean"] is True
    assert component(hard_day, "lonely")["dataAbsentReason"]["coding"][0]["code"] == "asked-declined"
    assert component(hard_day, "energy")["dataAbsentReason"] == t.DECLINED  # a declined number
    assert component(hard_day, "angry") is None and component(hard_day, "self_harm_thoughts") is None  # skipped
    assert use_log["derivedFrom"] == [{"reference": t.urn(hard_day["id"])}]
    assert component(use_log, "how_much")["valueString"] == "two cans"
    assert component(use_log, "what")["dataAbsentReason"] == t.DECLINED
    assert component(recovery, "rate_purpose")["dataAbsentReason"] == t.DECLINED
    assert component(recovery, "process_hope")["valueQuantity"]["value"] == 75.0
    assert component(recovery, "i1") is None

    response = resources(bundle, "QuestionnaireResponse")[0]
    stored = QuestionnaireResponse.objects.get(person=kit).resource
    assert {key: value for key, value in response.items() if key not in ("id", "identifier", "subject")} == stored

    live, revoked = resources(bundle, "Consent")
    assert (live["status"], revoked["status"]) == ("active", "inactive")
    assert [p["class"][0]["code"] for p in live["provision"]["provision"]] == ["plan", "safety_plan"]
    assert live["provision"]["actor"][0]["reference"]["display"] == "Jo"
    assert "end" in live["provision"]["period"] and t.CONSENT_REVOKED_URL in str(revoked["extension"])


@pytest.mark.django_db
def test_identifiers_are_stable_and_under_the_servers_own_address(settings):
    settings.PATHWAYS_SITE_URL = "https://recovery.example.org"
    kit = full_record()
    first, second = fhir_export.record_bundle(user=kit), fhir_export.record_bundle(user=kit)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    goal = resources(first, "Goal")[0]
    assert goal["identifier"][0]["system"] == "https://recovery.example.org/fhir/id/goal"
    consent = resources(first, "Consent")[0]
    assert consent["id"] == str(Grant.objects.filter(person=kit).order_by("signed_at").first().public_id)


@pytest.mark.django_db
def test_the_bundle_holds_only_the_persons_own_data():
    kit, other = full_record("kit@fhir.example"), full_record("rue@fhir.example")
    Goal.objects.filter(plan__person=other).update(title="RUE-ONLY goal")
    text = fhir_export.record_bundle_json(user=kit)
    assert "RUE-ONLY" not in text and str(other.public_id) not in text
    # A supporter's own download holds no one else's record: Jo supports Kit and Rue, and has neither plan.
    jo = User.objects.get(email="jo.kit@fhir.example")
    assert resources(fhir_export.record_bundle(user=jo)) == resources(fhir_export.record_bundle(user=jo), "Patient")


@pytest.mark.django_db
def test_the_download_is_a_dated_fhir_json_file_of_the_signed_in_account_only():
    kit = full_record()
    client = Client()
    client.force_login(kit)
    assert client.get(reverse("my_data_fhir")).status_code == 405  # a button on the page, never a plain link
    response = client.post(reverse("my_data_fhir"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert response["Content-Disposition"] == \
        f'attachment; filename="pathways-record-fhir-{timezone.localdate().isoformat()}.json"'
    assert response["Cache-Control"] == "no-store"
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    assert resources(bundle, "Patient")[0]["identifier"][0]["value"] == str(kit.public_id)
    assert Client().post(reverse("my_data_fhir")).status_code == 302  # signed out: to the login page


# --- import -----------------------------------------------------------------------------------------------

def comparable(bundle: dict) -> dict:
    """The bundle with what must differ between two accounts' exports taken out, and nothing else.

    Must differ: the bundle's own id, time and source; every resource id and step identifier (each account's
    are its own), so they are renamed by the order of their resources and steps; the account's public id; when the plan itself was started (the
    new account's plan began when it signed up). Consents do not travel as grants (the people they name are not
    on the new server), so they are compared separately.
    """
    bundle = copy.deepcopy(bundle)
    entries = [entry for entry in bundle["entry"] if entry["resource"]["resourceType"] != "Consent"]
    steps = [extension["valueIdentifier"]["value"] for resource in resources({"entry": entries}, "CarePlan")
             for activity in resource.get("activity", []) for extension in activity.get("extension", [])
             if extension["url"] == t.STEP_ID_URL]
    text = json.dumps(entries, ensure_ascii=False)
    for position, entry in enumerate(entries):
        text = text.replace(entry["resource"]["id"], f"resource-{position}")
    for position, step_id in enumerate(steps):
        text = text.replace(step_id, f"step-{position}")
    entries = json.loads(text)
    for entry in entries:
        resource = entry["resource"]
        if resource["resourceType"] == "Patient":
            resource.pop("identifier")
        if resource["resourceType"] == "CarePlan":
            resource.pop("created")
    return {"entry": entries}


@pytest.mark.django_db
def test_a_record_exported_and_imported_into_a_fresh_account_exports_the_same():
    kit = full_record()
    before = fhir_export.record_bundle(user=kit)
    fresh = people.person_sign_up(email="kit.again@fhir.example", password=PASSWORD)
    report = fhir_import.import_record(user=fresh, bundle=fhir_import.read_bundle(json.dumps(before).encode()))
    after = fhir_export.record_bundle(user=fresh)

    expected, got = comparable(before)["entry"], comparable(after)["entry"]
    assert [e["resource"]["resourceType"] for e in got] == [e["resource"]["resourceType"] for e in expected]
    for exported, imported in zip(expected, got, strict=True):  # one resource at a time, for a readable failure
        assert imported == exported
    assert report.added == {"full name": 1, "name you like to be called": 1, "pronouns": 1, "culture": 1,
                            "what helps": 1, "how to reach me": 1, "language": 1, "country": 1,
                            "what recovery means to you": 1, "your plan if you lapse": 2, "pathways": 3,
                            "strengths": 2, "wins": 3, "goals": 3, "steps": 3, "daily check-ins": 2, "use logs": 1,
                            "recovery check-ins": 1, "questionnaire answers": 1}
    assert report.skipped == []
    # Consents come back as a list to invite people again, never as grants.
    assert not Grant.objects.filter(person=fresh).exists() and not CircleMember.objects.filter(person=fresh).exists()
    assert [(c.name, c.shared, c.was_live) for c in report.consents] == [
        ("Jo", ["my recovery plan", "my safety plan"], True), ("Jo", ["my daily check-ins"], False)]
    assert PlanChange.objects.filter(plan__person=fresh, action="imported").count() == 1


@pytest.mark.django_db
def test_the_comparison_notices_a_difference():
    """The control for the round trip: one changed word, one lost component, or one lost goal fails it."""
    bundle = fhir_export.record_bundle(user=full_record())
    reworded, fewer_answers, fewer_goals = copy.deepcopy(bundle), copy.deepcopy(bundle), copy.deepcopy(bundle)
    resources(reworded, "Goal")[0]["description"]["text"] = "Sleep before one"
    resources(fewer_answers, "Observation")[0]["component"].pop()
    fewer_goals["entry"] = [e for e in fewer_goals["entry"] if e["resource"]["id"] != resources(bundle, "Goal")[2]["id"]]
    for changed in (reworded, fewer_answers, fewer_goals):
        assert comparable(changed) != comparable(bundle)


@pytest.mark.django_db
def test_importing_the_same_bundle_twice_adds_nothing_the_second_time():
    kit = full_record()
    raw = fhir_export.record_bundle_json(user=kit).encode()
    fresh = people.person_sign_up(email="kit.again@fhir.example", password=PASSWORD)
    fhir_import.import_record(user=fresh, bundle=fhir_import.read_bundle(raw))
    counts = [model.objects.filter(**{lookup: fresh}).count() for model, lookup in (
        (Goal, "plan__person"), (Step, "goal__plan__person"), (Strength, "plan__person"), (Win, "plan__person"),
        (DailyCheckIn, "person"), (RecoveryCheckIn, "person"), (QuestionnaireResponse, "person"))]
    again = fhir_import.import_record(user=fresh, bundle=fhir_import.read_bundle(raw))
    assert not again.added_anything
    assert again.already_here["goals"] == 3 and again.already_here["daily check-ins"] == 2
    assert [model.objects.filter(**{lookup: fresh}).count() for model, lookup in (
        (Goal, "plan__person"), (Step, "goal__plan__person"), (Strength, "plan__person"), (Win, "plan__person"),
        (DailyCheckIn, "person"), (RecoveryCheckIn, "person"), (QuestionnaireResponse, "person"))] == counts
    # The same file imported by someone else is theirs: identifiers are remembered per account.
    other = people.person_sign_up(email="other@fhir.example", password=PASSWORD)
    assert fhir_import.import_record(user=other, bundle=fhir_import.read_bundle(raw)).added["goals"] == 3


@pytest.mark.django_db
def test_what_cannot_come_in_is_skipped_and_said_and_an_existing_plan_is_kept():
    kit = full_record()
    bundle = fhir_export.record_bundle(user=kit)
    resources(bundle, "QuestionnaireResponse")[0]["questionnaire"] = "https://elsewhere.example/Questionnaire/x"
    someone = people.person_sign_up(email="someone@fhir.example", password=PASSWORD, preferred_name="Sky")
    plans.recovery_meaning_update(plan=someone.plan, actor=someone, text="My own words already")
    report = fhir_import.import_record(user=someone, bundle=bundle)
    assert any("has not loaded (https://elsewhere.example/Questionnaire/x)" in line for line in report.skipped)
    assert any("What recovery means to you" in line for line in report.skipped)
    someone.refresh_from_db()
    assert someone.plan.recovery_meaning == "My own words already" and someone.preferred_name == "Sky"
    assert not QuestionnaireResponse.objects.filter(person=someone).exists()
    assert report.added["goals"] == 3  # the rest came in


@pytest.mark.parametrize("content, says", [
    (b"not json at all", "not JSON that Pathways can read"),
    (b'{"resourceType": "Patient", "name": [{"text": "Kit"}]}', "holds a FHIR Patient, not a Bundle"),
    (b'{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Goal"}}]}',
     "not a valid FHIR R4 bundle"),
    (b'{"resourceType": "Bundle", "type": "searchset"}', "not a record"),
    (b'{"resourceType": "Bundle", "type": "collection", "entry": []}', "holds no people"),
])
def test_a_file_that_is_not_a_record_bundle_is_refused_with_a_reason(content, says):
    with pytest.raises(fhir_import.BundleRefused, match=says):
        fhir_import.read_bundle(content)


@pytest.mark.django_db
def test_a_bundle_about_two_people_or_too_large_is_refused(monkeypatch):
    bundle = fhir_export.record_bundle(user=full_record())
    two = copy.deepcopy(bundle)
    two["entry"].append({"fullUrl": "urn:uuid:0b9f6f2e-8a6d-4b1a-9f55-1c2d3e4f5a6b", "resource": {
        "resourceType": "Patient", "id": "0b9f6f2e-8a6d-4b1a-9f55-1c2d3e4f5a6b"}})
    with pytest.raises(fhir_import.BundleRefused, match="holds 2 people"):
        fhir_import.read_bundle(json.dumps(two).encode())
    elsewhere = copy.deepcopy(bundle)
    resources(elsewhere, "Goal")[0]["subject"] = {"reference": "urn:uuid:0b9f6f2e-8a6d-4b1a-9f55-1c2d3e4f5a6b"}
    with pytest.raises(fhir_import.BundleRefused, match=r"\(Goal\) is about someone else"):
        fhir_import.read_bundle(json.dumps(elsewhere).encode())
    monkeypatch.setattr(fhir_import, "MAX_BYTES", 1000)
    with pytest.raises(fhir_import.BundleRefused, match="larger than"):
        fhir_import.read_bundle(json.dumps(bundle).encode())


@pytest.mark.django_db
def test_a_value_pathways_cannot_keep_refuses_the_whole_file_and_writes_nothing():
    bundle = fhir_export.record_bundle(user=full_record())
    component(resources(bundle, "Observation")[0], "mood")["valueInteger"] = 99  # last in the order of writing
    fresh = people.person_sign_up(email="kit.again@fhir.example", password=PASSWORD)
    with pytest.raises(fhir_import.BundleRefused, match="check-in of"):
        fhir_import.import_record(user=fresh, bundle=bundle)
    fresh.refresh_from_db()
    assert not Goal.objects.filter(plan__person=fresh).exists() and fresh.name == ""  # written before: undone
    assert not PlanChange.objects.filter(plan__person=fresh, action="imported").exists()


@pytest.mark.django_db
def test_the_import_page_reports_what_came_in_and_keeps_the_account_as_it_was_on_a_bad_file():
    kit = full_record()
    fresh = people.person_sign_up(email="kit.again@fhir.example", password=PASSWORD)
    client = Client()
    client.force_login(fresh)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(reverse("record_import"), {"file": SimpleUploadedFile("record.json", b"{", "application/json")})
    assert bad.status_code == 200 and "not JSON that Pathways can read" in bad.content.decode()
    assert not Goal.objects.filter(plan__person=fresh).exists()
    good = client.post(reverse("record_import"), {"file": SimpleUploadedFile(
        "record.json", fhir_export.record_bundle_json(user=kit).encode(), "application/fhir+json")})
    page = good.content.decode()
    assert good.status_code == 200 and "3 goals" in page and "invite" in page.lower() and "Jo" in page
    assert Goal.objects.filter(plan__person=fresh).count() == 3
