from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """The person's safety plan, crisis lines by country, and what happens when a check-in shows risk."""

    name = "pathways.safety"
