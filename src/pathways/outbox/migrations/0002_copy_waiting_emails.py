"""The two outboxes that came before this one hand over what they hold, so an upgrade loses no email.

Notification emails still waiting are copied with their words (the same generic words the notifications app
writes). Account emails (sign-up links, password resets) of the last day are copied as they are, whatever their
state, because they also count requests for the hourly limits; their words are still written when they are sent.
Afterwards notifications 0004 and people 0006 drop the old tables. The words and digests are written here as
they were on the day of the move, so later changes to the apps do not change this migration.
"""
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.crypto import salted_hmac

NOTIFICATION_SUBJECT = "You have a new notification on Pathways"
NOTIFICATION_BODY = """Hello,

There is something new for you on Pathways. Sign in to see it:

{site}/notifications/

You can choose which emails Pathways sends you here:
{site}/notifications/settings/
"""


def _digest(address: str) -> str:
    return salted_hmac("pathways.outbox.address", address.strip().lower(), algorithm="sha256").hexdigest()


def copy_waiting_emails(apps, schema_editor):
    OutgoingEmail = apps.get_model("outbox", "OutgoingEmail")
    EmailDelivery = apps.get_model("notifications", "EmailDelivery")
    AccountEmail = apps.get_model("people", "AccountEmail")
    site = settings.PATHWAYS_SITE_URL
    for delivery in EmailDelivery.objects.filter(status="pending").select_related("notification__recipient"):
        recipient = delivery.notification.recipient
        if not recipient.email:
            continue
        OutgoingEmail.objects.create(
            kind="notification", to=recipient.email.lower(), to_digest=_digest(recipient.email),
            subject=NOTIFICATION_SUBJECT, body=NOTIFICATION_BODY.format(site=site), person_id=recipient.pk,
            reference=delivery.notification_id, attempts=delivery.attempts, next_attempt_at=delivery.next_attempt_at,
            last_error=delivery.last_error, created_at=delivery.created_at)
    for row in AccountEmail.objects.filter(created_at__gt=timezone.now() - timedelta(days=1)):
        OutgoingEmail.objects.create(
            kind=row.purpose, to=row.email.lower(), to_digest=_digest(row.email), build_when_sending=True,
            reference=row.sign_up_id, requested_from=row.requested_from, status=row.status, attempts=row.attempts,
            next_attempt_at=row.next_attempt_at, last_error=row.last_error, created_at=row.created_at,
            sent_at=row.sent_at)


class Migration(migrations.Migration):

    dependencies = [
        ("outbox", "0001_initial"),
        ("notifications", "0002_encrypt_free_text"),
        ("people", "0005_organisation_country_and_time_zones"),
    ]

    operations = [
        migrations.RunPython(copy_waiting_emails, migrations.RunPython.noop),
    ]
