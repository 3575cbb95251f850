from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """The person's safety plan, crisis lines by country, and what happens when a check-in shows risk."""

    name = "pathways.safety"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person)
