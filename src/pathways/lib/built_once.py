"""Queries asked on every request, their SQL built once per process.

Django builds a query's SQL again each time it runs it. For a query of several subqueries (the page header's
questions, the two-step check) the building costs many times what the database takes to answer it. Here
the ORM builds the query once, for a stand-in id, and each run sends the same SQL with the real id in the
stand-in's place: the database still answers afresh every time, and the ORM stays the one description of it.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

# An id no row has (ids count up from 1), so among a query's parameters it can only be the stand-in itself.
STAND_IN_ID = -731_942_658_190


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str
    params: tuple
    stand_in_at: frozenset[int]


class BuiltOnce:
    """`build(id)` returns the queryset for one id, ending in .values(...): a query of one row, or none.
    Its filters must not hold values that change between runs (write Now(), not timezone.now())."""

    def __init__(self, build: Callable[[int], QuerySet]):
        self._build = build
        self._compiled: _Compiled | None = None

    def first_row(self, some_id: int) -> dict | None:
        """The row for `some_id`, by the names given to values(), as the database sends them (SQLite sends
        0 and 1 for true and false)."""
        compiled = self._compiled or self._compile()
        params = [some_id if at in compiled.stand_in_at else value for at, value in enumerate(compiled.params)]
        with connections[compiled.alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
            return None if row is None else dict(zip((column[0] for column in cursor.description), row, strict=True))

    def _compile(self) -> _Compiled:
        queryset = self._build(STAND_IN_ID)
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        stand_in_at = frozenset(at for at, value in enumerate(params) if value == STAND_IN_ID)
        if not stand_in_at:
            raise ValueError("The query does not use the id it was built for.")
        self._compiled = _Compiled(alias=queryset.db, sql=sql, params=tuple(params), stand_in_at=stand_in_at)
        return self._compiled
