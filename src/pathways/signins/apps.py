from django.apps import AppConfig


class SigninsConfig(AppConfig):
    """Where an account is signed in: each session's device, its time limits, and ending sessions."""

    name = "pathways.signins"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_save

        from . import (
            personal_data,  # noqa: F401  (registers what this app holds about a person)
            receivers,
        )

        user_logged_in.connect(receivers.record_sign_in, dispatch_uid="signins.record_sign_in")
        user_logged_out.connect(receivers.end_sessions_at_log_out, dispatch_uid="signins.end_sessions_at_log_out")
        post_save.connect(receivers.end_sessions_when_account_changes, sender=get_user_model(),
                          dispatch_uid="signins.end_sessions_when_account_changes")
