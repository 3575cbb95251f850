from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Progress charts for a person and for those they share them with, and the caseload of the people a
    supporter supports. De-identified programme outcomes for organisations are not built yet."""

    name = "pathways.reports"
