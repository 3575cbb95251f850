from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LibraryConfig(AppConfig):
    """The learning library: short pieces in our own words about recovery, loaded from Markdown files that an
organisation can add to, hide or replace."""

    name = "pathways.library"

    def ready(self) -> None:
        from . import personal_data  # noqa: F401  (registers what this app holds about a person: nothing)
        from .receivers import load_shipped_pieces

        post_migrate.connect(load_shipped_pieces, sender=self, dispatch_uid="library_load_shipped_pieces")
