"""Encrypted fields: what the database holds, what the code reads, and what SQL can no longer do."""
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.checks import run_checks
from django.core.exceptions import FieldError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from pathways.people.models import User
from pathways.plans import services as plans
from pathways.plans.models import Goal, PlanChange, Strength
from pathways.vault import keys
from pathways.vault.migration import encrypt_existing

OTHER_KEY = "8Fxv0s1h4b9pRkCkGz5n8q2m0YqQeJ6x1Uu3Ww9AaBc="


def raw(table: str, column: str, pk: int):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # nosec B608 (test's own names)
        return cursor.fetchone()[0]


def test_the_column_holds_a_token_and_the_code_reads_the_text(pat):
    goal = plans.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Walk by the river",
                             why_it_matters="It clears my head")
    stored = raw("plans_goal", "title", goal.pk)
    assert stored.startswith("gAAAAA") and "river" not in stored
    assert keys.decrypt(stored, where="test") == "Walk by the river"
    assert Goal.objects.get(pk=goal.pk).title == "Walk by the river"
    assert list(Goal.objects.values_list("why_it_matters", flat=True)) == ["It clears my head"]


def test_empty_text_stays_empty_and_can_still_be_filtered_on(pat):
    assert raw("people_user", "name", pat.pk) == ""
    assert User.objects.filter(pk=pat.pk, name="").exists()
    assert raw("people_user", "preferred_name", pat.pk).startswith("gAAAAA")


def test_json_with_typed_text_is_encrypted_whole_and_read_back_as_json(pat):
    plans.recovery_meaning_update(plan=pat.plan, actor=pat, text="Mornings that feel like mine")
    change = PlanChange.objects.get(plan=pat.plan, action="meaning_updated")
    assert change.details == {"before": "", "after": "Mornings that feel like mine"}
    stored = raw("plans_planchange", "details", change.pk)
    assert stored.startswith("gAAAAA") and "Mornings" not in stored


def test_sql_comparisons_with_text_are_refused_rather_than_silently_matching_nothing(pat):
    with pytest.raises(FieldError, match="encrypted at rest"):
        Strength.objects.filter(text="Patience").exists()
    with pytest.raises(FieldError, match="Unsupported lookup"):
        Strength.objects.filter(text__icontains="Patience").exists()


def test_over_long_text_is_refused_by_the_form_with_a_message_and_kept(pat):
    client = Client()
    client.force_login(pat)
    title = "x" * 201
    response = client.post(reverse("plans:goal_add"), {"dimension": "health", "title": title})
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 200 characters" in page and title in page
    assert not Goal.objects.exists()


def test_over_long_text_never_reaches_the_database_even_without_a_form(pat):
    pat.pronouns = "p" * 41
    with pytest.raises(ValueError, match="people.User.pronouns is 41 characters; at most 40 fit"):
        pat.save()


def test_a_missing_key_gives_a_clear_error_naming_the_field(pat):
    with override_settings(PATHWAYS_FIELD_KEYS=[OTHER_KEY]):
        with pytest.raises(keys.UndecryptableValue, match="people.User.preferred_name: no key in PATHWAYS_FIELD_KEYS"):
            User.objects.get(pk=pat.pk)


@pytest.mark.parametrize(("configured", "expected"), [
    ([], "pathways.E001"), (["not-a-key"], "pathways.E002"), ([OTHER_KEY, OTHER_KEY], "pathways.W001")])
def test_the_system_check_reports_missing_malformed_and_repeated_keys(configured, expected):
    with override_settings(PATHWAYS_FIELD_KEYS=configured):
        found = [message for message in run_checks() if message.id.startswith("pathways.")]
    assert [message.id for message in found] == [expected]
    assert all(key not in message.msg for message in found for key in configured if len(key) > 20)


def test_the_migration_step_encrypts_plain_rows_once_and_backwards_decrypts_them(pat):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_personprofile SET faith = %s WHERE user_id = %s", ["Quaker meeting", pat.pk])
    step = encrypt_existing("people", {"personprofile": ["faith"]})
    editor = SimpleNamespace(connection=connection)
    step.code(apps, editor)
    once = raw("people_personprofile", "faith", pat.profile.pk)
    assert once.startswith("gAAAAA")
    step.code(apps, editor)  # run again: already a token, left alone
    assert raw("people_personprofile", "faith", pat.profile.pk) == once
    step.reverse_code(apps, editor)
    assert raw("people_personprofile", "faith", pat.profile.pk) == "Quaker meeting"


def test_confirmation_messages_quoting_typed_text_travel_encrypted_and_stay_out_of_the_session(pat):
    client = Client()
    client.force_login(pat)
    response = client.post(reverse("plans:goal_add"), {"dimension": "health", "title": "Walk by the river"})
    cookie = response.cookies["messages"].value
    assert cookie.startswith("gAAAAA") and "river" not in cookie
    assert "Added your goal “Walk by the river”" in client.get(response["Location"]).content.decode()
    assert all("river" not in str(session.get_decoded()) for session in Session.objects.all())
