"""`manage.py backup` and `manage.py restore` against the real database, SQLite (a WAL file) or PostgreSQL."""
import sqlite3
import threading
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from pathways.checkins import services as checkins
from pathways.checkins.models import DailyCheckIn
from pathways.circle import services as circle
from pathways.circle.models import SupporterRole
from pathways.notifications import services as notifications
from pathways.notifications.models import Notification
from pathways.outbox.models import OutgoingEmail
from pathways.plans import services as plans
from pathways.plans.models import Goal, Step
from pathways.web import backup as backup_module

on_sqlite = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite only")
on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only")


@pytest.fixture
def live_database(transactional_db, tmp_path):
    """The database the commands see, committed so other connections see it too.

    On SQLite the test database is in memory, where there is no file to back up and no WAL: for these
    tests the default connection is pointed at a real file in WAL mode holding a copy of the test schema,
    as in production. The in-memory connection is kept open aside (closing it would destroy it) and put
    back afterwards. On PostgreSQL the test database is used as it is.
    """
    if connection.vendor != "sqlite":
        yield None
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "live.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    saved_name = connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)  # the same dict other threads' connections are made from
    try:
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        yield path
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved_name
        connection.connection = memory


def snapshot() -> dict[str, dict]:
    """Every row of every table, by primary key: each model's (auth, sessions, admin and many-to-many
    tables included) and the migration records."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        key = model._meta.pk.attname
        tables[model._meta.db_table] = {row[key]: row for row in model._base_manager.values()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app, name, applied FROM django_migrations")
        tables["django_migrations"] = {row[0]: tuple(row) for row in cursor.fetchall()}
    return tables


def make_a_life(pat, sam) -> dict:
    """Varied data through the apps' own services: a plan, goals, steps, a win, check-ins, a circle grant."""
    plan = plans.plan_create(person=pat)
    plans.recovery_meaning_update(plan=plan, actor=pat, text="Waking up clear and seeing my sister on Sundays")
    plans.pathways_set(plan=plan, actor=pat, chosen={"moderation": "Only at weekends", "medication": ""})
    plans.strength_add(plan=plan, actor=pat, kind="mine", text="I keep going — even on grey days ☂")
    home = plans.goal_create(plan=plan, actor=pat, dimension="home", title="A room of my own",
                             why_it_matters="Somewhere quiet", importance=9, confidence=6,
                             first_steps=["Ring the housing office", "Open a savings pot"])
    health = plans.goal_create(plan=plan, actor=pat, dimension="health", title="Sleep by eleven")
    step = plans.step_create(goal=health, actor=pat, text="Phone out of the bedroom",
                             due_on=timezone.localdate() + timedelta(days=3))
    plans.step_complete(step=home.steps.first(), actor=pat)
    today = timezone.localdate()
    checkins.daily_checkin_save(person=pat, day=today, answers={"mood": 4, "cravings": 2, "note": "A good day"},
                                declined=["energy"])
    checkins.daily_checkin_save(person=pat, day=today - timedelta(days=1), answers={"mood": 2, "cravings": 6})
    _, token = circle.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle.invitation_accept(token=token, supporter=sam)
    grant = circle.grant_create(member=member, items={"plan": "view", "checkins": "view"},
                                purpose="To support me", signature="Pat Example")
    notifications.notify(recipient=pat, kind="crisis_alert_sent", title="Time for your check-in")
    session = SessionStore()
    session["who"] = pat.pk
    session.create()
    return {"plan": plan, "home": home, "health": health, "step": step, "grant": grant}


def test_round_trip_restores_every_row_of_every_table(live_database, pat, sam, tmp_path, capsys):
    made = make_a_life(pat, sam)
    target = tmp_path / "backups" / "pathways.backup"
    target.parent.mkdir()
    call_command("backup", str(target))
    summary = capsys.readouterr().out
    assert f"Backed up the {connection.vendor} database to {target}" in summary and " tables." in summary
    before = snapshot()
    assert before["plans_goal"] and before["checkins_dailycheckin"] and before["circle_grant"]
    assert before["django_session"] and before["people_user"] and before["outbox_outgoingemail"]

    # Life goes on after the backup: changes, deletions and new rows, all to be undone.
    plans.goal_update(goal=made["home"], actor=pat, title="A flat by the river")
    Step.objects.filter(pk=made["step"].pk).delete()
    Goal.objects.filter(pk=made["health"].pk).delete()
    circle.grant_revoke(grant=made["grant"])
    DailyCheckIn.objects.filter(person=pat, day=timezone.localdate()).delete()
    notifications.notify(recipient=sam, kind="crisis_alert", title="Something new")
    SessionStore().create()
    assert snapshot() != before

    call_command("restore", str(target), "--yes")
    output = capsys.readouterr().out
    assert "Restored" in output and "migrations match the code" in output

    after = snapshot()
    assert set(after) == set(before)
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"
    # Sequences came back too: new rows get new keys, not ones already used.
    assert notifications.notify(recipient=pat, kind="crisis_alert_sent", title="After the restore")


def _writer(stop: threading.Event, written: list[int], errors: list[BaseException], recipient) -> None:
    """Keep saving notifications (each with its email row, in one transaction), numbered 0, 1, 2, ..."""
    from django.db import connection as own_connection  # this thread's own connection

    try:
        number = 0
        while not stop.is_set():
            with transaction.atomic():
                notifications.notify(recipient=recipient, kind="crisis_alert_sent", title=f"busy {number}")
            written.append(number)
            number += 1
    except BaseException as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        own_connection.close()


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.01)


