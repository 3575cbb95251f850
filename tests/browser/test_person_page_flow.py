"""A supporter opens the page of someone who shares with them, then that person's check-ins day by day — on a
phone (390×844, nothing wider than the screen) and on a desktop, every page audited by axe-core."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, give_authenticator, totp_code

pytestmark = pytest.mark.browser


@pytest.fixture
def pat_shares_with_sam(pat, sam):
    from pathways.checkins import services as checkins
    from pathways.circle import services as circle
    from pathways.circle.models import Category, SupporterRole
    from pathways.people import services as people

    people.profile_update(user=pat, preferred_name="Pat", pronouns="she/her", name="", culture="", language="Welsh",
                          faith="", what_helps="A walk before I talk about hard things.",
                          how_to_reach_me="Text first; call if I have not answered in an hour.")
    pat.date_joined = timezone.now() - timedelta(days=40)
    pat.save(update_fields=["date_joined"])
    today = timezone.localdate()
    checkins.daily_checkin_save(person=pat, day=today, answers={"mood": 2, "cravings": 7, "lonely": "yes"},
                                declined=["sleep_hours"], use={"used": "no"})
    checkins.daily_checkin_save(person=pat, day=today - timedelta(days=3), answers={"mood": 3}, use={
        "used": "yes", "is_lapse": True, "what_i_learned": "Leave the party by ten", "reflection_shared": True})
    _, token = circle.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle.invitation_accept(token=token, supporter=sam)
    circle.grant_create(member=member, items={c: "view" for c in (Category.PLAN, Category.CHECKINS, Category.USE_LOG,
                                                                   Category.ABOUT_ME, Category.REACH_ME)},
                        purpose="To support me", signature="Pat")
    return pat


def _opens_pats_page_and_check_ins(screen, pat, sam):
    page = screen.page
    device = give_authenticator(sam)  # someone who reads what others share signs in with two steps
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill(sam.email)
    page.get_by_label("Password").fill(PASSWORD)
    screen.follow(page.get_by_role("button", name="Log in"))
    page.get_by_label("Code").fill(totp_code(device))
    screen.follow(page.get_by_role("button", name="Continue"))

    screen.goto(f"/people/{pat.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pat")
    expect(page.get_by_role("region", name="How to reach Pat")).to_contain_text("Text first; call if I have not")
    expect(page.get_by_role("region", name="About Pat")).to_contain_text("A walk before I talk about hard things.")
    shared = page.get_by_role("region", name="Shared with you")
    expect(shared.get_by_role("link", name="Recovery plan of Pat")).to_be_visible()
    expect(shared.get_by_role("link", name="Safety plan of Pat")).to_have_count(0)

    screen.follow(shared.get_by_role("link", name="Check-ins, day by day of Pat"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pat's check-ins, day by day")
    days = page.get_by_role("main").get_by_role("list").first.locator(":scope > li")
    expect(days).to_have_count(28)
    expect(days.nth(0)).to_contain_text("low")
    expect(days.nth(0)).to_contain_text("prefer not to say")
    expect(days.nth(0)).to_contain_text("skipped")
    expect(days.nth(1)).to_contain_text("No check-in.")
    expect(days.nth(3)).to_contain_text("Noted as a lapse")
    expect(days.nth(3)).to_contain_text("Leave the party by ten")
    screen.follow(page.get_by_role("link", name="See the weekly trends"))
    expect(page.get_by_role("heading", name="Mood (weekly average, 1–5)")).to_be_visible()
    screen.assert_clean()


def test_a_supporter_on_a_phone_reads_the_person_page_and_the_days(pat_shares_with_sam, sam, open_audited):
    _opens_pats_page_and_check_ins(open_audited(phone=True), pat_shares_with_sam, sam)


def test_a_supporter_on_a_desktop_reads_the_person_page_and_the_days(pat_shares_with_sam, sam, audited):
    _opens_pats_page_and_check_ins(audited, pat_shares_with_sam, sam)
