"""Messages between Pat and Sam: who reads and writes while what is shared, the person's choices (receipts, mute,
block), notifications that carry no words, and a page that stays quick however long the conversation."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pathways.circle import services as circle
from pathways.circle.models import Access, AccessLogEntry, Category, CircleMember
from pathways.conversations import selectors, services
from pathways.conversations.models import MESSAGE_LENGTH, Conversation, Message
from pathways.notifications.models import Kind, Notification

SECRET = "the appointment on Thursday frightens me"


@pytest.fixture
def grant(sams_membership):
    return circle.grant_create(member=sams_membership, items={Category.MESSAGES: Access.WRITE},
                               purpose="To talk between meetings", signature="Pat Example")


@pytest.fixture
def conversation(grant, sams_membership):
    return services.conversation_for(sams_membership)


@pytest.fixture
def sam_client(sam, sams_membership):
    client = Client()
    client.force_login(sam)
    return client


def page(conversation) -> str:
    return reverse("conversations:conversation", kwargs={"conversation_id": conversation.public_id})


def refusals(person, viewer) -> int:
    return AccessLogEntry.objects.filter(person_ref=str(person.public_id), viewer_ref=str(viewer.public_id),
                                         category=Category.MESSAGES, allowed=False).count()


def test_with_the_grant_both_sides_read_and_write(pat_client, sam_client, conversation, pat, sam):
    assert sam_client.post(page(conversation), {"text": "How was today?"}).status_code == 302
    assert pat_client.post(page(conversation), {"text": "Better, thank you"}).status_code == 302
    for client in (pat_client, sam_client):
        body = client.get(page(conversation)).content.decode()
        assert "How was today?" in body and "Better, thank you" in body
    assert AccessLogEntry.objects.filter(person_ref=str(pat.public_id), viewer_ref=str(sam.public_id),
                                         category=Category.MESSAGES, action=Access.WRITE, allowed=True).exists()


def test_the_supporters_link_starts_the_conversation_once(sam_client, grant, pat, sams_membership):
    link = reverse("conversations:with_person", kwargs={"person_id": pat.public_id})
    first, again = sam_client.get(link), sam_client.get(link)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Conversation.objects.get(member=sams_membership).person == pat


def test_without_the_grant_a_member_gets_404_and_it_is_logged(sam_client, sams_membership, pat, sam):
    conversation = services.conversation_for(sams_membership)
    assert sam_client.get(page(conversation)).status_code == 404
    assert sam_client.post(page(conversation), {"text": "hello"}).status_code == 404
    assert sam_client.get(reverse("conversations:with_person", kwargs={"person_id": pat.public_id})).status_code == 404
    assert refusals(pat, sam) == 3 and not Message.objects.exists()


def test_emergency_access_never_opens_a_conversation(client, pat, lee, organisation, sams_membership):
    """A professional in Pat's circle, without the messages grant, using emergency access: still 404."""
    CircleMember.objects.filter(pk=sams_membership.pk).update(supporter=lee)
    pat.home_organisation = organisation
    pat.save()
    circle.emergency_access_start(professional=lee, person=pat, reason="No answer for days")
    conversation = services.conversation_for(CircleMember.objects.get(pk=sams_membership.pk))
    client.force_login(lee)
    assert client.get(page(conversation)).status_code == 404


def test_stopping_sharing_messages_closes_it_for_the_supporter_but_not_the_person(
        pat_client, sam_client, conversation, grant, pat, sam, sams_membership):
    services.message_send(conversation=conversation, author=sam, text="Thinking of you")
    circle.category_revoke(member=sams_membership, category=Category.MESSAGES)
    before = refusals(pat, sam)
    assert sam_client.get(page(conversation)).status_code == 404
    after = selectors.parse_time(timezone.now().isoformat())
    poll = reverse("conversations:new_messages", kwargs={"conversation_id": conversation.public_id})
    assert sam_client.get(poll, {"after": after.isoformat()}).status_code == 404
    assert refusals(pat, sam) == before + 2
    body = pat_client.get(page(conversation)).content.decode()
    assert "Thinking of you" in body and 'name="text"' not in body  # kept, and closed for writing
    assert "Sam" in pat_client.get(reverse("conversations:list")).content.decode()


