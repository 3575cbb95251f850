"""What each app holds about a person, and how to export and erase it: the registry whole-record work reads.

Each app says so in its own `personal_data.py` (imported by its AppConfig.ready), so `pathways.records` can
build "my data" and delete an account without importing any app's models, and adding a model means
touching its own app only. A test (records/tests/test_registry.py) fails when a model that refers to a
person is in nobody's holding.

- `export(user)` returns the JSON-ready part of the person's download under `section` (None: nothing to add).
- `forget(user)` runs inside the deletion's transaction, before the account row goes: it clears what
  *other* people's records say about this account (their own rows go with the account by CASCADE).
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# How other people's records name an account once it is deleted.
FORMER_MEMBER = "someone who has left Pathways"
DELETED_ACCOUNT = "a deleted account"


@dataclass(frozen=True)
class Holding:
    section: str
    models: tuple[str, ...]  # "app_label.ModelName": every model this holding covers
    export: Callable[[Any], Any] | None = None
    forget: Callable[[Any], None] | None = None


_holdings: dict[str, Holding] = {}


def holds(section: str, *, models: list[str], export: Callable | None = None, forget: Callable | None = None) -> None:
    """Register (or, on a second import, replace) what one part of an app holds about a person."""
    _holdings[section] = Holding(section=section, models=tuple(models), export=export, forget=forget)


def holdings() -> list[Holding]:
    """Every holding, in the order the apps registered them (INSTALLED_APPS order)."""
    return list(_holdings.values())


def person_ref(user) -> dict | None:
    """How an export names someone other than the account: public id and name."""
    if user is None:
        return None
    return {"public_id": str(user.public_id), "name": user.name or user.display_name}


DELETED_ACCOUNT_REF = {"public_id": None, "name": DELETED_ACCOUNT}


def values(queryset, *fields) -> list[dict]:
    return list(queryset.values(*fields))
