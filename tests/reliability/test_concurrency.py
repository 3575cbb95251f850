"""Fifty writers at once on SQLite queue for the lock and lose nothing; check-ins posted at once never give a 500.

concurrent_writers.py runs in a fresh process with the real settings (WAL, 20 s busy timeout, IMMEDIATE
transactions) on a migrated file: 50 threads, each with its own connection, complete distinct steps of one
shared plan and save check-ins for shared people through the services, while eight signed-in test clients post
the check-in page. No thread may see any exception ("database is locked" or other), and the totals must be exact.
"""
import json
import subprocess
import sys

from .conftest import HERE, ROOT, environment

WRITERS, EACH, CLIENTS, POSTS = 50, 4, 8, 6


def test_fifty_parallel_writers_and_concurrent_check_in_posts_lose_nothing(site):
    result = subprocess.run([sys.executable, str(HERE / "concurrent_writers.py"), *map(str, (WRITERS, EACH, CLIENTS,
                                                                                                  POSTS))],
                            cwd=ROOT, env=environment(site), capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["errors"] == [], "\n".join(found["errors"])  # no "database is locked", no OperationalError, nothing
    # Every step completion is recorded exactly once, with its win and its history entry: no lost update.
    assert found["steps_done"] == WRITERS * EACH
    assert found["wins"] == WRITERS * EACH
    assert found["step_done_history"] == sorted(found["step_ids"])
    assert found["other_history"] == 0
    # Every service check-in is there, each with its use log; the shared one for today is one writer's, whole.
    assert found["writer_checkins"] == WRITERS * EACH
    assert found["writer_use_logs"] == WRITERS * EACH
    note, mood, use_what = found["shared_today"]
    number = int(note.split()[1])
    assert (mood, use_what) == (1 + number % 5, f"writer {number}")
    # Pages: every post saved and redirected; none failed.
    assert found["statuses"] == [302] * (CLIENTS * POSTS)
    visitors = CLIENTS - 1  # the last client shares the first's account and changes only today's
    assert len(found["visitor_checkins"]) == visitors * POSTS
    assert len({email for email, _ in found["visitor_checkins"]}) == visitors
