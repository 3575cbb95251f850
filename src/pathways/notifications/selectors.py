"""Every read for notifications. A person only ever reads their own; nobody else's are reachable from here."""
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pathways.outbox.models import OutgoingEmail, Status
from pathways.people.models import User

from .models import Notification, ReminderSetting
from .services import EMAIL_KIND, reminder_settings_of

PAGE_SIZE = 30


def notification_list(*, viewer: User, page: str | int | None = 1) -> Page:
    """The viewer's notifications, unread first, newest first within each."""
    notifications: QuerySet[Notification] = (
        Notification.objects.filter(recipient=viewer)
        .annotate(read_order=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1),
                                  output_field=IntegerField()))
        .order_by("read_order", "-created_at", "-pk"))
    return Paginator(notifications, PAGE_SIZE).get_page(page)


def notification_get(*, viewer: User, notification_id: int) -> Notification:
    """One of the viewer's own notifications; anyone else's answers 404, like one that does not exist."""
    return get_object_or_404(Notification, pk=notification_id, recipient=viewer)


def unread_count(*, viewer: User) -> int:
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).count()


def undeliverable_email_count(*, viewer: User, within: timedelta = timedelta(days=30)) -> int:
    """Emails to the viewer that were given up lately: a hint that their address may need a look."""
    return OutgoingEmail.objects.filter(person=viewer, kind=EMAIL_KIND, status=Status.FAILED,
                                        created_at__gte=timezone.now() - within).count()


def reminder_settings_get(*, viewer: User) -> ReminderSetting:
    return reminder_settings_of(viewer)
