"""A person builds their own recovery plan in a real browser, on a desktop and on a phone.

The journey follows the issue: sign up, say what recovery means to me, choose pathways, add a goal
with small steps in each of the four dimensions, finish a step and see the win, then reload and
find everything kept. Every page on the way is checked with axe-core (see conftest.py).
"""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEANING = "Waking up clear-headed, being someone my kids can count on, and liking the person I am becoming."

PATHWAYS = {
    "Harm reduction": "Naloxone at home, and never using alone",
    "Mutual aid: SMART Recovery": "",
}

GOALS = [
    {
        "dimension": "Health",
        "title": "Sleep through the night more often",
        "why": "When I sleep, everything else feels possible.",
        "importance": "8",
        "confidence": "6",
        "steps": ("Book a check-up with my GP", "Phone off by 11pm on weeknights"),
    },
    {
        "dimension": "Home",
        "title": "Make my flat feel like mine",
        "why": "A place I want to come back to.",
        "importance": "7",
        "confidence": "7",
        "steps": ("Put up the photos from my sister",),
    },
    {
        "dimension": "Purpose",
        "title": "Start the bike repair course",
        "why": "I like fixing things with my hands.",
        "importance": "9",
        "confidence": "5",
        "steps": ("Ask the college about the spring intake", "Fix the puncture on my own bike"),
    },
    {
        "dimension": "Community",
        "title": "Go to a SMART meeting every week",
        "why": "People who get it, without me having to explain.",
        "importance": "10",
        "confidence": "8",
        "steps": ("Find the Thursday meeting near me",),
    },
]

# A step with a date, added on the goal's own page: it shows twice on the plan, under "Coming up"
# and under its goal. It is the step the person finishes.
DATED_STEP = "Pick up my new prescription"
DATED_GOAL = GOALS[0]
DONE_MESSAGE = "Well done — that is a win, and it is in your wins."


@pytest.fixture(params=["desktop", "phone"])
def screen(request, open_audited):
    """The same journey on a desktop browser and on a phone-sized touch screen."""
    if request.param == "phone":
        return open_audited(phone=True)
    return request.getfixturevalue("audited")


def step_action(verb: str, step: str) -> re.Pattern:
    """A step's button is named by what it does and which step: "Done: Book a check-up".

    The step's text is visually hidden, and browsers may put a space before its colon.
    """
    return re.compile(rf"^{verb}\s*:\s*{re.escape(step)}$")


def is_a_step_post(message) -> bool:
    """The request (or the response to it) that changes a step: a POST to /plan/steps/<id>/."""
    request = getattr(message, "request", message)
    return request.method == "POST" and re.search(r"/plan/steps/\d+/$", request.url) is not None


def heading(page):
    return page.get_by_role("heading", level=1)


def dimension_region(page, dimension: str):
    return page.get_by_role("region", name=dimension, exact=True)


def expect_the_whole_plan(page) -> None:
    """Everything the person wrote is on their plan page, and the finished step is a win."""
    expect(heading(page)).to_have_text("My recovery plan")
    expect(page.get_by_role("region", name="What recovery means to me")).to_contain_text(MEANING)
    chosen = page.get_by_role("region", name="My pathways").get_by_role("listitem")
    expect(chosen).to_have_text([
        f"{name}: {words}" if words else name for name, words in PATHWAYS.items()
    ])
    for goal in GOALS:
        card = dimension_region(page, goal["dimension"]).get_by_role("article", name=goal["title"])
        expect(card.get_by_role("link", name=goal["title"])).to_be_visible()
        expect(card).to_contain_text(goal["why"])
        open_steps = goal["steps"]
        for step in open_steps:
            expect(card.get_by_role("button", name=step_action("Done", step))).to_be_visible()
        if goal is DATED_GOAL:
            expect(card.get_by_role("listitem")).to_have_count(len(open_steps) + 1)
            expect(card.get_by_role("button", name=step_action("Bring back", DATED_STEP))).to_be_visible()
            expect(card.get_by_role("button", name=step_action("Done", DATED_STEP))).to_have_count(0)
        else:
            expect(card.get_by_role("listitem")).to_have_count(len(open_steps))
    # A finished step is no longer "coming up".
    expect(page.get_by_role("region", name="Coming up")).to_have_count(0)
    wins = page.get_by_role("region", name="Recent wins")
    expect(wins.get_by_role("listitem")).to_have_count(1)
    expect(wins.get_by_role("listitem")).to_contain_text(DATED_STEP)
    expect(wins).to_contain_text("1 win so far.")


