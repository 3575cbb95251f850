from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Accounts, organisations, roles and invitations."""

    name = "pathways.people"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what this app holds about a person)
        from .account_mail import register_builders

        register_builders()  # sign-up and password-reset emails are written by people when the outbox sends them
