"""Writing an early-warning plan on a phone, and meeting its gentle note after a check-in — audited by axe-core."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_plan_in_my_own_words_comes_back_as_a_gentle_note(open_audited):
    from pathways.checkins.models import DailyCheckIn
    from pathways.people.models import User

    screen = open_audited(phone=True)
    page = screen.page
    screen.sign_up(email="ash@example.org", preferred_name="Ash")
    screen.follow(page.get_by_role("link", name="Early-warning plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My early-warning plan")

    # An example taken with one tap, then made my own.
    emotional = page.get_by_role("region", name="Emotional stage")
    screen.follow(emotional.get_by_role("button", name="Add Skipping meals"))
    page.get_by_label("What I will do when I notice it (optional)").fill("Eat something small and text Jo")
    screen.follow(page.get_by_role("button", name="Save"))
    expect(emotional).to_contain_text("Eat something small and text Jo")

    # A pattern my check-ins will watch for, offered with its own example sign.
    watching = page.get_by_role("region", name="What my check-ins watch for")
    screen.follow(watching.get_by_role("button", name="Add “Feeling lonely most days” and watch for it"))
    page.get_by_label("Whom I will contact (optional)").fill("Jo, or the Tuesday group")
    screen.follow(page.get_by_role("button", name="Save"))

    # A sign in my own words; forgetting the words keeps what I typed.
    mental = page.get_by_role("region", name="Mental stage")
    screen.follow(mental.get_by_role("link", name="Add my own mental sign"))
    page.get_by_label("What I will do when I notice it (optional)").fill("Go for a walk first")
    screen.follow(page.get_by_role("button", name="Add this sign"))
    expect(page.get_by_role("alert")).to_contain_text("Write the sign in a few words")
    expect(page.get_by_label("What I will do when I notice it (optional)")).to_have_value("Go for a walk first")
    page.get_by_label("The sign, in my own words").fill("Scrolling old photos")
    screen.follow(page.get_by_role("button", name="Add this sign"))
    expect(mental).to_contain_text("Scrolling old photos")

    triggers = page.get_by_role("region", name="Triggers and what helps")
    screen.follow(triggers.get_by_role("button", name="Add Payday"))
    page.get_by_label("What helps me with it (optional)").fill("Pay the bills first")
    screen.follow(page.get_by_role("button", name="Save"))

    # Three lonely days this week already; today's check-in makes it most days.
    ash = User.objects.get(email="ash@example.org")
    today = timezone.localdate()
    for n, answer in [(1, "yes"), (2, "no"), (3, "yes"), (5, "yes")]:
        DailyCheckIn.objects.create(person=ash, day=today - timedelta(days=n), lonely=answer)
    screen.follow(page.get_by_role("link", name="Check in"))
    screen.activate(page.get_by_role("group", name="Lonely").get_by_role("radio", name="Yes", exact=True))
    screen.follow(page.get_by_role("button", name="Save my check-in"))
    expect(page.locator(".gentle-note")).to_contain_text("A gentle note: feeling lonely on most days")

    screen.follow(page.get_by_role("link", name="See it with my plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("A gentle note: feeling lonely on most days")
    expect(page.get_by_role("main")).to_contain_text("Jo, or the Tuesday group")
    expect(page.get_by_role("main")).to_contain_text("Pay the bills first")
    expect(page.locator(".gentle-note")).to_have_count(0)
    screen.assert_clean()
