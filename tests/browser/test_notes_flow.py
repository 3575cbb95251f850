"""A note about a conversation, from the supporter's keyboard to the person's response (phone and desktop).

Pat has granted Sam, her peer supporter, notes to write. Sam writes a note with words that label Pat; the
respectful-language check offers other words as Sam types, and Sam takes one; Sam saves; Pat reads the note
at once and adds her own response beside it. Every page is audited (axe, reflow on the phone).
"""
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from pathways.circle import services as circle
from pathways.circle.models import SupporterRole
from pathways.conversations.models import SessionNote
from pathways.people.models import User
from pathways.people.services import person_sign_up

from .test_alert_answer_flow import log_in

pytestmark = pytest.mark.browser

LABELLING = "Pat is clean for 30 days, no longer an addict."


@pytest.fixture
def pat(transactional_db):
    pat = person_sign_up(email="pat@example.org", password=PASSWORD, preferred_name="Pat", pronouns="she/her")
    sam = User.objects.create_user(email="sam@example.org", password=PASSWORD, preferred_name="Sam")
    _, token = circle.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle.invitation_accept(token=token, supporter=sam)
    circle.grant_create(member=member, items={"notes": "write"}, purpose="Support", signature="Pat Example")
    return pat


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_a_supporter_writes_a_note_and_the_person_responds(open_audited, pat, phone):
    supporter = open_audited(phone=phone)
    page = supporter.page
    log_in(supporter, "sam@example.org", code_for=User.objects.get(email="sam@example.org"))  # notes: two steps
    supporter.goto(f"/notes/of/{pat.public_id}/")
    supporter.follow(page.get_by_role("link", name="Write a note"))
    box = page.get_by_label("What we talked about")
    box.press_sequentially(LABELLING, delay=5)
    findings = page.locator("#id_talked_about-language-findings")
    expect(findings).to_contain_text("addict", timeout=10_000)
    supporter.audit("the note form with the language check's suggestions")
    # Sam types on and takes an alternative at once, while the check of what he typed is still to come. His
    # choice is held on the way until that check has answered: the check must neither abort the choice nor
    # bring the old words back.
    held = []
    page.route("**/language-check/", lambda route: held.append(route) if "use=" in (route.request.post_data or "")
               else route.continue_())
    box.press_sequentially(" We met at the cafe.", delay=5)
    with page.expect_response(lambda answer: "use=" not in (answer.request.post_data or "")):
        findings.get_by_role("button", name="person living with addiction").first.click()
    assert len(held) == 1
    held[0].continue_()
    expect(box).to_have_value(re.compile("person living with addiction"), timeout=10_000)
    page.unroute("**/language-check/")
    page.wait_for_load_state("networkidle")
    taken = box.input_value()
    assert "an addict" not in taken and taken.endswith("We met at the cafe.")
    page.get_by_label("Agreed next steps").fill("Call the clinic on Monday")
    page.get_by_label("Agreed next steps").press("Tab")  # the check runs on leaving the box: let it answer
    page.wait_for_load_state("networkidle")
    supporter.follow(page.get_by_role("button", name="Save the note"))
    note = SessionNote.objects.get(person=pat)
    expect(page).to_have_url(f"{supporter.base_url}/notes/{note.public_id}/")
    expect(page.get_by_role("main")).to_contain_text("Call the clinic on Monday")

    person = open_audited(phone=phone)
    ppage = person.page
    log_in(person, "pat@example.org")
    person.goto("/notifications/")
    person.follow(ppage.get_by_role("link", name="Sam wrote a note about your conversation"))
    expect(ppage).to_have_url(f"{person.base_url}/notes/{note.public_id}/")
    expect(ppage.get_by_role("main")).to_contain_text(taken)
    ppage.get_by_label("Your response or correction").fill("It was 31 days, and the clinic is on Tuesday.")
    ppage.get_by_label("Your response or correction").press("Tab")
    ppage.wait_for_load_state("networkidle")
    person.follow(ppage.get_by_role("button", name="Save my response"))
    expect(ppage.get_by_role("main")).to_contain_text("It was 31 days, and the clinic is on Tuesday.")
    expect(ppage.get_by_role("main")).to_contain_text(taken)  # Sam's words, as written
    supporter.reload()
    expect(page.get_by_role("main")).to_contain_text("It was 31 days")
    supporter.assert_clean()
    person.assert_clean()
