"""Reads of the library: the pieces an organisation's people see, shipped pieces overridden by its own.

A person sees their home organisation's view (the same organisation every other app uses for them); an
account with none sees the pieces shipped with Pathways.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from pathways.people.models import Organisation

from .models import Piece


def organisation_of(viewer) -> int | None:
    """Whose view of the library the viewer sees: their home organisation's id, or None for the shipped view."""
    return getattr(viewer, "home_organisation_id", None)


def _organisation_id(organisation: Organisation | int | None) -> int | None:
    return organisation.pk if isinstance(organisation, Organisation) else organisation


def pieces_for(*, organisation: Organisation | int | None) -> list[Piece]:
    """Every piece the organisation's people may read, by title: shipped pieces, each replaced by the
    organisation's own piece of the same slug, less those it hid, plus its own new pieces."""
    visible = {piece.slug: piece for piece in Piece.objects.filter(organisation__isnull=True, hidden=False)}
    organisation_id = _organisation_id(organisation)
    if organisation_id is not None:
        for own in Piece.objects.filter(organisation_id=organisation_id):
            if own.hidden:
                visible.pop(own.slug, None)
            else:
                visible[own.slug] = own
    return sorted(visible.values(), key=lambda piece: piece.title.casefold())


def piece_get(*, slug: str, organisation: Organisation | int | None) -> Piece:
    """The piece with this slug as the organisation's people see it, or 404 (also when it hid it)."""
    piece = piece_find(slug=slug, organisation=organisation)
    if piece is None:
        raise Http404
    return piece


def piece_find(*, slug: str, organisation: Organisation | int | None) -> Piece | None:
    """As piece_get, with None for a piece that is not there for them: for links that show only if it is."""
    organisation_id = _organisation_id(organisation)
    if organisation_id is not None:
        own = Piece.objects.filter(organisation_id=organisation_id, slug=slug).first()
        if own is not None:
            return None if own.hidden else own
    return Piece.objects.filter(organisation__isnull=True, slug=slug, hidden=False).first()


@dataclass(frozen=True)
class ManagedPiece:
    """One line of an organisation admin's library page."""

    slug: str
    title: str
    origin: str  # "Shipped with Pathways", "Your own", "Your own, in place of the shipped piece"
    hidden: bool


def pieces_to_manage(*, organisation: Organisation) -> list[ManagedPiece]:
    """Every shipped piece and every piece of the organisation's own, with whether its people see it.
    The caller has checked that the viewer administers the organisation."""
    shipped = {piece.slug: piece for piece in Piece.objects.filter(organisation__isnull=True)}
    own = {piece.slug: piece for piece in Piece.objects.filter(organisation=organisation)}
    rows = []
    for slug in shipped.keys() | own.keys():
        mine, theirs = own.get(slug), shipped.get(slug)
        shown = mine if mine is not None and mine.body_html else (theirs or mine)
        rows.append(ManagedPiece(slug=slug, title=shown.title or slug, origin=_origin(mine, theirs),
                                 hidden=bool(mine and mine.hidden)))
    return sorted(rows, key=lambda row: row.title.casefold())


def _origin(mine: Piece | None, theirs: Piece | None) -> str:
    if mine is None or not mine.body_html:
        return "Shipped with Pathways"
    return "Your own, in place of the shipped piece" if theirs is not None else "Your own"
