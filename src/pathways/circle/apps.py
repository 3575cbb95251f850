from django.apps import AppConfig


class CircleConfig(AppConfig):
    """The person's circle of supporters, consent grants, and the one access policy."""

    name = "pathways.circle"
