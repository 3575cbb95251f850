"""Checking in on a phone, noting a lapse, and seeing progress — in real Chromium, audited by axe-core."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


class Counted:
    """Counts the person's interactions, so the test can hold the check-in to "under ten taps"."""

    def __init__(self, screen):
        self.screen = screen
        self.count = 0

    def tap(self, locator):
        self.count += 1
        self.screen.activate(locator)

    def fill(self, locator, text):
        self.count += 1
        locator.fill(text)

    def submit(self, locator):
        self.count += 1
        self.screen.follow(locator)


def radio(page, question, answer):
    return page.get_by_role("group", name=question).get_by_role("radio", name=answer, exact=True)


def test_a_daily_check_in_on_a_phone_with_a_lapse_keeps_progress_in_view(open_audited):
    screen = open_audited(phone=True)
    page = screen.page
    screen.sign_up(email="kit@example.org", preferred_name="Kit")
    screen.goto("/plan/pathways/")
    screen.activate(page.get_by_label("Harm reduction", exact=True))
    screen.follow(page.get_by_role("button", name="Save my pathways"))

    screen.follow(page.get_by_role("link", name="Check in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Today's check-in")
    person = Counted(screen)
    person.tap(radio(page, "How is my mood today?", "Low"))
    person.tap(radio(page, "Cravings today (0 none, 10 very strong)", "6"))
    person.tap(radio(page, "Hours I slept last night", "5"))
    person.tap(radio(page, "Lonely", "Yes"))
    person.tap(radio(page, "Did I use today?", "Yes"))
    person.tap(page.get_by_label("Today included a lapse I want to note"))
    person.fill(page.get_by_label("What I learned, or might try next time (optional)"), "Text Sam before the party")
    person.submit(page.get_by_role("button", name="Save my check-in"))
    assert person.count < 10  # the energy and sleep-quality items were skipped

    # A lapse is answered before anything else: kind words and the person's own plan for this moment.
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for noting it")
    expect(page.get_by_role("region", name="If I use or lapse")).to_be_visible()
    screen.follow(page.get_by_role("link", name="Continue to my progress"))
    expect(page).to_have_url(screen.base_url + "/people/progress/")
    expect(page.get_by_role("region", name="Lapses, and what I learned")).to_contain_text("Text Sam before the party")
    expect(page.locator(".counts")).to_contain_text("Days checked in")
    expect(page.get_by_role("heading", name="Mood (weekly average, 1–5)")).to_be_visible()
    expect(page.get_by_role("heading", name="Wins and steps done each week")).to_be_visible()

    # The same day's check-in opens again with what was saved, including the lapse and reflection.
    screen.goto("/checkin/")
    expect(radio(page, "How is my mood today?", "Low")).to_be_checked()
    expect(radio(page, "My energy", "Low")).not_to_be_checked()
    expect(page.get_by_label("What I learned, or might try next time (optional)")).to_have_value(
        "Text Sam before the party")
    screen.assert_clean()


def test_a_recovery_check_in_changes_the_star_chart(open_audited):
    screen = open_audited(phone=True)
    page = screen.page
    screen.sign_up(email="noor@example.org", preferred_name="Noor")

    def recovery_check_in(health, community):
        screen.goto("/checkin/recovery/")
        screen.activate(radio(page, "There are people I can turn to when things are hard.", "Mostly"))
        screen.activate(radio(page, "I feel I belong somewhere — a group, a place, a community.", "Somewhat"))
        screen.activate(radio(page, "Health: how are things? (0 very hard, 10 very good)", health))
        screen.activate(radio(page, "Community: how are things? (0 very hard, 10 very good)", community))
        screen.follow(page.get_by_role("button", name="Save my recovery check-in"))
        expect(page).to_have_url(screen.base_url + "/people/progress/")

    recovery_check_in("3", "2")
    star = page.get_by_role("region", name="The four parts of life, first and latest")
    expect(star.locator("svg")).to_be_visible()
    star.get_by_text("Show the numbers").click()
    expect(star.get_by_role("row", name="Health 3")).to_be_visible()

    recovery_check_in("7", "6")
    star = page.get_by_role("region", name="The four parts of life, first and latest")
    expect(star.locator("svg polygon[stroke-width='2.5']")).to_have_count(2)
    expect(star.locator(".chart-summary")).to_contain_text("Health 3")
    expect(star.locator(".chart-summary")).to_contain_text("Health 7")
    screen.assert_clean()
