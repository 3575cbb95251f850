"""Reading conversations. The person always reads all of theirs; a member of their circle reads theirs only
while the person grants them "our messages", asked of the policy on every request and written to the access log.
Only a consent opens a conversation: emergency access opens a record, never somebody's private messages."""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from pathways.circle.models import CircleMember, GrantItem
from pathways.circle.policy import Access, Category, Decision, decide, decisions_from_grants, log_read
from pathways.circle.selectors import live_grants_held

from .models import Conversation, Message

SHOWN = 50  # messages on one page; earlier ones are a link away, so a long conversation stays quick


def _refused() -> Decision:
    return Decision(allowed=False)


def member_decision(*, conversation: Conversation, viewer, action: Access = Access.VIEW) -> Decision:
    """The policy's answer for the member's side of this conversation, without logging it: allowed only for the
    member it belongs to, still in the circle, not blocked, and only on the authority of a live consent."""
    member = conversation.member
    if (viewer is None or member.supporter_id != viewer.pk or member.removed_at is not None
            or conversation.blocked_at is not None):
        return _refused()
    decision = decide(viewer, conversation.person, Category.MESSAGES, action)
    return decision if decision.grant is not None else _refused()


def refuse(*, viewer, person) -> None:
    """404, with the refusal in the person's access log."""
    log_read(viewer, person, Category.MESSAGES, Access.VIEW, _refused())
    raise Http404


def conversation_get(*, conversation_id, viewer, action: Access = Access.VIEW, log: bool = True) -> Conversation:
    """The conversation, for its person or its member; 404 for anyone else, the refusal logged. `log=False` is
    for a poll that turns out to show nothing: asked of the policy all the same, written only when refused."""
    conversation = (Conversation.objects.select_related("person", "member__supporter")
                    .filter(public_id=conversation_id).first())
    if conversation is None:
        raise Http404
    if viewer.pk == conversation.person_id:
        return conversation
    decision = member_decision(conversation=conversation, viewer=viewer, action=action)
    if log or not decision.allowed:
        log_read(viewer, conversation.person, Category.MESSAGES, action, decision)
    if not decision.allowed:
        raise Http404
    return conversation


def may_write(*, conversation: Conversation, viewer) -> bool:
    """The person writes while the member can read what they write; the member while their consent lasts."""
    members_side = conversation.member.supporter if viewer.pk == conversation.person_id else viewer
    return member_decision(conversation=conversation, viewer=members_side, action=Access.WRITE).allowed


@dataclass
class ShownMessage:
    mine: bool
    author_name: str
    text: str  # empty when removed
    removed: bool
    sent_at: datetime
    read: bool  # shown only when read receipts are on

    @property
    def key(self) -> str:
        """Where it stands in the conversation: its time to the microsecond, for ?before=, ?after= and the page."""
        return self.sent_at.isoformat()

    @property
    def dom_id(self) -> str:
        return f"m{int(self.sent_at.timestamp() * 1_000_000)}"


def _shown(conversation: Conversation, viewer, messages) -> list[ShownMessage]:
    names = {conversation.person_id: conversation.person.display_name}
    if conversation.member.supporter_id:
        names[conversation.member.supporter_id] = conversation.member.supporter.display_name
    return [ShownMessage(mine=m.author_id == viewer.pk, author_name=names.get(m.author_id, "A deleted account"),
                         text="" if m.removed_at else m.body, removed=m.removed_at is not None, sent_at=m.sent_at,
                         read=conversation.read_receipts_on and m.read_at is not None)
            for m in messages]


@dataclass
class Page:
    conversation: Conversation
    messages: list[ShownMessage]
    earlier: str  # ?before= for the messages before these; "" when these are the first
    is_latest: bool  # the newest messages are on this page (so it polls for more)
    other_name: str
    viewer_is_person: bool
    may_write: bool

    @property
    def last_key(self) -> str:
        return self.messages[-1].key if self.messages else self.conversation.created_at.isoformat()


def parse_time(value: str | None) -> datetime | None:
    """A ?before= or ?after= position; None when missing or not a time (the page then starts at the newest)."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def conversation_page(*, conversation: Conversation, viewer, before: datetime | None = None) -> Page:
    """At most SHOWN messages, oldest first, ending just before `before` (or with the newest)."""
    messages = conversation.messages.order_by("-sent_at", "-pk")
    if before is not None:
        messages = messages.filter(sent_at__lt=before)
    newest_first = list(messages[:SHOWN + 1])
    has_earlier = len(newest_first) > SHOWN
    shown = _shown(conversation, viewer, reversed(newest_first[:SHOWN]))
    return Page(conversation=conversation, messages=shown, earlier=shown[0].key if has_earlier else "",
                is_latest=before is None, viewer_is_person=viewer.pk == conversation.person_id,
                other_name=other_name(conversation=conversation, viewer=viewer),
                may_write=may_write(conversation=conversation, viewer=viewer))


def other_name(*, conversation: Conversation, viewer) -> str:
    if viewer.pk != conversation.person_id:
        return conversation.person.display_name
    supporter = conversation.member.supporter
    return supporter.display_name if supporter else "A deleted account"


def messages_after(*, conversation: Conversation, viewer, after: datetime) -> list[ShownMessage]:
    """What arrived since the page last looked, at most SHOWN (the page shows the rest on its next poll)."""
    return _shown(conversation, viewer, conversation.messages.filter(sent_at__gt=after).order_by("sent_at", "pk")
                  [:SHOWN])


def receipts(*, conversation: Conversation, viewer) -> list[ShownMessage]:
    """The viewer's own messages among the newest that the other side has read (none when receipts are off)."""
    if not conversation.read_receipts_on:
        return []
    newest = conversation.messages.filter(author=viewer, read_at__isnull=False).order_by("-sent_at", "-pk")
    return _shown(conversation, viewer, newest[:SHOWN])


