"""A person downloads everything Pathways holds about them, and can delete their account and all of it."""
import json

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from pathways.checkins import services as checkins
from pathways.checkins.models import GentleNote, Questionnaire
from pathways.circle import access_log
from pathways.circle import services as circle
from pathways.circle.models import AccessLogEntry, Category, Change, CircleMember, Grant, SupporterRole
from pathways.circle.personal_data import SUPPORTER_DELETED
from pathways.circle.policy import Access, permits_and_log
from pathways.lib.personal_data import DELETED_ACCOUNT, FORMER_MEMBER
from pathways.mi.web import services as mi
from pathways.notifications.models import Notification
from pathways.notifications.services import notify, reminder_settings_update
from pathways.people import services as people
from pathways.people.models import Membership, Organisation, Role, User
from pathways.plans import services as plans
from pathways.plans.models import Pathway, PlanChange, Suggestion
from pathways.records import deletion, export
from pathways.records.forms import DELETE_CONFIRMATION
from pathways.safety import services as safety

TRICKY = 'She said "no" </script><script>alert(1)</script> & \'left\' \\ é'


def seed(email: str, marker: str, *, supporter: User) -> User:
    """A person with a row, carrying `marker`, in every model that holds a person's data."""
    person = people.person_sign_up(email=email, password=PASSWORD, preferred_name=f"{marker}-preferred")
    people.profile_update(user=person, preferred_name=f"{marker}-preferred", pronouns="they/them",
                          name=f"{marker}-name", culture=f"{marker}-culture", language="", faith="",
                          what_helps=f"{marker}-what-helps", country="GB")
    person.refresh_from_db()
    plan = person.plan
    plans.recovery_meaning_update(plan=plan, actor=person, text=f"{marker}-meaning")
    plans.pathways_set(plan=plan, actor=person, chosen={Pathway.OTHER: f"{marker}-pathway"})
    plans.strength_add(plan=plan, actor=person, kind="mine", text=f"{marker}-strength")
    goal = plans.goal_create(plan=plan, actor=person, dimension="health", title=f"{marker}-goal",
                             why_it_matters=f"{marker}-why", first_steps=[f"{marker}-step"])
    plans.win_add(plan=plan, actor=person, text=f"{marker}-win")
    _, token = circle.invitation_create(person=person, role=SupporterRole.PEER_SUPPORTER, name=f"{marker}-invited",
                                        relationship=f"{marker}-relationship")
    member = circle.invitation_accept(token=token, supporter=supporter)
    circle.grant_create(member=member, items={Category.PLAN: "suggest", Category.CRISIS_ALERTS: "view",
                                              Category.EARLY_WARNING: "view"},
                        purpose="To support me", signature=f"{marker}-signature")
    old = circle.grant_create(member=member, items={Category.CHECKINS: "view"}, purpose="Checking in",
                              signature=f"{marker}-old-signature")
    circle.grant_revoke(grant=old)
    plans.suggestion_create(plan=plan, author=supporter, kind="step", goal=goal, text=f"{marker}-suggestion")
    circle.invitation_create(person=person, role=SupporterRole.ALLY, name=f"{marker}-open-invitation",
                             email=f"{marker.lower()}-ally@example.org")
    checkins.daily_checkin_save(person=person, day=timezone.localdate(),
                                answers={"mood": 2, "note": f"{marker}-note", "self_harm_thoughts": "some"},
                                use={"used": "yes", "what": f"{marker}-what", "what_i_learned": f"{marker}-learned"})
    checkins.recovery_checkin_record(person=person, answers={"c1": 3}, dimension_ratings={"health": 7})
    checkins.questionnaire_response_record(
        person=person, questionnaire=Questionnaire.objects.get(
            url="https://pathways.example/fhir/Questionnaire/wellbeing-snapshot"), answers={"wb1": 3})
    checkins.warning_sign_add(person=person, stage="emotional", sign=f"{marker}-sign",
                              what_i_will_do=f"{marker}-will-do", watch="lonely_most_days")
    checkins.trigger_add(person=person, trigger=f"{marker}-trigger", what_helps=f"{marker}-helps")
    checkins.early_warning_setting_update(person=person, share_which_sign_with_supporters=True)
    GentleNote.objects.create(person=person, rule="lonely_most_days",
                              explanation={"summary": f"{marker}-gentle-note", "answers": []},
                              supporters_told=[supporter.display_name])
    safety.safety_plan_save(person=person, reasons_for_living=f"{marker}-reasons")
    safety.crisis_alert_raise(person=person)  # tells the supporter, who holds a crisis-alerts grant
    notify(recipient=person, kind="early_warning", title=f"{marker}-notification", link="/plan/")
    reminder_settings_update(person=person, checkin_reminder_on=True,
                             checkin_reminder_time=timezone.now().time().replace(microsecond=0))
    mi.save_transcript(person, f"{marker}-transcript", f"Counsellor: How are you?\nPerson: {marker}-said.")
    permits_and_log(supporter, person, Category.PLAN, Access.VIEW)  # a read by the supporter: one access-log entry
    return person


