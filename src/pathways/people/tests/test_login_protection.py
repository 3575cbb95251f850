"""Accounts against guessing: login lockout, no answer that says whether an address has an account, passwords."""
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people.lockout import client_ip, username_of

WRONG = "not the password at all"
LOGIN_ERROR = "Please enter a correct email address and password"


def log_in(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return client.get(reverse("plans:plan")).status_code == 200


def without_tokens(body: bytes) -> str:
    """The page with its per-response CSRF tokens blanked, so two answers can be compared whole."""
    text = body.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', text)


def fail_until_locked(client, email, ip="10.0.0.1"):
    """Four wrong passwords are explained; the fifth pauses logging in for that address from that IP."""
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, email, WRONG, ip)
        assert response.status_code == 200 and LOGIN_ERROR in response.content.decode()
    return log_in(client, email, WRONG, ip)


# --- Lockout --------------------------------------------------------------------------------

def test_the_policy_is_five_tries_per_address_and_ip_then_fifteen_minutes():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.PATHWAYS_LOGIN_IP_FAILURE_LIMIT == 30


def test_after_five_failures_even_the_right_password_is_refused_until_the_cool_off_has_passed(client, pat):
    locked = fail_until_locked(client, "pat@example.org")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Logging in is paused for now" in body and "15 minutes" in body
    assert 'class="site-header"' in body  # the site's own layout, not a bare error
    assert locked["Retry-After"] == "900"

    sixth = log_in(client, "pat@example.org", PASSWORD)
    assert sixth.status_code == 429 and "Logging in is paused" in sixth.content.decode()
    assert not signed_in(client)

    # Fourteen minutes later it is still paused, and trying does not stretch the pause.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14))
    assert log_in(client, "Pat@Example.org", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=2))
    allowed = log_in(client, "pat@example.org", PASSWORD)
    assert allowed.status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.exists()  # a successful login clears the old failures


def test_an_unknown_address_gets_the_same_lockout_page_and_status(client, pat):
    known = fail_until_locked(client, "pat@example.org", ip="10.0.0.1")
    unknown = fail_until_locked(client, "nobody@example.org", ip="10.0.0.2")
    assert known.status_code == unknown.status_code == 429
    assert without_tokens(known.content) == without_tokens(unknown.content)
    again_known = log_in(client, "pat@example.org", WRONG, ip="10.0.0.1")
    again_unknown = log_in(client, "nobody@example.org", WRONG, ip="10.0.0.2")
    assert again_known.status_code == again_unknown.status_code == 429
    assert without_tokens(again_known.content) == without_tokens(again_unknown.content)


def test_someone_elses_failures_do_not_lock_another_ip_or_another_account(client, pat, rue):
    assert fail_until_locked(client, "pat@example.org", ip="10.0.0.1").status_code == 429
    # Pat, from her own connection, is not locked out by someone guessing from elsewhere.
    assert log_in(client, "pat@example.org", PASSWORD, ip="192.0.2.7").status_code == 302
    client.post(reverse("logout"))
    # Rue, sharing the guesser's address, can still log in to her own account.
    assert log_in(client, "rue@example.org", PASSWORD, ip="10.0.0.1").status_code == 302


def test_many_failures_across_many_addresses_from_one_ip_pause_that_ip(client, rue, settings):
    settings.PATHWAYS_LOGIN_IP_FAILURE_LIMIT = 8
    for n in range(4):  # two guesses at each of four addresses: no single address reaches five
        for _ in range(2):
            assert log_in(client, f"someone{n}@example.org", WRONG, ip="198.51.100.9").status_code in (200, 429)
    refused = log_in(client, "rue@example.org", PASSWORD, ip="198.51.100.9")
    assert refused.status_code == 429 and "Logging in is paused" in refused.content.decode()
    assert log_in(client, "rue@example.org", PASSWORD, ip="198.51.100.10").status_code == 302


