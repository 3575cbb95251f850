"""notify(): the in-app notification and its email outbox row are written together, or not at all."""
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pathways.notifications import selectors, services
from pathways.notifications.models import Kind, Notification
from pathways.outbox.models import OutgoingEmail, Status


def test_it_creates_the_notification_and_an_email_due_now(pat):
    notification = services.notify(recipient=pat, kind="crisis_alert_sent", title="Sam was told", body="Because…",
                                   link="/circle/")
    delivery = OutgoingEmail.objects.get(kind=services.EMAIL_KIND, reference=notification.pk)
    assert (notification.recipient, notification.kind, notification.read_at) == (pat, "crisis_alert_sent", None)
    assert (delivery.status, delivery.attempts, delivery.person, delivery.to) == (Status.PENDING, 0, pat, pat.email)
    assert delivery.next_attempt_at <= timezone.now()


def test_both_rows_roll_back_together(pat):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipient=pat, kind="emergency_access", title="Someone opened your record")
        raise RuntimeError("the caller's transaction fails after notify")
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_bad_notification_stores_nothing(pat):
    with pytest.raises(ValidationError):
        services.notify(recipient=pat, kind="crisis_alert", title="x", link="https://elsewhere.example/")
    with pytest.raises(ValidationError):
        services.notify(recipient=pat, kind="newsletter", title="Not a kind we have")
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("link", ["//elsewhere.example/", "http://elsewhere.example/", "plan/", "/\\elsewhere"])
def test_a_link_stays_on_the_site(pat, link):
    with pytest.raises(ValidationError):
        services.notify(recipient=pat, kind="crisis_alert", title="Alert", link=link)


def test_no_email_when_the_caller_or_the_person_says_so(pat):
    services.notify(recipient=pat, kind="crisis_alert", title="In Pathways only", email=False)
    services.reminder_settings_update(person=pat, email_muted_kinds=["emergency_access"])
    services.notify(recipient=pat, kind="emergency_access", title="Muted kind")
    services.notify(recipient=pat, kind="crisis_alert", title="Not muted")
    services.reminder_settings_update(person=pat, email_on=False)
    services.notify(recipient=pat, kind="crisis_alert", title="All email off")
    assert Notification.objects.filter(recipient=pat).count() == 4
    assert [Notification.objects.get(pk=d.reference).title for d in OutgoingEmail.objects.all()] == ["Not muted"]


def test_a_reminder_the_person_turned_off_is_not_created(pat):
    services.reminder_settings_update(person=pat, early_warning_on=False)
    assert services.notify(recipient=pat, kind=Kind.EARLY_WARNING, title="A gentle note") is None
    assert services.notify(recipient=pat, kind=Kind.CHECKIN_REMINDER, title="Check in?") is None  # off by default
    assert not Notification.objects.exists()


def test_safety_notices_always_arrive_in_pathways(pat):
    services.reminder_settings_update(person=pat, early_warning_on=False, email_on=False)
    for kind in (Kind.CRISIS_ALERT, Kind.CRISIS_ALERT_SENT, Kind.EMERGENCY_ACCESS):
        assert services.notify(recipient=pat, kind=kind, title="Important") is not None


def test_mark_read_touches_only_the_recipients_own(pat, rue):
    mine = [services.notify(recipient=pat, kind="crisis_alert", title=f"Pat {n}") for n in range(3)]
    rues = services.notify(recipient=rue, kind="crisis_alert", title="Rue's")
    assert services.mark_read(recipient=pat, notification_ids=[mine[0].pk, rues.pk]) == 1
    assert selectors.unread_count(viewer=pat) == 2 and selectors.unread_count(viewer=rue) == 1
    assert services.mark_read(recipient=pat) == 2
    assert selectors.unread_count(viewer=pat) == 0 and selectors.unread_count(viewer=rue) == 1


def test_the_list_shows_unread_first_then_newest(pat):
    first, second, third = (services.notify(recipient=pat, kind="crisis_alert", title=t) for t in "ABC")
    services.mark_read(recipient=pat, notification_ids=[third.pk])
    page = selectors.notification_list(viewer=pat)
    assert [n.title for n in page.object_list] == ["B", "A", "C"]


def test_settings_need_a_time_when_the_reminder_is_on(pat):
    with pytest.raises(ValidationError) as error:
        services.reminder_settings_update(person=pat, checkin_reminder_on=True)
    assert "checkin_reminder_time" in error.value.message_dict
