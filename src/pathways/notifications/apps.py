from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications and each person's reminder settings; their emails wait in pathways.outbox."""

    name = "pathways.notifications"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person)