@pytest.fixture
def world(db, sam):
    pat = seed("pat@example.org", "PATMARK", supporter=sam)
    rue = seed("rue@example.org", "RUEMARK", supporter=sam)
    return pat, rue


def _download(client) -> tuple:
    response = client.post(reverse("my_data_download"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode()


# --- export -------------------------------------------------------------------------------------------

def test_the_export_holds_every_part_of_the_persons_data_and_nothing_of_anyone_elses(world, sam):
    pat, rue = world
    client = Client()
    client.force_login(pat)
    response, text = _download(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="pathways-my-data-{timezone.localdate().isoformat()}.json"')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(text)
    assert data["format"] == {"name": "pathways-my-data", "version": 2, "exported_at": data["format"]["exported_at"]}
    for part in ("preferred", "name", "culture", "what-helps", "meaning", "pathway", "strength", "goal", "why",
                 "step", "win", "suggestion", "invited", "relationship", "signature", "old-signature",
                 "open-invitation", "note", "what", "learned", "sign", "will-do", "trigger", "helps", "gentle-note",
                 "reasons", "notification", "transcript", "said"):
        assert f"PATMARK-{part}" in text, part
    assert "pat@example.org" in text
    assert "RUEMARK" not in text and "rue@example.org" not in text
    # The parts with no words of their own are there too.
    assert data["account"]["email"] == "pat@example.org"
    assert [(g["revoked_at"] is None) for g in data["circle"]["grants"]] == [True, False]  # revoked ones too
    assert {s["category"] for s in data["circle"]["grants"][0]["shares"]} == {"plan", "crisis_alerts", "early_warning"}
    assert data["checkins"]["daily"][0]["use_log"]["used"] == "yes"
    assert data["checkins"]["recovery"][0]["dimension_ratings"] == {"health": 7}
    assert data["checkins"]["questionnaire_responses"][0]["score"]
    assert data["early_warning"]["tell_supporters_which_sign"] is True
    assert data["safety"]["crisis_alerts"][0]["supporters_told"][0]["public_id"] == str(sam.public_id)
    assert data["notifications"]["reminder_settings"]["checkin_reminder_on"] is True
    assert data["plan"]["history"] and data["plan"]["suggestions_received"][0]["from"]["name"] == "Sam Rivera"
    entries = data["access_log"]
    assert entries and {e["viewer"]["public_id"] for e in entries} == {str(sam.public_id)}
    assert entries[-1]["viewer"]["name_now"] == "Sam Rivera" and entries[-1]["allowed"] is True
    assert data["saved_transcripts"][0]["title"] == "PATMARK-transcript"


def test_the_export_is_only_ever_the_signed_in_accounts(world, sam):
    pat, rue = world
    client = Client()
    client.force_login(sam)  # Sam supports both and holds live grants: his export is still only his own
    response, text = _download(client)
    assert response.status_code == 200
    data = json.loads(text)
    # Sam's own notifications say who may need support (he already reads them on his notifications page);
    # nothing else of Pat's or Rue's is in his file.
    assert {n["kind"] for n in data["notifications"]["received"]} == {"crisis_alert"}
    data["notifications"]["received"] = []
    # The circles he is in name Pat and Rue and list the consents they gave him (tested below).
    assert len(data["supporting"]) == 2
    data["supporting"] = []
    rest = json.dumps(data)
    assert "PATMARK" not in rest and "RUEMARK" not in rest and "pat@example.org" not in rest
    assert Client().post(reverse("my_data_download")).status_code == 302  # signed out: to the login page
    client.force_login(pat)
    assert client.get(reverse("my_data_download")).status_code == 405  # a download is asked for by POST only


def test_a_supporters_export_lists_whose_circles_and_the_consents_given_to_them_not_the_data(world, sam):
    pat, rue = world
    data = export.my_data(user=sam)
    circles = {c["person"]["public_id"]: c for c in data["supporting"]}
    assert set(circles) == {str(pat.public_id), str(rue.public_id)}
    pats = circles[str(pat.public_id)]
    assert pats["person"]["name"] == "PATMARK-name" and pats["my_role"] == "peer_supporter"
    assert pats["joined_at"] and pats["removed_at"] is None
    consents = pats["consents_given_to_me"]
    assert [(c["purpose"], c["live"], c["revoked_at"] is None) for c in consents] == [
        ("To support me", True, True), ("Checking in", False, False)]
    assert {s["category"] for s in consents[0]["shares"]} == {"plan", "crisis_alerts", "early_warning"}
    shared_data = json.dumps(data["supporting"], default=str)
    for words in ("PATMARK-meaning", "PATMARK-goal", "PATMARK-note", "PATMARK-reasons", "PATMARK-signature"):
        assert words not in shared_data  # what was shared stays Pat's; only its terms are Sam's


def test_text_round_trips_exactly_through_the_json(pat):
    plans.win_add(plan=pat.plan, actor=pat, text=TRICKY)
    safety.safety_plan_save(person=pat, reasons_for_living=TRICKY + "\nline two")
    data = json.loads(export.my_data_json(user=pat))
    assert data["plan"]["wins"][0]["text"] == TRICKY
    assert data["safety"]["plan"]["reasons_for_living"] == TRICKY + "\nline two"


def test_the_my_data_page_explains_and_offers_the_download(pat):
    client = Client()
    client.force_login(pat)
    page = client.get(reverse("my_data")).content.decode()
    assert "Download my data" in page and reverse("my_data_download") in page
    profile = client.get(reverse("people:profile")).content.decode()
    assert reverse("my_data") in profile and reverse("account_delete") in profile


# --- deletion -----------------------------------------------------------------------------------------

def _text_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField, models.EmailField))]


