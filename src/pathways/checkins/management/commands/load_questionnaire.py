"""Load a standard instrument from a FHIR R4 Questionnaire JSON file, with its scoring rules."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pathways.checkins import questionnaires, services
from pathways.people.models import Organisation


class Command(BaseCommand):
    help = ("Check a FHIR R4 Questionnaire file (with Pathways scoring rules) and load it, all or nothing. "
            "Without --organisation it is offered to everyone.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the Questionnaire JSON file")
        parser.add_argument("--organisation", type=int, metavar="ID",
                            help="offer it only to people of this organisation (its id)")

    def handle(self, *args, file: str, organisation: int | None = None, **options):
        organisation_obj = None
        if organisation is not None:
            organisation_obj = Organisation.objects.filter(pk=organisation).first()
            if organisation_obj is None:
                raise CommandError(f"There is no organisation with id {organisation}. Nothing was loaded.")
        try:
            text = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror}). Nothing was loaded.") from None
        try:
            resource = questionnaires.load_json(text)
            questionnaire = services.questionnaire_load(resource=resource, organisation=organisation_obj)
        except questionnaires.QuestionnaireError as error:
            raise CommandError(self.report(file, [str(problem) for problem in error.problems])) from None
        except ValidationError as error:
            raise CommandError(self.report(file, error.messages)) from None
        where = f"people of {organisation_obj.name}" if organisation_obj else "everyone"
        version = f" version {questionnaire.version}" if questionnaire.version else ""
        self.stdout.write(f"Loaded “{questionnaire.title}”{version} ({questionnaire.url}), offered to {where}.")

    @staticmethod
    def report(file: str, messages: list[str]) -> str:
        lines = [f"{file}: {message}" for message in messages]
        return "\n".join(lines + ["Nothing was loaded."])
