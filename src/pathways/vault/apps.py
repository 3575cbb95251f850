from django.apps import AppConfig


class VaultConfig(AppConfig):
    """Encrypted model fields, the key check at start-up and `manage.py rotate_field_keys`."""

    name = "pathways.vault"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the key check)
