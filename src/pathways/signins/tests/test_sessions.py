"""Sessions: time limits on the server, a new key at login, and ending sessions everywhere they should end."""
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import PASSWORD
from pathways.signins import services
from pathways.signins.devices import device_summary, network_of
from pathways.signins.models import AccountSession
from pathways.signins.receivers import LOGIN_AT, SEEN_AT

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/18.1 Mobile/15E148 Safari/604.1")
EDGE_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")
NEW_PASSWORD = "another long enough passphrase"


def log_in(email, user_agent=FIREFOX_WINDOWS, ip="203.0.113.57", password=PASSWORD) -> Client:
    """A browser that posts the real login form."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def signed_in(client) -> bool:
    return client.get(reverse("plans:plan")).status_code == 200


def session_key(client) -> str:
    return client.cookies["sessionid"].value


def move_back(client, key: str, by: timedelta) -> None:
    """Pretend time passed: move a stored timestamp of the client's session back (no sleeping)."""
    session = client.session
    session[key] -= by.total_seconds()
    session.save()


# --- time limits -------------------------------------------------------------------------------------

def test_the_session_key_changes_at_login(pat):
    client = Client()
    before = client.session  # an anonymous session, as a visitor (or someone planting a cookie) would have
    before["visited"] = True
    before.save()
    old_key = session_key(client)
    client.post(reverse("login"), {"username": pat.email, "password": PASSWORD})
    assert session_key(client) != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert signed_in(client)
    assert AccountSession.objects.filter(user=pat, session_key=session_key(client)).exists()


