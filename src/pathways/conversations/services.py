"""Every write to a conversation: starting one, sending, marking read, and the person's own choices (read
receipts, mute, block). Who may do each is decided first by the views through `selectors` and the policy;
sending asks the policy again here, so no caller can write without a live consent."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pathways.circle.models import CircleMember
from pathways.circle.policy import Access, Category, require_and_log
from pathways.circle.services import member_remove
from pathways.notifications.models import Kind
from pathways.notifications.services import notify

from .models import MESSAGE_LENGTH, Conversation, Message
from .selectors import may_write

EMPTY = "Write a few words first: a message needs some text."
TOO_LONG = (f"This message is longer than {MESSAGE_LENGTH:,} characters. Shorten it, or send it in two parts; "
            "your words are still in the box.")
CLOSED = "This conversation is closed for now, so nothing new can be sent."


def conversation_for(member: CircleMember) -> Conversation:
    """The member's one conversation with the person, started on first use."""
    conversation, _ = Conversation.objects.get_or_create(member=member, defaults={"person_id": member.person_id})
    return conversation


def conversations_start(members) -> None:
    for member in members:
        conversation_for(member)


@transaction.atomic
def message_send(*, conversation: Conversation, author, text: str) -> Message:
    """Send a message and tell the other side. The member's consent is asked of the policy (and logged); the
    person writes while the member can read it."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": EMPTY})
    if len(text) > MESSAGE_LENGTH:
        raise ValidationError({"text": TOO_LONG})
    is_person = author.pk == conversation.person_id
    if not is_person:
        require_and_log(author, conversation.person, Category.MESSAGES, Access.WRITE)
    if not may_write(conversation=conversation, viewer=author):
        raise ValidationError({"text": CLOSED})
    message = Message.objects.create(conversation=conversation, author=author, body=text)
    _tell_the_other_side(conversation, author_is_person=is_person)
    return message


def _tell_the_other_side(conversation: Conversation, *, author_is_person: bool) -> None:
    """Who wrote, never what: a notification may be read on a lock screen or in an email by someone else."""
    link = reverse("conversations:conversation", kwargs={"conversation_id": conversation.public_id})
    if author_is_person:
        notify(recipient=conversation.member.supporter, kind=Kind.MESSAGE, link=link, about=conversation.person,
               title=f"New message from {conversation.person.display_name}")
    elif not conversation.muted_by_person:
        notify(recipient=conversation.person, kind=Kind.MESSAGE, link=link,
               title=f"New message from {conversation.member.supporter.display_name}")


def mark_read(*, conversation: Conversation, reader) -> int:
    """The other side's messages the reader has now seen (a deleted account's too)."""
    return (conversation.messages.filter(read_at__isnull=True).exclude(author=reader)
            .update(read_at=timezone.now()))


def read_receipts_set(*, conversation: Conversation, on: bool) -> None:
    conversation.read_receipts_on = on
    conversation.save(update_fields=["read_receipts_on"])


def mute_toggle(*, conversation: Conversation) -> bool:
    conversation.muted_by_person = not conversation.muted_by_person
    conversation.save(update_fields=["muted_by_person"])
    return conversation.muted_by_person


@transaction.atomic
def block(*, conversation: Conversation) -> None:
    """The person blocks the member: the conversation closes and the member leaves the circle, which ends every
    consent they hold. The person keeps the conversation."""
    conversation.blocked_at = timezone.now()
    conversation.save(update_fields=["blocked_at"])
    if conversation.member.removed_at is None:
        member_remove(member=conversation.member)
