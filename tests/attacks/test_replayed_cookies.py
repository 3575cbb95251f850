"""Replayed cookies: a session cookie copied before Pat signs out (or changes her password, or ends that
session from another device) opens nothing afterwards: every signed-in page sends it to the login page."""
from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from pathways.circle.tests import test_access_matrix as matrix
from pathways.signins.models import AccountSession

from .conftest import is_login_redirect, pages_for

NEW_PASSWORD = "another long enough passphrase"


def _signed_in(s) -> tuple[Client, str]:
    """Pat signs in through the login form; returns her client and a copy of its session cookie."""
    client = Client()
    response = client.post(reverse("login"), {"username": s.pat.email, "password": PASSWORD})
    assert response.status_code == 302 and not is_login_redirect(response)
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def _replay(s, cookie: str) -> list[str]:
    """Every page Pat can open when signed in, asked for with the old cookie: what did not send it to log in."""
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    signed_in_pages = [url for url in pages_for("pat", s) if url not in pages_for(matrix.ANONYMOUS, s)]
    assert len(signed_in_pages) > 20
    opened = []
    for url in signed_in_pages:
        response = thief.get(url)
        if not is_login_redirect(response):
            opened.append(f"{url}: {response.status_code}")
    response = thief.post(reverse("plans:wins"), {"text": "Not Pat's win", "occurred_on": matrix.today(s)})
    if not is_login_redirect(response):
        opened.append(f"POST wins: {response.status_code}")
    return opened


def test_the_cookie_works_before_anything_ends_it(scenario, db):
    """The control: replaying a live cookie does open the pages, so the refusals below mean something."""
    _, cookie = _signed_in(scenario)
    assert len(_replay(scenario, cookie)) > 20


def test_a_cookie_replayed_after_logout_opens_nothing(scenario, db):
    client, cookie = _signed_in(scenario)
    client.post(reverse("logout"))
    assert _replay(scenario, cookie) == []


def test_a_cookie_replayed_after_a_password_change_opens_nothing(scenario, db):
    _, old_cookie = _signed_in(scenario)
    changer, _ = _signed_in(scenario)
    response = changer.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, response.status_code
    assert _replay(scenario, old_cookie) == []


def test_a_cookie_replayed_after_that_session_was_ended_elsewhere_opens_nothing(scenario, db):
    _, stolen_cookie = _signed_in(scenario)
    other_device, _ = _signed_in(scenario)
    stolen = AccountSession.objects.get(user=scenario.pat, session_key=stolen_cookie)
    response = other_device.post(reverse("signins:end", kwargs={"session_id": stolen.public_id}))
    assert response.status_code == 302
    assert _replay(scenario, stolen_cookie) == []
