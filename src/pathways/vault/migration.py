"""The data half of turning plain columns into encrypted ones, for each app's migration.

Each migration first alters the fields (the column becomes `text`), then runs `encrypt_existing`, which
encrypts the rows written before it. Run backwards it decrypts them again, before the column narrows.
"""
from django.db import migrations

from . import keys
from .columns import Column

BATCH = 500


def _convert(app_label: str, targets: dict[str, list[str]], change):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        for model_name, field_names in targets.items():
            model = apps.get_model(app_label, model_name)
            for name in field_names:
                column = Column.of(model, model._meta.get_field(name))
                for rows in column.batches(connection, size=BATCH):
                    for pk, stored in rows:
                        new = change(stored, column.label)
                        if new != stored:
                            column.swap(connection, pk=pk, expected=stored, new=new)
        if connection.vendor == "postgresql":
            # The updates queued deferred foreign-key checks; PostgreSQL refuses to alter a table (the next
            # step when migrating backwards) while they are pending, so run them now.
            connection.check_constraints()
    return run


def _encrypt(stored, label: str) -> str:
    # A value that already opens is a token (a migration run twice, or a row written by new code).
    return stored if keys.is_token(stored) else keys.encrypt(stored)


def _decrypt(stored, label: str) -> str:
    return keys.decrypt(stored, where=label) if keys.is_token(stored) else stored


def encrypt_existing(app_label: str, targets: dict[str, list[str]]) -> migrations.RunPython:
    """TARGETS maps a model name to the names of its newly encrypted fields."""
    return migrations.RunPython(_convert(app_label, targets, _encrypt), _convert(app_label, targets, _decrypt),
                                elidable=False)
