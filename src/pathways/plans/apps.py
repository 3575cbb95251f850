from django.apps import AppConfig


class PlansConfig(AppConfig):
    """The person's own recovery plan: meaning, pathways, strengths, goals, steps, wins, history."""

    name = "pathways.plans"
