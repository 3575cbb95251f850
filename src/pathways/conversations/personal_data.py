"""What the conversations app holds about a person (see pathways.lib.personal_data): their conversations with
each member of their circle, the messages they wrote in other people's, and the session notes about them."""
from django.utils import timezone

from pathways.lib.personal_data import holds, person_ref

from .models import Message, SessionNote


def export_conversations(user) -> list[dict]:
    """Every conversation of the person's own, whole: both sides' words are the person's record."""
    return [
        {"with": person_ref(conversation.member.supporter), "started_at": conversation.created_at,
         "muted": conversation.muted_by_person, "read_receipts": conversation.read_receipts_on,
         "blocked_at": conversation.blocked_at,
         "messages": [{"from": "me" if m.author_id == user.pk else person_ref(m.author), "sent_at": m.sent_at,
                       "read_at": m.read_at, "text": "" if m.removed_at else m.body, "removed_at": m.removed_at}
                      for m in conversation.messages.select_related("author")]}
        for conversation in user.conversations.select_related("member__supporter").order_by("created_at", "pk")
    ]


def export_messages_written(user) -> list[dict]:
    """What this account wrote in other people's conversations (as a supporter)."""
    return [{"to": person_ref(m.conversation.person), "sent_at": m.sent_at, "text": m.body}
            for m in Message.objects.filter(author=user, removed_at__isnull=True).exclude(conversation__person=user)
            .select_related("conversation__person").order_by("sent_at", "pk")]


def forget_messages_written(user) -> None:
    """A supporter's own words leave the conversations they wrote in; the person sees "message removed"."""
    Message.objects.filter(author=user).exclude(conversation__person=user).update(body="",
                                                                                  removed_at=timezone.now())


def export_session_notes(user) -> list[dict]:
    return [
        {"about": "me", "written_by": person_ref(note.author) or note.author_name, "happened_on": note.happened_on,
         "kind": note.kind, "talked_about": note.talked_about, "person_wants_next": note.person_wants_next,
         "next_steps": note.next_steps, "written_at": note.written_at,
         "replaces_written_at": note.replaces.written_at if note.replaces else None,
         "my_responses": [{"text": r.text, "written_at": r.written_at} for r in note.responses.all()]}
        for note in SessionNote.objects.filter(person=user).select_related("author", "replaces")
        .prefetch_related("responses").order_by("written_at", "pk")
    ]


def export_session_notes_written(user) -> list[dict]:
    """Notes this account wrote about others: whom about and when, not the words (they are that person's record)."""
    return [{"about": person_ref(note.person), "happened_on": note.happened_on, "written_at": note.written_at}
            for note in SessionNote.objects.filter(author=user).exclude(person=user).select_related("person")
            .order_by("written_at", "pk")]


holds("conversations", models=["conversations.Conversation", "conversations.Message"], export=export_conversations)
holds("messages_written", models=[], export=export_messages_written, forget=forget_messages_written)
# A note about the person is part of the person's record: it stays with them (its author kept by name) when the
# supporter who wrote it deletes their account, and goes with the person's.
holds("session_notes", models=["conversations.SessionNote", "conversations.NoteResponse"],
      export=export_session_notes)
holds("session_notes_written", models=[], export=export_session_notes_written)
