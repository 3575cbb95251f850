"""Session notes: written by a supporter with the grant, read by the person at once, never edited."""
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from pathways.circle import services as circle
from pathways.circle.models import Access, AccessLogEntry, Category
from pathways.conversations import note_selectors as selectors
from pathways.conversations import note_services as services
from pathways.conversations.models import NoteKind, SessionNote
from pathways.notifications.models import Kind, Notification
from pathways.outbox.models import OutgoingEmail
from pathways.plans import services as plans
from pathways.plans.models import Goal, Step, Suggestion, SuggestionStatus


def grant(member, **items):
    return circle.grant_create(member=member, items=items, purpose="To support me", signature="Pat",
                               expires_at=timezone.now() + timedelta(days=30))


@pytest.fixture
def sam_writes(sams_membership):
    return grant(sams_membership, **{Category.NOTES: Access.WRITE})


def write(pat, sam, **fields):
    fields = {"happened_on": timezone.localdate(), "kind": NoteKind.PEER, "talked_about": "Work, and sleep"} | fields
    return services.note_write(person=pat, author=sam, **fields)


def test_the_person_reads_a_note_at_once_and_is_told_without_its_words(pat, sam, sam_writes):
    note = write(pat, sam, talked_about="the sister's wedding", next_steps="Call the clinic\n\n Walk daily ")
    assert [n.public_id for n in selectors.notes_of(person=pat, viewer=pat)] == [note.public_id]
    assert note.next_steps == "Call the clinic\nWalk daily"
    told = Notification.objects.get(recipient=pat, kind=Kind.SESSION_NOTE)
    assert OutgoingEmail.objects.filter(person=pat, reference=told.pk).exists()
    assert told.title == "Sam wrote a note about your conversation"
    assert told.link == f"/notes/{note.public_id}/"
    for text in (told.title, told.body, *(f"{email.subject} {email.body}" for email in OutgoingEmail.objects.filter(person=pat)),
                 *(message.body for message in mail.outbox)):
        assert "wedding" not in text and "clinic" not in text


def test_a_note_must_say_something_and_not_be_dated_in_the_future(pat, sam, sam_writes):
    with pytest.raises(ValidationError, match="at least one"):
        write(pat, sam, talked_about="  ")
    with pytest.raises(ValidationError, match="cannot be in the future"):
        write(pat, sam, happened_on=timezone.localdate() + timedelta(days=1))
    assert not SessionNote.objects.exists()


def test_view_can_read_but_the_selector_for_writing_refuses(pat, sam, sams_membership):
    grant(sams_membership, **{Category.NOTES: Access.VIEW})
    note = write(pat, sam)  # the service trusts its caller; the pages ask the policy first
    assert selectors.note_get(note_id=note.public_id, viewer=sam) == note
    with pytest.raises(Http404):
        selectors.person_to_write_about(person=pat, viewer=sam)


def test_without_a_grant_a_note_is_404_and_the_refusal_logged(pat, sam, rue, sam_writes):
    note = write(pat, sam)
    with pytest.raises(Http404):
        selectors.note_get(note_id=note.public_id, viewer=rue)
    assert AccessLogEntry.objects.filter(viewer_ref=str(rue.public_id), category=Category.NOTES,
                                         allowed=False).exists()


def test_the_person_does_not_write_notes_about_themselves(pat):
    with pytest.raises(Http404):
        selectors.person_to_write_about(person=pat, viewer=pat)


def test_a_response_is_kept_beside_the_note_which_stays_as_written(pat, sam, sam_writes):
    note = write(pat, sam, talked_about="Sam's words")
    services.response_add(note=note, person=pat, text="I said it differently")
    note.refresh_from_db()
    assert note.talked_about == "Sam's words"
    assert [r.text for r in selectors.note_with_history(note_id=note.public_id, viewer=sam).latest.responses.all()] \
        == ["I said it differently"]
    with pytest.raises(ValidationError):
        services.response_add(note=note, person=sam, text="Not mine to add")


def test_a_correction_is_a_new_version_and_the_history_keeps_both(pat, sam, sam_writes):
    first = write(pat, sam, talked_about="Tuesday")
    second = write(pat, sam, talked_about="Wednesday", replaces=first)
    first.refresh_from_db()
    assert first.talked_about == "Tuesday" and second.replaces == first
    for any_version in (first, second):
        history = selectors.note_with_history(note_id=any_version.public_id, viewer=pat)
        assert history.latest == second and history.earlier == [first]
    assert [n.pk for n in selectors.notes_of(person=pat, viewer=pat)] == [second.pk]
    assert "Sam corrected a note about your conversation" in [n.title for n in Notification.objects.filter(recipient=pat)]
    with pytest.raises(ValidationError, match="corrected already"):
        write(pat, sam, replaces=first)


def test_only_the_author_corrects_and_only_while_still_granted(pat, sam, sam_writes, lee):
    note = write(pat, sam)
    _, token = circle.invitation_create(person=pat, role="professional", name="Lee")
    grant(circle.invitation_accept(token=token, supporter=lee), **{Category.NOTES: Access.WRITE})
    with pytest.raises(Http404):
        selectors.note_to_correct(note_id=note.public_id, viewer=lee)
    with pytest.raises(ValidationError):
        write(pat, lee, replaces=note)
    assert selectors.note_to_correct(note_id=note.public_id, viewer=sam) == note
    circle.grant_revoke(grant=sam_writes)
    with pytest.raises(Http404):
        selectors.note_to_correct(note_id=note.public_id, viewer=sam)


def test_next_steps_become_plan_steps_only_when_the_person_accepts(pat, sam, sams_membership):
    grant(sams_membership, **{Category.NOTES: Access.WRITE, Category.PLAN: Access.SUGGEST})
    goal = plans.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Sleep better")
    note = write(pat, sam, next_steps="Phone out of the bedroom\nBed by eleven")
    assert services.next_steps_offer(note=note, author=sam, goal=goal) == 2
    assert services.next_steps_offer(note=note, author=sam, goal=goal) == 2  # offered again: nothing new
    waiting = sorted(Suggestion.objects.filter(plan=pat.plan, status=SuggestionStatus.WAITING), key=lambda s: s.text)
    assert [(s.kind, s.text, s.goal) for s in waiting] == [("step", "Bed by eleven", goal),
                                                          ("step", "Phone out of the bedroom", goal)]
    assert not Step.objects.filter(goal=goal).exists()
    plans.suggestion_accept(suggestion=waiting[1], actor=pat, text="Phone in the kitchen")
    plans.suggestion_decline(suggestion=waiting[0], actor=pat)
    assert list(Step.objects.filter(goal=goal).values_list("text", flat=True)) == ["Phone in the kitchen"]


def test_next_steps_as_new_goals(pat, sam, sams_membership):
    grant(sams_membership, **{Category.NOTES: Access.WRITE, Category.PLAN: Access.SUGGEST})
    note = write(pat, sam, next_steps="Join the choir")
    services.next_steps_offer(note=note, author=sam, dimension="community")
    suggestion = Suggestion.objects.get(plan=pat.plan)
    assert (suggestion.kind, suggestion.dimension, suggestion.text) == ("goal", "community", "Join the choir")
    assert not Goal.objects.filter(plan=pat.plan).exists()


def test_without_a_plan_grant_next_steps_stay_in_the_note(pat, sam, sam_writes):
    note = write(pat, sam, next_steps="Join the choir")
    assert services.next_steps_offer(note=note, author=sam, dimension="community") == 0
    assert not Suggestion.objects.exists()
