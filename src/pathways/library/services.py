"""Writes to the library: loading pieces from files (all or nothing), and an organisation hiding or showing one."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from pathways.people.models import Organisation

from .loader import SHIPPED_FOLDER, LibraryError, PieceSource, read_pieces
from .models import Piece


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)


def shipped_pieces_load() -> LoadResult:
    """Load (or refresh) the pieces shipped with Pathways, from the library's content folder."""
    return library_load(paths=[SHIPPED_FOLDER])


def library_load(*, paths: list[Path], organisation: Organisation | None = None,
                 hide: tuple[str, ...] | list[str] = ()) -> LoadResult:
    """Load the pieces in these files and folders for everyone, or for one organisation, and hide the pieces
    named in `hide` from that organisation (no paths: only hide). Every file is checked first; any problem
    raises LibraryError and nothing changes. Loading again updates pieces in place."""
    if hide and organisation is None:
        raise LibraryError(["--hide needs --organisation: a shipped piece is hidden from one organisation."])
    pieces = read_pieces(paths) if paths else []
    return _write(pieces=pieces, organisation=organisation, hide=list(hide))


@transaction.atomic
def _write(*, pieces: list[PieceSource], organisation: Organisation | None, hide: list[str]) -> LoadResult:
    result = LoadResult()
    for piece in pieces:
        _, created = Piece.objects.update_or_create(
            organisation=organisation, slug=piece.slug,
            defaults={"title": piece.title, "summary": piece.summary, "audience": piece.audience,
                      "dimensions": piece.dimensions, "content_note": piece.content_note, "sources": piece.sources,
                      "last_reviewed": piece.last_reviewed, "body_markdown": piece.body_markdown,
                      "body_html": piece.body_html, "hidden": piece.slug in hide, "loaded_at": timezone.now()})
        (result.created if created else result.updated).append(piece.slug)
    unknown = [slug for slug in hide if not _known(slug, organisation)]
    if unknown:
        # Raised inside the transaction, so the pieces written above are undone too.
        raise LibraryError([f"--hide {slug}: there is no piece with this slug to hide." for slug in unknown])
    for slug in hide:
        piece_visibility_set(organisation=organisation, slug=slug, hidden=True)
        result.hidden.append(slug)
    return result


def _known(slug: str, organisation: Organisation) -> bool:
    return Piece.objects.filter(slug=slug, organisation__isnull=True).exists() or \
        Piece.objects.filter(slug=slug, organisation=organisation).exists()


@transaction.atomic
def piece_visibility_set(*, organisation: Organisation, slug: str, hidden: bool) -> None:
    """Hide a piece from the organisation's people, or show it again. A shipped piece is hidden by a row of
    the organisation's own that holds nothing but the slug; showing it again removes that row. The
    organisation's own piece is hidden and shown in place. A slug nobody loaded is 404."""
    if not _known(slug, organisation):
        raise Http404
    own = Piece.objects.select_for_update().filter(organisation=organisation, slug=slug).first()
    if own is None:
        if hidden:
            Piece.objects.create(organisation=organisation, slug=slug, hidden=True)
    elif not hidden and not own.body_html:
        own.delete()
    else:
        own.hidden = hidden
        own.save(update_fields=["hidden"])
