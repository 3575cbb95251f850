"""Every kind of email Pathways sends waits in the one outbox while the mail server is down, and arrives exactly
once, to the right address and with the right words, after it comes back. A real SMTP server (aiosmtpd) on
loopback receives them; before it starts, connecting to its port is refused, as with a server that is down."""
import io
import re
import threading
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from conftest import PASSWORD
from pathways.circle import services as circle
from pathways.circle.models import SupporterRole
from pathways.notifications.services import notify
from pathways.outbox.models import OutgoingEmail, Status
from pathways.people import services as people
from pathways.people.account_mail import password_reset_request
from pathways.people.models import PendingSignUp, Role
from pathways.verification.services import email_change_request

from .helpers import closed_port, point_mail_at


class Inbox:
    """Keeps (recipients, subject, body) of every message the SMTP server accepts."""

    def __init__(self):
        self.messages: list[tuple[list[str], str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), subject, body))
        return "250 2.0.0 Accepted"


def run_worker_round() -> None:
    call_command("run_worker", "--once", stdout=io.StringIO())


@pytest.fixture
def mail_port(settings):
    """Where the mail server will listen; nothing listens there until the test starts it."""
    port = closed_port()
    point_mail_at(settings, port)
    return port


@pytest.fixture
def start_mail_server(mail_port):
    started = []

    def start() -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=mail_port)
        controller.start()
        started.append(controller)
        return inbox

    yield start
    for controller in started:
        controller.stop()


def queue_one_of_each(*, pat, rue, ada, organisation) -> None:
    """Each road an email takes, through the same services the pages call."""
    notify(recipient=pat, kind="crisis_alert", title="Someone you support asked for help")
    people.sign_up_request(email="morgan@example.org", password=PASSWORD, preferred_name="Mo", ip="10.0.0.1")
    people.sign_up_request(email="Pat@Example.org", password=PASSWORD, preferred_name="Not Pat", ip="10.0.0.2")
    password_reset_request(email="rue@example.org", ip="10.0.0.3")
    people.invitation_create(organisation=organisation, invited_by=ada, email="kai@example.org", role=Role.PERSON,
                             base_url="https://pathways.example.org")
    circle.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Lin", email="lin@example.org",
                             base_url="https://pathways.example.org")
    email_change_request(user=ada, new_email="ada.new@example.org")


# (recipient, words in the subject, words in the body) of each email, in no particular order.
EXPECTED = [
    ("pat@example.org", "You have a new notification on Pathways", "/notifications/"),
    ("morgan@example.org", "Finish signing up to Pathways", "/signup/confirm/"),
    ("pat@example.org", "Someone tried to sign up to Pathways with your address", "already has an account"),
    ("rue@example.org", "Resetting your Pathways password", "/account/reset/"),
    ("kai@example.org", "You are invited to join Harbour Lights Programme on Pathways", "/join/"),
    ("lin@example.org", "You are invited to a circle of support on Pathways", "/circle/join/"),
    ("ada.new@example.org", "Confirm your new email address for Pathways", "/account/email/confirm/"),
    ("ada@example.org", "Your Pathways email address is being changed", "asked to change its email address"),
]


def test_every_kind_of_email_waits_out_a_mail_server_that_is_down_and_then_arrives_once(
        pat, rue, ada, organisation, start_mail_server):
    queue_one_of_each(pat=pat, rue=rue, ada=ada, organisation=organisation)
    assert OutgoingEmail.objects.count() == len(EXPECTED)

    before = timezone.now()
    run_worker_round()  # the mail server is down: every send is refused
    rows = list(OutgoingEmail.objects.all())
    assert {(row.status, row.attempts, row.last_error) for row in rows} == {
        (Status.PENDING, 1, "ConnectionRefusedError")}
    assert all(row.next_attempt_at >= before + timedelta(seconds=30) and row.claimed_until is None for row in rows)
    assert PendingSignUp.objects.count() == 2  # nothing of the sign-ups was lost either

    inbox = start_mail_server()
    run_worker_round()  # back up, but no email is due again yet
    assert inbox.messages == [] and set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}

    OutgoingEmail.objects.update(next_attempt_at=timezone.now())  # the pause has passed
    run_worker_round()
    run_worker_round()  # and another round sends nothing twice
    assert len(inbox.messages) == len(EXPECTED)
    for to, subject, words in EXPECTED:
        matching = [m for m in inbox.messages if m[0] == [to] and m[1].startswith(subject)]
        assert len(matching) == 1, (to, subject, [(m[0], m[1]) for m in inbox.messages])
        assert words in matching[0][2], (to, subject)
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {(Status.SENT, 2)}
    assert set(OutgoingEmail.objects.values_list("subject", "body")) == {("", "")}  # words (and links) not kept

    # The links that arrived work: the sign-up link was made when the email was sent, not before.
    signed_up = [body for to, _, body in inbox.messages if to == ["morgan@example.org"]][0]
    token = re.search(r"/signup/confirm/(\S+)/", signed_up).group(1)
    assert people.sign_up_confirm(token=token).email == "morgan@example.org"
    invited = [body for to, _, body in inbox.messages if to == ["lin@example.org"]][0]
    token = re.search(r"/circle/join/(\S+)/", invited).group(1)
    assert circle.invitation_find_open(token=token).name == "Lin"


def test_a_retried_sign_up_email_carries_a_fresh_link_and_only_it_works(db, start_mail_server):
    people.sign_up_request(email="morgan@example.org", password=PASSWORD, ip="10.0.0.1")
    run_worker_round()
    refused_digest = PendingSignUp.objects.get().token_digest  # made for the send that was refused
    inbox = start_mail_server()
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    run_worker_round()
    [(_, _, body)] = inbox.messages
    token = re.search(r"/signup/confirm/(\S+)/", body).group(1)
    assert PendingSignUp.objects.get().token_digest not in (None, refused_digest)
    assert people.sign_up_confirm(token=token)
