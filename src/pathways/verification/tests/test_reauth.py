"""Confirming it is you again before sensitive changes, when signing in was more than a few minutes ago."""
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, give_authenticator, totp_code
from pathways.circle import services as circle
from pathways.circle.models import CircleMember, Grant, SupporterRole
from pathways.people.models import Membership, Role, User
from pathways.verification import devices
from pathways.verification.recent import AUTHENTICATED_AT, CARRIED_MARKER

CONFIRM = reverse("verification:confirm")


def go_stale(client, settings) -> None:
    """Pretend the person signed in longer ago than the window (no sleeping)."""
    session = client.session
    session[AUTHENTICATED_AT] -= timedelta(minutes=settings.PATHWAYS_REAUTH_MINUTES, seconds=1).total_seconds()
    session.save()


@pytest.fixture
def circle_of_pat(pat, sam, lee, organisation, ada):
    """Pat is in Lee's organisation, Sam is in her circle with a grant, and she is signed in."""
    Membership.objects.create(organisation=organisation, user=pat, role=Role.PERSON)
    _, token = circle.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle.invitation_accept(token=token, supporter=sam)
    grant = circle.grant_create(member=member, items={"plan": "view"}, purpose="Support", signature="Pat")
    client = Client()
    client.force_login(pat)
    return client, member, grant


def actions(member, grant, lee):
    """Every guarded change: (what, method, url, data)."""
    return [
        ("set up the app", "get", reverse("verification:set_up"), {}),
        ("new recovery codes", "post", reverse("verification:recovery_codes"), {}),
        ("turn off two-step sign-in", "post", reverse("verification:turn_off"), {}),
        ("change the password", "get", reverse("password_change"), {}),
        ("change the email address", "get", reverse("verification:email_change"), {}),
        ("share (sign a consent)", "get", reverse("circle:grant_new", args=[member.public_id]), {}),
        ("revoke a consent", "post", reverse("circle:grant_revoke", args=[grant.public_id]), {}),
        ("remove a circle member", "post", reverse("circle:member_remove", args=[member.public_id]), {}),
        ("add staff to the circle", "post", reverse("circle:staff_add"), {"staff": lee.pk}),
        ("delete the account", "get", reverse("account_delete"), {}),
    ]


def test_every_sensitive_change_asks_again_when_signing_in_was_a_while_ago(circle_of_pat, lee, settings):
    client, member, grant = circle_of_pat
    go_stale(client, settings)
    for what, method, url, data in actions(member, grant, lee):
        response = getattr(client, method)(url, data)
        if method == "get":
            assert response.status_code == 302, what
            assert response["Location"] == f"{CONFIRM}?next={url.replace('/', '%2F')}", what
        else:
            assert response.status_code == 200, what
            assert "Confirm it is you" in response.content.decode(), what
    assert Grant.objects.get(pk=grant.pk).revoked_at is None
    assert CircleMember.objects.get(pk=member.pk).removed_at is None
    assert not CircleMember.objects.filter(supporter=lee).exists()


def test_a_fresh_sign_in_goes_straight_through(circle_of_pat, lee):
    client, member, grant = circle_of_pat
    for what, method, url, data in actions(member, grant, lee):
        if method == "get":
            assert getattr(client, method)(url, data).status_code == 200, what
    assert client.post(reverse("circle:grant_revoke", args=[grant.public_id])).status_code == 302
    assert Grant.objects.get(pk=grant.pk).revoked_at is not None


def test_confirming_with_the_password_returns_to_the_page(circle_of_pat, settings):
    client, member, _ = circle_of_pat
    go_stale(client, settings)
    url = reverse("circle:grant_new", args=[member.public_id])
    response = client.post(CONFIRM, {"password": PASSWORD, "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200


def test_a_wrong_password_is_refused_and_counts_towards_the_lockout(circle_of_pat, settings):
    client, member, _ = circle_of_pat
    go_stale(client, settings)
    url = reverse("circle:grant_new", args=[member.public_id])
    response = client.post(CONFIRM, {"password": "not it", "next": url})
    assert response.status_code == 200 and "That is not your current password" in response.content.decode()
    assert client.get(url)["Location"].startswith(CONFIRM)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(CONFIRM, {"password": "not it", "next": url})
    assert response.status_code == 429


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "//elsewhere.example/x", "/\\elsewhere.example",
                                      "javascript:alert(1)", "http://testserver.elsewhere.example/"])
