"""Logging an urge on a phone in a hard moment, and meeting the gentle note that strong urges raise, with the
urges that raised it listed in its explanation — audited by axe-core."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_three_strong_urges_come_back_as_a_gentle_note_that_lists_them(open_audited):
    from pathways.checkins import services
    from pathways.people.models import User

    screen = open_audited(phone=True)
    page = screen.page
    screen.sign_up(email="rowan@example.org", preferred_name="Rowan")

    # Rowan asks Pathways to watch for strong urges, with the example sign the plan offers.
    screen.goto("/warning-signs/")
    watching = page.get_by_role("region", name="What my check-ins watch for")
    screen.follow(watching.get_by_role("button", name="Add “Strong urges coming often” and watch for it"))
    screen.follow(page.get_by_role("button", name="Save"))

    # Two strong urges on earlier days, already in the log.
    rowan = User.objects.get(email="rowan@example.org")
    now = timezone.now()
    services.urge_log(person=rowan, occurred_at=now - timedelta(days=3), strength=9, where="Outside the shop")
    services.urge_log(person=rowan, occurred_at=now - timedelta(days=1), strength=7)

    # The third, logged on the phone: one tap for the strength, a few words, the time left as now.
    screen.goto("/checkin/urges/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an urge")
    strength = page.get_by_role("group", name="How strong is it (0 none, 10 very strong)")
    screen.activate(strength.get_by_role("radio", name="8", exact=True))
    page.get_by_label("What I did, or am doing (optional)").fill("Went for a walk and texted Jo")
    screen.follow(page.get_by_role("button", name="Save this urge"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Saved. Thank you for noting it")
    expect(page.get_by_role("link", name="My safety plan").first).to_be_visible()
    expect(page.get_by_role("link", name="Tools for the hard hour")).to_have_attribute("href", "/tools/")
    expect(page.locator(".gentle-note")).to_contain_text("A gentle note: strong urges this week")

    screen.follow(page.get_by_role("link", name="See it with my plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("A gentle note: strong urges this week")
    noticed = page.get_by_role("region", name="What was noticed")
    expect(noticed).to_contain_text("3 urges of strength 7 or more")
    answers = noticed.get_by_role("listitem")
    expect(answers).to_have_count(3)
    today = timezone.localdate()
    for item, day, value in zip(answers.all(), (3, 1, 0), ("9", "7", "8"), strict=True):
        expect(item).to_have_text(f"{today - timedelta(days=day):%A} {(today - timedelta(days=day)).day} "
                                  f"{today - timedelta(days=day):%B}: urge strength (0 to 10), {value}")

    # The log lists all three, newest first, each with a way to change it.
    screen.goto("/checkin/urges/")
    recent = page.get_by_role("region", name="My recent urges").get_by_role("listitem")
    expect(recent).to_have_count(3)
    expect(recent.first).to_contain_text("Went for a walk and texted Jo")
    expect(recent.last).to_contain_text("Outside the shop")
    screen.assert_clean()
