"""Changing the account's email address: a link to the new address, a notice to the old, nothing revealed."""
import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people.models import User
from pathways.verification import services
from pathways.verification.models import EmailChange

EMAIL = reverse("verification:email_change")
NEW = "pat.new@example.org"


def ask(client, address: str, capture):
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(EMAIL, {"email": address})
    assert mail.outbox == []  # both emails wait in the outbox for the worker
    send_queued_mail()
    return response


def link_in(message) -> str:
    return re.search(r"https?://\S+/account/email/confirm/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_the_new_address_gets_a_link_and_the_old_one_a_notice(pat_client, pat, django_capture_on_commit_callbacks):
    response = ask(pat_client, "Pat.New@Example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == EMAIL
    page = pat_client.get(EMAIL).content.decode()
    assert "We sent a link to the new address" in page
    to_new, to_old = (next(m for m in mail.outbox if m.to == [address]) for address in (NEW, "pat@example.org"))
    link = link_in(to_new)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "being changed" in to_old.subject
    assert NEW not in to_old.body and "/confirm/" not in to_old.body  # the old address learns only that
    pat.refresh_from_db()
    assert pat.email == "pat@example.org"  # unchanged until the link is opened
    stored = EmailChange.objects.get(user=pat)
    assert token not in stored.token_digest and len(stored.token_digest) == 64  # only a digest is kept


def test_opening_the_link_asks_first_then_moves_the_account_and_signs_out_elsewhere(
        pat_client, pat, django_capture_on_commit_callbacks):
    elsewhere = Client()
    elsewhere.force_login(pat)
    ask(pat_client, NEW, django_capture_on_commit_callbacks)
    path = path_of(link_in(next(m for m in mail.outbox if m.to == [NEW])))
    page = pat_client.get(path)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and NEW in page.content.decode()
    assert User.objects.get(pk=pat.pk).email == "pat@example.org"

    done = pat_client.post(path)
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert User.objects.get(pk=pat.pk).email == NEW
    assert pat_client.get(reverse("plans:plan")).status_code == 200  # this browser stays signed in
    assert elsewhere.get(reverse("plans:plan")).status_code == 302  # the others are signed out

    again = pat_client.post(path)
    assert again.status_code == 404 and "does not work any more" in again.content.decode()
    assert Client().get(path).status_code == 404


def test_a_link_opened_while_signed_out_signs_every_session_out(pat_client, pat, django_capture_on_commit_callbacks):
    ask(pat_client, NEW, django_capture_on_commit_callbacks)
    path = path_of(link_in(next(m for m in mail.outbox if m.to == [NEW])))
    phone = Client()
    assert phone.post(path)["Location"] == reverse("login")
    assert User.objects.get(pk=pat.pk).email == NEW
    assert pat_client.get(reverse("plans:plan")).status_code == 302


def test_a_link_expires(pat_client, pat, django_capture_on_commit_callbacks):
    ask(pat_client, NEW, django_capture_on_commit_callbacks)
    path = path_of(link_in(next(m for m in mail.outbox if m.to == [NEW])))
    EmailChange.objects.filter(user=pat).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert pat_client.post(path).status_code == 404
    assert User.objects.get(pk=pat.pk).email == "pat@example.org"


def test_only_the_newest_link_works(pat_client, pat, django_capture_on_commit_callbacks):
    ask(pat_client, NEW, django_capture_on_commit_callbacks)
    first = path_of(link_in(next(m for m in mail.outbox if m.to == [NEW])))
    ask(pat_client, "pat.other@example.org", django_capture_on_commit_callbacks)
    assert pat_client.post(first).status_code == 404
    assert User.objects.get(pk=pat.pk).email == "pat@example.org"


def test_a_taken_address_is_not_revealed(pat_client, pat, rue, django_capture_on_commit_callbacks):
    free = ask(pat_client, NEW, django_capture_on_commit_callbacks)
    free_page = pat_client.get(EMAIL).content.decode()
    free_mail = sorted(m.to[0] for m in mail.outbox)
    taken = ask(pat_client, rue.email, django_capture_on_commit_callbacks)
    taken_page = pat_client.get(EMAIL).content.decode()
    assert (free.status_code, free["Location"]) == (taken.status_code, taken["Location"])
    without_tokens = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF tokens
    assert without_tokens.sub("", free_page) == without_tokens.sub("", taken_page)
    assert len(free_mail) == len(mail.outbox) == 2
    to_rue = next(m for m in mail.outbox if m.to == [rue.email])
    assert "already belongs to a Pathways\naccount" in to_rue.body and "/confirm/" not in to_rue.body
    assert User.objects.get(pk=pat.pk).email == "pat@example.org"


def test_an_address_taken_before_the_link_is_opened_is_refused_kindly(
        pat_client, pat, django_capture_on_commit_callbacks):
    ask(pat_client, NEW, django_capture_on_commit_callbacks)
    path = path_of(link_in(next(m for m in mail.outbox if m.to == [NEW])))
    User.objects.create_user(email=NEW, password="another long passphrase")
    response = pat_client.post(path)
    assert response.status_code == 404 and "belongs to another Pathways account" in response.content.decode()
    assert User.objects.get(pk=pat.pk).email == "pat@example.org"


def test_the_same_address_or_a_bad_one_is_explained_and_kept(pat_client):
    same = pat_client.post(EMAIL, {"email": "PAT@example.org"})
    assert same.status_code == 200 and "already the address of your account" in same.content.decode()
    bad = pat_client.post(EMAIL, {"email": "not an address"})
    assert bad.status_code == 200 and 'value="not an address"' in bad.content.decode()
    assert not EmailChange.objects.exists()


def test_asking_many_times_is_limited(pat_client, pat, django_capture_on_commit_callbacks):
    for number in range(services.REQUESTS_PER_HOUR):
        assert ask(pat_client, f"pat.{number}@example.org", django_capture_on_commit_callbacks).status_code == 302
    refused = ask(pat_client, "pat.more@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 200 and "several times in the last hour" in refused.content.decode()
    assert mail.outbox == []
