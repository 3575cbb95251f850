"""Notification pages: the list, opening one, marking read, the header count, and the settings page."""
import datetime as dt

import pytest

from pathways.notifications import services
from pathways.notifications.models import Notification, ReminderSetting


def test_the_list_shows_the_persons_notifications_and_the_header_counts_unread(pat_client, pat, rue):
    services.notify(recipient=pat, kind="crisis_alert_sent", title="Sam was told you asked for support")
    services.notify(recipient=rue, kind="crisis_alert", title="Rue's own alert")
    body = pat_client.get("/notifications/").content.decode()
    assert "Sam was told you asked for support" in body and "Rue's own alert" not in body
    assert '<span class="badge">1<span class="visually-hidden"> unread</span></span>' in body


def test_opening_one_marks_it_read_and_goes_to_the_thing(pat_client, pat):
    notification = services.notify(recipient=pat, kind="emergency_access", title="Opened", link="/circle/access-log/")
    response = pat_client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == "/circle/access-log/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_else_can_open_or_mark_someone_elses(client, pat, rue):
    notification = services.notify(recipient=pat, kind="crisis_alert", title="Pat's", link="/plan/")
    client.force_login(rue)
    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    client.post("/notifications/read/", {"notification": notification.pk})
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_one_and_mark_all_as_read(pat_client, pat):
    first, second, third = (services.notify(recipient=pat, kind="crisis_alert", title=t) for t in "ABC")
    pat_client.post("/notifications/read/", {"notification": first.pk})
    assert list(Notification.objects.filter(read_at__isnull=True).order_by("pk")) == [second, third]
    response = pat_client.post("/notifications/read/", follow=True)
    assert "All marked as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_marking_read_needs_a_post(pat_client):
    assert pat_client.get("/notifications/read/").status_code == 405


def test_signed_out_visitors_are_sent_to_log_in(client):
    for url in ("/notifications/", "/notifications/settings/"):
        assert client.get(url)["Location"].startswith("/account/login/")


class TestSettings:
    def test_the_page_shows_the_defaults(self, pat_client):
        form = pat_client.get("/notifications/settings/").context["form"]
        assert form.initial["checkin_reminder_on"] is False and form.initial["email_on"] is True
        assert all(form.initial[f"email_{kind}"] for kind in ("checkin_reminder", "emergency_access"))

    def test_saving_a_reminder_time_and_turning_emails_off(self, pat_client, pat):
        response = pat_client.post("/notifications/settings/", {
            "checkin_reminder_on": "on", "checkin_reminder_time": "07:45", "early_warning_on": "on",
            "email_on": "on", "email_checkin_reminder": "on", "email_crisis_alert": "on"})
        assert response.status_code == 302
        setting = ReminderSetting.objects.get(person=pat)
        assert (setting.checkin_reminder_on, setting.checkin_reminder_time, setting.early_warning_on) == (
            True, dt.time(7, 45), True)
        assert setting.email_muted_kinds == ["crisis_alert_sent", "early_warning", "emergency_access", "message",
                                             "professional_named", "session_note"]
        form = pat_client.get("/notifications/settings/").context["form"]
        assert form.initial["email_checkin_reminder"] and not form.initial["email_emergency_access"]

    def test_every_field_may_be_left_empty(self, pat_client, pat):
        assert pat_client.post("/notifications/settings/", {}).status_code == 302
        setting = ReminderSetting.objects.get(person=pat)
        assert not (setting.checkin_reminder_on or setting.early_warning_on or setting.email_on)

    @pytest.mark.parametrize("data,message", [
        ({"checkin_reminder_on": "on", "checkin_reminder_time": "25:99"}, "Enter a time such as 19:30."),
        ({"checkin_reminder_on": "on", "checkin_reminder_time": ""}, "Choose a time for your reminder"),
    ])
    def test_a_problem_is_explained_and_what_was_typed_is_kept(self, pat_client, pat, data, message):
        response = pat_client.post("/notifications/settings/", {**data, "email_on": ""})
        body = response.content.decode()
        assert response.status_code == 200 and message in body and "Something needs a second look" in body
        assert response.context["form"]["checkin_reminder_time"].value() == data["checkin_reminder_time"]
        assert response.context["form"]["checkin_reminder_on"].value() is True
        assert not ReminderSetting.objects.filter(person=pat).exists()
