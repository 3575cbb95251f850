"""Write a consistent backup of the whole database while Pathways keeps serving."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pathways.web.backup import BackupError, backup, human_size


class Command(BaseCommand):
    help = ("Back up the whole database to PATH while Pathways is serving: SQLite's online backup API, or "
            "pg_dump --format=custom on PostgreSQL. The file holds all health data: keep it encrypted.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file to write")
        parser.add_argument("--force", action="store_true", help="replace PATH if it already exists")

    def handle(self, *args, path: Path, force: bool, **options):
        try:
            summary = backup(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the {summary.engine} database to {path}: {human_size(summary.size)}, "
                          f"{summary.tables} tables.")
