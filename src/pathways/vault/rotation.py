"""Re-encrypt every encrypted column with the first (newest) key, while Pathways keeps serving.

Each batch is read and rewritten in its own short transaction. A row is rewritten only if it still holds
the token that was read (compare-and-swap), so a change the app saves meanwhile is never overwritten
with stale text; that row was written with the newest key anyway.
"""
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, transaction

from . import keys
from .columns import Column
from .fields import encrypted_fields


@dataclass
class Tally:
    rewritten: int = 0
    already_current: int = 0
    changed_meanwhile: int = 0


def all_columns() -> list[Column]:
    """Every encrypted column of every installed model, found by walking the models."""
    return [Column.of(model, field) for model, field in encrypted_fields(apps.get_models())]


def rotate_rows(column: Column, rows: list[tuple], tally: Tally) -> None:
    """Re-encrypt ROWS (pk, token as read) of COLUMN with the newest key, each only if it is unchanged."""
    newest = keys.current_fernet()
    for pk, stored in rows:
        try:
            newest.extract_timestamp(stored.encode("ascii"))  # checks the signature: already the newest key
            tally.already_current += 1
            continue
        except (InvalidToken, UnicodeEncodeError):
            pass
        try:
            new = keys.fernet().rotate(stored.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeEncodeError) as error:
            raise keys.UndecryptableValue(
                f"{column.label} (row {pk}): no key in PATHWAYS_FIELD_KEYS opens it. Put the key it was written "
                "with back in the list (after the new one) and run rotate_field_keys again.") from error
        if column.swap(connection, pk=pk, expected=stored, new=new):
            tally.rewritten += 1
        else:
            tally.changed_meanwhile += 1


def rotate(*, batch_size: int = 200, report=None) -> Tally:
    tally = Tally()
    for column in all_columns():
        after = None
        while True:
            with transaction.atomic():
                rows = column.read_batch(connection, after=after, size=batch_size)
                rotate_rows(column, rows, tally)
            if len(rows) < batch_size:
                break
            after = rows[-1][0]
        if report:
            report(column.label)
    return tally