def test_an_idle_session_ends_on_the_server_and_says_why_on_the_login_page(pat):
    client = log_in(pat.email)
    key = session_key(client)
    move_back(client, SEEN_AT, timedelta(minutes=31))
    response = client.get(reverse("plans:plan"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not AccountSession.objects.filter(session_key=key).exists()
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity, to keep your information safe" in page
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not signed_in(replay)


def test_an_htmx_request_after_the_limit_moves_the_whole_page_to_the_login_page(pat):
    client = log_in(pat.email)
    move_back(client, SEEN_AT, timedelta(minutes=31))
    response = client.get(reverse("plans:plan"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"{reverse('login')}?next={reverse('plans:plan')}"
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page


def test_activity_within_the_limit_keeps_the_session_and_moves_last_active_on(pat):
    client = log_in(pat.email)
    move_back(client, SEEN_AT, timedelta(minutes=29))
    AccountSession.objects.filter(user=pat).update(last_seen_at=timezone.now() - timedelta(minutes=29))
    assert signed_in(client)
    assert timezone.now().timestamp() - client.session[SEEN_AT] < 5
    assert AccountSession.objects.get(user=pat).last_seen_at > timezone.now() - timedelta(minutes=1)


def test_a_session_ends_after_the_most_hours_however_active(pat):
    client = log_in(pat.email)
    key = session_key(client)
    move_back(client, LOGIN_AT, timedelta(hours=12, seconds=1))
    response = client.get(reverse("plans:plan"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "You were signed out after 12 hours signed in" in response.content.decode()
    assert not Session.objects.filter(session_key=key).exists()


def test_the_limits_come_from_the_settings(pat, settings):
    settings.PATHWAYS_SESSION_IDLE_MINUTES = 5
    client = log_in(pat.email)
    move_back(client, SEEN_AT, timedelta(minutes=6))
    response = client.get(reverse("plans:plan"), follow=True)
    assert "You were signed out after 5 minutes without activity" in response.content.decode()


def test_timing_out_on_one_device_leaves_the_others_signed_in(pat):
    phone, laptop = log_in(pat.email, SAFARI_IPHONE), log_in(pat.email)
    move_back(phone, SEEN_AT, timedelta(minutes=31))
    assert not signed_in(phone)
    assert signed_in(laptop)


def test_the_sweep_ends_sessions_nobody_came_back_to(pat, rue):
    idle, fresh = log_in(pat.email), log_in(rue.email)
    AccountSession.objects.filter(user=pat).update(last_seen_at=timezone.now() - timedelta(minutes=32))
    assert services.sessions_end_expired() == 1
    assert not Session.objects.filter(session_key=session_key(idle)).exists()
    assert signed_in(fresh) and not signed_in(idle)


# --- ending every session of an account ----------------------------------------------------------------

def test_logging_out_ends_the_accounts_other_sessions_too(pat, rue):
    first, second, someone_else = log_in(pat.email), log_in(pat.email, SAFARI_IPHONE), log_in(rue.email)
    first.post(reverse("logout"))
    assert not signed_in(first) and not signed_in(second)
    assert signed_in(someone_else)
    assert not AccountSession.objects.filter(user=pat).exists()


def test_a_session_cookie_replayed_after_logout_opens_nothing(pat):
    client = log_in(pat.email)
    key = session_key(client)
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not signed_in(replay)
    assert not Session.objects.filter(session_key=key).exists()


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(pat):
    here, elsewhere = log_in(pat.email), log_in(pat.email, SAFARI_IPHONE)
    response = here.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(here)
    response = elsewhere.get(reverse("plans:plan"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "You were signed out, to keep your information safe" in response.content.decode()
    assert list(AccountSession.objects.filter(user=pat).values_list("session_key", flat=True)) == [session_key(here)]


def test_a_password_reset_ends_every_session(pat):
    signed_in_somewhere = log_in(pat.email)
    pat.refresh_from_db()  # the token covers the last login
    uid = urlsafe_base64_encode(force_bytes(pat.pk))
    browser = Client()
    response = browser.get(reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(pat)]))
    response = browser.post(response["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not signed_in(signed_in_somewhere)
    assert not AccountSession.objects.filter(user=pat).exists()


def test_deactivating_an_account_ends_all_its_sessions(pat):
    first, second = log_in(pat.email), log_in(pat.email, SAFARI_IPHONE)
    keys = [session_key(first), session_key(second)]
    pat.is_active = False
    pat.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not AccountSession.objects.filter(user=pat).exists()
    assert not signed_in(first) and not signed_in(second)


def test_a_session_of_an_account_deactivated_without_signals_is_ended_at_its_next_request(pat):
    from pathways.people.models import User

    client = log_in(pat.email)
    User.objects.filter(pk=pat.pk).update(is_active=False)  # a bulk update sends no signal
    assert not signed_in(client)
    assert not Session.objects.filter(session_key=session_key(client)).exists()


# --- the signed-in devices page ------------------------------------------------------------------------

def test_the_page_lists_only_my_sessions_in_plain_words(pat, rue):
    laptop, phone = log_in(pat.email, FIREFOX_WINDOWS, "203.0.113.57"), log_in(pat.email, SAFARI_IPHONE, "2001:db8:1:2::9")
    log_in(rue.email, EDGE_WINDOWS, "198.51.100.7")
    page = laptop.get(reverse("signins:sessions")).content.decode()
    assert "Firefox on Windows" in page and "This device" in page
    assert "Safari on an iPhone" in page and "2001:db8:1::/48" in page
    assert "203.0.113.0/24" in page and "203.0.113.57" not in page
    assert "Edge on Windows" not in page and "198.51.100" not in page
    assert page.count("This device") == 1
    assert signed_in(phone)


def test_the_profile_page_links_to_the_devices_page(pat):
    client = log_in(pat.email)
    assert reverse("signins:sessions") in client.get(reverse("people:profile")).content.decode()


def test_signing_out_one_device_makes_its_next_request_signed_out(pat):
    laptop, phone = log_in(pat.email), log_in(pat.email, SAFARI_IPHONE)
    row = AccountSession.objects.get(session_key=session_key(phone))
    response = laptop.post(reverse("signins:end", args=[row.public_id]))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=row.session_key).exists()
    response = phone.get(reverse("plans:plan"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "You were signed out, to keep your information safe" in response.content.decode()
    assert signed_in(laptop)


def test_signing_out_this_device_from_the_list_is_logging_out_here_only(pat):
    laptop, phone = log_in(pat.email), log_in(pat.email, SAFARI_IPHONE)
    row = AccountSession.objects.get(session_key=session_key(laptop))
    response = laptop.post(reverse("signins:end", args=[row.public_id]))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not signed_in(laptop) and signed_in(phone)


def test_another_account_cannot_end_my_session(pat, rue):
    mine, theirs = log_in(pat.email), log_in(rue.email)
    row = AccountSession.objects.get(session_key=session_key(mine))
    assert theirs.post(reverse("signins:end", args=[row.public_id])).status_code == 404
    assert theirs.get(reverse("signins:end", args=[row.public_id])).status_code == 405
    assert signed_in(mine)


def test_sign_out_everywhere_else_keeps_this_device(pat, rue):
    here, phone, tablet, someone_else = (log_in(pat.email), log_in(pat.email, SAFARI_IPHONE),
                                         log_in(pat.email, EDGE_WINDOWS), log_in(rue.email))
    response = here.post(reverse("signins:end_others"), follow=True)
    assert "Signed out on 2 other devices" in response.content.decode()
    assert signed_in(here) and signed_in(someone_else)
    assert not signed_in(phone) and not signed_in(tablet)


def test_signed_out_visitors_are_sent_to_log_in(db):
    response = Client().get(reverse("signins:sessions"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- plain words ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("agent,words", [
    (FIREFOX_WINDOWS, "Firefox on Windows"),
    (SAFARI_IPHONE, "Safari on an iPhone"),
    (EDGE_WINDOWS, "Edge on Windows"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
     "Chrome on Linux"),
    ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
     "Chrome on Android"),
    ("curl/8.5", ""),
    ("", ""),
])
def test_device_in_plain_words(agent, words):
    assert device_summary(agent) == words


@pytest.mark.parametrize("address,network", [
    ("203.0.113.57", "203.0.113.0/24"),
    ("2001:db8:1:2::9", "2001:db8:1::/48"),
    ("::ffff:198.51.100.7", "198.51.100.0/24"),
    ("not an address", ""),
    (None, ""),
])
def test_address_is_cut_to_its_network(address, network):
    assert network_of(address) == network
