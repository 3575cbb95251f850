"""One row per signed-in session, so a person can see where they are signed in and end it there."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


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
