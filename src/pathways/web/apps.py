from django.apps import AppConfig


class WebConfig(AppConfig):
    """The shared layout, styles, health check and the small middleware every page relies on."""

    name = "pathways.web"
