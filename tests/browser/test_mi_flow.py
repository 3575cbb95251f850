"""A professional gets feedback on their listening: analyses a role-play transcript, keeps it, and practises.

Lee (a professional at Harbour Lights, from the root conftest) signs in on a phone, pastes a short session,
reads the summary and the coded conversation, saves it and finds it in the saved list; then, on a desktop,
writes a reply in practice mode and reads how it came across. Every page is audited (tests/browser/conftest.py).
The codes themselves depend on the model, so the test checks what every result page must show, not which
code each turn got.
"""
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, give_authenticator, totp_code

pytestmark = pytest.mark.browser

# A role play written for this test: ten turns, with questions, reflections and some change talk.
TRANSCRIPT = """Counsellor: Thanks for meeting me today. What would you like to talk about?
Person: Mostly the evenings. That's when I end up drinking more than I meant to.
Counsellor: The evenings are the hardest part for you.
Person: Yes. Once the kids are in bed the flat feels really quiet.
Counsellor: Do you drink every night?
Person: Most nights, but I want to cut down before my son's birthday in May.
Counsellor: It sounds like being there for his birthday really matters to you, and the quiet makes that harder.
Person: It does. I could call my sister instead of opening a bottle.
Counsellor: What would make that call easier to pick up on a quiet night?
Person: Maybe if I told her first that I might ring."""

TITLE = "Role play with Dee, week 3"
REPLY = "It sounds like you want to get to that doctor, and the week keeps getting in the way."


def log_in(screen, *, user) -> None:
    """Staff sign in with two steps: the password, then the code their authenticator app shows."""
    page = screen.page
    device = give_authenticator(user)
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    screen.follow(page.get_by_role("button", name="Log in"))
    page.get_by_label("Code").fill(totp_code(device))
    screen.follow(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("banner").locator("details.menu")).to_be_visible()  # signed in


def test_a_supporter_analyses_saves_and_practises(lee, open_audited):
    from pathways.mi.web.models import SavedTranscript

    phone = open_audited(phone=True)
    page = phone.page
    log_in(phone, user=lee)
    phone.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Listening feedback"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Listening feedback")
    expect(page.get_by_role("main")).to_contain_text("Your transcript is not stored")

    # An empty form is explained, not refused.
    phone.follow(page.get_by_role("button", name="Analyse my listening"))
    expect(page.get_by_role("alert")).to_contain_text("Paste a transcript here, or choose a file below.")

    page.get_by_label("Paste a transcript").fill(TRANSCRIPT)
    phone.follow(page.get_by_role("button", name="Analyse my listening"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback on your listening")
    summary = page.get_by_role("region", name="Summary")
    expect(summary).to_contain_text("Reflection-to-question ratio")
    expect(summary).to_contain_text("fair at 1:1, good at 2:1")
    expect(summary).to_contain_text("Rating:")
    expect(page.get_by_role("region", name="Ideas to try").get_by_role("listitem").first).to_be_visible()
    timeline = page.get_by_role("region", name="The conversation, turn by turn")
    expect(timeline.get_by_role("listitem")).to_have_count(10)
    expect(timeline.get_by_role("listitem").nth(5)).to_contain_text("I want to cut down before my son's birthday")
    expect(timeline.get_by_role("listitem").nth(5)).to_contain_text("% sure")
    expect(page.get_by_label("Paste a transcript")).to_have_value(TRANSCRIPT)  # ready to change and try again
    assert SavedTranscript.objects.count() == 0  # analysing stores nothing

    page.get_by_label("Title (optional)").fill(TITLE)
    phone.follow(page.get_by_role("button", name="Save this transcript"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text("Saved. Only you can see your saved transcripts")
    expect(page.get_by_role("region", name="Summary")).to_contain_text("Reflection-to-question ratio")
    phone.follow(page.get_by_role("link", name="Back to my saved transcripts"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My saved transcripts")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert SavedTranscript.objects.get().owner == lee
    phone.assert_clean()

    desk = open_audited()
    page = desk.page
    log_in(desk, user=lee)
    desk.goto("/mi/practice/")
    statement = page.locator("#statement")
    first = statement.inner_text()
    desk.follow(page.get_by_role("link", name="Try another statement"))
    expect(statement).not_to_have_text(first)
    desk.follow(page.get_by_role("button", name="See how my reply reads"))
    expect(page.get_by_role("alert")).to_contain_text("Write what you would say back")
    page.get_by_label("What would you say back?").fill(REPLY)
    desk.follow(page.get_by_role("button", name="See how my reply reads"))
    feedback = page.get_by_role("region", name="How your reply reads")
    expect(feedback).to_contain_text("Your reply reads as")
    expect(feedback).to_contain_text("% sure")
    expect(feedback.get_by_role("paragraph").last).not_to_be_empty()  # the one tip
    expect(page.get_by_label("What would you say back?")).to_have_value(REPLY)
    expect(statement).to_contain_text("book the doctor")  # the same statement, to try again
    desk.assert_clean()
