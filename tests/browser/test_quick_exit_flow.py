"""Leaving a sensitive page quickly, on a 390×844 phone: the way out is on the first screen, lands on a neutral
page, and Back does not bring the safety plan back (not from history, not from a cache)."""
import pytest
from playwright.sync_api import expect

from pathways.people.services import person_sign_up
from pathways.safety import services as safety_services

from .conftest import PHONE

pytestmark = pytest.mark.browser

PASSPHRASE = "lanterns along the quay"
FIRST_SCREEN = PHONE["viewport"]["height"]
NEUTRAL = "/leave/"


@pytest.fixture
def mo(transactional_db, settings):
    """Mo has a safety plan; the quick exit goes to the neutral page this site serves."""
    settings.PATHWAYS_QUICK_EXIT_URL = NEUTRAL
    mo = person_sign_up(email="mo@example.org", password=PASSPHRASE, preferred_name="Mo")
    safety_services.safety_plan_save(person=mo, reasons_for_living="My niece's laugh")
    return mo


def log_in(screen) -> None:
    page = screen.page
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill("mo@example.org")
    page.get_by_label("Password").fill(PASSPHRASE)
    screen.follow(page.get_by_role("button", name="Log in"))
    expect(page).to_have_url(screen.base_url + "/plan/")


def open_safety_plan(screen) -> list[str]:
    """From the plan page to the safety plan; returns the Cache-Control the safety plan was sent with."""
    page = screen.page
    sent = []
    page.on("response", lambda response: sent.append(response.headers.get("cache-control", ""))
            if response.url == screen.base_url + "/safety/" else None)
    screen.follow(page.get_by_role("banner").get_by_role("link", name="My safety plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")
    expect(page.get_by_role("main")).to_contain_text("My niece's laugh")
    return sent


def test_leaving_the_safety_plan_quickly_leaves_nothing_to_go_back_to(open_audited, mo):
    screen = open_audited(phone=True)
    page = screen.page
    log_in(screen)
    expect(page.get_by_role("link", name="Leave this page quickly")).to_have_count(0)  # the plan is not sensitive
    sent = open_safety_plan(screen)
    assert sent == ["no-store"]

    leave = page.get_by_role("link", name="Leave this page quickly")
    box = leave.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= FIRST_SCREEN, box
    assert box["height"] >= 44 and box["width"] >= 200, box  # a large tap target
    page.mouse.wheel(0, 2000)  # the header stays on screen while scrolling
    expect(leave).to_be_in_viewport()

    screen.follow(leave)
    expect(page).to_have_url(screen.base_url + NEUTRAL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    expect(page.locator("body")).not_to_contain_text("Pathways")

    page.go_back()  # the safety plan was replaced in the history: Back goes to the page before it
    screen.audit()
    expect(page).to_have_url(screen.base_url + "/plan/")
    expect(page.get_by_role("main")).not_to_contain_text("My niece's laugh")
    page.go_forward()
    screen.audit()
    expect(page).to_have_url(screen.base_url + NEUTRAL)
    screen.assert_clean()


def test_the_keyboard_reaches_the_quick_exit_first_and_three_escapes_leave(open_audited, mo):
    screen = open_audited(phone=True)
    page = screen.page
    log_in(screen)
    open_safety_plan(screen)
    page.keyboard.press("Tab")  # the skip link, then the way out
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Leave this page quickly")).to_be_focused()

    with page.expect_navigation():
        for _ in range(3):
            page.keyboard.press("Escape")
    screen.audit()
    expect(page).to_have_url(screen.base_url + NEUTRAL)
    page.go_back()
    screen.audit()
    expect(page).to_have_url(screen.base_url + "/plan/")
    screen.assert_clean()


def test_without_javascript_the_quick_exit_is_a_plain_link_to_the_neutral_page(open_audited, mo):
    screen = open_audited(phone=True, javascript=False)
    page = screen.page
    log_in(screen)
    open_safety_plan(screen)
    screen.follow(page.get_by_role("link", name="Leave this page quickly"))
    expect(page).to_have_url(screen.base_url + NEUTRAL)
    screen.assert_clean()