def _rows_holding(needles: list[str]) -> list[str]:
    """Every row of every table whose text holds one of `needles`, as "app.Model pk field"."""
    found = []
    for model in apps.get_models():
        fields = _text_fields(model)
        for row in model.objects.all().values("pk", *fields):
            for field in fields:
                value = row[field]
                text = value if isinstance(value, str) else json.dumps(value)
                if any(needle.lower() in (text or "").lower() for needle in needles):
                    found.append(f"{model._meta.label} {row['pk']} {field}")
    return found


def _delete(client, password=PASSWORD, confirmation=DELETE_CONFIRMATION):
    return client.post(reverse("account_delete"), {"password": password, "confirmation": confirmation})


def test_deleting_the_account_removes_every_trace_but_the_de_identified_access_log(world, sam):
    pat, rue = world
    pat_id, pat_pk, home_pk = str(pat.public_id), pat.pk, pat.home_organisation_id
    sam_client = Client()
    sam_client.force_login(sam)
    assert "PATMARK-preferred" in sam_client.get(reverse("reports:caseload")).content.decode()
    assert any("PATMARK" in n.title for n in Notification.objects.filter(recipient=sam))
    notify(recipient=sam, about=pat, kind="early_warning", title=f"A sign was noticed for {pat.display_name}",
           body=f"{pat.display_name}'s check-ins matched one of the early signs in their own plan.")
    rue_before = json.loads(export.my_data_json(user=rue))
    log_entries_before = AccessLogEntry.objects.filter(person_ref=pat_id).count()
    assert log_entries_before

    client = Client()
    client.force_login(pat)
    response = _delete(client)
    assert response.status_code == 302 and response["Location"] == reverse("account_deleted")
    goodbye = client.get(response["Location"])
    assert goodbye.status_code == 200
    assert reverse("safety:crisis_lines") in goodbye.content.decode()
    assert client.get(reverse("plans:plan")).status_code == 302  # signed out

    assert not User.objects.filter(pk=pat_pk).exists()
    assert not Organisation.objects.filter(pk=home_pk).exists()  # her personal organisation, empty now
    assert _rows_holding(["PATMARK", "pat@example.org"]) == []
    # The access log stays whole and verifiable, referring to her only by an id nothing maps to a person.
    assert AccessLogEntry.objects.filter(person_ref=pat_id).count() == log_entries_before
    assert access_log.verify() == AccessLogEntry.objects.count()
    call_command("verify_access_log")
    assert not User.objects.filter(public_id=pat_id).exists()
    assert not CircleMember.objects.filter(public_id=pat_id).exists()
    assert not Grant.objects.filter(person_id=pat_pk).exists()
    # Sam no longer has her on his caseload, nor any alert about her; Rue's data is as it was.
    caseload = sam_client.get(reverse("reports:caseload"))
    assert caseload.status_code == 200 and "PATMARK" not in caseload.content.decode()
    assert any("RUEMARK" in n.title for n in Notification.objects.filter(recipient=sam))  # alerts about Rue stay
    rue_after = json.loads(export.my_data_json(user=rue))
    # Sam opening his caseload added reads of Rue's record to her access log; nothing else changed.
    assert rue_after.pop("access_log")[:len(rue_before["access_log"])] == rue_before.pop("access_log")
    rue_before["format"] = rue_after["format"] = None
    assert rue_after == rue_before


