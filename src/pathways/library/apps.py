from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """The learning library: short pieces in our own words about recovery, loaded from Markdown files that an
organisation can add to, hide or replace."""

    name = "pathways.library"