def test_a_person_builds_their_plan_and_finds_it_all_kept(screen, live_server):
    page = screen.page
    navigation = page.get_by_role("navigation", name="Main")

    # Sign up as a new person: the plan is the first thing they see.
    screen.sign_up(email="sam@example.org", preferred_name="Sam", pronouns="they/them", full_name="Sam Okafor")
    expect(heading(page)).to_have_text("My recovery plan")
    expect(page.get_by_role("status")).to_contain_text("Welcome, Sam.")

    # A definition of success, in their own words.
    meaning = page.get_by_role("region", name="What recovery means to me")
    expect(meaning).to_contain_text("Not written yet.")
    screen.follow(meaning.get_by_role("link", name="Write it in my own words"))
    expect(heading(page)).to_have_text("What recovery means to me")
    page.get_by_label("What recovery means to me").fill(MEANING)
    screen.follow(page.get_by_role("button", name="Save"))
    expect(page).to_have_url(live_server.url + "/plan/")
    expect(page.get_by_role("status")).to_contain_text("Saved what recovery means to you.")
    expect(meaning).to_contain_text(MEANING)
    expect(meaning.get_by_role("link", name="Change this")).to_be_visible()

    # Two pathways, one described in their own words.
    screen.follow(page.get_by_role("link", name="Choose or change my pathways"))
    expect(heading(page)).to_have_text("My pathways")
    for name, words in PATHWAYS.items():
        page.get_by_role("checkbox", name=name, exact=True).check()
        if words:
            page.get_by_label(f"{name}: in my own words").fill(words)
    screen.follow(page.get_by_role("button", name="Save my pathways"))
    expect(page.get_by_role("status")).to_contain_text("Saved your pathways.")
    expect(page.get_by_role("region", name="My pathways").get_by_role("listitem")).to_have_count(len(PATHWAYS))

    # A goal with small steps in each of the four dimensions.
    for goal in GOALS:
        screen.add_goal(**goal)
        card = dimension_region(page, goal["dimension"]).get_by_role("article", name=goal["title"])
        for step in goal["steps"]:
            expect(card.get_by_role("button", name=step_action("Done", step))).to_be_visible()

    # One more step, with a date, from the goal's own page; the rulers are kept there too.
    screen.follow(dimension_region(page, DATED_GOAL["dimension"]).get_by_role("link", name=DATED_GOAL["title"]))
    expect(heading(page)).to_have_text(DATED_GOAL["title"])
    expect(page.get_by_role("main")).to_contain_text(DATED_GOAL["why"])
    expect(page.get_by_role("definition").first).to_have_text(f"{DATED_GOAL['importance']} out of 10")
    expect(page.get_by_role("definition").last).to_have_text(f"{DATED_GOAL['confidence']} out of 10")
    page.get_by_label("Next small step").fill(DATED_STEP)
    page.get_by_label("By when (optional)").fill((date.today() + timedelta(days=3)).isoformat())
    screen.follow(page.get_by_role("button", name="Add step"))
    expect(page.get_by_role("status")).to_contain_text("Added the step.")
    expect(page.get_by_role("region", name="Small steps").get_by_role("listitem")).to_have_count(
        len(DATED_GOAL["steps"]) + 1)
    screen.follow(page.get_by_role("main").get_by_role("link", name="My plan"))
    coming_up = page.get_by_role("region", name="Coming up")
    expect(coming_up.get_by_role("listitem")).to_contain_text(DATED_STEP)

    # Finish it under its goal: htmx swaps just that copy of the step, without loading a new page,
    # and keyboard focus stays on the step, now on the button that brings it back.
    page.evaluate("() => { window.stillTheSamePage = true; }")
    health = dimension_region(page, DATED_GOAL["dimension"])
    done_button = health.get_by_role("button", name=step_action("Done", DATED_STEP))
    with page.expect_response(is_a_step_post) as done:
        if screen.touch:
            screen.activate(done_button)
        else:
            done_button.focus()
            page.keyboard.press("Enter")
    assert done.value.status == 200
    assert done.value.request.headers.get("hx-request") == "true", "the Done button should go through htmx"
    assert "action=done" in done.value.request.post_data
    finished = health.get_by_role("listitem").filter(has_text=DATED_STEP)
    expect(finished.get_by_role("status")).to_have_text(DONE_MESSAGE)
    bring_back = finished.get_by_role("button", name=step_action("Bring back", DATED_STEP))
    expect(bring_back).to_be_visible()
    expect(bring_back).to_have_accessible_description(DONE_MESSAGE)
    if not screen.touch:
        expect(bring_back).to_be_focused()
    expect(health.get_by_role("button", name=step_action("Done", DATED_STEP))).to_have_count(0)
    expect(health.get_by_role("button", name=step_action("Done", DATED_GOAL["steps"][0]))).to_be_visible()
    assert page.evaluate("() => window.stillTheSamePage === true"), "finishing a step reloaded the whole page"
    screen.audit("/plan/ with a step just finished in place")

    # The win is on the wins page...
    screen.follow(navigation.get_by_role("link", name="Wins"))
    expect(heading(page)).to_have_text("My wins")
    expect(page.get_by_role("main").get_by_role("listitem").filter(has_text=DATED_STEP)).to_have_count(1)
    screen.open_menu()
    expect(navigation.get_by_role("link", name="Wins")).to_have_attribute("aria-current", "page")

    # ...and under "Recent wins" on the plan.
    screen.follow(navigation.get_by_role("link", name="My plan"))
    expect_the_whole_plan(page)

    # Reload: everything is kept.
    screen.reload()
    expect_the_whole_plan(page)

    # The history says who changed what.
    screen.follow(navigation.get_by_role("link", name="History"))
    expect(heading(page)).to_have_text("History of my plan")
    expect(page.get_by_role("main").get_by_role("listitem").filter(has_text=f"Did a step: {DATED_STEP}")).to_have_count(1)

    screen.assert_clean()


