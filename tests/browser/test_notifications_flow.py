"""Choosing a check-in reminder and reading a notification, on a phone — in real Chromium, audited by axe-core."""
import pytest
from playwright.sync_api import expect

from pathways.notifications.services import notify
from pathways.people.models import User

pytestmark = pytest.mark.browser


def test_a_person_sets_a_reminder_and_opens_a_notification_on_a_phone(open_audited):
    screen = open_audited(phone=True)
    page = screen.page
    screen.sign_up(email="kit@example.org", preferred_name="Kit")

    screen.follow(page.get_by_role("link", name="Notifications"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    screen.follow(page.get_by_role("link", name="Choose what you are told about, and when"))
    screen.activate(page.get_by_label("Remind me to check in each day"))
    screen.follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("alert")).to_contain_text("Choose a time for your reminder")  # kept, and explained
    expect(page.get_by_label("Remind me to check in each day")).to_be_checked()
    page.get_by_label("At what time").fill("19:30")
    screen.activate(page.get_by_label("Reminders to check in"))  # in Pathways, without an email
    screen.follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_label("At what time")).to_have_value("19:30")
    expect(page.get_by_label("Reminders to check in")).not_to_be_checked()

    notify(recipient=User.objects.get(email="kit@example.org"), kind="crisis_alert_sent",
           title="Sam was told you might like some support", link="/circle/")
    screen.goto("/notifications/")
    # On a phone the menu is folded; its button carries the unread count, so it is seen without opening it.
    expect(page.locator("details.menu > summary")).to_have_text("Menu 1 unread notifications")
    screen.open_menu()
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    screen.close_menu()
    screen.follow(page.get_by_role("link", name="Sam was told you might like some support"))
    expect(page).to_have_url(screen.base_url + "/circle/")
    expect(page.locator("details.menu > summary")).to_have_text("Menu")  # nothing unread now
    screen.open_menu()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    screen.assert_clean()
