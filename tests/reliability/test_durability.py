"""Killed at any moment, SQLite loses no check-in the service said it saved, and never keeps half of one.

A writer process (checkin_writer.py) saves daily check-ins through `daily_checkin_save` and prints an
acknowledgement only after the call returned. The test kills it with SIGKILL at seeded random moments,
restarting it each time, and after every kill opens the database itself: every acknowledged check-in is
there with exactly the answers acknowledged (or, for today's, a later whole revision), every check-in in the
database is whole with its use log, and SQLite's integrity check passes.
"""
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

from cryptography.fernet import Fernet

from . import checkin_writer
from .conftest import HERE, ROOT, environment

KILLS = 20


def stored_checkins(database) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(email, day) → (id, revision, checksum of the stored answers), read with plain sqlite3."""
    with closing(sqlite3.connect(database, timeout=20)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = db.execute(
            "SELECT c.id, u.email, c.day, c.mood, c.cravings, c.energy, c.hungry, c.lonely, c.note, l.used, l.what "
            "FROM checkins_dailycheckin c JOIN people_user u ON u.id = c.person_id "
            "LEFT JOIN checkins_uselog l ON l.checkin_id = c.id").fetchall()
    # The note and what was used are encrypted at rest with the key the writer's settings kept beside the database.
    key = Fernet((database.parent / "field_keys").read_text().strip())
    stored = {}
    for pk, email, day, *values in rows:
        values[5], values[7] = (key.decrypt(value).decode() if value else value for value in (values[5], values[7]))
        stored[(email, day)] = (pk, int(values[5].split()[1]), checkin_writer.checksum(values))
    return stored


def test_check_ins_acknowledged_before_a_kill_are_all_there_and_whole(site):
    database = site / "pathways.sqlite3"
    chance = random.Random(20261128)
    acknowledged: dict[tuple[str, str], tuple[int, int, str]] = {}
    for attempt in range(KILLS):
        writer = subprocess.Popen([sys.executable, str(HERE / "checkin_writer.py")], cwd=ROOT,
                                  env=environment(site), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert writer.stdout.readline() == "ready\n", writer.stderr.read()
            time.sleep(chance.uniform(0.05, 0.4))
        finally:
            writer.send_signal(signal.SIGKILL)
            out, err = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL, err  # it was still writing, never failed on its own
        lines = out.split("\n")
        for line in lines[:-1]:  # the last piece is cut off or empty: not an acknowledgement
            _, pk, email, day, revision, checksum = line.split()
            acknowledged[(email, day)] = (int(pk), int(revision), checksum)

        stored = stored_checkins(database)
        for key, (pk, revision, checksum) in acknowledged.items():
            assert key in stored, f"after kill {attempt}: acknowledged check-in {key} is gone"
            stored_pk, stored_revision, stored_checksum = stored[key]
            assert stored_pk == pk, key
            assert stored_revision >= revision, f"after kill {attempt}: {key} went back to an older revision"
            if stored_revision == revision:
                assert stored_checksum == checksum, f"after kill {attempt}: {key} differs from what was saved"
        for (email, day), (_, revision, checksum) in stored.items():  # acknowledged or not, nothing is half-written
            assert checksum == checkin_writer.expected_checksum(email, day, revision), (email, day, revision)

    print(f"{len(acknowledged)} check-ins acknowledged across {KILLS} kills")
    assert len(acknowledged) > 100  # the kills fell among many writes, not before the first