def test_a_wrong_password_deletes_nothing_and_keeps_what_was_typed(pat):
    client = Client()
    client.force_login(pat)
    response = _delete(client, password="not my password")
    assert response.status_code == 200
    page = response.content.decode()
    assert "That is not your current password" in page
    assert DELETE_CONFIRMATION in page  # the typed confirmation is kept
    assert User.objects.filter(pk=pat.pk).exists()
    response = _delete(client, confirmation="yes")
    assert "exactly" in response.content.decode() and User.objects.filter(pk=pat.pk).exists()


def test_the_only_admin_of_an_organisation_is_asked_to_hand_over_first(ada, organisation):
    client = Client()
    client.force_login(ada)
    response = _delete(client)
    assert response.status_code == 200 and "only admin of Harbour Lights Programme" in response.content.decode()
    assert User.objects.filter(pk=ada.pk).exists()
    second = User.objects.create_user(email="second@example.org", password=PASSWORD)
    Membership.objects.create(organisation=organisation, user=second, role=Role.ADMIN)
    assert _delete(client).status_code == 302
    assert not User.objects.filter(pk=ada.pk).exists()


def test_a_supporters_deletion_takes_their_name_out_of_the_persons_record(world, sam):
    pat, _ = world
    suggestion = Suggestion.objects.filter(plan=pat.plan, author=sam).get()
    plans.suggestion_decline(suggestion=suggestion, actor=pat)
    deletion.account_delete(user=sam)
    assert sorted(_rows_holding(["Sam Rivera", "sam@example.org"])) == sorted(
        # Pat's access log keeps who saw her record, as the law asks: those entries cannot be changed.
        f"circle.AccessLogEntry {pk} viewer_name"
        for pk, name in AccessLogEntry.objects.values_list("pk", "viewer_name") if name == "Sam Rivera"
    )
    assert access_log.verify() == AccessLogEntry.objects.count()
    assert any(FORMER_MEMBER in change.described for change in PlanChange.objects.filter(plan=pat.plan))
    assert not Grant.objects.filter(person=pat, revoked_at__isnull=True).exists()


