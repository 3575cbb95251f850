"""Counselling notes kept apart: where the person's organisation turns it on, a note of the kind "counselling"
is shared only under its own consent ("notes about counselling"); everywhere else nothing changes."""
from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pathways.circle import services as circle
from pathways.circle.models import Access, AccessLogEntry, Category, SupporterRole
from pathways.circle.policy import OPENED_PAGE
from pathways.conversations import note_selectors as selectors
from pathways.conversations import note_services as services
from pathways.conversations.models import NoteKind, SessionNote
from pathways.conversations.note_categories import note_category, writable_kinds
from pathways.reports.person import person_page


def grant(member, **items):
    return circle.grant_create(member=member, items=items, purpose="To support me", signature="Pat",
                               expires_at=timezone.now() + timedelta(days=30))


@pytest.fixture
def apart(pat, organisation):
    """Pat's home organisation keeps counselling notes apart."""
    organisation.counselling_notes_apart = True
    organisation.save(update_fields=["counselling_notes_apart"])
    pat.home_organisation = organisation
    pat.save(update_fields=["home_organisation"])
    return organisation


@pytest.fixture
def sam_client(sam):
    client = Client()
    client.force_login(sam)
    return client


def write(pat, author, kind, **fields):
    return services.note_write(person=pat, author=author, happened_on=timezone.localdate(), kind=kind,
                               talked_about=f"About {kind}", **fields)


def both_notes(pat, lee):
    """A peer note and a counselling note about Pat, by Lee (who writes both kinds)."""
    return write(pat, lee, NoteKind.PEER), write(pat, lee, NoteKind.COUNSELLING)


@pytest.fixture
def lee_writes_both(pat, lee):
    _, token = circle.invitation_create(person=pat, role=SupporterRole.PROFESSIONAL, name="Lee")
    member = circle.invitation_accept(token=token, supporter=lee)
    grant(member, **{Category.NOTES: Access.WRITE, Category.COUNSELLING_NOTES: Access.WRITE})
    return member


def refusals(viewer, category):
    return AccessLogEntry.objects.filter(viewer_ref=str(viewer.public_id), category=category, allowed=False)


# --- The rule -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kept_apart", [True, False])
@pytest.mark.parametrize("kind", list(NoteKind))
def test_only_counselling_kept_apart_falls_under_its_own_category(pat, organisation, kept_apart, kind):
    organisation.counselling_notes_apart = kept_apart
    organisation.save()
    pat.home_organisation = organisation
    expected = Category.COUNSELLING_NOTES if kept_apart and kind == NoteKind.COUNSELLING else Category.NOTES
    assert note_category(kind, pat) == expected
    assert note_category(SessionNote(person=pat, kind=kind), pat) == expected


def test_without_an_organisation_every_note_is_a_session_note(pat):
    pat.home_organisation = None
    assert note_category(NoteKind.COUNSELLING, pat) == Category.NOTES


# --- Reading ------------------------------------------------------------------------------------------------

def test_a_supporter_with_session_notes_only_does_not_see_counselling_notes(pat, sam, lee, sams_membership, apart,
                                                                             lee_writes_both, sam_client, client):
    grant(sams_membership, **{Category.NOTES: Access.VIEW})
    peer, counselling = both_notes(pat, lee)
    assert selectors.notes_of(person=pat, viewer=sam) == [peer]
    assert refusals(sam, Category.COUNSELLING_NOTES).get().purpose == OPENED_PAGE + selectors.LIST_PAGE
    listing = sam_client.get(reverse("notes:of_person", kwargs={"person_id": pat.public_id})).content.decode()
    assert str(peer.public_id) in listing and str(counselling.public_id) not in listing
    with pytest.raises(Http404):
        selectors.note_get(note_id=counselling.public_id, viewer=sam)
    assert sam_client.get(reverse("notes:note", kwargs={"note_id": counselling.public_id})).status_code == 404
    assert refusals(sam, Category.COUNSELLING_NOTES).filter(purpose="").count() == 2
    client.force_login(pat)  # the person always sees all her notes
    mine = client.get(reverse("notes:list")).content.decode()
    assert str(peer.public_id) in mine and str(counselling.public_id) in mine
    assert client.get(reverse("notes:note", kwargs={"note_id": counselling.public_id})).status_code == 200


def test_counselling_notes_alone_show_only_counselling_notes(pat, sam, lee, sams_membership, apart, lee_writes_both,
                                                             sam_client):
    grant(sams_membership, **{Category.COUNSELLING_NOTES: Access.VIEW})
    peer, counselling = both_notes(pat, lee)
    assert selectors.notes_of(person=pat, viewer=sam) == [counselling]
    assert sam_client.get(reverse("notes:note", kwargs={"note_id": peer.public_id})).status_code == 404
    assert refusals(sam, Category.NOTES).exists()


