from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The resource directory: services an organisation curates (housing, work, money, mutual aid, treatment,
harm reduction, counselling, family support), searched by the people it supports and saved to their plans."""

    name = "pathways.directory"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person: nothing)
