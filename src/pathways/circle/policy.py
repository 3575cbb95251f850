"""The one access policy: who may read or change which part of a person's record.

Every selector that returns a person's data asks `can()` first. Until the support circle exists,
only the person themselves has access; grants (issue 3) extend this in this one place.
"""
from enum import StrEnum

from django.http import Http404


class Category(StrEnum):
    PLAN = "plan"


class Action(StrEnum):
    VIEW = "view"
    SUGGEST = "suggest"
    WRITE = "write"


def can(viewer, person, category: Category, action: Action) -> bool:
    """True when `viewer` may take `action` on `person`'s data in `category`."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if not viewer.is_active:
        return False
    return viewer.pk == person.pk


def require(viewer, person, category: Category, action: Action) -> None:
    """Raise 404 rather than 403, so a refusal does not reveal that the record exists."""
    if not can(viewer, person, category, action):
        raise Http404
