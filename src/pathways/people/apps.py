from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Accounts, organisations, roles and invitations."""

    name = "pathways.people"

    def ready(self):
        from django.db.models.signals import pre_delete

        from .deletion import end_what_others_shared_with
        from .models import User

        # However an account is deleted (the person's own page, the admin, a script), the consents people gave
        # it end and stay in their records, and its places in their circles end.
        pre_delete.connect(end_what_others_shared_with, sender=User, dispatch_uid="people.end_what_others_shared_with")
