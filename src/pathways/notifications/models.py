"""Notifications: the in-app record (never lost) and reminder settings. Their emails wait in pathways.outbox."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from pathways.vault.fields import EncryptedCharField, EncryptedTextField


class Kind(models.TextChoices):
    """What a notification is about. Each kind has a line on the settings page; add new kinds here."""

    CHECKIN_REMINDER = "checkin_reminder", "Reminders to check in"
    EARLY_WARNING = "early_warning", "Early warning signs noticed in check-ins (mine, or of someone I support)"
    CRISIS_ALERT = "crisis_alert", "Alerts about someone I support"
    CRISIS_ALERT_SENT = "crisis_alert_sent", "Who in my circle was alerted when I needed support"
    EMERGENCY_ACCESS = "emergency_access", "Emergency access to my record"
    MESSAGE = "message", "New messages in my conversations"
    SESSION_NOTE = "session_note", "Notes a supporter wrote about our conversations"
    PROFESSIONAL_NAMED = "professional_named", "My organisation naming my professional"


def validate_site_path(value: str) -> None:
    """A link inside Pathways only, so a notification can never send someone to another site."""
    if value and (not value.startswith("/") or value.startswith("//") or "\\" in value):
        raise ValidationError("A notification links only to a page of this site, such as /checkin/.")


class Notification(models.Model):
    """What the person sees on their notifications page; written first and kept whatever happens to the email."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # Whom it is about, when that is someone other than the recipient (an alert to a supporter). Deleting that
    # person's account deletes these too: selected by this reference, never by matching titles or links.
    about = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="notifications_about")
    kind = models.CharField(max_length=40)
    title = EncryptedCharField(max_length=200)
    body = EncryptedTextField(blank=True, max_length=2000)
    link = models.CharField(max_length=300, blank=True, validators=[validate_site_path])
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def clean(self) -> None:
        if self.kind not in Kind.values:
            raise ValidationError({"kind": f"Unknown notification kind {self.kind!r}: add it to notifications.Kind."})

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label if self.kind in Kind.values else self.kind

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def __str__(self) -> str:
        return f"notification {self.pk} ({self.kind})"


class ReminderSetting(models.Model):
    """What the person wants to be told, when, and whether by email too. No row means the defaults."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_setting")
    checkin_reminder_on = models.BooleanField(default=False)
    # On the person's own clock (pathways.people.time_zones: theirs, else their organisation's, else the site's),
    # the same clock that decides which day their check-in is for.
    checkin_reminder_time = models.TimeField(null=True, blank=True)
    early_warning_on = models.BooleanField(default=True)
    email_on = models.BooleanField(default=True)
    email_muted_kinds = models.JSONField(default=list, blank=True,
                                         help_text="Kinds the person wants in Pathways only, without an email.")
    last_reminded_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def clean(self) -> None:
        if self.checkin_reminder_on and self.checkin_reminder_time is None:
            raise ValidationError({"checkin_reminder_time": "Choose a time for your reminder, or leave reminders off."})
        unknown = set(self.email_muted_kinds) - set(Kind.values)
        if unknown:
            raise ValidationError({"email_muted_kinds": f"Unknown kinds: {', '.join(sorted(unknown))}."})

    def wants(self, kind: str) -> bool:
        """Whether the person wants this kind at all. Safety notices (alerts, emergency access) always arrive."""
        switch = {Kind.CHECKIN_REMINDER: self.checkin_reminder_on, Kind.EARLY_WARNING: self.early_warning_on}
        return switch.get(kind, True)

    def wants_email(self, kind: str) -> bool:
        return self.email_on and kind not in self.email_muted_kinds
