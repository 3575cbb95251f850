"""A session that ends while a form is open loses nothing: in real Chromium on a phone, the person presses Save
after the time limit, signs in again, and finds everything they typed back on the page, ready to save.

The session is ended the way time would end it, on the server: once by moving its last activity back past the
idle limit (the middleware ends it at the Save), once by the worker's round (the session is gone before the Save
arrives). CSRF is real here: the token in the page still passes after the session ended.
"""
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from pathways.checkins.models import DailyCheckIn
from pathways.people.services import person_sign_up
from pathways.plans.models import Goal, Plan
from pathways.plans.services import goal_create
from pathways.signins.models import AccountSession
from pathways.signins.receivers import SEEN_AT
from pathways.signins.services import sessions_end_expired

pytestmark = pytest.mark.browser

PASSPHRASE = "slow mornings and strong tea"
NOTE = "Took a long walk instead of calling Dee back"
IDLE = timedelta(minutes=settings.PATHWAYS_SESSION_IDLE_MINUTES + 1)


@pytest.fixture
def ren(transactional_db):
    """Ren, a person in recovery with one goal in their plan."""
    ren = person_sign_up(email="ren@example.org", password=PASSPHRASE, preferred_name="Ren")
    goal_create(plan=Plan.objects.get(person=ren), actor=ren, dimension="home", title="Tidy the flat")
    return ren


def log_in(screen) -> None:
    page = screen.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Email address").fill("ren@example.org")
    page.get_by_label("Password").fill(PASSPHRASE)
    screen.follow(page.get_by_role("button", name="Log in"))


def open_from_the_menu(screen, name: str) -> None:
    """Follow a link of the main menu, unfolding it first where the phone layout folds it away."""
    link = screen.page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        screen.activate(screen.page.locator("summary", has_text="Menu"))
    screen.follow(link)


def radio(page, question, answer):
    return page.get_by_role("group", name=question).get_by_role("radio", name=answer, exact=True)


def went_quiet_past_the_idle_limit(screen) -> None:
    """What half an hour without a request does to the session the browser holds: its stored last activity is
    that far back, so the server ends it at the next request."""
    key = next(c["value"] for c in screen.page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[SEEN_AT] -= IDLE.total_seconds()
    session.save()


def the_worker_ended_it(person) -> None:
    """The worker's round after the person went quiet: the session is ended before their Save arrives."""
    AccountSession.objects.filter(user=person).update(last_seen_at=timezone.now() - IDLE - timedelta(minutes=1))
    assert sessions_end_expired() == 1


def test_a_check_in_saved_after_the_idle_limit_comes_back_after_signing_in(open_audited, ren):
    screen = open_audited(phone=True)
    page = screen.page
    screen.goto("/account/login/")
    log_in(screen)
    open_from_the_menu(screen, "Check in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today's check-in")
    screen.activate(radio(page, "How is my mood today?", "Okay"))
    screen.activate(radio(page, "Cravings today (0 none, 10 very strong)", "2"))
    screen.activate(radio(page, "Hours I slept last night", "7"))
    screen.activate(radio(page, "Tired", "Yes"))
    page.get_by_label("Anything else about today (optional)").fill(NOTE)

    went_quiet_past_the_idle_limit(screen)
    screen.follow(page.get_by_role("button", name="Save my check-in"))
    expect(page).to_have_url(screen.base_url + "/account/login/?next=/checkin/")
    expect(page.get_by_role("status")).to_contain_text("You were signed out after 30 minutes without activity")
    assert not DailyCheckIn.objects.filter(person=ren).exists()

    log_in(screen)
    expect(page).to_have_url(screen.base_url + "/checkin/")
    expect(page.get_by_role("status")).to_contain_text("We kept what you typed before you were signed out")
    expect(radio(page, "How is my mood today?", "Okay")).to_be_checked()
    expect(radio(page, "Cravings today (0 none, 10 very strong)", "2")).to_be_checked()
    expect(radio(page, "Hours I slept last night", "7")).to_be_checked()
    expect(radio(page, "Tired", "Yes")).to_be_checked()
    expect(page.get_by_label("Anything else about today (optional)")).to_have_value(NOTE)
    assert not DailyCheckIn.objects.filter(person=ren).exists()  # shown back, not saved until Save

    screen.follow(page.get_by_role("button", name="Save my check-in"))
    expect(page).not_to_have_url(screen.base_url + "/checkin/")
    saved = DailyCheckIn.objects.get(person=ren)
    assert (saved.mood, saved.cravings, saved.sleep_hours, saved.tired, saved.note) == (3, 2, 7, "yes", NOTE)
    screen.assert_clean()


def test_a_goal_changed_after_the_worker_ended_the_session_comes_back_after_signing_in(open_audited, ren):
    goal = Goal.objects.get(plan__person=ren)
    edit = f"/plan/goals/{goal.pk}/edit/"
    screen = open_audited(phone=True)
    page = screen.page
    screen.goto("/account/login/")
    log_in(screen)
    screen.goto(edit)
    expect(page.get_by_role("heading", level=1)).to_have_text("Change this goal")
    page.get_by_label("My goal").fill("Make the flat feel like mine")
    page.get_by_label("Why this matters to me").fill("A place I want to come back to")

    the_worker_ended_it(ren)
    screen.follow(page.get_by_role("button", name="Save"))
    expect(page).to_have_url(screen.base_url + f"/account/login/?next={edit}")
    expect(page.get_by_role("status")).to_contain_text("You were signed out, to keep your information safe")

    log_in(screen)
    expect(page).to_have_url(screen.base_url + edit)
    expect(page.get_by_role("status")).to_contain_text("We kept what you typed before you were signed out")
    expect(page.get_by_label("My goal")).to_have_value("Make the flat feel like mine")
    expect(page.get_by_label("Why this matters to me")).to_have_value("A place I want to come back to")
    goal.refresh_from_db()
    assert goal.title == "Tidy the flat"

    screen.follow(page.get_by_role("button", name="Save"))
    expect(page).to_have_url(screen.base_url + f"/plan/goals/{goal.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Saved your goal.")
    goal.refresh_from_db()
    assert (goal.title, goal.why_it_matters) == ("Make the flat feel like mine", "A place I want to come back to")
    screen.assert_clean()