def test_someone_else_in_the_circle_cannot_open_it(client, conversation, pat, rue):
    client.force_login(rue)
    assert client.get(page(conversation)).status_code == 404
    assert refusals(pat, rue) == 1


def test_block_ends_every_grant_and_the_person_keeps_the_history(pat_client, sam_client, conversation, pat, sam,
                                                                 grant):
    services.message_send(conversation=conversation, author=sam, text="See you Monday")
    block_page = reverse("conversations:block", kwargs={"conversation_id": conversation.public_id})
    assert "leaves your circle" in pat_client.get(block_page).content.decode()
    assert sam_client.post(block_page).status_code == 404  # only the person blocks
    assert pat_client.post(block_page).status_code == 302
    conversation.refresh_from_db()
    grant.refresh_from_db()
    assert conversation.blocked_at and grant.revoked_at and conversation.member.removed_at
    assert sam_client.get(page(conversation)).status_code == 404
    assert "See you Monday" in pat_client.get(page(conversation)).content.decode()


def test_each_message_notifies_the_other_side_without_its_words(conversation, pat, sam):
    services.message_send(conversation=conversation, author=sam, text=SECRET)
    services.message_send(conversation=conversation, author=pat, text=SECRET)
    to_pat, to_sam = Notification.objects.get(recipient=pat), Notification.objects.get(recipient=sam)
    assert (to_pat.kind, to_pat.title, to_pat.link) == (Kind.MESSAGE, "New message from Sam", page(conversation))
    assert to_sam.title == "New message from Pat" and to_sam.about == pat
    for notification in (to_pat, to_sam):
        assert "Thursday" not in notification.title + notification.body


def test_mute_stops_the_persons_notifications_only(pat_client, sam_client, conversation, pat, sam):
    mute = reverse("conversations:mute", kwargs={"conversation_id": conversation.public_id})
    assert sam_client.post(mute).status_code == 404
    assert pat_client.post(mute).status_code == 302
    conversation.refresh_from_db()
    services.message_send(conversation=conversation, author=sam, text="hello")
    services.message_send(conversation=conversation, author=pat, text="hi")
    assert not Notification.objects.filter(recipient=pat).exists()
    assert Notification.objects.filter(recipient=sam).count() == 1
    assert "muted" in pat_client.get(reverse("conversations:list")).content.decode()


def test_opening_marks_read_and_receipts_show_only_while_on(pat_client, sam_client, conversation, sam):
    services.message_send(conversation=conversation, author=sam, text="Are you OK?")
    assert "1 new" in pat_client.get(reverse("conversations:list")).content.decode()
    pat_client.get(page(conversation))
    assert Message.objects.get().read_at is not None
    assert "1 new" not in pat_client.get(reverse("conversations:list")).content.decode()
    assert ">Read<" in sam_client.get(page(conversation)).content.decode()
    receipts = reverse("conversations:receipts", kwargs={"conversation_id": conversation.public_id})
    assert sam_client.post(receipts, {"read_receipts": "off"}).status_code == 404
    pat_client.post(receipts, {"read_receipts": "off"})
    assert ">Read<" not in sam_client.get(page(conversation)).content.decode()


def test_the_poll_brings_new_messages_and_fresh_receipts(pat_client, sam_client, conversation, pat, sam):
    services.message_send(conversation=conversation, author=sam, text="first")
    since = Message.objects.get().sent_at.isoformat()
    services.message_send(conversation=conversation, author=pat, text="a reply from Pat")
    poll = reverse("conversations:new_messages", kwargs={"conversation_id": conversation.public_id})
    body = sam_client.get(poll, {"after": since}).content.decode()
    assert "a reply from Pat" in body and "first" not in body and 'hx-trigger="load delay:5s"' in body
    assert Message.objects.filter(author=pat, read_at__isnull=False).count() == 1  # Sam has seen it now
    pat_view = pat_client.get(poll, {"after": timezone.now().isoformat()}).content.decode()
    assert "hx-swap-oob" in pat_view and ">Read<" in pat_view


