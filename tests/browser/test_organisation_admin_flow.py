"""The organisation admin's work, on a phone and on a desktop, every page audited.

Ada, the admin of Harbour Lights, finds her organisation from the menu, searches the people list and deactivates
Pat's account: Pat, signed in on another device, is signed out on her next page, and Sam, who supported her, no
longer sees her plan. Then Lee, a professional who lost his phone and his recovery codes, asks Ada for help:
Ada confirms it is her (password and code, as signing in was a while ago) and resets Lee's two-step sign-in,
which the access log records and an email in the outbox tells Lee.
"""
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, totp_code
from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry, Change
from pathways.outbox.models import OutgoingEmail
from pathways.people import services as people
from pathways.people.models import Membership, Role, User
from pathways.plans import services as plans

from .conftest import AuditedPage
from .test_alert_answer_flow import log_in
from .test_two_step_flow import signing_in_was_long_ago

pytestmark = pytest.mark.browser

MEANING = "Mornings by the harbour, and my own front door"


@pytest.fixture
def programme(organisation, ada, lee, pat, sam):
    """Pat, in Ada's programme, shares her plan with Sam, a peer supporter there."""
    _, token = people.invitation_create(organisation=organisation, invited_by=ada, email=pat.email, role=Role.PERSON)
    people.invitation_accept_existing_account(token=token, user=pat)
    plans.recovery_meaning_update(plan=pat.plan, actor=pat, text=MEANING)
    Membership.objects.create(organisation=organisation, user=sam, role=Role.PEER_SUPPORTER)
    _, token = circle_services.invitation_create(person=pat, role="peer_supporter", name="Sam")
    member = circle_services.invitation_accept(token=token, supporter=sam)
    circle_services.grant_create(member=member, items={"plan": "view"}, purpose="Support", signature="Pat")
    return {"ada": ada, "lee": lee, "pat": pat, "sam": sam}


def heading(screen: AuditedPage):
    return screen.page.get_by_role("heading", level=1)


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_the_admin_deactivates_a_person_and_resets_a_staff_members_two_steps(open_audited, programme, phone):
    ada, lee, pat, sam = (programme[name] for name in ("ada", "lee", "pat", "sam"))
    person, supporter, admin = (open_audited(phone=phone) for _ in range(3))
    log_in(person, pat.email)
    expect(heading(person)).to_have_text("My recovery plan")
    log_in(supporter, sam.email, code_for=sam)
    supporter.goto(f"/plan/of/{pat.public_id}/")
    expect(supporter.page.get_by_role("main")).to_contain_text(MEANING)

    # 1. Ada finds her organisation from the menu, and Pat in the people list by searching.
    log_in(admin, ada.email, code_for=ada)
    page = admin.page
    admin.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="My organisation"))
    expect(heading(admin)).to_have_text("Harbour Lights Programme")
    admin.follow(page.get_by_role("link", name="People in the programme"))
    expect(heading(admin)).to_have_text("People in Harbour Lights Programme")
    page.get_by_label("Name or email address").fill("pat@")
    admin.follow(page.get_by_role("button", name="Search"))
    cards = page.get_by_role("list", name="1 matching “pat@”, by name").locator(":scope > li")
    expect(cards).to_have_count(1)  # Pat's, and nobody else's
    expect(cards).to_contain_text("pat@example.org")
    expect(page.get_by_role("main")).not_to_contain_text(MEANING)

    # 2. She deactivates Pat's account, after a page that says what will happen.
    admin.follow(page.get_by_role("link", name="Deactivate Pat"))
    expect(heading(admin)).to_have_text("Deactivate Pat's account?")
    admin.follow(page.get_by_role("button", name="Deactivate the account"))
    expect(page.get_by_role("status")).to_contain_text("Deactivated Pat's account.")
    expect(page.get_by_role("main")).to_contain_text("Deactivated on")

    # 3. Pat's open session has ended: her next page asks her to log in. Sam no longer sees her plan.
    person.goto("/plan/")
    expect(heading(person)).to_have_text("Log in")
    supporter.goto("/people/")
    expect(supporter.page.get_by_role("main")).to_contain_text("Nobody shares anything with you at the moment.")
    expect(supporter.page.get_by_role("main")).not_to_contain_text(MEANING)

    # 4. Lee lost his phone and his recovery codes. Ada resets his two-step sign-in, confirming it is her first.
    admin.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="My organisation"))
    admin.follow(page.get_by_role("link", name="staff"))
    expect(heading(admin)).to_have_text("Staff of Harbour Lights Programme")
    signing_in_was_long_ago(admin)
    admin.follow(page.get_by_role("link", name="Reset two-step sign-in for Lee"))
    expect(heading(admin)).to_have_text("Confirm it is you")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code").fill(totp_code(ada.totpdevice_set.get()))
    admin.follow(page.get_by_role("button", name="Continue"))
    expect(heading(admin)).to_have_text("Reset Lee's two-step sign-in?")
    admin.follow(page.get_by_role("button", name="Reset two-step sign-in"))
    expect(page.get_by_role("status")).to_contain_text("Reset Lee's two-step sign-in and signed them out.")

    assert not User.objects.get(pk=pat.pk).is_active
    assert AccessLogEntry.objects.filter(person_ref=str(lee.public_id), viewer_ref=str(ada.public_id),
                                         action=Change.TWO_STEP_RESET).count() == 1
    email = OutgoingEmail.objects.get(kind=people.TWO_STEP_RESET_EMAIL)
    assert email.to == lee.email and not lee.totpdevice_set.exists()
    for screen in (person, supporter, admin):
        screen.assert_clean()
