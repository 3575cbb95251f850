"""The outbox's own rules, whatever the kind: leases, retries and giving up, builders, keeping words encrypted,
and forgetting."""
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from pathways.outbox import services
from pathways.outbox.models import OutgoingEmail, Status

from .helpers import closed_port, point_mail_at, send_queued_mail

LINK = "https://pathways.example.org/join/SECRET-TOKEN-4c1d/"


def queue(to="lin@example.org", **extra) -> OutgoingEmail:
    return services.email_queue(kind="test_invitation", to=to, subject="You are invited",
                                body=f"Open {LINK}", **extra)


@pytest.fixture
def mail_server_down(settings):
    point_mail_at(settings, closed_port())


@pytest.fixture
def builder():
    """A kind written when sent: the words say when, or nothing is sent for an address ending in .invalid."""
    built = []

    def build(email):
        if email.to.endswith(".invalid"):
            return None
        return EmailMessage(subject="Built", body=f"Written at {timezone.now():%H:%M:%S}", to=[email.to])

    services.builder_register("test_built", build, after_sent=built.append)
    yield built
    services._builders.pop("test_built")


def test_a_queued_email_goes_out_once_with_its_words(db):
    queue(to=" Lin@Example.org ")
    assert send_queued_mail() == 1 and send_queued_mail() == 0
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (["lin@example.org"], "You are invited", f"Open {LINK}")
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts, row.claimed_until) == (Status.SENT, 1, None) and row.sent_at


def test_words_and_address_are_encrypted_at_rest_and_dropped_once_sent(db):
    queue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, \"to\", subject, body FROM outbox_outgoingemail")
        stored = " ".join(cursor.fetchone())
    assert "test_invitation" in stored
    for secret in ("SECRET-TOKEN", "lin@example.org", "You are invited"):
        assert secret not in stored
    send_queued_mail()
    assert OutgoingEmail.objects.filter(subject="", body="").count() == 1  # the link in it is not kept


def test_nothing_is_queued_when_the_callers_transaction_rolls_back(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the work the email is about failed")
    assert not OutgoingEmail.objects.exists() and send_queued_mail() == 0


def test_a_built_email_is_written_when_sent_or_skipped_when_there_is_nothing_to_send(db, builder):
    sent = services.email_queue_built_later(kind="test_built", to="kit@example.org", reference=7)
    skipped = services.email_queue_built_later(kind="test_built", to="nobody@example.invalid")
    send_queued_mail()
    assert [message.subject for message in mail.outbox] == ["Built"]
    assert dict(OutgoingEmail.objects.values_list("pk", "status")) == {sent.pk: Status.SENT,
                                                                     skipped.pk: Status.SKIPPED}
    assert [email.pk for email in builder] == [sent.pk]  # after_sent ran for the email that went out


def test_a_kind_nobody_builds_cannot_be_queued_to_build_later(db):
    with pytest.raises(LookupError):
        services.email_queue_built_later(kind="never_registered", to="kit@example.org")


def test_the_limits_count_per_kind_and_address_or_ip_digest(db, builder):
    since = timezone.now() - timedelta(hours=1)
    for _ in range(3):
        services.email_queue_built_later(kind="test_built", to="Kit@Example.org", requested_from="ip-a")
    services.email_queue_built_later(kind="test_built", to="other@example.org", requested_from="ip-b")
    queue(to="kit@example.org")
    assert services.emails_count_recent(kind="test_built", since=since, to="kit@example.org") == 3
    assert services.emails_count_recent(kind="test_built", since=since, requested_from="ip-a") == 3
    assert services.emails_count_recent(kind="test_built", since=timezone.now(), to="kit@example.org") == 0


def test_the_pause_between_tries_doubles_up_to_an_hour():
    assert [services.retry_delay(n).total_seconds() for n in range(1, 10)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_refused_send_waits_then_is_given_up_after_the_last_try_and_can_be_tried_again(db, mail_server_down):
    queue()
    before = timezone.now()
    send_queued_mail()
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts, row.last_error) == (Status.PENDING, 1, "ConnectionRefusedError")
    assert row.next_attempt_at >= before + timedelta(seconds=30)
    assert send_queued_mail() == 0  # not due yet
    for _ in range(services.MAX_ATTEMPTS - 1):
        send_queued_mail(retries_due=True)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, services.MAX_ATTEMPTS)
    assert row.subject == "You are invited"  # kept, so trying again sends the same email
    assert services.emails_try_again(email_ids=[row.pk]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)