def test_a_message_needs_words_and_a_too_long_one_keeps_the_text(sam_client, conversation):
    empty = sam_client.post(page(conversation), {"text": "   "})
    assert empty.status_code == 400 and "a message needs some text" in empty.content.decode()
    long_text = "word " * (MESSAGE_LENGTH // 4)
    too_long = sam_client.post(page(conversation), {"text": long_text})
    assert too_long.status_code == 400 and "longer than" in too_long.content.decode()
    assert long_text.strip()[:200] in too_long.content.decode() and not Message.objects.exists()


def test_a_removed_message_says_so(pat_client, conversation, sam):
    services.message_send(conversation=conversation, author=sam, text="gone soon")
    Message.objects.update(body="", removed_at=timezone.now())
    body = pat_client.get(page(conversation)).content.decode()
    assert "message removed" in body and "gone soon" not in body


def test_the_list_shows_newest_activity_first(pat_client, pat, sam, conversation):
    other = circle.invitation_accept(token=circle.invitation_create(person=pat, role="ally", name="Jo")[1],
                                     supporter=type(sam).objects.create_user(email="jo@example.org",
                                                                             preferred_name="Jo"))
    older = services.conversation_for(other)
    Message.objects.create(conversation=older, author=pat, body="old", sent_at=timezone.now() - timedelta(days=3))
    services.message_send(conversation=conversation, author=sam, text="new")
    body = pat_client.get(reverse("conversations:list")).content.decode()
    assert body.index(">Sam<") < body.index(">Jo<")


def test_a_long_conversation_shows_fifty_in_bounded_queries(pat_client, conversation, pat, sam):
    start = timezone.now() - timedelta(days=30)
    Message.objects.bulk_create(Message(conversation=conversation, author=(pat, sam)[n % 2], body=f"message {n}",
                                        sent_at=start + timedelta(minutes=n)) for n in range(2000))
    pat_client.get(page(conversation))
    with CaptureQueriesContext(connection) as queries:
        response = pat_client.get(page(conversation))
    body = response.content.decode()
    assert body.count('class="chat-message') == selectors.SHOWN and "message 1999" in body
    assert "message 1949<" not in body and "Earlier messages" in body
    assert len(queries) < 30
    before = (start + timedelta(minutes=1950)).isoformat()
    earlier = pat_client.get(page(conversation), {"before": before}).content.decode()
    assert "message 1949<" in earlier and "message 1900<" in earlier and "message 1950<" not in earlier


def test_a_message_counts_as_contact_on_the_caseload(sam_client, conversation, pat):
    Message.objects.create(conversation=conversation, author=pat, body="hi",
                           sent_at=timezone.now() - timedelta(days=2))
    assert "You last reached out 2 days ago." in sam_client.get(reverse("reports:caseload")).content.decode()


def test_the_person_page_and_an_alert_offer_the_conversation(sam_client, sams_membership, grant, pat):
    from pathways.safety import services as safety

    link = reverse("conversations:with_person", kwargs={"person_id": pat.public_id})
    assert link in sam_client.get(reverse("reports:person", kwargs={"person_id": pat.public_id})).content.decode()
    circle.category_revoke(member=sams_membership, category=Category.MESSAGES)
    circle.grant_create(member=sams_membership, items={Category.CRISIS_ALERTS: Access.VIEW}, purpose="Alerts",
                        signature="Pat Example")
    alert = safety.crisis_alert_raise(person=pat)
    alert_page = reverse("safety:alert", kwargs={"alert_id": alert.public_id})
    assert "Send Pat a message" not in sam_client.get(alert_page).content.decode()
    circle.grant_create(member=sams_membership, items={Category.MESSAGES: Access.WRITE}, purpose="Talk",
                        signature="Pat Example")
    assert "Send Pat a message" in sam_client.get(alert_page).content.decode()


def test_deleting_an_account_takes_its_own_words_and_leaves_the_other_sides(pat_client, conversation, pat, sam):
    from pathways.records.deletion import account_delete

    services.message_send(conversation=conversation, author=sam, text="Sam's words, gone with Sam")
    services.message_send(conversation=conversation, author=pat, text="Pat's words, kept")
    account_delete(user=sam)
    body = pat_client.get(page(conversation)).content.decode()
    assert "message removed" in body and "gone with Sam" not in body and "Pat&#x27;s words, kept" in body
    assert [m.body for m in Message.objects.order_by("sent_at")] == ["", "Pat's words, kept"]
    account_delete(user=pat)  # the person's own conversations go with her, whole
    assert not Message.objects.exists()
