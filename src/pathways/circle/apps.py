from django.apps import AppConfig


class CircleConfig(AppConfig):
    """The person's circle of supporters, consent grants, the one access policy and the access log."""

    name = "pathways.circle"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_delete

        from . import personal_data
        from .receivers import tell_about_emergency_access

        user_logged_in.connect(tell_about_emergency_access, dispatch_uid="circle.tell_about_emergency_access")
        # However an account is deleted (the person's own page, the admin, a script), the consents people gave
        # it end and stay in their records, and its places in their circles end.
        pre_delete.connect(personal_data.end_what_others_shared_with, sender=get_user_model(),
                           dispatch_uid="circle.end_what_others_shared_with")
