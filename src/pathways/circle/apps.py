from django.apps import AppConfig


class CircleConfig(AppConfig):
    """The person's circle of supporters, consent grants, the one access policy and the access log."""

    name = "pathways.circle"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .receivers import tell_about_emergency_access

        user_logged_in.connect(tell_about_emergency_access, dispatch_uid="circle.tell_about_emergency_access")
