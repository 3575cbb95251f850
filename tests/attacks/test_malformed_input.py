"""SQL-injection strings, over-long, malformed and wrongly typed input, in every form field and query
parameter: each gets a clear answer (a form error, a 4xx, or the value kept as plain text), never a 500,
and a form that answers with its errors has written nothing.

Forms are found on the pages (see forms.py), so a new field is attacked as soon as it is shown. Each
field gets each NASTY value in turn while the rest of the form stays acceptable. Run on PostgreSQL too
(`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test`): it refuses NUL characters in text and integers
past 64 bits, where SQLite is lenient.
"""
from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pathways.circle.tests import test_access_matrix as matrix
from pathways.mi.web.models import SavedTranscript
from pathways.notifications.models import Notification

from .conftest import body, forms_for, pages_for, row_counts

NASTY = (
    "' OR 1=1 --", '"; DROP TABLE people_user; --', "%", "_", "%_%\\",
    "Zoë 🌱 \u202eevil\u200b 名前", "a\x00b", "x" * 100_000,
    "abc", "-1", str(10**30), "1.5", "", " ", "2026-02-30", "31/12/2026", "not-a-choice", "１２",
)
ACTORS = ("pat", matrix.GRANT_HOLDER, "org-admin")
# Forms whose successful answer is a page (not a redirect): their 200 may well have written something.
ANSWER_WITH_A_PAGE = {"circle:invite", "mi:analyze", "mi:practice", "my_data_download",
                      "verification:recovery_codes"}
QUERY_PARAMETERS = ("page", "next", "q", "category", "viewer", "sort", "from", "to", "status")


def _posted(client: Client, url: str, data, problems: list[str], label: str, url_name: str, **extra):
    before = row_counts()
    response = client.post(url, data, **extra)
    if response.status_code >= 500:
        problems.append(f"{label}: answered {response.status_code}")
    elif response.status_code == 200 and url_name not in ANSWER_WITH_A_PAGE and row_counts() != before:
        changed = {k for k, v in row_counts().items() if before[k] != v}
        problems.append(f"{label}: answered with the form again but wrote {sorted(changed)}")
    return response


@pytest.mark.parametrize("role", ACTORS)
def test_nasty_values_in_every_form_field_never_give_a_500(role, scenario, clients):
    client, problems = clients[role], []
    forms = forms_for(role, scenario, client)
    assert len(forms) > (10 if role == "pat" else 1), "the crawl found too few forms to mean anything"
    for form in forms:
        fields = sorted({f.name for f in form.fields if f.name not in ("csrfmiddlewaretoken",)})
        for name in fields:
            for value in NASTY:
                data = form.filled(text="Plain words") | {name: value}
                _posted(client, form.action, data, problems, f"{role} {form.action} {name}={value[:20]!r}",
                        form.url_name)
            data = form.filled(text="Plain words") | {name: ["first", "second"]}  # a repeated parameter
            _posted(client, form.action, data, problems, f"{role} {form.action} {name} repeated", form.url_name)
    assert not problems, "\n".join(problems[:50])


@pytest.mark.parametrize("role", ACTORS)
def test_json_and_other_wrong_content_types_never_give_a_500(role, scenario, clients):
    client, problems = clients[role], []
    for form in forms_for(role, scenario, client):
        data = form.filled(text="Plain words")
        for content_type, payload in (("application/json", json.dumps(data)), ("text/plain", "just=text&x"),
                                      ("application/x-www-form-urlencoded", "%zz=%%&&=="),
                                      ("multipart/form-data; boundary=nope", "--nope\r\nbroken")):
            _posted(client, form.action, payload, problems, f"{role} {form.action} as {content_type}",
                    form.url_name, content_type=content_type)
    assert not problems, "\n".join(problems[:50])


@pytest.mark.parametrize("role", ACTORS)
def test_nasty_query_parameters_never_give_a_500(role, scenario, clients):
    client, problems = clients[role], []
    for url in pages_for(role, scenario):
        for value in NASTY[:12]:
            query = {name: value for name in QUERY_PARAMETERS}
            response = client.get(url, query)
            if response.status_code >= 500:
                problems.append(f"{role} GET {url}?…={value[:20]!r}: answered {response.status_code}")
        response = client.get(f"{url}?page=1&page=2&page=-5&next=%2F%2Fevil.example")
        if response.status_code >= 500:
            problems.append(f"{role} GET {url} with repeated parameters: answered {response.status_code}")
    assert not problems, "\n".join(problems[:50])


