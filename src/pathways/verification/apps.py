from django.apps import AppConfig


class VerificationConfig(AppConfig):
    """Proving it is you: the second step at sign-in, confirming again before sensitive changes, and
    proving you hold a new email address before the account moves to it."""

    name = "pathways.verification"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (
            personal_data,  # noqa: F401  (registers what this app holds about a person)
            recent,
        )

        user_logged_in.connect(recent.note_sign_in, dispatch_uid="verification.note_sign_in")
