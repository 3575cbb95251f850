"""Tools for hard moments on a phone: a cost-benefit worksheet written, saved, listed and opened again with its
words kept; the grounding exercise stepped through; a day counter turned on. In real Chromium, audited by axe."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BOXES = {
    "What I get from using": "It switches my head off\nI feel part of the group",
    "What using costs me": "Rent money\nMornings",
    "What I get from changing": "Sundays with my daughter",
    "What changing costs me": "Friday nights out",
}


def test_a_worksheet_the_grounding_steps_and_a_day_counter_on_a_phone(open_audited):
    screen = open_audited(phone=True)
    page = screen.page
    screen.sign_up(email="noor@example.org", preferred_name="Noor")
    screen.follow(page.get_by_role("link", name="Tools for hard moments"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tools for hard moments")

    # The worksheet: all four boxes, saved, listed, and opened again with the words kept.
    screen.follow(page.get_by_role("link", name="Cost-benefit worksheet"))
    screen.follow(page.get_by_role("link", name="Start a new worksheet"))
    for label, words in BOXES.items():
        page.get_by_label(label).fill(words)
    screen.follow(page.get_by_role("button", name="Save worksheet"))
    expect(page.get_by_role("status")).to_contain_text("Saved your worksheet")
    expect(page.get_by_role("heading", level=1)).to_have_text("My cost-benefit worksheet")
    expect(page.get_by_text("Last saved")).to_be_visible()
    screen.follow(page.get_by_role("link", name="Back to my worksheets"))
    saved = page.get_by_role("main").get_by_role("link", name="Worksheet last saved")
    expect(saved).to_have_count(1)
    screen.follow(saved)
    for label, words in BOXES.items():
        expect(page.get_by_label(label)).to_have_value(words)

    # Grounding, one step at a time (the page offers this with JavaScript; every step is there without it).
    screen.goto("/tools/")
    screen.follow(page.get_by_role("link", name="Grounding with your senses (5, 4, 3, 2, 1)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Grounding with your senses (5, 4, 3, 2, 1)")
    progress = page.locator(".exercise-progress")
    expect(progress).to_have_text("Step 1 of 6")
    expect(page.get_by_text("Name five things you can see")).to_be_visible()
    expect(page.get_by_text("four things you can feel")).to_be_hidden()
    for step in range(2, 7):
        screen.activate(page.get_by_role("button", name="Next step"))
        expect(progress).to_have_text(f"Step {step} of 6")
    expect(page.get_by_text("Take one slow breath out")).to_be_visible()
    expect(page.get_by_role("button", name="That was the last step")).to_be_disabled()
    screen.activate(page.get_by_role("button", name="Back"))
    expect(progress).to_have_text("Step 5 of 6")
    screen.activate(page.get_by_role("button", name="Show all steps"))
    expect(page.get_by_text("Name five things you can see")).to_be_visible()
    expect(page.get_by_text("Take one slow breath out")).to_be_visible()
    screen.audit("the grounding exercise, every step shown")

    # The day counter: off until turned on, then counting from the chosen date.
    screen.follow(page.get_by_role("link", name="Back to tools for hard moments"))
    expect(page.get_by_role("region", name="Day counter")).to_contain_text("Off.")
    screen.follow(page.get_by_role("link", name="Turn on a day counter"))
    page.get_by_label("What it counts").fill("days since I last gambled")
    page.get_by_label("Counting from").fill((timezone.localdate() - timedelta(days=10)).isoformat())
    screen.follow(page.get_by_role("button", name="Turn on the counter"))
    expect(page.get_by_role("status")).to_contain_text("Your day counter is on.")
    counter = page.get_by_role("region", name="Day counter")
    expect(counter).to_contain_text("Days since I last gambled:")
    expect(counter.locator(".day-counter-days")).to_have_text("10")

    # The toolbox: a line on the "every day" list, ticked for today (a tick, never a count).
    screen.follow(page.get_by_role("link", name="My wellness toolbox"))
    every_day = page.get_by_role("region", name="Every day")
    every_day.get_by_label("Add a line").fill("Take my tablets with breakfast")
    screen.follow(every_day.get_by_role("button", name="Add"))
    every_day = page.get_by_role("region", name="Every day")
    screen.follow(every_day.get_by_role("button", name="Tick for today"))
    expect(page.get_by_role("region", name="Every day").get_by_role("button", name="Untick")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("streak")
    screen.assert_clean()


def test_the_exercises_work_without_javascript(open_audited):
    screen = open_audited(javascript=False)
    page = screen.page
    for path, last_words in (("/tools/exercises/grounding/", "Take one slow breath out"),
                             ("/tools/exercises/breathing/", "let your breathing go back to its own pace"),
                             ("/tools/exercises/urge-surfing/", "When it starts to ease")):
        screen.goto(path)
        expect(page.locator(".exercise-step").first).to_be_visible()
        expect(page.get_by_text(last_words)).to_be_visible()
        expect(page.get_by_role("button", name="Next step")).to_have_count(0)
    screen.assert_clean()
