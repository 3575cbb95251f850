"""Every write for notifications: notify, mark as read, reminder settings. Emails go through pathways.outbox."""
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pathways.outbox.services import email_queue
from pathways.people.models import User
from pathways.people.time_zones import time_zone_of

from .models import Kind, Notification, ReminderSetting

# The only words an email ever carries: what the notification is about stays inside Pathways.
EMAIL_SUBJECT = "You have a new notification on Pathways"
EMAIL_BODY = """Hello,

There is something new for you on Pathways. Sign in to see it:

{notifications_url}

You can choose which emails Pathways sends you here:
{settings_url}
"""

# An alert someone may need to act on soon (a crisis alert): still no name and nothing about anyone's health,
# but it says plainly that it cannot wait, and links straight to the page to act on.
URGENT_SUBJECT = "Something on Pathways needs your attention soon"
URGENT_BODY = """Hello,

Something on Pathways needs your attention soon. Please sign in and open it as soon as you can:

{link_url}

You can choose which emails Pathways sends you here:
{settings_url}
"""

EMAIL_KIND = "notification"  # the outbox kind of these emails


def reminder_settings_of(person: User) -> ReminderSetting:
    """The person's settings row, or the defaults (unsaved) when they never changed anything."""
    return ReminderSetting.objects.filter(person=person).first() or ReminderSetting(person=person)


@transaction.atomic
def notify(*, recipient: User, kind: str, title: str, body: str = "", link: str = "", about: User | None = None,
           email: bool = True, urgent: bool = False) -> Notification | None:
    """Tell someone something: the in-app notification and, if they want email, its outbox row, together.

    `about` is the person the notification is about when that is someone else (an alert to a supporter): it
    goes when that person's account is deleted.
    Returns None, storing nothing, when the recipient turned this kind off (only reminders can be).
    The email is sent later by the worker (`manage.py run_worker`) and says only that there is something new;
    an `urgent` one (a crisis alert) says it needs attention soon and links straight to `link`.
    """
    preferences = reminder_settings_of(recipient)
    if kind in Kind.values and not preferences.wants(kind):
        return None
    notification = Notification(recipient=recipient, kind=kind, title=title.strip(), body=body.strip(), link=link,
                                about=about)
    notification.full_clean()
    notification.save()
    if email and recipient.email and recipient.is_active and preferences.wants_email(kind):
        subject, body = (URGENT_SUBJECT, _urgent_email_body(link)) if urgent else (EMAIL_SUBJECT, _email_body())
        email_queue(kind=EMAIL_KIND, to=recipient.email, subject=subject, body=body, person=recipient,
                    reference=notification.pk)
    return notification


def _email_body() -> str:
    """Generic words and a link to the notifications page, nothing about the notification itself."""
    site = settings.PATHWAYS_SITE_URL
    return EMAIL_BODY.format(notifications_url=site + reverse("notifications:list"),
                             settings_url=site + reverse("notifications:settings"))


def _urgent_email_body(link: str) -> str:
    """The same silence about the person, with the page to act on one tap away (after signing in)."""
    site = settings.PATHWAYS_SITE_URL
    return URGENT_BODY.format(link_url=site + (link or reverse("notifications:list")),
                              settings_url=site + reverse("notifications:settings"))


def mark_read(*, recipient: User, notification_ids: list[int] | None = None) -> int:
    """Mark the recipient's own notifications as read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


UNCHANGED = object()


@transaction.atomic
def reminder_settings_update(*, person: User, checkin_reminder_on=UNCHANGED, checkin_reminder_time=UNCHANGED,
                             early_warning_on=UNCHANGED, email_on=UNCHANGED, email_muted_kinds=UNCHANGED,
                             now: datetime | None = None) -> ReminderSetting:
    """Change what the person is reminded of and how; arguments left out stay as they were.

    The reminder's time is on the person's own clock (pathways.people.time_zones).
    """
    setting, _ = ReminderSetting.objects.select_for_update().get_or_create(person=person)
    before = (setting.checkin_reminder_on, setting.checkin_reminder_time)
    changes = {"checkin_reminder_on": checkin_reminder_on, "checkin_reminder_time": checkin_reminder_time,
               "early_warning_on": early_warning_on, "email_on": email_on,
               "email_muted_kinds": sorted(email_muted_kinds) if email_muted_kinds is not UNCHANGED else UNCHANGED}
    for name, value in changes.items():
        if value is not UNCHANGED:
            setattr(setting, name, value)
    setting.full_clean()
    local = timezone.localtime(now or timezone.now(), time_zone_of(person))
    if (setting.checkin_reminder_on and (setting.checkin_reminder_on, setting.checkin_reminder_time) != before
            and setting.checkin_reminder_time <= local.time()):
        # A time that already passed today starts tomorrow: a reminder right after choosing it would only startle.
        setting.last_reminded_on = local.date()
    setting.updated_at = timezone.now()
    setting.save()
    return setting
