"""Notification emails through the one outbox (pathways.outbox): leased, sent by the worker, retried with growing
pauses, never losing a notification."""
import io
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from pathways.notifications import services
from pathways.notifications.models import Notification
from pathways.outbox import services as outbox
from pathways.outbox.models import OutgoingEmail, Status

SECRET = "MARKER-93be private words"


def run_worker_once():
    out = io.StringIO()
    call_command("run_worker", "--once", stdout=out)
    return out.getvalue()


@pytest.fixture
def closed_port():
    """A loopback port nobody listens on: connecting to it is refused, like a mail server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2


def test_the_worker_sends_due_emails_and_marks_them_sent(pat, rue):
    for person in (pat, rue):
        services.notify(recipient=person, kind="crisis_alert", title="Alert")
    assert "stopped" in run_worker_once()
    assert sorted(message.to[0] for message in mail.outbox) == [pat.email, rue.email]
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
    assert all(delivery.sent_at and not delivery.claimed_until for delivery in OutgoingEmail.objects.all())
    run_worker_once()
    assert len(mail.outbox) == 2  # sent once, not again


def test_an_email_says_only_that_there_is_something_new(pat, settings):
    settings.PATHWAYS_SITE_URL = "https://pathways.example.org"
    services.notify(recipient=pat, kind="emergency_access", title=f"Title {SECRET}", body=f"Body {SECRET}",
                    link="/circle/access-log/")
    run_worker_once()
    [message] = mail.outbox
    whole = message.message().as_string()  # subject, headers and body, as the mail server receives it
    assert message.subject == "You have a new notification on Pathways"
    assert "https://pathways.example.org/notifications/" in message.body
    for private in ("MARKER-93be", "Title", "access-log", "emergency"):
        assert private not in whole
    assert pat.email not in message.subject + message.body


def test_a_failed_send_is_retried_later_and_the_notification_stays(pat, mail_server_down):
    notification = services.notify(recipient=pat, kind="crisis_alert", title="Alert")
    before = timezone.now()
    run_worker_once()
    delivery = OutgoingEmail.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.PENDING, 1,
                                                                         "ConnectionRefusedError")
    assert delivery.next_attempt_at >= before + timedelta(seconds=30) and delivery.claimed_until is None
    run_worker_once()  # not due yet: nothing is tried
    assert OutgoingEmail.objects.get().attempts == 1
    assert Notification.objects.get() == notification and notification.read_at is None


def test_the_pause_between_tries_doubles_up_to_an_hour():
    assert [outbox.retry_delay(n).total_seconds() for n in range(1, 10)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_after_the_last_try_it_is_kept_as_failed_and_the_notification_is_still_there(pat, mail_server_down):
    notification = services.notify(recipient=pat, kind="crisis_alert", title="Alert")
    for _ in range(outbox.MAX_ATTEMPTS):
        OutgoingEmail.objects.update(next_attempt_at=timezone.now())  # time passes
        run_worker_once()
    delivery = OutgoingEmail.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, outbox.MAX_ATTEMPTS)
    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()
    assert outbox.emails_try_again(email_ids=[delivery.pk]) == 1
    assert OutgoingEmail.objects.get().status == Status.PENDING


def test_the_mail_server_coming_back_delivers_the_waiting_email(pat, settings, mail_server_down):
    services.notify(recipient=pat, kind="crisis_alert", title="Alert")
    run_worker_once()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    run_worker_once()
    assert OutgoingEmail.objects.get().status == Status.SENT and len(mail.outbox) == 1


class TestLeases:
    def test_a_claimed_delivery_is_not_claimed_again_while_the_lease_runs(self, pat):
        services.notify(recipient=pat, kind="crisis_alert", title="Alert")
        first = outbox.email_claim(worker="one")
        assert first is not None and first.claimed_by == "one"
        assert outbox.email_claim(worker="two") is None

    def test_an_expired_lease_makes_it_claimable_again(self, pat):
        """A worker that died mid-send never reports back; after its lease another worker sends the email."""
        services.notify(recipient=pat, kind="crisis_alert", title="Alert")
        outbox.email_claim(worker="killed", lease=timedelta(seconds=60))
        later = timezone.now() + timedelta(seconds=61)
        again = outbox.email_claim(worker="restarted", now=later)
        assert again is not None and (again.claimed_by, again.attempts, again.last_error) == (
            "restarted", 2, "Interrupted")
        assert outbox.email_send(email=again).sent
        assert OutgoingEmail.objects.get().status == Status.SENT and len(mail.outbox) == 1

    def test_a_late_failure_does_not_undo_another_workers_claim(self, pat, mail_server_down):
        services.notify(recipient=pat, kind="crisis_alert", title="Alert")
        slow = outbox.email_claim(worker="slow", lease=timedelta(seconds=1))
        outbox.email_claim(worker="fresh", now=timezone.now() + timedelta(seconds=2))
        outbox.email_send(email=slow)
        assert OutgoingEmail.objects.get().claimed_by == "fresh"

    def test_a_delivery_that_keeps_killing_workers_is_given_up(self, pat):
        services.notify(recipient=pat, kind="crisis_alert", title="Alert")
        now = timezone.now()
        for n in range(outbox.MAX_ATTEMPTS):
            assert outbox.email_claim(worker=f"w{n}", now=now + timedelta(minutes=5 * n)) is not None
        assert outbox.email_claim(worker="last", now=now + timedelta(hours=2)) is None
        delivery = OutgoingEmail.objects.get()
        assert (delivery.status, delivery.last_error) == (Status.FAILED, "Interrupted")
        assert Notification.objects.exists()
