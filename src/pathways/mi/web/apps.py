from django.apps import AppConfig


class MiWebConfig(AppConfig):
    """Listening feedback: the MI transcript analyzer and practice mode, as pages."""

    name = "pathways.mi.web"
    label = "mi_web"  # "web" is taken by pathways.web
    verbose_name = "Listening feedback"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person)
