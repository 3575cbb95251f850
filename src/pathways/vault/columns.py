"""Raw access to one encrypted column, a batch of rows at a time (used by migrations and by rotation).

Raw SQL, not the ORM, because the ORM would decrypt: migrations must read plain text that is not yet
encrypted, and rotation compares the stored token itself. Table and column names come from model
metadata and are quoted by the database backend; values always travel as parameters.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    table: str
    pk: str
    column: str
    label: str  # app.Model.field, for messages

    @classmethod
    def of(cls, model, field) -> "Column":
        return cls(model._meta.db_table, model._meta.pk.column, field.column, f"{model._meta.label}.{field.name}")

    def read_batch(self, connection, *, after, size: int) -> list[tuple]:
        """(pk, stored value) of up to SIZE non-empty rows with pk above AFTER (None: from the start)."""
        quote = connection.ops.quote_name
        pk, column, table = quote(self.pk), quote(self.column), quote(self.table)
        # Safe: names come from model metadata, quoted by the backend; values are always parameters.
        sql = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # nosec B608
        params = []
        if after is not None:
            sql += f" AND {pk} > %s"
            params.append(after)
        sql += f" ORDER BY {pk} LIMIT %s"
        params.append(size)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def swap(self, connection, *, pk, expected: str, new: str) -> bool:
        """Write NEW only if the row still holds EXPECTED (compare-and-swap); whether it was written."""
        quote = connection.ops.quote_name
        column = quote(self.column)
        sql = (f"UPDATE {quote(self.table)} SET {column} = %s "  # nosec B608 (as above)
               f"WHERE {quote(self.pk)} = %s AND {column} = %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [new, pk, expected])
            return cursor.rowcount == 1

    def batches(self, connection, *, size: int):
        """Every batch of rows in pk order; each is read when the previous one has been handled."""
        after = None
        while True:
            rows = self.read_batch(connection, after=after, size=size)
            if not rows:
                return
            yield rows
            after = rows[-1][0]
