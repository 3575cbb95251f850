"""An organisation admin sets up two-step sign-in when first asked, logs in with a recovery code, confirms it is
her before changing her email address, and confirms the new address from the link.

Ada (the organisation's admin, from the root conftest) has no authenticator app yet, so after her password
every page sends her to set one up. The test types the code an app would compute from the key the page
writes out, keeps the recovery codes, and uses one on the next login after a wrong code. Every page is
audited with axe-core and the structural checks (tests/browser/conftest.py).
"""
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from playwright.sync_api import expect

from conftest import PASSWORD, give_authenticator, totp_code
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.verification.recent import AUTHENTICATED_AT

pytestmark = pytest.mark.browser

NEW_ADDRESS = "ada.new@example.org"


def heading(page):
    return page.get_by_role("heading", level=1)


def password_step(screen, email: str) -> None:
    page = screen.page
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    screen.follow(page.get_by_role("button", name="Log in"))


def signing_in_was_long_ago(screen) -> None:
    """Move this browser's sign-in back past the re-authentication window, on the server (no sleeping)."""
    key = next(c["value"] for c in screen.page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[AUTHENTICATED_AT] -= 60 * 60
    session.save()


def test_an_admin_sets_up_two_step_sign_in_and_uses_it(ada, open_audited, live_server):
    from pathways.people.models import User

    screen = open_audited()
    page = screen.page

    # 1. The password is right, but an admin sees other people's accounts: set up two-step sign-in first.
    password_step(screen, ada.email)
    expect(heading(page)).to_have_text("Two-step sign-in")
    expect(page.get_by_role("main")).to_contain_text("Your account needs two-step sign-in before you carry on.")
    screen.goto("/people/")  # any other page brings her back here
    expect(heading(page)).to_have_text("Two-step sign-in")
    codes = screen.set_up_two_step()
    assert len(codes) == 10
    expect(page.get_by_role("main")).to_contain_text("Two-step sign-in is on.")
    screen.follow(page.get_by_role("link", name="I have kept them, continue"))
    expect(page.get_by_role("banner").locator("details.menu")).to_be_visible()  # signed in

    # 2. Next time: the password, then a code. A wrong one is explained; a recovery code works.
    screen.follow(page.get_by_role("button", name="Log out"))
    password_step(screen, ada.email)
    expect(heading(page)).to_have_text("Enter your code")
    page.get_by_label("Code").fill("000000" if totp_code(ada.totpdevice_set.get()) != "000000" else "111111")
    screen.follow(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("alert")).to_contain_text("That code did not work")
    page.get_by_label("Code").fill(codes[0])
    screen.follow(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("banner").locator("details.menu")).to_be_visible()  # signed in

    # 3. The two-step sign-in page says it is on, with nine codes left, and that it stays on for her.
    screen.goto("/account/two-factor/")
    expect(page.get_by_role("main")).to_contain_text("You have 9 recovery codes left.")
    expect(page.get_by_role("main")).to_contain_text("stays on")

    # 4. Signing in was a while ago: a button pressed now asks for the password and a code on the spot, then
    #    does what was asked.
    signing_in_was_long_ago(screen)
    screen.follow(page.get_by_role("button", name="Make new recovery codes"))
    expect(heading(page)).to_have_text("Confirm it is you")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code").fill(totp_code(ada.totpdevice_set.get()))
    screen.follow(page.get_by_role("button", name="Confirm and continue"))
    expect(heading(page)).to_have_text("Your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").locator("code")).to_have_count(10)

    # 5. Again a while later: opening the email address page asks for the password and a code first.
    signing_in_was_long_ago(screen)
    screen.goto("/me/")
    screen.follow(page.get_by_role("link", name="Change my email address"))
    expect(heading(page)).to_have_text("Confirm it is you")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code").fill(totp_code(ada.totpdevice_set.get()))
    screen.follow(page.get_by_role("button", name="Continue"))
    expect(heading(page)).to_have_text("Change my email address")
    page.get_by_label("New email address").fill(NEW_ADDRESS)
    screen.follow(page.get_by_role("button", name="Send the link"))
    expect(page.get_by_role("status")).to_contain_text("We sent a link to the new address")
    assert User.objects.get(pk=ada.pk).email == "ada@example.org"

    # 6. The link in the email to the new address asks once more, then moves the account.
    send_queued_mail()  # the worker's round: both emails wait in the outbox until then
    sent = next(message for message in mail.outbox if message.to == [NEW_ADDRESS])
    link = re.search(r"https?://[^/\s]+(/account/email/confirm/\S+/)", sent.body).group(1)
    screen.goto(link)
    expect(heading(page)).to_have_text("Confirm your new email address")
    screen.follow(page.get_by_role("button", name="Use this address"))
    expect(page.get_by_role("status")).to_contain_text("Your account now uses its new email address.")
    assert User.objects.get(pk=ada.pk).email == NEW_ADDRESS
    # Used once: the link now explains itself instead (a 404, which Chromium reports on the console).
    response = page.goto(live_server.url + link)
    assert response.status == 404
    expect(heading(page)).to_have_text("This link cannot be used")
    screen.audit(f"{link} (used)")
    screen.console_errors = [error for error in screen.console_errors if "status of 404" not in error]
    screen.assert_clean()


def test_a_professional_logs_in_on_a_phone_with_the_code_the_app_shows(lee, open_audited):
    device = give_authenticator(lee)
    phone = open_audited(phone=True)
    page = phone.page
    password_step(phone, lee.email)
    expect(heading(page)).to_have_text("Enter your code")
    page.get_by_label("Code").fill(totp_code(device))
    phone.follow(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("banner").locator("details.menu")).to_be_visible()  # signed in
    phone.goto("/account/two-factor/")
    expect(page.get_by_role("main")).to_contain_text("Two-step sign-in is on.")
    phone.assert_clean()
