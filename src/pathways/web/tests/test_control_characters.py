"""Control characters never reach stored text, whichever form sent them (issue 24).

One middleware cleans every posted form; these tests post real forms and read back what was stored. Tabs and
line breaks are part of what someone wrote and stay. Files, JSON bodies, passwords and the CSRF token are left
exactly as sent.
"""
import json
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from pathways.checkins.models import DailyCheckIn
from pathways.lib.text import CONTROL_CHARACTERS, strip_control_characters
from pathways.plans.models import Goal
from pathways.safety.models import SafetyPlan
from pathways.web.middleware import StripControlCharactersMiddleware

NOISE = "\x01\x07\x1b\x7f"


# The cleaning function -------------------------------------------------------------------------------------

def test_the_characters_dropped_are_u0001_to_u001f_and_del_but_not_tab_newline_or_return():
    assert set(CONTROL_CHARACTERS) == {chr(c) for c in range(0x01, 0x20)} - set("\t\n\r") | {"\x7f"}
    assert strip_control_characters("a\x01b\x07c\x1bd\x7fe\tf\ng\r\nh\x00i") == "abcde\tf\ng\r\nh\x00i"


@given(st.text())
def test_cleaning_drops_exactly_the_control_characters_and_keeps_everything_else_in_order(text):
    cleaned = strip_control_characters(text)
    assert not set(cleaned) & set(CONTROL_CHARACTERS)
    assert cleaned == "".join(character for character in text if character not in CONTROL_CHARACTERS)
    assert strip_control_characters(cleaned) == cleaned  # cleaning twice changes nothing more


@given(st.text(alphabet=st.characters(blacklist_characters=CONTROL_CHARACTERS)))
def test_text_without_control_characters_is_returned_unchanged(text):
    assert strip_control_characters(text) == text


# Real forms, real database -----------------------------------------------------------------------------------

def test_a_goal_title_is_stored_without_control_characters_and_keeps_its_tab(pat_client, pat):
    response = pat_client.post(reverse("plans:goal_add"), {
        "dimension": "home", "title": f"Find a\x01 quiet\tflat{NOISE}", "why_it_matters": "Sleep\x07 better\nat last",
        "importance": "8", "confidence": "", "first_steps": "Look at\x1b listings\nCall the housing office",
        "submission_key": str(uuid.uuid4())})
    assert response.status_code == 302
    goal = Goal.objects.get(plan=pat.plan)
    assert (goal.title, goal.why_it_matters) == ("Find a quiet\tflat", "Sleep better\nat last")
    assert [step.text for step in goal.steps.all()] == ["Look at listings", "Call the housing office"]


def test_a_check_in_note_is_stored_without_control_characters_and_keeps_its_line_breaks(pat_client, pat):
    assert pat_client.post("/checkin/", {"mood": "4", "note": f"A good\x01 walk\n\tby the\x07 river{NOISE}\r\nthen"
                                                                "\x1b tea"}).status_code == 302
    assert DailyCheckIn.objects.get(person=pat).note == "A good walk\n\tby the river\r\nthen tea"


def test_a_safety_plan_entry_is_stored_without_control_characters(client, pat):
    client.force_login(pat)
    response = client.post("/safety/edit/", {"coping_on_my_own": f"Walk by\x01 the canal\nRing\x07 my\tsister{NOISE}",
                                             "reasons_for_living": "My dog,\x1b Biscuit"})
    assert response.status_code == 302
    plan = SafetyPlan.objects.get(person=pat)
    assert plan.coping_on_my_own == "Walk by the canal\nRing my\tsister"
    assert plan.reasons_for_living == "My dog, Biscuit"


def test_the_csrf_check_still_passes_when_a_field_carries_control_characters(pat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pat)
    client.get("/safety/edit/")
    token = client.cookies["csrftoken"].value
    response = client.post("/safety/edit/", {"csrfmiddlewaretoken": token, "reasons_for_living": f"Biscuit{NOISE}"})
    assert response.status_code == 302
    assert SafetyPlan.objects.get(person=pat).reasons_for_living == "Biscuit"


# What is left as sent ---------------------------------------------------------------------------------------

def _seen_by_the_view(request):
    seen = {}

    def view(request):
        seen["POST"], seen["FILES"], seen["body"] = request.POST, request.FILES, None
        if request.content_type == "application/json":
            seen["body"] = request.body
        return HttpResponse()

    StripControlCharactersMiddleware(view)(request)
    return seen


def test_uploaded_files_passwords_and_the_csrf_token_are_left_as_sent():
    content = b"Counsellor: hi\x01\x07\x1b\nPerson: hello\x7f"
    request = RequestFactory().post("/anywhere/", {
        "text": f"Kept\x01 words{NOISE}", "new_password1": f"secret{NOISE}", "csrfmiddlewaretoken": "aB3" * 20,
        "upload": SimpleUploadedFile("session.txt", content, content_type="text/plain")})
    seen = _seen_by_the_view(request)
    assert seen["POST"]["text"] == "Kept words"
    assert seen["POST"]["new_password1"] == f"secret{NOISE}"
    assert seen["POST"]["csrfmiddlewaretoken"] == "aB3" * 20
    assert seen["FILES"]["upload"].read() == content


def test_a_json_body_is_left_as_sent():
    body = json.dumps({"note": f"raw{NOISE}"})
    seen = _seen_by_the_view(RequestFactory().post("/anywhere/", body, content_type="application/json"))
    assert seen["body"] == body.encode()


def test_every_value_of_a_repeated_field_is_cleaned():
    seen = _seen_by_the_view(RequestFactory().post("/anywhere/", {"step": ["one\x01", "two\x1b", "three"]}))
    assert seen["POST"].getlist("step") == ["one", "two", "three"]