def test_backup_of_a_busy_database_is_one_consistent_moment(live_database, pat, sam, tmp_path):
    make_a_life(pat, sam)
    target = tmp_path / "busy.backup"
    stop, written, errors = threading.Event(), [], []
    writer = threading.Thread(target=_writer, args=(stop, written, errors, pat))
    writer.start()
    try:
        _wait_for(lambda: len(written) >= 30 or errors)
        call_command("backup", str(target))
        after_backup = len(written)
        _wait_for(lambda: len(written) >= after_backup + 20 or errors)
    finally:
        stop.set()
        writer.join()
    assert not errors, errors
    if connection.vendor == "sqlite":
        check = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        check.close()
    source = snapshot()

    call_command("restore", str(target), "--yes")
    restored = snapshot()

    # Every row the backup has is the source's row, whole.
    for table, rows in restored.items():
        for key, row in rows.items():
            assert source[table].get(key) == row, f"{table} row {key} differs from the source"
    # The writer's rows form an unbroken run 0..k-1: the set that existed at one moment.
    busy = [n for n in Notification.objects.all() if n.title.startswith("busy ")]  # titles are encrypted: read here
    numbers = sorted(int(n.title.split()[1]) for n in busy)
    assert numbers == list(range(len(numbers)))
    assert written == list(range(len(written)))
    assert 30 <= len(numbers) < len(written)
    # Each notification came with its email row in the same transaction; the backup has both or neither.
    assert busy and OutgoingEmail.objects.filter(kind="notification",
                                                 reference__in=[n.pk for n in busy]).count() == len(busy)
    # Only the writer's later rows are missing.
    for table in source:
        missing = len(source[table]) - len(restored[table])
        if table not in ("notifications_notification", "outbox_outgoingemail"):
            assert missing == 0, table
        else:
            assert missing == len(written) - len(numbers)


def test_backup_refuses_to_overwrite_without_force(live_database, tmp_path):
    target = tmp_path / "precious.backup"
    target.write_bytes(b"last week's backup")
    with pytest.raises(CommandError, match="already exists.*--force"):
        call_command("backup", str(target))
    assert target.read_bytes() == b"last week's backup"

    call_command("backup", str(target), "--force")
    assert backup_module.kind_of_file(target) == connection.vendor
    assert target.stat().st_mode & 0o077 == 0, "a backup holds health data: owner-only"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temporary file left behind"


def test_backup_to_a_missing_folder_is_a_clear_error(live_database, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "no-such-folder" / "x.backup"))


def test_restore_refuses_what_is_not_a_backup(live_database, pat, tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("shopping: bread, milk\n" * 10)
    with pytest.raises(CommandError, match="is not a Pathways backup"):
        call_command("restore", str(not_a_backup), "--yes")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")
    assert type(pat).objects.filter(pk=pat.pk).exists(), "nothing was touched"


@on_sqlite
def test_restore_refuses_a_sqlite_file_that_is_not_pathways(live_database, pat, tmp_path):
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    with pytest.raises(CommandError, match="not a Pathways one"):
        call_command("restore", str(other), "--yes")
    truncated = tmp_path / "truncated.backup"
    call_command("backup", str(tmp_path / "whole.backup"))
    truncated.write_bytes((tmp_path / "whole.backup").read_bytes()[:20000])
    with pytest.raises(CommandError, match=str(truncated)):
        call_command("restore", str(truncated), "--yes")
    assert type(pat).objects.filter(pk=pat.pk).exists()


def test_restore_asks_before_replacing_everything(live_database, tmp_path):
    target = tmp_path / "x.backup"
    call_command("backup", str(target))
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(target))  # stdin is not a terminal under pytest


def test_restore_of_an_older_schema_says_to_migrate(live_database, tmp_path, capsys):
    recorder = MigrationRecorder(connection)
    app, name = max(recorder.applied_migrations())
    target = tmp_path / "older.backup"
    try:
        recorder.record_unapplied(app, name)  # as if the backup came before this migration
        call_command("backup", str(target))
        recorder.record_applied(app, name)
        call_command("restore", str(target), "--yes")
        assert "Run `python manage.py migrate`" in capsys.readouterr().err
    finally:
        if (app, name) not in MigrationRecorder(connection).applied_migrations():
            MigrationRecorder(connection).record_applied(app, name)


@on_postgresql
def test_pg_connection_settings_go_in_the_environment_not_the_command_line(live_database, tmp_path, monkeypatch):
    calls = []
    real_run = backup_module.subprocess.run

    def recording_run(arguments, **kwargs):
        calls.append((arguments, kwargs.get("env")))
        return real_run(arguments, **kwargs)

    monkeypatch.setattr(backup_module.subprocess, "run", recording_run)
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "not-on-the-command-line")
    call_command("backup", str(tmp_path / "pg.backup"))
    dump = [(arguments, env) for arguments, env in calls if arguments[0].endswith("pg_dump") and len(arguments) > 2]
    assert dump, calls
    arguments, env = dump[0]
    assert not any("not-on-the-command-line" in a or connection.settings_dict["NAME"] in a for a in arguments)
    assert env["PGPASSWORD"] == "not-on-the-command-line"
    assert env["PGDATABASE"] == connection.settings_dict["NAME"]


@on_postgresql
def test_missing_pg_dump_is_a_clear_error(live_database, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump is not installed"):
        call_command("backup", str(tmp_path / "pg.backup"))
    assert list(tmp_path.iterdir()) == []
