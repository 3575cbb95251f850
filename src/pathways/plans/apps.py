from django.apps import AppConfig


class PlansConfig(AppConfig):
    """The person's own recovery plan: meaning, pathways, strengths, goals, steps, wins, history."""

    name = "pathways.plans"

    def ready(self):
        from pathways.people.signals import person_joined

        from . import personal_data  # noqa: F401  (registers what this app holds about a person)
        from .receivers import start_plan

        person_joined.connect(start_plan, dispatch_uid="plans.start_plan")
