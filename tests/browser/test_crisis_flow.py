"""A risk answer in a check-in: the safety plan and the country's crisis lines straight away, and a real
email (through a real SMTP server on loopback) to the one supporter the person allowed to be told.
"""
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from playwright.sync_api import expect

from pathways.circle import services as circle_services
from pathways.circle.models import SupporterRole
from pathways.people.models import PersonProfile, User
from pathways.people.services import person_sign_up
from pathways.safety import services as safety_services

pytestmark = pytest.mark.browser

PASSPHRASE = "harbour lights at dusk"


class Inbox:
    """What the SMTP server accepted, message by message."""

    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 2.0.0 Accepted"


@pytest.fixture
def smtp_inbox(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield inbox
    controller.stop()


@pytest.fixture
def kai(transactional_db):
    """Kai lives in New Zealand, has a safety plan, and asked Sam (not Lee) to be told in a crisis."""
    kai = person_sign_up(email="kai@example.org", password=PASSPHRASE, preferred_name="Kai")
    PersonProfile.objects.filter(user=kai).update(country="NZ")
    safety_services.safety_plan_save(person=kai, people_to_ask="My cousin Mere", reasons_for_living="Surf at dawn")
    for email, name, items in (("sam@example.org", "Sam", {"crisis_alerts": "view"}),
                               ("lee@example.org", "Lee", {"plan": "view", "checkins": "view"})):
        supporter = User.objects.create_user(email=email, password=PASSPHRASE, preferred_name=name)
        _, token = circle_services.invitation_create(person=kai, role=SupporterRole.PEER_SUPPORTER, name=name)
        member = circle_services.invitation_accept(token=token, supporter=supporter)
        circle_services.grant_create(member=member, items=items, purpose="Support", signature="Kai Example")
    return kai


def test_a_risk_answer_shows_the_plan_and_lines_and_emails_only_the_allowed_supporter(open_audited, kai, smtp_inbox):
    screen = open_audited(phone=True)
    page = screen.page
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill("kai@example.org")
    page.get_by_label("Password").fill(PASSPHRASE)
    screen.follow(page.get_by_role("button", name="Log in"))

    screen.follow(page.get_by_role("link", name="Check in"))
    group = page.get_by_role("group", name="Have I had thoughts of harming myself?")
    screen.activate(group.get_by_role("radio", name="Some passing thoughts", exact=True))
    screen.follow(page.get_by_role("button", name="Save my check-in"))

    # The very next screen: gentle words, the lines for Kai's country, Kai's own plan, who was told.
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")
    lines = page.get_by_role("region", name="People you can reach right now")
    expect(lines).to_contain_text("1737")
    expect(lines).not_to_contain_text("116 123")
    expect(page.get_by_role("main")).to_contain_text("My cousin Mere")
    expect(page.get_by_role("main")).to_contain_text("Surf at dawn")
    expect(page.get_by_role("status")).to_contain_text("we let Sam know")
    expect(page.get_by_role("status")).not_to_contain_text("Lee")
    # Help stays one tap away on the page itself.
    expect(page.get_by_role("link", name="My safety plan")).to_be_visible()

    call_command("run_worker", "--once")  # the background worker's round, in this process
    recipients = [to for to, _ in smtp_inbox.messages]
    assert recipients == [["sam@example.org"]]
    body = smtp_inbox.messages[0][1]
    assert "harm" not in body.lower() and "Kai" not in body  # the email says only that there is a notification
    screen.assert_clean()
