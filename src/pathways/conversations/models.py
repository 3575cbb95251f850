"""Conversations with the circle: one per circle member, its messages, and session notes with the person's
responses. Every word is encrypted at rest, like all free text."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathways.circle.models import CircleMember
from pathways.vault.fields import EncryptedCharField, EncryptedTextField

MESSAGE_LENGTH = 4000
NOTE_LENGTH = 4000


class Conversation(models.Model):
    """The one conversation between the person and one member of their circle. The person keeps it whatever
    happens to the member's access; the member reads it only while the `messages` category is granted."""

    member = models.OneToOneField(CircleMember, on_delete=models.CASCADE, related_name="conversation")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The person's choices: no notifications for this conversation; whether the member sees what they have read.
    muted_by_person = models.BooleanField(default=False)
    read_receipts_on = models.BooleanField(default=True)
    # When the person blocked the member (which also took them out of the circle, ending every grant).
    blocked_at = models.DateTimeField(null=True, blank=True)


class Message(models.Model):
    """One message. Deleting the author's account removes its words; the other side sees "message removed"."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="messages_written")
    body = EncryptedTextField(max_length=MESSAGE_LENGTH, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True, help_text="When the other side first opened it.")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["conversation", "sent_at"], name="message_in_order")]


class NoteKind(models.TextChoices):
    PEER = "peer", "peer conversation"
    COUNSELLING = "counselling", "counselling"
    PHONE = "phone", "phone call"
    GROUP = "group", "group"


class SessionNote(models.Model):
    """A note a supporter wrote after a contact, which the person reads as soon as it is saved. Never edited:
    a correction is a new version (`replaces`), and the history keeps every version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="session_notes_written")
    author_name = EncryptedCharField(max_length=150, blank=True, help_text="As it was when written.")
    happened_on = models.DateField(default=timezone.localdate)
    kind = models.CharField(max_length=20, choices=NoteKind.choices, default=NoteKind.PEER)
    talked_about = EncryptedTextField("what we talked about", max_length=NOTE_LENGTH, blank=True)
    person_wants_next = EncryptedTextField("what the person wants to happen next", max_length=NOTE_LENGTH,
                                           blank=True)
    next_steps = EncryptedTextField("agreed next steps, one per line", max_length=NOTE_LENGTH, blank=True)
    written_at = models.DateTimeField(default=timezone.now)
    replaces = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="replaced_by")

    class Meta:
        ordering = ["-happened_on", "-written_at", "-pk"]


class NoteResponse(models.Model):
    """The person's own words beside a note: a response or a correction. The supporter's words stay as written."""

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="responses")
    text = EncryptedTextField(max_length=NOTE_LENGTH)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]