def test_a_note_corrected_into_counselling_is_hidden_by_every_version(pat, sam, lee, sams_membership, apart,
                                                                      lee_writes_both, sam_client):
    grant(sams_membership, **{Category.NOTES: Access.VIEW})
    peer = write(pat, lee, NoteKind.PEER)
    services.note_write(person=pat, author=lee, happened_on=peer.happened_on, kind=NoteKind.COUNSELLING,
                        talked_about="Corrected", replaces=peer)
    assert sam_client.get(reverse("notes:note", kwargs={"note_id": peer.public_id})).status_code == 404
    assert selectors.notes_of(person=pat, viewer=sam) == []


def test_where_the_setting_is_off_nothing_changes(pat, sam, lee, organisation, sams_membership, lee_writes_both,
                                                  sam_client):
    pat.home_organisation = organisation
    pat.save(update_fields=["home_organisation"])
    grant(sams_membership, **{Category.NOTES: Access.VIEW})
    peer, counselling = both_notes(pat, lee)
    assert set(selectors.notes_of(person=pat, viewer=sam)) == {peer, counselling}
    assert sam_client.get(reverse("notes:note", kwargs={"note_id": counselling.public_id})).status_code == 200
    assert not refusals(sam, Category.COUNSELLING_NOTES).exists()


def test_a_counselling_grant_opens_nothing_where_the_setting_is_off(pat, sam, lee, organisation, sams_membership,
                                                                    lee_writes_both, sam_client):
    pat.home_organisation = organisation
    pat.save(update_fields=["home_organisation"])
    grant(sams_membership, **{Category.COUNSELLING_NOTES: Access.WRITE})
    _, counselling = both_notes(pat, lee)
    assert sam_client.get(reverse("notes:note", kwargs={"note_id": counselling.public_id})).status_code == 404
    assert sam_client.get(reverse("notes:write", kwargs={"person_id": pat.public_id})).status_code == 404


# --- Writing ------------------------------------------------------------------------------------------------

def write_url(pat):
    return reverse("notes:write", kwargs={"person_id": pat.public_id})


def note_data(kind):
    return {"happened_on": timezone.localdate().isoformat(), "kind": kind, "talked_about": "Sleep"}


def test_session_notes_writers_are_not_offered_counselling_and_a_forged_one_is_refused(pat, sam, sams_membership,
                                                                                        apart, sam_client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE, Category.COUNSELLING_NOTES: Access.VIEW})
    assert NoteKind.COUNSELLING not in writable_kinds(writer=sam, person=pat)
    page = sam_client.get(write_url(pat)).content.decode()
    assert 'value="peer"' in page and 'value="counselling"' not in page
    response = sam_client.post(write_url(pat), note_data(NoteKind.COUNSELLING))
    assert response.status_code == 200 and "Choose one of the kinds of contact listed." in response.content.decode()
    assert not SessionNote.objects.exists()
    assert sam_client.post(write_url(pat), note_data(NoteKind.PEER)).status_code == 302


def test_a_counselling_writer_writes_counselling_notes_only(pat, sam, sams_membership, apart, sam_client):
    grant(sams_membership, **{Category.COUNSELLING_NOTES: Access.WRITE})
    page = sam_client.get(write_url(pat)).content.decode()
    assert 'value="counselling"' in page and 'value="peer"' not in page
    assert sam_client.post(write_url(pat), note_data(NoteKind.PEER)).status_code == 200
    assert sam_client.post(write_url(pat), note_data(NoteKind.COUNSELLING)).status_code == 302
    assert list(SessionNote.objects.values_list("kind", flat=True)) == [NoteKind.COUNSELLING]
    assert AccessLogEntry.objects.filter(viewer_ref=str(sam.public_id), category=Category.COUNSELLING_NOTES,
                                         action=Access.WRITE, allowed=True).exists()


def test_where_the_setting_is_off_a_session_notes_writer_writes_every_kind(pat, sam, sams_membership, sam_client):
    grant(sams_membership, **{Category.NOTES: Access.WRITE})
    assert 'value="counselling"' in sam_client.get(write_url(pat)).content.decode()
    assert sam_client.post(write_url(pat), note_data(NoteKind.COUNSELLING)).status_code == 302


def test_only_a_counselling_writer_corrects_a_counselling_note(pat, sam, sams_membership, apart, sam_client):
    member_grant = grant(sams_membership, **{Category.NOTES: Access.WRITE, Category.COUNSELLING_NOTES: Access.WRITE})
    note = write(pat, sam, NoteKind.COUNSELLING)
    correct_url = reverse("notes:correct", kwargs={"note_id": note.public_id})
    assert sam_client.get(correct_url).status_code == 200
    circle.grant_revoke(grant=member_grant)
    grant(sams_membership, **{Category.NOTES: Access.WRITE})
    assert sam_client.get(correct_url).status_code == 404
    assert refusals(sam, Category.COUNSELLING_NOTES).exists()


# --- The person's page for supporters -----------------------------------------------------------------------

def test_the_person_page_has_a_counselling_part_where_they_are_kept_apart(pat, sam, sams_membership, apart):
    grant(sams_membership, **{Category.COUNSELLING_NOTES: Access.WRITE})
    parts = {part.label: [link for _, link in part.links] for part in person_page(person=pat, viewer=sam).parts}
    assert parts == {"Notes about counselling": [reverse("notes:of_person", kwargs={"person_id": pat.public_id}),
                                                 write_url(pat)]}