def test_the_way_back_never_leads_off_the_site(circle_of_pat, settings, next_url):
    client, _, _ = circle_of_pat
    go_stale(client, settings)
    response = client.post(CONFIRM, {"password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_an_account_with_two_step_sign_in_also_gives_a_code(circle_of_pat, settings):
    client, member, _ = circle_of_pat
    pat = member.person
    device = give_authenticator(pat)
    client.force_login(pat)
    go_stale(client, settings)
    url = reverse("circle:grant_new", args=[member.public_id])
    without = client.post(CONFIRM, {"password": PASSWORD, "next": url})
    assert without.status_code == 200 and "Type the code from your app" in without.content.decode()
    response = client.post(CONFIRM, {"password": PASSWORD, "code": totp_code(device), "next": url})
    assert response["Location"] == url


def test_a_form_sent_after_the_window_keeps_what_was_typed(circle_of_pat, settings):
    client, member, _ = circle_of_pat
    go_stale(client, settings)
    url = reverse("circle:grant_new", args=[member.public_id])
    typed = {"share_plan": "view", "share_checkins": "view", "purpose": "So Sam can cheer me on",
             "signature": "Pat Example", "until": "revoked"}
    asked = client.post(url, typed)
    body = asked.content.decode()
    assert asked.status_code == 200 and "Confirm it is you" in body
    assert 'value="So Sam can cheer me on"' in body and f'action="{url}"' in body
    assert Grant.objects.filter(member=member).count() == 1  # nothing signed yet

    wrong = client.post(url, {**typed, CARRIED_MARKER: "1", "confirm-password": "not it"})
    assert wrong.status_code == 200 and "That is not your current password" in wrong.content.decode()
    assert 'value="So Sam can cheer me on"' in wrong.content.decode()

    done = client.post(url, {**typed, CARRIED_MARKER: "1", "confirm-password": PASSWORD})
    assert done.status_code == 302, done.content.decode()[:2000]
    newest = Grant.objects.filter(member=member).order_by("-pk").first()
    assert newest.purpose == "So Sam can cheer me on"


def test_a_password_is_never_written_into_the_page(circle_of_pat, settings):
    client, _, _ = circle_of_pat
    go_stale(client, settings)
    response = client.post(reverse("account_delete"), {"password": PASSWORD, "confirmation": "delete my account"})
    body = response.content.decode()
    assert "Confirm it is you" in body and PASSWORD not in body and 'value="delete my account"' in body
    assert User.objects.filter(email="pat@example.org").exists()


def test_an_htmx_request_after_the_window_moves_the_whole_page(circle_of_pat, settings):
    client, _, grant = circle_of_pat
    go_stale(client, settings)
    response = client.post(reverse("circle:grant_revoke", args=[grant.public_id]), HTTP_HX_REQUEST="true",
                           HTTP_HX_CURRENT_URL="http://testserver/circle/")
    assert response["HX-Redirect"] == f"{CONFIRM}?next=%2Fcircle%2F"


def test_regenerating_codes_after_the_window_needs_a_code_too(pat, settings):
    device = give_authenticator(pat)
    devices.recovery_codes_replace(user=pat)
    client = Client()
    client.force_login(pat)
    go_stale(client, settings)
    asked = client.post(reverse("verification:recovery_codes"))
    assert 'name="confirm-code"' in asked.content.decode()
    done = client.post(reverse("verification:recovery_codes"),
                       {CARRIED_MARKER: "1", "confirm-password": PASSWORD, "confirm-code": totp_code(device)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert TOTPDevice.objects.filter(user=pat, confirmed=True).count() == 1
