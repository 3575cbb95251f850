"""A request to move an account to a new email address, waiting for the link sent there to be opened."""
from django.conf import settings
from django.db import models
from django.utils import timezone


class EmailChange(models.Model):
    """Single-use and expiring; only the digest of the link's token is stored, so a copy of the database
    cannot confirm anything. Until it is confirmed the account keeps its old address."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    new_email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def is_open(self, now=None) -> bool:
        return self.confirmed_at is None and self.expires_at > (now or timezone.now())
