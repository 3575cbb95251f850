"""Renaming WarningNudge to GentleNote (issue 24) keeps every note a person already has, readable as before."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pathways.checkins.models import GentleNote

BEFORE = [("checkins", "0005_hard_day_answers")]
RENAMED = [("checkins", "0006_rename_warningnudge_gentlenote")]


@pytest.mark.django_db(transaction=True)
def test_notes_written_before_the_rename_are_kept_with_their_encrypted_words():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    others = [node for node in latest if node[0] != "checkins"]  # every other app stays where it is
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(others + BEFORE).apps
        person = old.get_model("people", "User").objects.create(email="wren@example.org", password="!")
        old.get_model("checkins", "WarningNudge").objects.create(
            person=person, rule="lonely_most_days", explanation={"summary": "Lonely on most days"},
            supporters_told=["Sam"])

        executor = MigrationExecutor(connection)
        executor.migrate(RENAMED)
        renamed = executor.loader.project_state(others + RENAMED).apps.get_model("checkins", "GentleNote")
        note = renamed.objects.get(person_id=person.pk)
        assert (note.rule, note.explanation, note.supporters_told) == (
            "lonely_most_days", {"summary": "Lonely on most days"}, ["Sam"])
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert GentleNote.objects.get(person_id=person.pk).supporters_told == ["Sam"]
    assert GentleNote._meta.db_table == "checkins_gentlenote"