def test_a_step_can_be_marked_done_without_javascript(open_audited, live_server):
    screen = open_audited(javascript=False)
    page = screen.page
    goal = GOALS[3]
    step = goal["steps"][0]

    screen.sign_up(email="kai@example.org", preferred_name="Kai")
    screen.add_goal(**goal)

    community = dimension_region(page, "Community")
    with page.expect_request(is_a_step_post) as posted:
        screen.follow(community.get_by_role("button", name=step_action("Done", step)))
    assert "action=done" in posted.value.post_data
    assert "hx-request" not in posted.value.headers, "without JavaScript the plain form must do the work"
    assert posted.value.response().status == 302

    # Back on the same page, with the step done and the win shown.
    expect(page).to_have_url(live_server.url + "/plan/")
    expect(page.get_by_role("status")).to_contain_text(DONE_MESSAGE)
    expect(community.get_by_role("button", name=step_action("Bring back", step))).to_be_visible()
    expect(community.get_by_role("button", name=step_action("Done", step))).to_have_count(0)
    expect(page.get_by_role("region", name="Recent wins").get_by_role("listitem")).to_contain_text(step)

    screen.assert_clean()


LONG_WHY = (
    "My brother and I stopped talking two years ago, mostly because of how I was when I was using.\n"
    "I want to be at his daughter's birthday this summer, and I want him to see me as I am now.\n"
    "It will not be easy, and I might not get it right the first time, but it matters more to me than "
    "almost anything else, and writing it down makes it feel real."
)


def test_a_form_with_a_problem_keeps_everything_the_person_typed(audited, live_server):
    page = audited.page

    # Sign-up with a password that is too short: the page explains, and keeps the rest.
    audited.goto("/signup/")
    page.get_by_label("Email address").fill("jo@example.org")
    page.get_by_label("Password", exact=True).fill("12345")
    page.get_by_label("What should we call you? (optional)").fill("Jo")
    page.get_by_label("Pronouns (optional)").fill("she/her")
    audited.follow(page.get_by_role("button", name="Create my account"))
    expect(page).to_have_url(live_server.url + "/signup/")
    expect(page.get_by_role("alert")).to_contain_text("Something needs a second look")
    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("too short"))
    expect(page.get_by_label("Email address")).to_have_value("jo@example.org")
    expect(page.get_by_label("What should we call you? (optional)")).to_have_value("Jo")
    expect(page.get_by_label("Pronouns (optional)")).to_have_value("she/her")
    password.fill("a quiet walk by the canal")
    audited.follow(page.get_by_role("button", name="Create my account"))
    audited.finish_sign_up_from_email()
    expect(heading(page)).to_have_text("My recovery plan")

    # A goal with a long "why" but no title yet.
    audited.follow(dimension_region(page, "Community").get_by_role("link", name="Add a community goal"))
    page.get_by_label("Why this matters to me").fill(LONG_WHY)
    audited.choose_on_ruler("How important is this to me? (0–10)", "9")
    audited.choose_on_ruler("How confident am I that I can do it? (0–10)", "4")
    page.get_by_label("First small steps (optional, one per line)").fill("Write him a card\nAsk Mum for his address")
    audited.follow(page.get_by_role("button", name="Add goal"))

    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("Nothing you typed was lost.")
    title = page.get_by_label("My goal")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description(re.compile("required", re.IGNORECASE))
    expect(page.get_by_label("Why this matters to me")).to_have_value(LONG_WHY)
    expect(page.get_by_label("Part of my life")).to_have_value("community")
    importance = page.get_by_role("group", name="How important is this to me? (0–10)")
    expect(importance.get_by_role("radio", name="9", exact=True)).to_be_checked()
    confidence = page.get_by_role("group", name="How confident am I that I can do it? (0–10)")
    expect(confidence.get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(page.get_by_label("First small steps (optional, one per line)")).to_have_value(
        "Write him a card\nAsk Mum for his address")

    # The summary's link takes the person straight to the field that needs them.
    problems.get_by_role("link", name="My goal").click()
    expect(title).to_be_focused()
    title.fill("Make things right with my brother")
    audited.follow(page.get_by_role("button", name="Add goal"))
    card = dimension_region(page, "Community").get_by_role("article", name="Make things right with my brother")
    expect(card).to_contain_text("I want to be at his daughter's birthday this summer")
    expect(card.get_by_role("button", name=step_action("Done", "Write him a card"))).to_be_visible()

    audited.assert_clean()
