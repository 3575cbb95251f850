from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Tools for the hard hour, each the person's own: a cost-benefit worksheet, a wellness toolbox and daily
maintenance list, short guided exercises and an optional day counter."""

    name = "pathways.tools"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person)
