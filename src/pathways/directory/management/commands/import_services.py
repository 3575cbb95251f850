"""Load an organisation's services from a CSV file, all or nothing: the same import as the admin's page."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pathways.directory import services
from pathways.directory.csv_files import COLUMNS
from pathways.people.models import Organisation


class Command(BaseCommand):
    help = (f"Add the services in a CSV file to an organisation's directory, updating those of the same name. "
            f"Columns: {', '.join(COLUMNS)}. Any problem loads nothing.")

    def add_arguments(self, parser):
        parser.add_argument("organisation", type=int, metavar="ORG_ID", help="the organisation's id")
        parser.add_argument("file", help="path to the CSV file")

    def handle(self, *args, organisation: int, file: str, **options):
        found = Organisation.objects.filter(pk=organisation).first()
        if found is None:
            raise CommandError(f"There is no organisation with id {organisation}. Nothing was loaded.")
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror}). Nothing was loaded.") from None
        try:
            result = services.services_import(organisation=found, data=data)
        except services.ImportRefused as refused:
            lines = [f"{file}: {problem}" for problem in refused.problems]
            raise CommandError("\n".join([*lines, "Nothing was loaded."])) from None
        self.stdout.write(f"Loaded {file} into {found.name}: {result.added} added, {result.updated} updated.")
