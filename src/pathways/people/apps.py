from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Accounts, organisations, roles and invitations."""

    name = "pathways.people"
