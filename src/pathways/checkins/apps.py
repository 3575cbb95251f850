from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    """Daily and recovery check-ins, the use log, and standard questionnaires loaded as FHIR data."""

    name = "pathways.checkins"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person)
