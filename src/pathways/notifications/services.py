"""Every write for notifications: notify, mark as read, reminder settings, and the outbox steps the worker runs."""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from pathways.people.models import User
from pathways.people.time_zones import time_zone_expression, time_zone_of, zone_info

from .models import DeliveryStatus, EmailDelivery, Kind, Notification, ReminderSetting

logger = logging.getLogger(__name__)

# The only words an email ever carries: what the notification is about stays inside Pathways.
EMAIL_SUBJECT = "You have a new notification on Pathways"
EMAIL_BODY = """Hello,

There is something new for you on Pathways. Sign in to see it:

{notifications_url}

You can choose which emails Pathways sends you here:
{settings_url}
"""

LEASE = timedelta(seconds=120)  # longer than a slow send (EMAIL_TIMEOUT per step), so a live worker keeps its claim
MAX_ATTEMPTS = 10  # with the back-off below, about three hours of trying before an email is given up
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


def reminder_settings_of(person: User) -> ReminderSetting:
    """The person's settings row, or the defaults (unsaved) when they never changed anything."""
    return ReminderSetting.objects.filter(person=person).first() or ReminderSetting(person=person)


@transaction.atomic
def notify(*, recipient: User, kind: str, title: str, body: str = "", link: str = "",
           email: bool = True) -> Notification | None:
    """Tell someone something: the in-app notification and, if they want email, its outbox row, together.

    Returns None, storing nothing, when the recipient turned this kind off (only reminders can be).
    The email is sent later by the worker (`manage.py run_worker`) and says only that there is something new.
    """
    preferences = reminder_settings_of(recipient)
    if kind in Kind.values and not preferences.wants(kind):
        return None
    notification = Notification(recipient=recipient, kind=kind, title=title.strip(), body=body.strip(), link=link)
    notification.full_clean()
    notification.save()
    if email and recipient.email and recipient.is_active and preferences.wants_email(kind):
        EmailDelivery.objects.create(notification=notification, next_attempt_at=notification.created_at)
    return notification


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


# --- Check-in reminders ----------------------------------------------------------------------------------------

REMINDER_BATCH = 500  # per time zone and round; the next round (seconds later) takes the rest


def checkin_reminders_create_due(*, now: datetime | None = None) -> int:
    """Remind everyone whose chosen time has passed on their own clock today, who has not checked in on their
    today and was not reminded yet.

    People are taken a time zone at a time: one query lists the zones in use, then one query per zone finds who
    is due there, so the cost follows the number of zones, not of people.
    """
    now = now or timezone.now()
    reminders_on = (ReminderSetting.objects.filter(checkin_reminder_on=True)
                    .annotate(zone=time_zone_expression("person")))
    created = 0
    for name in list(reminders_on.order_by().values_list("zone", flat=True).distinct()):
        created += _reminders_create_due_in_zone(reminders_on.filter(zone=name),
                                                 local=timezone.localtime(now, zone_info(name)))
    return created


def _reminders_create_due_in_zone(reminders_on, *, local: datetime) -> int:
    """Remind the people of one time zone, whose clock reads `local`."""
    from pathways.checkins.models import DailyCheckIn

    today = local.date()
    not_yet_today = Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today)
    due = (reminders_on.filter(not_yet_today, checkin_reminder_time__lte=local.time())
           .exclude(person__in=DailyCheckIn.objects.filter(day=today).values("person"))
           .select_related("person").order_by("pk")[:REMINDER_BATCH])
    created = 0
    for setting in due:
        with transaction.atomic():
            # The conditional UPDATE is the claim: of two workers, only one reminds the person today.
            if ReminderSetting.objects.filter(not_yet_today, pk=setting.pk).update(last_reminded_on=today):
                notify(recipient=setting.person, kind=Kind.CHECKIN_REMINDER, title="A moment to check in",
                       body="When you have a minute, how is today going? Skip anything you like.",
                       link=reverse("checkins:daily"))
                created += 1
    return created


# --- The email outbox ------------------------------------------------------------------------------------------

def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling after each failed attempt, never more than an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _claimable(now: datetime) -> Q:
    return (Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)))


def delivery_claim(*, worker: str, now: datetime | None = None, lease: timedelta = LEASE) -> EmailDelivery | None:
    """Lease the next due delivery to this worker, or None when nothing is due.

    A conditional UPDATE does the claiming, so two workers (or a worker and its restarted self) never hold
    one delivery at once, on SQLite and PostgreSQL alike. Claiming counts as an attempt, so a delivery whose
    sending kills the worker every time is given up after MAX_ATTEMPTS instead of looping forever.
    """
    now = now or timezone.now()
    for candidate in EmailDelivery.objects.filter(_claimable(now)).order_by("next_attempt_at", "pk")[:10]:
        if candidate.attempts >= MAX_ATTEMPTS:
            EmailDelivery.objects.filter(_claimable(now), pk=candidate.pk).update(
                status=DeliveryStatus.FAILED, claimed_by="", claimed_until=None, last_error="Interrupted")
            logger.warning("email delivery %s given up: interrupted %s times", candidate.pk, candidate.attempts)
            continue
        interrupted = candidate.claimed_until is not None  # the last worker to hold it never reported back
        claimed = EmailDelivery.objects.filter(_claimable(now), pk=candidate.pk).update(
            claimed_by=worker, claimed_until=now + lease, attempts=F("attempts") + 1,
            **({"last_error": "Interrupted"} if interrupted else {}))
        if claimed:
            return EmailDelivery.objects.select_related("notification__recipient").get(pk=candidate.pk)
    return None


def email_for(delivery: EmailDelivery) -> EmailMessage:
    """The email for a delivery: generic words and a link to the notifications page, nothing about the content."""
    site = settings.PATHWAYS_SITE_URL
    body = EMAIL_BODY.format(notifications_url=site + reverse("notifications:list"),
                             settings_url=site + reverse("notifications:settings"))
    return EmailMessage(subject=EMAIL_SUBJECT, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[delivery.notification.recipient.email])


@dataclass(frozen=True)
class Outcome:
    sent: bool
    error: str = ""


def delivery_send(*, delivery: EmailDelivery, now: datetime | None = None) -> Outcome:
    """Send one claimed delivery and record what happened. A failure is retried later, with growing pauses."""
    try:
        email_for(delivery).send(fail_silently=False)
    except Exception as error:  # any failure to send is retried; only its class name is kept (no personal data)
        error_name = type(error).__name__[:100]
        now = now or timezone.now()
        given_up = delivery.attempts >= MAX_ATTEMPTS
        # Only while still ours: if our lease ran out and another worker took it over, its outcome counts.
        EmailDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING,
                                     claimed_by=delivery.claimed_by).update(
            status=DeliveryStatus.FAILED if given_up else DeliveryStatus.PENDING,
            next_attempt_at=now + retry_delay(delivery.attempts), claimed_by="", claimed_until=None,
            last_error=error_name)
        log = logger.warning if given_up else logger.info
        log("email delivery %s attempt %s failed (%s)%s", delivery.pk, delivery.attempts, error_name,
            ": given up, the notification stays in Pathways" if given_up else ": will retry")
        return Outcome(sent=False, error=error_name)
    EmailDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_by="", claimed_until=None)
    logger.info("email delivery %s sent", delivery.pk)
    return Outcome(sent=True)



def deliveries_try_again(*, delivery_ids: list[int]) -> int:
    """Give emails that were given up (or are waiting) a fresh set of attempts, starting now."""
    return EmailDelivery.objects.filter(pk__in=delivery_ids).exclude(status=DeliveryStatus.SENT).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_by="", claimed_until=None)
