"""Messages, in two browsers (phone and desktop, every page audited): Kai and Sam write to each other and each
sees the other's reply without reloading; then Kai stops sharing messages from the circle page, Sam's next
request is refused, and Kai's access log shows the refusal."""
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry, Category, SupporterRole
from pathways.conversations.services import conversation_for
from pathways.people.models import User
from pathways.people.services import person_sign_up

from .test_alert_answer_flow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def conversation(transactional_db):
    kai = person_sign_up(email="kai@example.org", password=PASSWORD, preferred_name="Kai", pronouns="he/him")
    sam = User.objects.create_user(email="sam@example.org", password=PASSWORD, preferred_name="Sam")
    _, token = circle_services.invitation_create(person=kai, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle_services.invitation_accept(token=token, supporter=sam)
    circle_services.grant_create(member=member, items={Category.MESSAGES: "write"}, purpose="To talk",
                                 signature="Kai Example")
    return conversation_for(member)


def send(screen, text: str) -> None:
    screen.page.get_by_role("textbox", name="Your message to").fill(text)
    screen.follow(screen.page.get_by_role("button", name="Send"))


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_two_people_write_and_each_sees_the_reply_without_reloading(open_audited, conversation, phone):
    address = f"/conversations/{conversation.public_id}/"
    person = open_audited(phone=phone)
    log_in(person, "kai@example.org")
    person.goto("/conversations/")
    person.follow(person.page.get_by_role("link", name="Sam"))
    expect(person.page.get_by_role("heading", level=1)).to_have_text("Messages with Sam")
    person.page.evaluate("window.stillTheSamePage = true")

    helper = open_audited(phone=phone)
    log_in(helper, "sam@example.org", code_for=User.objects.get(email="sam@example.org"))
    helper.goto(address)
    send(helper, "How did the interview go?")
    expect(person.page.get_by_role("main")).to_contain_text("How did the interview go?", timeout=15_000)
    assert person.page.evaluate("window.stillTheSamePage === true")

    helper.page.evaluate("window.stillTheSamePage = true")
    send(person, "It went well, thank you")
    expect(helper.page.get_by_role("main")).to_contain_text("It went well, thank you", timeout=15_000)
    assert helper.page.evaluate("window.stillTheSamePage === true")
    person.audit("the conversation after it updated itself")

    # Kai stops sharing messages; Sam's next request is refused, and Kai's access log says so.
    person.goto("/circle/")
    person.follow(person.page.get_by_role("link", name="Stop sharing messages"))
    person.follow(person.page.get_by_role("button", name="Stop sharing messages"))
    refused = helper.page.goto(helper.base_url + address)
    assert refused is not None and refused.status == 404
    helper.console_errors = [error for error in helper.console_errors if "status of 404" not in error]  # that one
    kai = conversation.person
    assert AccessLogEntry.objects.filter(person_ref=str(kai.public_id), category=Category.MESSAGES,
                                         allowed=False).exists()
    person.goto("/circle/access-log/")
    expect(person.page.get_by_role("main")).to_contain_text("our messages")
    person.goto(address)  # Kai keeps the conversation
    expect(person.page.get_by_role("main")).to_contain_text("How did the interview go?")
    person.assert_clean()
    helper.assert_clean()
