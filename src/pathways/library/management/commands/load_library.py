"""Load library pieces from Markdown files, all or nothing: the shipped ones, or an organisation's own."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pathways.library import services
from pathways.library.loader import SHIPPED_FOLDER, LibraryError
from pathways.people.models import Organisation


class Command(BaseCommand):
    help = ("Check every Markdown piece in the folders (or files) named, and load them all in one go, or none. "
            "Without a folder, the pieces shipped with Pathways. With --organisation, the pieces are that "
            "organisation's own: one with the slug of a shipped piece replaces it for its people. --hide SLUG "
            "hides a shipped piece from the organisation's people. Loading again updates pieces in place.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="DIR", help=f"folders of .md files (default {SHIPPED_FOLDER})")
        parser.add_argument("--organisation", type=int, metavar="ID", help="load for this organisation only (its id)")
        parser.add_argument("--hide", nargs="+", default=[], metavar="SLUG",
                            help="hide these shipped pieces from the organisation's people")

    def handle(self, *args, paths: list[str], organisation: int | None = None, hide: list[str], **options):
        organisation_obj = None
        if organisation is not None:
            organisation_obj = Organisation.objects.filter(pk=organisation).first()
            if organisation_obj is None:
                raise CommandError(f"There is no organisation with id {organisation}. Nothing was loaded.")
        folders = self.folders(paths, organisation_obj, hide)
        try:
            result = services.library_load(paths=folders, organisation=organisation_obj, hide=hide)
        except LibraryError as error:
            raise CommandError("\n".join(error.problems + ["Nothing was loaded."])) from None
        where = f"for {organisation_obj.name}" if organisation_obj else "for everyone"
        self.stdout.write(f"Loaded {len(result.created)} new and updated {len(result.updated)} pieces {where}."
                          + (f" Hidden: {', '.join(result.hidden)}." if result.hidden else ""))

    @staticmethod
    def folders(paths: list[str], organisation: Organisation | None, hide: list[str]) -> list[Path]:
        """The folders to read. None named: the shipped pieces, or for an organisation nothing but the hiding
        (the shipped pieces are not its own to load)."""
        if not paths:
            if organisation is None:
                return [SHIPPED_FOLDER]
            if hide:
                return []
            raise CommandError("Name the folder of the organisation's own pieces, or --hide SLUG. Nothing was loaded.")
        folders = [Path(path) for path in paths]
        missing = [str(folder) for folder in folders if not folder.exists()]
        if missing:
            raise CommandError(f"Not found: {', '.join(missing)}. Nothing was loaded.")
        return folders
