"""The session-note pages: who may open them, what a refused or mistaken form keeps, what the person sees."""
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pathways.circle import services as circle
from pathways.circle.models import Access, AccessLogEntry, Category
from pathways.conversations.models import NoteResponse, SessionNote
from pathways.plans import services as plans
from pathways.plans.models import Suggestion
from pathways.reports.selectors import caseload


def grant(member, **items):
    return circle.grant_create(member=member, items=items, purpose="To support me", signature="Pat",
                               expires_at=timezone.now() + timedelta(days=30))


@pytest.fixture
def sam_client(sam):
    """Sam's own client, apart from the test's `client` (which a test signs in as Pat)."""
    client = Client()
    client.force_login(sam)
    return client


def write_url(pat):
    return reverse("notes:write", kwargs={"person_id": pat.public_id})


def note_data(**fields):
    return {"happened_on": timezone.localdate().isoformat(), "kind": "peer", "talked_about": "Sleep"} | fields


def test_a_supporter_with_write_writes_and_the_person_reads_it_at_once(pat, sam, sams_membership, sam_client,
                                                                       client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE})
    response = sam_client.post(write_url(pat), note_data(talked_about="The new job"))
    note = SessionNote.objects.get(person=pat)
    assert response["Location"] == reverse("notes:note", kwargs={"note_id": note.public_id})
    client.force_login(pat)
    assert "The new job" in client.get(response["Location"]).content.decode()
    assert str(note.public_id) in client.get(reverse("notes:list")).content.decode()


def test_view_reads_but_cannot_write(pat, sam, sams_membership, sam_client):
    grant(sams_membership, **{Category.NOTES: Access.VIEW})
    assert sam_client.get(write_url(pat)).status_code == 404
    assert sam_client.post(write_url(pat), note_data()).status_code == 404
    assert not SessionNote.objects.exists()
    assert sam_client.get(reverse("notes:of_person", kwargs={"person_id": pat.public_id})).status_code == 200


def test_no_grant_is_404_and_logged(pat, sam, sams_membership, sam_client):
    assert sam_client.get(reverse("notes:of_person", kwargs={"person_id": pat.public_id})).status_code == 404
    assert AccessLogEntry.objects.filter(viewer_ref=str(sam.public_id), category=Category.NOTES,
                                         allowed=False).exists()


def test_a_future_date_is_refused_clearly_and_the_words_are_kept(pat, sam, sams_membership, sam_client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE})
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = sam_client.post(write_url(pat), note_data(happened_on=tomorrow, talked_about="Kept words")).content.decode()
    assert "cannot be in the future" in page and "Kept words" in page
    assert not SessionNote.objects.exists()


def test_the_response_is_kept_beside_the_note_and_supporters_see_it(pat, sam, sams_membership, sam_client, client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE})
    sam_client.post(write_url(pat), note_data(talked_about="Sam's words"))
    note = SessionNote.objects.get()
    client.force_login(pat)
    respond = reverse("notes:respond", kwargs={"note_id": note.public_id})
    assert client.post(respond, {"text": "It was Thursday"}).status_code == 302
    assert sam_client.post(respond, {"text": "Mine"}).status_code == 404
    assert [r.text for r in NoteResponse.objects.all()] == ["It was Thursday"]
    note.refresh_from_db()
    assert note.talked_about == "Sam's words"
    assert "It was Thursday" in sam_client.get(reverse("notes:note", kwargs={"note_id": note.public_id})).content.decode()


def test_a_correction_shows_with_its_history_and_only_the_author_corrects(pat, sam, sams_membership, sam_client,
                                                                         client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE})
    sam_client.post(write_url(pat), note_data(talked_about="First words"))
    first = SessionNote.objects.get()
    correct = reverse("notes:correct", kwargs={"note_id": first.public_id})
    client.force_login(pat)
    assert client.get(correct).status_code == 404
    response = sam_client.post(correct, note_data(talked_about="Second words"))
    page = client.get(response["Location"]).content.decode()
    assert "Second words" in page and "First words" in page and "Earlier versions" in page
    assert sam_client.get(correct).status_code == 404  # the earlier version is not corrected twice


def test_next_steps_offered_to_the_plan_wait_for_the_person(pat, sam, sams_membership, sam_client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE, Category.PLAN: Access.SUGGEST})
    goal = plans.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Sleep better")
    assert "Offer the next steps" in sam_client.get(write_url(pat)).content.decode()
    sam_client.post(write_url(pat), note_data(next_steps="Bed by eleven\nNo screens", offer_as=f"goal-{goal.pk}"))
    assert sorted(s.text for s in Suggestion.objects.filter(goal=goal, status="waiting")) == ["Bed by eleven",
                                                                                            "No screens"]
    assert not goal.steps.exists()


def test_without_plan_suggest_there_is_no_offer(pat, sam, sams_membership, sam_client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE})
    assert "Offer the next steps" not in sam_client.get(write_url(pat)).content.decode()


def test_the_person_page_links_to_the_notes_and_the_caseload_counts_the_note(pat, sam, sams_membership, sam_client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE})
    page = sam_client.get(reverse("reports:person", kwargs={"person_id": pat.public_id})).content.decode()
    assert write_url(pat) in page and reverse("notes:of_person", kwargs={"person_id": pat.public_id}) in page
    sam_client.post(write_url(pat), note_data(happened_on=(timezone.localdate() - timedelta(days=3)).isoformat()))
    assert [entry.days_since_contact for entry in caseload(viewer=sam)] == [3]
