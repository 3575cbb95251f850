"""Sign-up and password reset answer the same whether or not the address has an account, and the emails
(sent by the worker, never in the request) carry nothing personal beyond their link."""
import re
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from pathways.outbox.models import OutgoingEmail, Status
from pathways.outbox.services import emails_sweep
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people import account_mail
from pathways.people.account_mail import sign_ups_sweep
from pathways.people.models import PendingSignUp, User

NEW = {"email": "morgan@example.org", "password": "lantern harbour meadow", "preferred_name": "Mo",
       "pronouns": "they/them", "name": "Morgan Example"}


def sign_up(client, ip="10.0.0.1", **overrides):
    return client.post(reverse("people:sign_up"), NEW | overrides, REMOTE_ADDR=ip)


def reset(client, email, ip="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def answer(client, response) -> tuple:
    """What someone sees: the status, where it leads, and the words of the page it leads to."""
    page = client.get(response["Location"]) if response.status_code == 302 else response
    words = re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", page.content.decode())
    return response.status_code, response.get("Location"), page.status_code, words


def emailed_link(pattern: str) -> str:
    return re.search(r"https?://[^/]+(" + pattern + ")", mail.outbox[-1].body).group(1)


def test_sign_up_answers_the_same_for_a_taken_and_a_new_address(client, pat):
    taken = answer(client, sign_up(client, email="Pat@Example.org"))
    new = answer(client, sign_up(client))
    assert taken == new
    assert taken[1] == reverse("people:sign_up_sent") and "Check your email" in taken[3]
    assert mail.outbox == []  # nothing is looked up or sent in the request
    assert PendingSignUp.objects.count() == OutgoingEmail.objects.count() == 2  # the same rows either way


def test_a_taken_address_gets_a_notice_with_links_to_log_in_or_reset_and_nothing_is_kept(client, pat):
    sign_up(client, email="pat@example.org", preferred_name="Someone Else")
    assert send_queued_mail() == 1
    (notice,) = mail.outbox
    assert notice.to == ["pat@example.org"] and "already has an account" in notice.body
    assert reverse("login") in notice.body and reverse("password_reset") in notice.body
    assert "Someone Else" not in notice.body and not re.search(rf"\b{pat.display_name}\b", notice.body)
    assert not PendingSignUp.objects.exists()  # the typed password's hash is gone once the notice is sent
    assert User.objects.filter(email="pat@example.org").count() == 1


def test_a_new_address_gets_a_single_use_link_that_creates_the_account_as_typed(client, db):
    sign_up(client)
    send_queued_mail()
    body = mail.outbox[-1].body
    assert mail.outbox[-1].to == ["morgan@example.org"]
    # The link's random token can hold any two letters ("Mo" among them), so only the words around it are read.
    words = re.sub(r"\S*/signup/confirm/\S+", "", body).replace("Pathways", "")
    for personal in ("Mo", "they/them", "Morgan Example", NEW["password"]):
        assert personal not in words
    pending = PendingSignUp.objects.get()
    link = emailed_link(r"/signup/confirm/\S+/")
    assert pending.token_digest and pending.token_digest not in link  # only a digest is stored
    assert NEW["password"] not in pending.password_hash

    assert client.get(link).status_code == 200 and not User.objects.exists()  # opening it creates nothing yet
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan")
    user = User.objects.get(email="morgan@example.org")
    assert (user.preferred_name, user.pronouns, user.name) == ("Mo", "they/them", "Morgan Example")
    assert user.check_password(NEW["password"]) and user.plan is not None
    assert client.get(reverse("plans:plan")).status_code == 200  # signed in
    assert not PendingSignUp.objects.exists()

    client.post(reverse("logout"))
    assert client.post(link).status_code == 404  # used once
    assert client.get(link).status_code == 404
    assert User.objects.count() == 1


def test_a_sign_up_link_expires(client, db):
    sign_up(client)
    send_queued_mail()
    link = emailed_link(r"/signup/confirm/\S+/")
    PendingSignUp.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(link)
    assert response.status_code == 404 and "does not work any more" in response.content.decode()
    assert not User.objects.exists()


def test_a_link_for_an_address_that_got_an_account_meanwhile_does_not_make_a_second(client, pat):
    sign_up(client, email="kit@example.org")
    send_queued_mail()
    link = emailed_link(r"/signup/confirm/\S+/")
    User.objects.create_user(email="kit@example.org", password=PASSWORD)
    assert client.post(link).status_code == 404
    assert User.objects.filter(email="kit@example.org").count() == 1


def test_a_made_up_link_is_refused_kindly(client, db):
    response = client.get(reverse("people:sign_up_confirm", args=["made-up-token"]))
    assert response.status_code == 404 and "sign up again" in response.content.decode()


def test_the_worker_command_sends_the_queued_sign_up_email(client, db):
    sign_up(client)
    call_command("run_worker", "--once", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1 and "/signup/confirm/" in mail.outbox[0].body
    assert OutgoingEmail.objects.get().status == Status.SENT


def test_expired_sign_ups_and_old_outbox_rows_are_swept(client, db):
    sign_up(client)
    sign_up(client, email="kit@example.org")
    send_queued_mail()
    later = timezone.now() + timedelta(hours=24, seconds=1)
    assert sign_ups_sweep(now=later) + emails_sweep(now=later) >= 2
    assert not PendingSignUp.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_fresh_sign_up_survives_the_sweep(client, db):
    sign_up(client)
    sign_ups_sweep()
    emails_sweep()
    assert PendingSignUp.objects.count() == OutgoingEmail.objects.count() == 1


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client, pat):
    known = answer(client, reset(client, "pat@example.org"))
    unknown = answer(client, reset(client, "nobody@example.org"))
    assert known == unknown and known[1] == reverse("password_reset_done")
    assert mail.outbox == [] and OutgoingEmail.objects.count() == 2  # the same row either way
    send_queued_mail()
    assert [m.to for m in mail.outbox] == [["pat@example.org"]]
    assert set(OutgoingEmail.objects.values_list("to", "status")) == {
        ("pat@example.org", Status.SENT), ("nobody@example.org", Status.SKIPPED)}


def test_password_reset_is_limited_per_address_without_saying_so(client, pat):
    answers = [answer(client, reset(client, "pat@example.org", ip=f"10.0.1.{n}")) for n in range(5)]
    assert all(a == answers[0] for a in answers)
    send_queued_mail()
    assert len(mail.outbox) == account_mail.LIMIT_PER_ADDRESS == 3


def test_password_reset_is_limited_per_ip_address_without_saying_so(client, pat):
    for n in range(account_mail.LIMIT_PER_IP):
        reset(client, f"someone{n}@example.org", ip="10.0.2.1")
    limited = answer(client, reset(client, "pat@example.org", ip="10.0.2.1"))
    assert limited == answer(client, reset(client, "other@example.org", ip="10.0.2.2"))
    send_queued_mail()
    assert mail.outbox == []  # Pat's request was over the limit; the others have no account
    assert reset(client, "pat@example.org", ip="10.0.2.3").status_code == 302
    send_queued_mail()
    assert len(mail.outbox) == 1


def test_sign_up_is_limited_per_address_without_saying_so(client, db):
    answers = [answer(client, sign_up(client, ip=f"10.0.3.{n}")) for n in range(5)]
    assert all(a == answers[0] for a in answers)
    assert PendingSignUp.objects.count() == 3  # nothing kept of the requests over the limit
    send_queued_mail()
    assert len(mail.outbox) == 3


def test_a_failed_send_is_retried_later_with_a_fresh_link(client, db, settings):
    sign_up(client)
    with socket.socket() as probe:  # a loopback port nobody listens on: like a mail server that is down
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    send_queued_mail()
    row = OutgoingEmail.objects.get()
    assert (row.status, row.last_error) == (Status.PENDING, "ConnectionRefusedError")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    send_queued_mail()
    assert len(mail.outbox) == 1 and OutgoingEmail.objects.get().status == Status.SENT
    assert client.post(emailed_link(r"/signup/confirm/\S+/")).status_code == 302


@pytest.mark.parametrize("email", ["pat@example.org", "nobody@example.org"])
def test_the_reset_page_itself_looks_the_same(client, pat, email):
    page = client.get(reset(client, email)["Location"])
    assert page.status_code == 200 and "If an account uses that address" in page.content.decode()
