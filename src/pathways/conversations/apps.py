from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    """Talking with the circle: messages between the person and each member, session notes the person reads,
    and a check that offers respectful words as either is written."""

    name = "pathways.conversations"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person)
