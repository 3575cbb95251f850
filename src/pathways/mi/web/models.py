"""A transcript a supporter chose to keep. Nothing is stored by analysing alone."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import dateformat, timezone

from pathways.vault.fields import EncryptedCharField, EncryptedTextField


class SavedTranscript(models.Model):
    """The supporter's own record of a conversation they had, kept to look at again.

    Only its owner can open it. The text is kept as pasted and re-analysed on each visit, so a better
    model gives better feedback on old transcripts too.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # in URLs, never the pk
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_transcripts")
    title = EncryptedCharField(max_length=200, blank=True)
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)  # a double tap on Save keeps one

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or f"Transcript saved {dateformat.format(timezone.localtime(self.created_at), 'j F Y, H:i')}"
