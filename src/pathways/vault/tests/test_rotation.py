"""`manage.py rotate_field_keys`: everything moves to the new key, nothing changed meanwhile is lost."""
import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from pathways.checkins import services as checkins
from pathways.plans import services as plans
from pathways.plans.models import Goal
from pathways.safety import services as safety
from pathways.vault import keys, rotation
from pathways.vault.keys import key_problem

NEW_KEY = "S7uJkq3Rz0m9V2cXb1nQy8tLw4eHa6dGf5pKo0iUjMs="


@pytest.fixture
def records(pat, sam):
    plans.recovery_meaning_update(plan=pat.plan, actor=pat, text="Quiet mornings")
    goal = plans.goal_create(plan=pat.plan, actor=pat, dimension="home", title="Paint the kitchen",
                             why_it_matters="Somewhere I like to be")
    checkins.trigger_add(person=pat, trigger="Payday", what_helps="Pay the bills first")
    safety.safety_plan_save(person=pat, reasons_for_living="My niece")
    return goal


def every_stored_token() -> list[tuple[str, str]]:
    found = []
    with connection.cursor() as cursor:
        for column in rotation.all_columns():
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT {quote(column.column)} FROM {quote(column.table)} "  # nosec B608 (model names)
                           f"WHERE {quote(column.column)} IS NOT NULL AND {quote(column.column)} <> ''")
            found += [(column.label, value) for (value,) in cursor.fetchall()]
    return found


def test_rotation_rewrites_every_column_so_the_old_key_can_go(records):
    before = every_stored_token()
    labels = {label for label, _ in before}
    assert {"plans.Goal.title", "plans.PlanChange.details", "checkins.Trigger.what_helps", "people.User.preferred_name",
            "safety.SafetyPlan.reasons_for_living"} <= labels
    old_key = keys.configured_keys()[0]
    out = io.StringIO()
    with override_settings(PATHWAYS_FIELD_KEYS=[NEW_KEY, old_key]):
        call_command("rotate_field_keys", "--batch-size", "2", stdout=out)
        again = io.StringIO()
        call_command("rotate_field_keys", stdout=again)
    assert f"Re-encrypted {len(before)} values" in out.getvalue()
    assert f"Re-encrypted 0 values with the first key; {len(before)} already used it" in again.getvalue()
    newest, oldest = Fernet(NEW_KEY), Fernet(old_key)
    for _label, token in every_stored_token():
        newest.decrypt(token.encode())  # opens with the new key alone
        with pytest.raises(InvalidToken):
            oldest.decrypt(token.encode())
    with override_settings(PATHWAYS_FIELD_KEYS=[NEW_KEY]):
        goal = Goal.objects.get(pk=records.pk)
        assert (goal.title, goal.why_it_matters) == ("Paint the kitchen", "Somewhere I like to be")


def test_a_row_the_app_changes_during_rotation_keeps_the_change(records):
    old_key = keys.configured_keys()[0]
    title = next(column for column in rotation.all_columns() if column.label == "plans.Goal.title")
    with override_settings(PATHWAYS_FIELD_KEYS=[NEW_KEY, old_key]):
        stale = title.read_batch(connection, after=None, size=10)  # rotation read the old token...
        Goal.objects.filter(pk=records.pk).update(title="Paint the hallway")  # ...then the person saved a change
        tally = rotation.Tally()
        rotation.rotate_rows(title, stale, tally)
        assert (tally.rewritten, tally.changed_meanwhile) == (0, 1)
    with override_settings(PATHWAYS_FIELD_KEYS=[NEW_KEY]):  # only the title column was rotated here
        assert Goal.objects.values_list("title", flat=True).get(pk=records.pk) == "Paint the hallway"


def test_without_the_key_a_value_was_written_with_rotation_stops_with_a_clear_error(records):
    with override_settings(PATHWAYS_FIELD_KEYS=[NEW_KEY]):
        with pytest.raises(CommandError, match=r"\(row \d+\): no key in PATHWAYS_FIELD_KEYS opens it"):
            call_command("rotate_field_keys", stdout=io.StringIO())


def test_a_malformed_key_is_named_by_its_position_not_printed(records):
    with override_settings(PATHWAYS_FIELD_KEYS=[NEW_KEY, "secret-but-wrong"]):
        with pytest.raises(CommandError, match="key 2 is not URL-safe base64|key 2 decodes to") as refused:
            call_command("rotate_field_keys", stdout=io.StringIO())
    assert "secret-but-wrong" not in str(refused.value)


def test_generate_prints_a_new_well_formed_key_and_changes_nothing():
    out = io.StringIO()
    call_command("rotate_field_keys", "--generate", stdout=out)
    key = out.getvalue().strip()
    assert key_problem(key) == "" and key != NEW_KEY