def test_pat_keeps_the_record_of_what_she_shared_with_a_supporter_who_deleted_their_account(world, sam):
    pat, _ = world
    grants_before = {g.public_id: g.revoked_at for g in Grant.objects.filter(person=pat)}
    log_before = list(AccessLogEntry.objects.filter(person_ref=str(pat.public_id)).order_by("sequence").values())
    deletion.account_delete(user=sam)
    grants = list(Grant.objects.filter(person=pat).order_by("signed_at"))
    assert {g.public_id for g in grants} == set(grants_before)  # none cascaded away
    live, revoked = grants
    assert live.recipient_id is None and live.recipient_name == DELETED_ACCOUNT
    assert live.revoked_at and live.revoked_because == SUPPORTER_DELETED and not live.is_live()
    assert revoked.revoked_at == grants_before[revoked.public_id]  # an earlier revocation keeps its own date
    assert live.items.count() == 3
    member = CircleMember.objects.get(person=pat)
    assert member.supporter_id is None and member.removed_at is not None
    log_after = list(AccessLogEntry.objects.filter(person_ref=str(pat.public_id)).order_by("sequence").values())
    assert log_after[:len(log_before)] == log_before  # what was logged stays as it was
    (left,) = log_after[len(log_before):]  # and one change is added: the supporter left, what she shared ended
    assert (left["action"], left["viewer_name"], left["allowed"]) == (Change.SUPPORTER_LEFT, DELETED_ACCOUNT, False)
    assert access_log.verify() == AccessLogEntry.objects.count()
    # Her pages and her download still work and say what happened.
    client = Client()
    client.force_login(pat)
    page = client.get(reverse("circle:grants")).content.decode()
    assert DELETED_ACCOUNT in page
    assert client.get(reverse("circle:grant", args=[live.public_id])).status_code == 200
    assert client.get(reverse("circle:circle")).status_code == 200
    data = export.my_data(user=pat)
    assert data["circle"]["grants"][0]["recipient"] == {"public_id": None, "name": DELETED_ACCOUNT}
    assert data["circle"]["members"][0]["supporter"]["name"] == DELETED_ACCOUNT


def test_other_sessions_of_the_account_end_too(pat):
    elsewhere, here = Client(), Client()
    elsewhere.force_login(pat)
    here.force_login(pat)
    other_key = elsewhere.session.session_key
    assert _delete(here).status_code == 302
    assert not Session.objects.filter(session_key=other_key).exists()  # ended, not merely orphaned
    assert elsewhere.get(reverse("plans:plan")).status_code == 302


def test_signed_in_accounts_are_sent_home_from_the_goodbye_page(pat):
    client = Client()
    client.force_login(pat)
    assert client.get(reverse("account_deleted")).status_code == 302
    assert Client().get(reverse("account_deleted")).status_code == 200


def test_many_wrong_passwords_pause_deletion_like_a_login(pat, settings):
    client = Client()
    client.force_login(pat)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _delete(client, password="guess")
    response = _delete(client)
    assert response.status_code == 429
    assert User.objects.filter(pk=pat.pk).exists()


def test_a_supporter_deleted_some_other_way_ends_the_grants_too(world, sam):
    """The admin or a script deleting the account (not the person's own page) keeps Pat's record the same way."""
    pat, _ = world
    User.objects.filter(pk=sam.pk).delete()
    assert Grant.objects.filter(person=pat).count() == 2
    assert not any(g.is_live() for g in Grant.objects.filter(person=pat))
    assert not CircleMember.objects.filter(person=pat, removed_at__isnull=True).exists()
    client = Client()
    client.force_login(pat)
    assert client.get(reverse("circle:circle")).status_code == 200

