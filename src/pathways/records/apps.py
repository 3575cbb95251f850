from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """A person's whole record: "my data" and deleting the account."""

    name = "pathways.records"