def test_forwarded_addresses_are_believed_only_behind_a_configured_proxy(settings):
    request = RequestFactory().post("/account/login/", REMOTE_ADDR="10.1.1.1",
                                    HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.4")
    settings.PATHWAYS_PROXY_COUNT = 0
    assert client_ip(request) == "10.1.1.1"
    settings.PATHWAYS_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.4"  # the address our one proxy saw; the rest can be forged
    settings.PATHWAYS_PROXY_COUNT = 3  # fewer entries than proxies: not trusted
    assert client_ip(request) == "10.1.1.1"
    settings.PATHWAYS_PROXY_COUNT = 1
    forged = RequestFactory().post("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(forged) == "10.1.1.1"
    assert client_ip(RequestFactory().post("/", REMOTE_ADDR="")) is None  # e.g. a Unix socket


def test_an_address_typed_in_another_case_counts_as_the_same_account():
    request = RequestFactory().post("/admin/login/")
    assert username_of(request, {"username": " Pat@Example.ORG "}) == "pat@example.org"
    assert username_of(request, {}) is None


def test_the_admin_login_is_protected_the_same_way(client, pat):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "PAT@example.org", "password": WRONG},
                               REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert log_in(client, "pat@example.org", PASSWORD, ip="10.0.0.1").status_code == 429


# --- Saying nothing about whether an account exists -----------------------------------------

def test_the_login_error_is_the_same_for_an_unknown_address_and_a_wrong_password(client, pat):
    wrong = log_in(client, "pat@example.org", WRONG)
    unknown = log_in(client, "nobody@example.org", WRONG, ip="10.0.0.2")
    assert wrong.status_code == unknown.status_code == 200
    assert LOGIN_ERROR in wrong.content.decode()
    assert without_tokens(wrong.content).replace("pat@example.org", "ADDRESS") == \
        without_tokens(unknown.content).replace("nobody@example.org", "ADDRESS")


def test_password_reset_answers_the_same_and_emails_only_a_known_address(client, pat):
    known = client.post(reverse("password_reset"), {"email": "pat@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert without_tokens(client.get(known["Location"]).content) == \
        without_tokens(client.get(unknown["Location"]).content)
    assert mail.outbox == []  # the request only queues; the worker looks the address up
    send_queued_mail()
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]


# --- Passwords ------------------------------------------------------------------------------

def test_passwords_need_eight_characters_and_not_a_common_one_but_no_composition_rules():
    names = [v["NAME"].rsplit(".", 1)[1] for v in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert names == ["UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator"]
    assert django_settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 8}


@pytest.mark.parametrize("password,message", [
    ("river7", "This password is too short. It must contain at least 8 characters."),
    ("password123", "This password is too common."),
    ("iloveyou", "This password is too common."),
])
def test_signing_up_with_a_weak_password_is_explained_and_keeps_the_rest(client, db, password, message):
    response = client.post(reverse("people:sign_up"), {"email": "kit@example.org", "password": password,
                                                       "preferred_name": "Kit", "pronouns": "they/them"})
    body = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and message in body
    assert 'value="kit@example.org"' in body and 'value="Kit"' in body and 'value="they/them"' in body


def test_a_plain_lowercase_passphrase_is_fine(client, db):
    response = client.post(reverse("people:sign_up"), {"email": "kit@example.org", "password": "slow river stones"})
    assert response.status_code == 302


@pytest.mark.parametrize("password,message", [
    ("river7", "This password is too short."),
    ("qwertyuiop", "This password is too common."),
])
def test_changing_a_password_explains_a_weak_one(client, pat, password, message):
    client.force_login(pat)
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": password,
                                                        "new_password2": password})
    body = response.content.decode()
    assert response.status_code == 200 and message in body and "Something needs a second look" in body


def test_a_reset_password_must_not_be_weak_either(client, pat):
    client.post(reverse("password_reset"), {"email": "pat@example.org"})
    send_queued_mail()
    link = re.search(r"https?://[^/]+(/account/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "password1", "new_password2": "password1"})
    assert response.status_code == 200 and "This password is too common." in response.content.decode()