def test_an_email_that_was_sent_is_not_tried_again(db):
    row = queue()
    send_queued_mail()
    assert services.emails_try_again(email_ids=[row.pk]) == 0 and send_queued_mail() == 0
    assert len(mail.outbox) == 1


class TestLeases:
    def test_a_claimed_email_is_not_claimed_again_while_the_lease_runs(self, db):
        queue()
        first = services.email_claim(worker="one")
        assert first is not None and first.claimed_by == "one"
        assert services.email_claim(worker="two") is None

    def test_of_two_workers_racing_for_one_email_only_one_gets_it(self, db):
        queue()
        now = timezone.now()
        claims = [services.email_claim(worker=name, now=now) for name in ("one", "two", "three")]
        assert [claim is not None for claim in claims] == [True, False, False]
        assert OutgoingEmail.objects.get().attempts == 1

    def test_an_expired_lease_makes_it_claimable_again(self, db):
        """A worker that died mid-send never reports back; after its lease another worker sends the email."""
        queue()
        services.email_claim(worker="killed", lease=timedelta(seconds=60))
        again = services.email_claim(worker="restarted", now=timezone.now() + timedelta(seconds=61))
        assert (again.claimed_by, again.attempts, again.last_error) == ("restarted", 2, "Interrupted")
        assert services.email_send(email=again).sent
        assert OutgoingEmail.objects.get().status == Status.SENT and len(mail.outbox) == 1

    def test_a_late_failure_does_not_undo_another_workers_claim(self, db, mail_server_down):
        queue()
        slow = services.email_claim(worker="slow", lease=timedelta(seconds=1))
        services.email_claim(worker="fresh", now=timezone.now() + timedelta(seconds=2))
        services.email_send(email=slow)
        assert OutgoingEmail.objects.get().claimed_by == "fresh"

    def test_an_email_that_keeps_killing_workers_is_given_up(self, db):
        queue()
        now = timezone.now()
        for n in range(services.MAX_ATTEMPTS):
            assert services.email_claim(worker=f"w{n}", now=now + timedelta(minutes=5 * n)) is not None
        assert services.email_claim(worker="last", now=now + timedelta(hours=2)) is None
        row = OutgoingEmail.objects.get()
        assert (row.status, row.last_error) == (Status.FAILED, "Interrupted")

    def test_a_stopping_worker_finishes_the_email_it_is_sending_and_takes_no_other(self, db):
        queue(to="one@example.org")
        queue(to="two@example.org")
        handled = []
        assert services.emails_send_due(worker="w", stopping=lambda: bool(handled.append(1) or len(handled) > 1)) == 1
        assert len(mail.outbox) == 1 and OutgoingEmail.objects.filter(status=Status.PENDING).count() == 1


class TestForgetting:
    def test_old_finished_emails_are_swept_and_waiting_ones_stay(self, db, pat, mail_server_down):
        queue(to="waiting@example.org")
        send_queued_mail()  # refused: it waits
        anonymous, of_pat = queue(to="lin@example.org"), queue(to=pat.email, person=pat)
        OutgoingEmail.objects.filter(pk__in=[anonymous.pk, of_pat.pk]).update(status=Status.SENT)
        now = timezone.now()
        assert services.emails_sweep(now=now + timedelta(hours=2)) == 0
        assert services.emails_sweep(now=now + timedelta(days=1, seconds=1)) == 1  # nobody's: after a day
        assert services.emails_sweep(now=now + timedelta(days=30, seconds=1)) == 1  # an account's: after 30 days
        assert list(OutgoingEmail.objects.values_list("status", flat=True)) == [Status.PENDING]

    def test_deleting_an_account_deletes_its_emails_and_those_to_its_address(self, db, pat, rue):
        queue(to=pat.email, person=pat)
        queue(to="PAT@example.org")  # e.g. a password reset asked for her address
        queue(to=rue.email, person=rue)
        pat.delete()
        assert OutgoingEmail.objects.count() == 2
        assert services.emails_forget_address(address="pat@example.org") == 1
        assert list(OutgoingEmail.objects.values_list("person", flat=True)) == [rue.pk]
