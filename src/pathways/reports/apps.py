from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """What supporters and organisations see across people: the caseload (charts and outcomes come later)."""

    name = "pathways.reports"
