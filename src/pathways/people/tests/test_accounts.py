"""Signing up, logging in and out, resetting a password, and the person's own words about themselves."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people.models import Membership, PendingSignUp, PersonProfile, Role

User = get_user_model()


def sign_up(client, **overrides):
    data = {"email": "Morgan@Example.org", "password": PASSWORD, "preferred_name": "Mo", "pronouns": "they/them",
            "name": "Morgan Example"}
    data.update(overrides)
    return client.post(reverse("people:sign_up"), data)


def follow_emailed_sign_up_link(client):
    """The worker sends the queued email; open its link and finish signing up."""
    send_queued_mail()
    link = re.search(r"https?://[^/]+(/signup/confirm/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200
    return client.post(link)


def test_signing_up_creates_a_person_with_a_personal_organisation_and_a_plan(client, db):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == reverse("people:sign_up_sent")
    assert not User.objects.exists()  # not until the address is confirmed
    response = follow_emailed_sign_up_link(client)
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan")
    user = User.objects.get(email="morgan@example.org")
    assert (user.preferred_name, user.pronouns) == ("Mo", "they/them")
    assert user.home_organisation.is_personal
    assert Membership.objects.filter(user=user, role=Role.PERSON, organisation=user.home_organisation).exists()
    assert user.plan is not None
    assert client.get(reverse("plans:plan")).status_code == 200


@pytest.mark.usefixtures("real_password_hashers")  # the suite hashes with MD5 to be quick; this test is about Argon2
def test_passwords_are_hashed_with_argon2(client, db):
    sign_up(client)
    assert PendingSignUp.objects.get().password_hash.startswith("argon2")
    follow_emailed_sign_up_link(client)
    assert User.objects.get(email="morgan@example.org").password.startswith("argon2")


@pytest.mark.parametrize("password,message", [
    ("short", "too short"),
    ("password123", "too common"),
])
def test_weak_passwords_are_explained_and_the_rest_is_kept(client, db, password, message):
    response = sign_up(client, password=password)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert 'value="Mo"' in body and 'value="they/them"' in body
    assert not User.objects.exists()


def test_log_in_whatever_the_case_of_the_email_and_log_out(client, pat):
    response = client.post(reverse("login"), {"username": "Pat@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("plans:plan")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("plans:plan")).status_code == 302


def test_a_wrong_password_is_explained_without_saying_whether_the_account_exists(client, pat):
    wrong = client.post(reverse("login"), {"username": "pat@example.org", "password": "not the password"})
    unknown = client.post(reverse("login"), {"username": "nobody@example.org", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 200
    assert "correct email address and password" in wrong.content.decode()
    assert "correct email address and password" in unknown.content.decode()


def test_password_reset_by_email(client, pat):
    client.post(reverse("password_reset"), {"email": "pat@example.org"})
    assert mail.outbox == []  # queued for the worker, not sent in the request
    send_queued_mail()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"})
    assert response.status_code == 302
    login = client.post(reverse("login"), {"username": "pat@example.org", "password": "a brand new passphrase"})
    assert login.status_code == 302


def test_password_reset_for_an_unknown_address_looks_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    send_queued_mail()
    assert mail.outbox == []


def test_the_person_writes_about_themselves_in_their_own_words(client, pat):
    client.force_login(pat)
    response = client.post(reverse("people:profile"), {
        "preferred_name": "Patti", "pronouns": "she/they", "name": "Patricia Example",
        "culture": "Irish family, Glasgow born", "language": "English, some Irish", "faith": "",
        "what_helps": "Quiet rooms and plain talk",
    })
    assert response.status_code == 302
    pat.refresh_from_db()
    profile = PersonProfile.objects.get(user=pat)
    assert (pat.preferred_name, pat.pronouns) == ("Patti", "she/they")
    assert (profile.culture, profile.what_helps) == ("Irish family, Glasgow born", "Quiet rooms and plain talk")


def test_profile_errors_keep_what_was_typed(client, pat):
    client.force_login(pat)
    response = client.post(reverse("people:profile"), {"preferred_name": "P" * 81, "culture": "Kept text"})
    body = response.content.decode()
    assert response.status_code == 200 and "at most 80 characters" in body and "Kept text" in body
    assert not PersonProfile.objects.get(user=pat).culture


def test_signed_in_pages_are_not_cached(client, pat):
    client.force_login(pat)
    assert client.get(reverse("plans:plan"))["Cache-Control"] == "no-store"
