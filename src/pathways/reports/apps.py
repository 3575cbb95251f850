from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Progress charts for a person and for those they share them with, the caseload of the people a supporter
    supports, and an organisation's de-identified programme outcomes, published monthly."""

    name = "pathways.reports"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person: nothing)