@dataclass
class Line:
    """One line of a list of conversations."""

    conversation: Conversation
    name: str
    last_at: datetime | None
    unread: int
    muted: bool
    ended: str  # why the other side can no longer read it, for the person; "" while they can


def _with_activity(conversations, reader_id: int):
    return conversations.annotate(
        last_at=Max("messages__sent_at"),
        unread=Count("messages", filter=Q(messages__read_at__isnull=True) & ~Q(messages__author_id=reader_id)))


def _newest_first(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda line: (line.last_at or line.conversation.created_at), reverse=True)


def members_to_open(*, person) -> list[CircleMember]:
    """The person's current members who may read messages but have no conversation yet."""
    now = timezone.now()
    member_ids = (GrantItem.objects.filter(category=Category.MESSAGES, grant__person=person,
                                           grant__revoked_at__isnull=True, grant__member__removed_at__isnull=True)
                  .filter(Q(grant__expires_at__isnull=True) | Q(grant__expires_at__gt=now))
                  .values("grant__member_id"))
    return list(CircleMember.objects.filter(pk__in=member_ids, conversation__isnull=True))


def persons_conversations(*, person) -> list[Line]:
    """Every conversation of the person's, whoever it was with and whatever became of them. Three queries."""
    conversations = list(_with_activity(Conversation.objects.filter(person=person), person.pk)
                         .select_related("member__supporter"))
    now = timezone.now()
    readable = set(GrantItem.objects.filter(
        category=Category.MESSAGES, grant__person=person, grant__revoked_at__isnull=True,
        grant__member__removed_at__isnull=True, grant__member__conversation__in=conversations)
        .filter(Q(grant__expires_at__isnull=True) | Q(grant__expires_at__gt=now))
        .values_list("grant__member_id", flat=True))
    lines = []
    for conversation in conversations:
        member = conversation.member
        name = member.supporter.display_name if member.supporter else "A deleted account"
        if conversation.blocked_at:
            ended = "Blocked"
        elif member.removed_at or member.supporter is None:
            ended = "No longer in your circle"
        elif member.pk not in readable:
            ended = "Messages not shared now"
        else:
            ended = ""
        lines.append(Line(conversation=conversation, name=name, last_at=conversation.last_at,
                          unread=conversation.unread, muted=conversation.muted_by_person, ended=ended))
    return _newest_first(lines)


def supporters_conversations(*, viewer) -> list[Line]:
    """The conversations the viewer may open as someone's supporter now: decided from their live grants without
    a query per person and, being only names and links, not logged (opening one is)."""
    decisions = decisions_from_grants(viewer, live_grants_held(viewer=viewer), Access.WRITE)
    person_ids = [person_id for person_id, category in decisions if category == Category.MESSAGES]
    conversations = (_with_activity(Conversation.objects.filter(
        person_id__in=person_ids, member__supporter=viewer, member__removed_at__isnull=True,
        blocked_at__isnull=True), viewer.pk).select_related("person"))
    return _newest_first([Line(conversation=c, name=c.person.display_name, last_at=c.last_at, unread=c.unread,
                               muted=False, ended="") for c in conversations])


def latest_message_at(*, viewer, person_ids) -> dict[int, datetime]:
    """For the caseload: when each person and the viewer last wrote to each other, in one query. The viewer's own
    conversations, so no category is read: only that they were in touch, and when."""
    return dict(Message.objects.filter(conversation__person_id__in=list(person_ids),
                                       conversation__member__supporter=viewer)
                .values("conversation__person_id").annotate(last_at=Max("sent_at"))
                .values_list("conversation__person_id", "last_at"))


def may_message(*, viewer, person) -> bool:
    """Whether to offer the viewer a link to their conversation with the person (not logged: the conversation
    logs its own opening)."""
    if viewer is None or person is None or viewer.pk == person.pk:
        return False
    member = CircleMember.objects.filter(person=person, supporter=viewer, removed_at__isnull=True).first()
    if member is None or Conversation.objects.filter(member=member, blocked_at__isnull=False).exists():
        return False
    return decide(viewer, person, Category.MESSAGES, Access.WRITE).grant is not None
