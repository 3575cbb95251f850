"""Nothing typed is lost when a session ends: a form sent after the time limits comes back after signing in."""
from datetime import timedelta
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, give_authenticator, totp_code
from pathways.checkins.models import DailyCheckIn
from pathways.plans.models import Plan
from pathways.plans.services import goal_create
from pathways.records.deletion import account_delete
from pathways.signins import services
from pathways.signins.held_forms import GIVEN_BACK, held_forms_sweep, key_digest
from pathways.signins.models import AccountSession, HeldForm, TimedOutSession
from pathways.signins.receivers import SEEN_AT
from pathways.worker.management.commands.run_worker import periodic_jobs

CHECK_IN = reverse("checkins:daily")
LOGIN = reverse("login")
NOTE = "Rough day, HELDMARK kept going anyway"


def log_in(email, client=None, url=LOGIN) -> Client:
    """Post the real login form (at `url`, which may carry a ?next=) and return the signed-in browser."""
    client = client or Client()
    response = client.post(url, {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def time_out(client) -> None:
    """Pretend the person went quiet past the idle limit: move the session's last activity back (no sleeping)."""
    session = client.session
    session[SEEN_AT] -= timedelta(minutes=settings.PATHWAYS_SESSION_IDLE_MINUTES + 1).total_seconds()
    session.save()


def worker_ends_it(user) -> None:
    """The worker's round after the person went quiet: their session ends before their device comes back."""
    AccountSession.objects.filter(user=user).update(last_seen_at=timezone.now() - timedelta(minutes=32))
    assert services.sessions_end_expired() == 1


def answers(day=None, **more) -> dict:
    return {"day": (day or timezone.localdate()).isoformat(), "mood": "2", "cravings": "6", "lonely": "yes",
            "note": NOTE, **more}


def next_of(response) -> str:
    assert response.status_code == 302 and urlsplit(response["Location"]).path == LOGIN, response
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def send_too_late(client, data=None, url=CHECK_IN, **headers):
    return client.post(url, data if data is not None else answers(), HTTP_REFERER=f"http://testserver{url}",
                       **headers)


# --- held for the same account --------------------------------------------------------------------------

def test_a_check_in_sent_after_the_idle_limit_comes_back_after_signing_in_and_saves(pat):
    client = log_in(pat.email)
    time_out(client)
    response = send_too_late(client)
    assert next_of(response) == CHECK_IN
    assert "signed out after 30 minutes without activity" in client.get(response["Location"]).content.decode()

    signed_in = client.post(response["Location"], {"username": pat.email, "password": PASSWORD})
    assert signed_in["Location"] == CHECK_IN
    page = client.get(CHECK_IN)
    form = page.context["form"]
    assert (form["mood"].value(), form["cravings"].value(), form["lonely"].value()) == ("2", "6", "yes")
    assert NOTE in page.content.decode() and GIVEN_BACK in page.content.decode()
    assert not DailyCheckIn.objects.filter(person=pat).exists()  # showing it back saves nothing

    assert client.post(CHECK_IN, answers()).status_code == 302
    saved = DailyCheckIn.objects.get(person=pat)
    assert (saved.mood, saved.cravings, saved.lonely, saved.note) == (2, 6, "yes", NOTE)


def test_the_login_redirect_goes_back_to_the_page_the_form_sat_on(pat):
    client = log_in(pat.email)
    goal = goal_create(plan=Plan.objects.get(person=pat), actor=pat, dimension="health", title="Sleep better")
    page = reverse("plans:goal", args=[goal.pk])
    time_out(client)
    response = client.post(reverse("plans:step_add", args=[goal.pk]), {"text": "Phone off by 11"},
                           HTTP_REFERER=f"http://testserver{page}")
    assert next_of(response) == page
    assert HeldForm.objects.get(user=pat).path == page


def test_the_pages_own_query_string_is_kept_and_the_day_comes_back(pat):
    yesterday = timezone.localdate() - timedelta(days=1)
    client = log_in(pat.email)
    time_out(client)
    response = send_too_late(client, answers(day=yesterday), url=f"{CHECK_IN}?day={yesterday}")
    assert next_of(response) == f"{CHECK_IN}?day={yesterday}"


def test_without_a_referer_of_ours_the_form_goes_back_to_the_path_it_was_sent_to_and_keeps_its_day(pat):
    yesterday = timezone.localdate() - timedelta(days=1)
    client = log_in(pat.email)
    time_out(client)
    response = client.post(f"{CHECK_IN}?day={yesterday}", answers(day=yesterday),
                           HTTP_REFERER="https://elsewhere.example/checkin/?day=2020-01-01")
    assert next_of(response) == CHECK_IN  # not another site's query string either
    log_in(pat.email, client, url=response["Location"])
    page = client.get(CHECK_IN)
    assert page.context["day"] == yesterday  # the day travelled with the held answers
    assert NOTE in page.content.decode()


def test_a_goal_being_changed_comes_back_on_its_edit_page(pat):
    client = log_in(pat.email)
    goal = goal_create(plan=Plan.objects.get(person=pat), actor=pat, dimension="health", title="Sleep better")
    edit = reverse("plans:goal_edit", args=[goal.pk])
    form = client.get(edit).context["form"]
    time_out(client)
    send_too_late(client, {"dimension": "health", "title": "Sleep through the night", "why_it_matters": "Calm",
                           "version": form["version"].value()}, url=edit)
    log_in(pat.email, client, url=f"{LOGIN}?next={edit}")
    form = client.get(edit).context["form"]
    assert (form["title"].value(), form["why_it_matters"].value()) == ("Sleep through the night", "Calm")
    goal.refresh_from_db()
    assert goal.title == "Sleep better"


def test_two_step_sign_in_also_lands_on_the_form_with_what_was_typed(pat):
    device = give_authenticator(pat)
    client = Client()
    client.post(LOGIN, {"username": pat.email, "password": PASSWORD})
    client.post(reverse("verification:login_code"), {"code": totp_code(device)})
    time_out(client)
    response = send_too_late(client)
    code_step = client.post(response["Location"], {"username": pat.email, "password": PASSWORD})
    assert code_step["Location"] == reverse("verification:login_code")
    signed_in = client.post(reverse("verification:login_code"), {"code": totp_code(device)})
    assert signed_in["Location"] == CHECK_IN
    assert NOTE in client.get(CHECK_IN).content.decode()


def test_the_csrf_token_of_the_page_still_passes_after_the_session_ended(pat):
    """The CSRF secret lives in its own cookie, not in the session, so it outlives the session."""
    client = Client(enforce_csrf_checks=True)
    token = client.get(LOGIN).context["csrf_token"]
    client.post(LOGIN, {"username": pat.email, "password": PASSWORD, "csrfmiddlewaretoken": str(token)})
    token = client.get(CHECK_IN).context["csrf_token"]
    time_out(client)
    response = send_too_late(client, answers(csrfmiddlewaretoken=str(token)))
    assert next_of(response) == CHECK_IN
    assert "csrfmiddlewaretoken" not in HeldForm.objects.get(user=pat).data


def test_the_csrf_token_of_the_page_still_passes_after_the_worker_ended_the_session(pat):
    client = Client(enforce_csrf_checks=True)
    token = client.get(LOGIN).context["csrf_token"]
    client.post(LOGIN, {"username": pat.email, "password": PASSWORD, "csrfmiddlewaretoken": str(token)})
    token = client.get(CHECK_IN).context["csrf_token"]
    worker_ends_it(pat)
    assert next_of(send_too_late(client, answers(csrfmiddlewaretoken=str(token)))) == CHECK_IN
    assert HeldForm.objects.filter(user=pat).exists()


def test_a_post_without_its_csrf_token_is_refused_and_holds_nothing(pat):
    """Another site cannot plant answers in someone's form: the CSRF check comes before anything is held."""
    client = Client(enforce_csrf_checks=True)
    token = client.get(LOGIN).context["csrf_token"]
    client.post(LOGIN, {"username": pat.email, "password": PASSWORD, "csrfmiddlewaretoken": str(token)})
    time_out(client)
    assert send_too_late(client).status_code == 403
    assert not HeldForm.objects.exists()


# --- a session the worker ended -------------------------------------------------------------------------

def test_a_post_after_the_worker_ended_the_session_is_still_held(pat):
    client = log_in(pat.email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    worker_ends_it(pat)
    response = send_too_late(client)
    assert next_of(response) == CHECK_IN
    assert "You were signed out, to keep your information safe" in client.get(response["Location"]).content.decode()
    log_in(pat.email, client, url=response["Location"])
    assert NOTE in client.get(CHECK_IN).content.decode()
    # Only a digest of the ended session's key was kept, never the key itself.
    assert TimedOutSession.objects.filter(key_digest=key_digest(key), user=pat).exists()
    assert not TimedOutSession.objects.filter(key_digest=key).exists()


def test_a_session_that_timed_out_more_than_an_hour_ago_holds_nothing(pat):
    client = log_in(pat.email)
    worker_ends_it(pat)
    TimedOutSession.objects.update(ended_at=timezone.now() - timedelta(minutes=61))
    response = send_too_late(client)
    assert next_of(response) == CHECK_IN
    assert not HeldForm.objects.exists()


def test_a_session_ended_by_logging_out_elsewhere_holds_nothing(pat):
    """Only the time limits hold a form: logging out, or ending a device's session, means it should stop."""
    here, elsewhere = log_in(pat.email), log_in(pat.email)
    elsewhere.post(reverse("logout"))
    send_too_late(here)
    assert not HeldForm.objects.exists()


# --- only the same account ------------------------------------------------------------------------------

def test_another_account_signing_in_on_the_same_browser_never_gets_it(pat, rue):
    shared_device = log_in(pat.email)
    time_out(shared_device)
    response = send_too_late(shared_device)
    log_in(rue.email, shared_device, url=response["Location"])
    page = shared_device.get(CHECK_IN)
    assert NOTE not in page.content.decode() and GIVEN_BACK not in page.content.decode()
    assert not page.context["form"].is_bound
    shared_device.post(reverse("logout"))
    log_in(pat.email, shared_device, url=response["Location"])
    assert NOTE in shared_device.get(CHECK_IN).content.decode()  # still Pat's, untouched by Rue's visit


def test_it_is_given_back_once(pat):
    client = log_in(pat.email)
    time_out(client)
    response = send_too_late(client)
    log_in(pat.email, client, url=response["Location"])
    assert NOTE in client.get(CHECK_IN).content.decode()
    again = client.get(CHECK_IN)
    assert NOTE not in again.content.decode() and GIVEN_BACK not in again.content.decode()
    assert not HeldForm.objects.exists()


def test_a_head_request_does_not_use_it_up(pat):
    client = log_in(pat.email)
    time_out(client)
    response = send_too_late(client)
    log_in(pat.email, client, url=response["Location"])
    client.head(CHECK_IN)  # a link checker or a preview, not the person
    assert NOTE in client.get(CHECK_IN).content.decode()


def test_a_newer_form_on_the_same_page_replaces_the_older_one(pat):
    for note in ("first try", "second try"):
        client = log_in(pat.email)
        time_out(client)
        send_too_late(client, answers(note=note))
    assert [held.data["note"] for held in HeldForm.objects.filter(user=pat)] == [["second try"]]


# --- what is never held ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url_name", ["account_delete", "password_change", "verification:email_change"])
def test_nothing_is_held_for_account_pages(pat, url_name):
    client = log_in(pat.email)
    time_out(client)
    url = reverse(url_name)
    response = client.post(url, {"confirmation": "delete", "email": "new@example.org"},
                           HTTP_REFERER="http://testserver/checkin/")  # even when sent from another page
    assert response.status_code == 302
    assert not HeldForm.objects.exists()


def test_nothing_is_held_for_a_form_whose_page_is_an_account_page(pat):
    client = log_in(pat.email)
    time_out(client)
    client.post(CHECK_IN, answers(), HTTP_REFERER=f"http://testserver{reverse('account_delete')}")
    assert not HeldForm.objects.exists()


def test_passwords_tokens_codes_and_files_are_never_held(pat):
    client = log_in(pat.email)
    time_out(client)
    send_too_late(client, answers(password="secret one", new_password1="secret two", otp_token="123456",
                                  reset_token="abc", code="654321", attachment=SimpleUploadedFile("a.txt", b"x")))
    assert set(HeldForm.objects.get(user=pat).data) == {"day", "mood", "cravings", "lonely", "note"}


def test_nothing_is_held_for_htmx_requests(pat, rue):
    timed_out_here, ended_by_the_worker = log_in(pat.email), log_in(rue.email)
    time_out(timed_out_here)
    worker_ends_it(rue)
    for client in (timed_out_here, ended_by_the_worker):
        response = send_too_late(client, HTTP_HX_REQUEST="true")
        assert response.status_code in (200, 302)
    assert not HeldForm.objects.exists()


def test_held_answers_are_encrypted_at_rest(pat):
    client = log_in(pat.email)
    time_out(client)
    send_too_late(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM signins_heldform")
        (stored,), = cursor.fetchall()
    assert stored.startswith("gAAAAA") and "HELDMARK" not in stored  # a Fernet token, not the answers
    assert HeldForm.objects.get(user=pat).data["note"] == [NOTE]


# --- an hour at most ------------------------------------------------------------------------------------

def test_a_held_form_expires_after_an_hour(pat):
    client = log_in(pat.email)
    time_out(client)
    response = send_too_late(client)
    HeldForm.objects.update(held_at=timezone.now() - timedelta(minutes=61))
    log_in(pat.email, client, url=response["Location"])
    page = client.get(CHECK_IN)
    assert NOTE not in page.content.decode() and not page.context["form"].is_bound


def test_the_workers_sweep_removes_what_is_over_an_hour_old(pat, rue):
    for person in (pat, rue):
        client = log_in(person.email)
        time_out(client)
        send_too_late(client)
    HeldForm.objects.filter(user=pat).update(held_at=timezone.now() - timedelta(minutes=61))
    TimedOutSession.objects.filter(user=pat).update(ended_at=timezone.now() - timedelta(minutes=61))
    assert held_forms_sweep in periodic_jobs()
    call_command("run_worker", "--once", stdout=StringIO())
    assert list(HeldForm.objects.values_list("user", flat=True)) == [rue.pk]
    assert list(TimedOutSession.objects.values_list("user", flat=True)) == [rue.pk]


def test_deleting_the_account_removes_what_was_held(pat):
    client = log_in(pat.email)
    time_out(client)
    send_too_late(client)
    account_delete(user=pat)
    assert not HeldForm.objects.exists() and not TimedOutSession.objects.exists()
