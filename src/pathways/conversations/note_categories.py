"""Which consent category a session note falls under: the one rule every read and write of notes asks.

An organisation may keep counselling notes apart (`Organisation.counselling_notes_apart`): then a person's
notes of the kind "counselling" are shared only under "notes about counselling", so a person can let a
supporter read how their week went without also showing what they brought to counselling. Everywhere else,
and for every other kind, a note falls under "notes about our sessions", as it always has.
"""
from pathways.circle.policy import Access, Category, can
from pathways.people.selectors import keeps_counselling_notes_apart

from .models import NoteKind, SessionNote


def note_category(note_or_kind: SessionNote | str, person) -> Category:
    """The category of a note (or of a note of that kind) about `person`."""
    kind = note_or_kind.kind if isinstance(note_or_kind, SessionNote) else note_or_kind
    if kind == NoteKind.COUNSELLING and keeps_counselling_notes_apart(person):
        return Category.COUNSELLING_NOTES
    return Category.NOTES


def note_categories(person) -> list[Category]:
    """Every category the person's notes may fall under, in the order the sharing form lists them."""
    return [Category.NOTES, Category.COUNSELLING_NOTES] if keeps_counselling_notes_apart(person) else [Category.NOTES]


def writable_kinds(*, writer, person) -> list[NoteKind]:
    """The kinds of note the writer may write about the person (without logging: the caller logs its read)."""
    allowed = {category for category in note_categories(person) if can(writer, person, category, Access.WRITE)}
    return [kind for kind in NoteKind if note_category(kind, person) in allowed]
