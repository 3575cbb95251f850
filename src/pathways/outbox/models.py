"""One row per email to send, from notifications, account emails, invitations and address changes alike."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from pathways.vault.fields import EncryptedCharField, EncryptedTextField


class Status(models.TextChoices):
    PENDING = "pending", "waiting to be sent"
    SENT = "sent", "sent"
    SKIPPED = "skipped", "nothing to send"
    FAILED = "failed", "failed permanently"


class OutgoingEmail(models.Model):
    """An email waiting for the worker, or what became of it.

    Either its words are written now (subject and body, encrypted at rest because links in them carry
    tokens), or `build_when_sending` is set and the builder registered for its kind writes it at the moment
    it is sent, or decides there is nothing to send. The address is encrypted too; a keyed digest of it
    counts requests per address and finds an address's emails when an account is deleted.

    A worker leases a row (claimed_until) rather than marking it "running": if the worker dies mid-send, the
    lease runs out and another worker sends it, so an email goes out at least once and is never silently lost.
    """

    kind = models.CharField(max_length=40, help_text="What the email is, e.g. notification or sign_up.")
    to = EncryptedCharField("address", max_length=254)
    to_digest = models.CharField("keyed digest of the address", max_length=64)
    subject = EncryptedCharField(max_length=300, blank=True)
    body = EncryptedTextField(blank=True)
    build_when_sending = models.BooleanField(default=False, help_text="Written by its kind's builder when sent.")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="outgoing_emails",
                               help_text="The account it belongs to, if any: deleting the account deletes it.")
    reference = models.PositiveBigIntegerField(null=True, blank=True,
                                               help_text="The id of the row it is about, for its kind.")
    requested_from = models.CharField("keyed digest of the IP address", max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker has claimed it to send.")
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=100, blank=True, help_text="The kind of error only; never personal data.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due"),
            models.Index(fields=["kind", "to_digest", "created_at"], name="outgoing_email_to"),
            models.Index(fields=["kind", "requested_from", "created_at"], name="outgoing_email_from"),
            models.Index(fields=["kind", "reference"], name="outgoing_email_about"),
            models.Index(fields=["created_at"], name="outgoing_email_age"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} email {self.pk}: {self.get_status_display()}"
