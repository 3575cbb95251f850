"""Every read of session notes, on behalf of a viewer and through the access policy: the person reads all of
their own; a supporter reads them while `notes` is granted (to see or to write); anyone else gets 404."""
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from pathways.circle.policy import Access, Category, require_and_log

from .models import NoteResponse, SessionNote


@dataclass
class NoteWithHistory:
    latest: SessionNote
    earlier: list[SessionNote]  # the versions it replaced, newest first

    @property
    def versions(self) -> list[SessionNote]:
        return [self.latest, *self.earlier]


def _current(queryset):
    """Only the latest version of each note: an earlier version shows in its note's history."""
    return (queryset.filter(replaced_by__isnull=True).select_related("author")
            .prefetch_related(Prefetch("responses", queryset=NoteResponse.objects.order_by("written_at", "pk"))))


def notes_of(*, person, viewer) -> list[SessionNote]:
    """The notes about `person`, newest conversation first: for the person, or a supporter with the grant."""
    require_and_log(viewer, person, Category.NOTES, Access.VIEW)
    return list(_current(SessionNote.objects.filter(person=person)))


def note_get(*, note_id, viewer, action: Access = Access.VIEW) -> SessionNote:
    """One version of a note, if the viewer may see (or write) the person's notes; otherwise 404, whether or
    not it exists."""
    note = SessionNote.objects.select_related("person", "author").filter(public_id=note_id).first()
    if note is None:
        raise Http404
    require_and_log(viewer, note.person, Category.NOTES, action)
    return note


def note_with_history(*, note_id, viewer) -> NoteWithHistory:
    """The latest version of the note that `note_id` names (any version leads there), with the earlier ones."""
    note = note_get(note_id=note_id, viewer=viewer)
    while (newer := SessionNote.objects.filter(replaces=note).select_related("person", "author").first()) is not None:
        note = newer
    versions = [note]
    while versions[-1].replaces_id is not None:
        versions.append(SessionNote.objects.select_related("author").get(pk=versions[-1].replaces_id))
    return NoteWithHistory(latest=versions[0], earlier=versions[1:])


def note_to_correct(*, note_id, viewer) -> SessionNote:
    """The note its author may correct: the latest version, theirs, while they may still write notes."""
    note = note_get(note_id=note_id, viewer=viewer, action=Access.WRITE)
    if note.author_id != viewer.pk or SessionNote.objects.filter(replaces=note).exists():
        raise Http404
    return note


def person_to_write_about(*, person, viewer):
    """The person, when the viewer may write notes about them. A note is a supporter's record of a contact,
    so the person does not write one about themselves (their own words go beside a note, as a response)."""
    if viewer.pk == person.pk:
        raise Http404
    require_and_log(viewer, person, Category.NOTES, Access.WRITE)
    return person
