from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every email Pathways sends waits here as a row until a worker (`manage.py run_worker`) has sent it.

    The outbox knows no app above it: an app whose emails are written when they are sent (sign-up links,
    password resets) registers a builder for its kind in its own AppConfig.ready (see services.builder_register).
    """

    name = "pathways.outbox"
    verbose_name = "Outgoing email"

    def ready(self):
        from . import personal_data  # noqa: F401  (registers what the outbox holds about a person)
