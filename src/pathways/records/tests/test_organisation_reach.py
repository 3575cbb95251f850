"""Every table holding a person's data can find its organisation by foreign keys, or docs/scaling.md says why not.

Sharding by organisation (Citus, docs/scaling.md) gives every such table an organisation_id column, filled in
from the row's foreign keys when the row is written. So each table in the personal-data registry must reach
people.Organisation: through keys that are never empty to the account whose data it is, and from the
account by its home organisation; or directly, for the organisation's own tables. A table that cannot, or
can only when a key that may be empty is set, must be listed in docs/scaling.md with what it would take;
a new one fails here until the document says so.
"""
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from pathways.lib.personal_data import holdings

SCALING_DOC = Path(__file__).resolve().parents[4] / "docs" / "scaling.md"
# A key named `person` leads to the person in recovery whose record the row is, except these, where it names
# whichever account the row belongs to (a supporter has reminder settings too).
PERSON_MEANS_ANY_ACCOUNT = {"notifications.ReminderSetting.person"}


def _tables_holding_personal_data() -> list[type[models.Model]]:
    """Every model a holding names, with the join tables of its many-to-many fields (they name people too)."""
    tables = []
    for holding in holdings():
        for label in holding.models:
            model = apps.get_model(label)
            tables.append(model)
            tables += [field.remote_field.through for field in model._meta.many_to_many
                       if field.remote_field.through._meta.auto_created]
    return tables


def _keys(model, *, empty_allowed: bool) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not None and (empty_allowed or not field.null)]


def _chains(model, *, empty_allowed: bool, depth: int = 5):
    """Every chain of foreign keys (no model twice) from `model` to an account or an organisation."""
    ends = {apps.get_model(settings.AUTH_USER_MODEL), apps.get_model("people.Organisation")}
    if model in ends:
        yield []
        return
    stack = [(model, [], {model})]
    while stack:
        current, chain, seen = stack.pop()
        for field in _keys(current, empty_allowed=empty_allowed):
            if field.related_model in ends:
                yield chain + [field]
            elif field.related_model not in seen and len(chain) + 1 < depth:
                stack.append((field.related_model, chain + [field], seen | {field.related_model}))


def _best(chains) -> list[models.Field] | None:
    """The chain a shard key would be filled from: through the person whose record the row is (the codebase
    calls them `person`) or straight to the organisation, rather than through someone else's account (an
    answer to an alert is the alert's person's record, not its supporter's); then the shortest."""
    def preference(chain):
        through_person_or_organisation = not chain or _names_the_person(chain[-1]) or \
            chain[-1].related_model._meta.label == "people.Organisation"
        return (not through_person_or_organisation, len(chain), [field.name for field in chain])

    return min(chains, key=preference, default=None)


def _names_the_person(field: models.Field) -> bool:
    return field.name == "person" and f"{field.model._meta.label}.{field.name}" not in PERSON_MEANS_ANY_ACCOUNT


def organisation_reach() -> dict[str, tuple[str, str]]:
    """For each personal-data table, how its rows find their organisation, and the chain of keys that does it
    (e.g. "checkin → person → home_organisation"):

    - "organisation": keys that are never empty lead to it without passing an account;
    - "person": they lead to the person whose record the row is, whose home organisation is always set (their
      programme's, or the personal one made when they signed up alone);
    - "account": they lead to an account that may be only a supporter's, which has no home organisation;
    - "when set": only a key that may be empty leads anywhere;
    - "never": no key leads there.
    """
    reach = {}
    for model in _tables_holding_personal_data():
        strict = _best(_chains(model, empty_allowed=False))
        chain = strict if strict is not None else _best(_chains(model, empty_allowed=True))
        table = model._meta.db_table
        if chain is None:
            reach[table] = ("never", "")
            continue
        names = [field.name for field in chain]
        reaches = (chain[-1].related_model if chain else model)._meta.label
        if reaches == settings.AUTH_USER_MODEL:
            names.append("home_organisation")
        if strict is None:
            kind = "when set"
        elif reaches != settings.AUTH_USER_MODEL:
            kind = "organisation"
        else:
            kind = "person" if chain and _names_the_person(chain[-1]) else "account"
        reach[table] = (kind, " → ".join(names))
    return reach


def documented(list_name: str) -> set[str]:
    """The table names (in backticks, first on each line) between the document's markers for `list_name`."""
    text = SCALING_DOC.read_text()
    found = re.search(rf"<!-- {list_name}: start -->(.*?)<!-- {list_name}: end -->", text, re.DOTALL)
    assert found, f"docs/scaling.md has no {list_name} list"
    return set(re.findall(r"^\|? ?`([a-z0-9_]+)`", found.group(1), re.MULTILINE))


LISTS = {
    "never": "tables that cannot reach the organisation",
    "when set": "tables that reach the organisation only when a key is set",
    "account": "tables that belong to an account rather than a person's record",
}


def _tables_of_kind(kind: str) -> set[str]:
    return {table for table, (found, _) in organisation_reach().items() if found == kind}


def test_the_tables_that_cannot_reach_the_organisation_are_the_documented_ones():
    assert _tables_of_kind("never") == documented(LISTS["never"]), (
        "Update the list in docs/scaling.md, with what each table would need for sharding by organisation")


def test_the_tables_that_reach_it_only_through_a_key_that_may_be_empty_are_the_documented_ones():
    assert _tables_of_kind("when set") == documented(LISTS["when set"]), (
        "Update the list in docs/scaling.md, with what each table would need for sharding by organisation")


def test_the_tables_that_belong_to_an_account_are_the_documented_ones():
    """A supporter's account has no organisation: these tables are sharded by account, not organisation."""
    assert _tables_of_kind("account") == documented(LISTS["account"]), (
        "Update the list in docs/scaling.md: a table keyed by an account is sharded by account")


def test_a_row_finds_its_organisation_through_the_person_whose_record_it_is():
    """The chains a shard key would be filled from: a supporter's answer to an alert is the alert's person's."""
    reach = organisation_reach()
    assert reach["checkins_uselog"] == ("person", "checkin → person → home_organisation")
    assert reach["plans_step"] == ("person", "goal → plan → person → home_organisation")
    assert reach["safety_alertresponse"] == ("person", "alert → person → home_organisation")
    assert reach["people_membership"] == ("organisation", "organisation")
    assert reach["signins_accountsession"] == ("account", "user → home_organisation")
    assert reach["outbox_outgoingemail"] == ("when set", "person → home_organisation")
