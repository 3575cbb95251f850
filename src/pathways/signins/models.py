"""Where each account is signed in, and what was being typed when a session timed out.

One row per signed-in session, so a person can see where they are signed in and end it there; and for an hour
after a session times out, the form its person was sending, so signing in again loses nothing."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathways.vault.fields import EncryptedJSONField


class AccountSession(models.Model):
    """A session of an account in Django's session table, with what the person needs to recognise it.

    Nothing identifying is kept beyond what the list shows: the browser and system in plain words (not the
    whole user-agent string) and the IP address cut to its network (IPv4 /24, IPv6 /48). The session key is
    the one Django's own session table holds; it is never shown or put in a URL (`public_id` is)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    device = models.CharField(max_length=80, blank=True)
    network = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.device or 'a device'} since {self.created_at:%Y-%m-%d %H:%M}"


class TimedOutSession(models.Model):
    """A session that ended by its time limits, remembered for an hour by a digest of its key.

    The worker may end a session before its device comes back; when that device then sends a form, this
    row says whose it was, so what they typed is held for them (`held_forms`). The key itself is not kept:
    a digest is enough to recognise the cookie, and a database reader learns no key from it."""

    key_digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ended_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"a session that ended at {self.ended_at:%Y-%m-%d %H:%M}"


class HeldForm(models.Model):
    """What a person had typed into a form when their session ended, kept for them alone for an hour.

    Given back once, on the form's page, after the same account signs in again. The answers are free text,
    so they are encrypted like every other typed field; the page path holds only ids, so it stays plain to be
    looked up."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_forms")
    path = models.CharField(max_length=400)
    data = EncryptedJSONField(default=dict)
    held_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="signins_one_held_form_per_page")]

    def __str__(self) -> str:
        return f"a form on {self.path} held at {self.held_at:%Y-%m-%d %H:%M}"