def test_a_nul_character_gets_a_clear_form_error_and_keeps_what_was_typed(scenario, clients):
    response = clients["pat"].post(reverse("plans:wins"), {"text": "A calm\x00 day", "occurred_on": "2026-11-01"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in body(response) or "not allowed" in body(response)
    assert "A calm" in body(response)


def test_an_over_long_url_path_is_not_found(clients):
    for client in (clients["pat"], clients[matrix.ANONYMOUS]):
        assert client.get("/plan/" + "a" * 20_000 + "/").status_code == 404
        assert client.get("/plan/goals/" + "9" * 5_000 + "/").status_code == 404


@pytest.mark.parametrize("content", [b"\xff\xfe\x00\x00garbage", b"", b"Counsellor: hi\nPerson: " + b"\xc3" * 10,
                                     b"interlocutor,utterance_text\r\nsomeone,\x00"])
def test_a_broken_transcript_upload_gets_a_clear_message(content, clients):
    upload = SimpleUploadedFile("session.csv", content, content_type="text/csv")
    response = clients["pat"].post(reverse("mi:analyze"), {"text": "", "upload": upload})
    assert response.status_code == 200
    assert 'class="form-problems"' in body(response)


def test_a_csv_transcript_cut_off_inside_a_quote_is_read_not_failed(clients):
    upload = SimpleUploadedFile("session.csv", b'interlocutor,utterance_text\r\ntherapist,"How', content_type="text/csv")
    assert clients["pat"].post(reverse("mi:analyze"), {"text": "", "upload": upload}).status_code == 200


def test_a_truncated_multipart_upload_is_refused_without_a_500(clients):
    saved = SavedTranscript.objects.count()
    raw = (b'--cut\r\nContent-Disposition: form-data; name="upload"; filename="session.txt"\r\n'
           b"Content-Type: text/plain\r\n\r\nCounsellor: What brings you")  # the closing boundary never comes
    response = clients["pat"].generic("POST", reverse("mi:analyze"), raw,
                                      content_type="multipart/form-data; boundary=cut")
    assert response.status_code in (200, 400)
    assert SavedTranscript.objects.count() == saved


def test_login_next_never_sends_anyone_off_site(scenario):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example",
                   "\x00/plan/", "/" + "a" * 10_000):
        client = Client()
        response = client.post(reverse("login") + "?next=" + target, {"username": scenario.pat.email,
                                                                      "password": matrix.PASSWORD,
                                                                      "next": target})
        assert response.status_code == 302, (target, response.status_code)
        assert response["Location"].startswith("/") and not response["Location"].startswith(("//", "/\\"))


def test_a_wrong_notification_id_marks_nothing_read(scenario, clients):
    """Found by this suite: 10**30 answered 500 (an integer column overflow), and an id that was not a
    number marked every notification read."""
    unread = Notification.objects.filter(recipient=scenario.pat, read_at__isnull=True).count()
    assert unread
    for value in (str(10**30), "abc", "²", "-1"):
        assert clients["pat"].post(reverse("notifications:mark_read"), {"notification": value}).status_code == 302
    assert Notification.objects.filter(recipient=scenario.pat, read_at__isnull=True).count() == unread


def test_answering_a_suggestion_twice_says_so_instead_of_failing(scenario, clients):
    """Found by this suite: a second accept (another tab, a double press) answered 500."""
    url = reverse("plans:suggestion", kwargs={"suggestion_id": scenario.suggestion.pk})
    data = {"text": "Try the allotment", "why": "", "dimension": "home", "answer": "accept"}
    assert clients["pat"].post(url, data).status_code == 302
    again = clients["pat"].post(url, data, follow=True)
    assert again.status_code == 200 and "already answered" in body(again)


def test_a_next_that_is_not_a_path_of_ours_goes_to_the_default_page(scenario, clients):
    """Found by this suite: `next` that was neither a path nor a view name ("' OR 1=1 --") answered 500."""
    step_url = reverse("plans:step_action", kwargs=matrix.step_of_pat(scenario))
    note_url = reverse("warning_signs:note_not_now", kwargs=matrix.pats_warning_note(scenario))
    for target in ("' OR 1=1 --", "plans:plan", "https://evil.example/", "//evil.example/"):
        response = clients["pat"].post(step_url, {"action": "done", "next": target})
        assert response.status_code == 302 and response["Location"] == reverse("plans:goal", kwargs=matrix.goal_of_pat(
            scenario)), (target, response.get("Location"))
        response = clients["pat"].post(note_url, {"next": target})
        assert response.status_code == 302 and response["Location"] == reverse("warning_signs:plan"), target
    response = clients["pat"].post(note_url, {"next": "/checkin/"})  # the control: a path of ours is followed
    assert response["Location"] == "/checkin/"
