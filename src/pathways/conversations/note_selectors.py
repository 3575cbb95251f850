"""Every read of session notes, on behalf of a viewer and through the access policy: the person reads all of
their own; a supporter reads those whose category (`note_categories.note_category`: "notes about our sessions",
or "notes about counselling" where the person's organisation keeps them apart) is granted to them, to see or to
write; anyone else gets 404."""
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from pathways.circle.policy import Access, Category, decide, log_read, require_and_log

from .models import NoteResponse, SessionNote
from .note_categories import note_categories, note_category, writable_kinds

# How a category left out of the list reads in the person's access log: "Sam opened the notes about your
# conversations; your notes about counselling are not shared with Sam, so they were not shown."
LIST_PAGE = "the notes about your conversations"


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
    """The notes about `person`, newest conversation first: all of them for the person; for a supporter, those
    of the categories granted to them. 404 when none is; a category left out is logged as left out."""
    decisions = {category: decide(viewer, person, category, Access.VIEW) for category in note_categories(person)}
    if not any(decision.allowed for decision in decisions.values()):
        require_and_log(viewer, person, Category.NOTES, Access.VIEW)  # logs the refusal, and answers 404
    for category, decision in decisions.items():
        log_read(viewer, person, category, Access.VIEW, decision, page=LIST_PAGE)
    return [note for note in _current(SessionNote.objects.filter(person=person))
            if decisions[note_category(note, person)].allowed]


def note_get(*, note_id, viewer, action: Access = Access.VIEW) -> SessionNote:
    """One version of a note, if the viewer may see (or write) the person's notes; otherwise 404, whether or
    not it exists."""
    note = SessionNote.objects.select_related("person__home_organisation", "author").filter(public_id=note_id).first()
    if note is None:
        raise Http404
    require_and_log(viewer, note.person, note_category(note, note.person), action)
    return note


def note_with_history(*, note_id, viewer) -> NoteWithHistory:
    """The latest version of the note that `note_id` names (any version leads there), with the earlier ones.
    A correction may have changed the kind, so the viewer must be allowed every version's category."""
    note = note_get(note_id=note_id, viewer=viewer)
    person, asked = note.person, note_category(note, note.person)
    while (newer := SessionNote.objects.filter(replaces=note).select_related("author").first()) is not None:
        note = newer
    versions = [note]
    while versions[-1].replaces_id is not None:
        versions.append(SessionNote.objects.select_related("author").get(pk=versions[-1].replaces_id))
    for category in {note_category(version, person) for version in versions} - {asked}:
        require_and_log(viewer, person, category, Access.VIEW)
    for version in versions:
        version.person = person  # one person for every version, already loaded
    return NoteWithHistory(latest=versions[0], earlier=versions[1:])


def note_to_correct(*, note_id, viewer) -> SessionNote:
    """The note its author may correct: the latest version, theirs, while they may still write notes."""
    note = note_get(note_id=note_id, viewer=viewer, action=Access.WRITE)
    if note.author_id != viewer.pk or SessionNote.objects.filter(replaces=note).exists():
        raise Http404
    return note


def person_to_write_about(*, person, viewer):
    """The person, when the viewer may write notes about them. A note is a supporter's record of a contact,
    so the person does not write one about themselves (their own words go beside a note, as a response).
    Writing any kind of note is enough; the form then offers only the kinds the viewer may write."""
    if viewer.pk == person.pk:
        raise Http404
    kinds = writable_kinds(writer=viewer, person=person)
    if not kinds:
        require_and_log(viewer, person, Category.NOTES, Access.WRITE)  # logs the refusal, and answers 404
    for category in {note_category(kind, person) for kind in kinds}:
        require_and_log(viewer, person, category, Access.WRITE)
    return person
