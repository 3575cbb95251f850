from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications, the email outbox the worker drains, and each person's reminder settings."""

    name = "pathways.notifications"
