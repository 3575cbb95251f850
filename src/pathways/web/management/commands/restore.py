"""Replace the whole database with a backup written by `manage.py backup`."""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pathways.web.backup import BackupError, check_restorable, migration_state, restore


class Command(BaseCommand):
    help = ("Replace ALL data in the configured database with the backup at PATH (made by `manage.py backup`). "
            "Asks first unless --yes is given.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file to restore")
        parser.add_argument("--yes", action="store_true",
                            help="do not ask: replace every row of the database with the backup's")

    def handle(self, *args, path: Path, yes: bool, **options):
        try:
            engine = check_restorable(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not yes:
            self._confirm(path)
        try:
            restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the {engine} database from {path}.")
        state = migration_state()
        if state.missing:
            self.stderr.write(self.style.WARNING(
                f"The backup is from an older version of Pathways: {len(state.missing)} migration(s) not applied "
                f"(first: {state.missing[0]}). Run `python manage.py migrate` before serving."))
        if state.unknown:
            self.stderr.write(self.style.WARNING(
                f"The backup is from a newer version of Pathways than this code: it has {len(state.unknown)} "
                f"migration(s) this code does not know (first: {state.unknown[0]}). Run the matching version."))
        if state.matches:
            self.stdout.write("The database's migrations match the code.")

    def _confirm(self, path: Path) -> None:
        if not sys.stdin.isatty():
            raise CommandError("Restoring replaces ALL data in the database. Pass --yes to confirm.")
        answer = input(f"This replaces ALL data in the database with the backup {path}. Type 'yes' to go on: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Nothing was restored.")
