"""Two worker processes at once send every email exactly once, and run each periodic job's work once.

Two real `manage.py run_worker` processes, started as a service would start them, share one database and one
SMTP server (aiosmtpd on loopback). Once both are running, a thousand emails, people whose check-in reminder
is due and crisis alerts whose next round is due all appear in one commit, so both workers race for the same
rows from the same moment. Every email must arrive once, every row end sent, both workers must have sent
some, and each reminder and each next round must be created once.

The database must be one both processes reach. On PostgreSQL (the production case, where workers claim with
SKIP LOCKED) that is pytest-django's test database. SQLite's test database lives in this process's memory, so
there the workers share a freshly migrated file instead: SQLite is the small-install default, and two workers
on one file (the conditional-UPDATE claim) must be just as safe.
"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from . import many_workers_site as site
from .helpers import closed_port

ROOT = Path(__file__).resolve().parents[4]
SITE_SCRIPT = Path(site.__file__)
# Enough reminders that both workers are still creating them when the other starts: with 40, one worker had
# finished before the other looked, and reminders without their claim went unnoticed.
EMAILS, REMINDED, ALERTED = 1000, 200, 8
WORKERS = 2
SENT_LINE = re.compile(r" email (\d+) sent$", re.MULTILINE)


class Inbox:
    """Counts every message the SMTP server accepts, by recipient."""

    def __init__(self):
        self.recipients: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.recipients.update(envelope.rcpt_tos)
        return "250 2.0.0 Accepted"

    def total(self) -> int:
        with self.lock:
            return sum(self.recipients.values())

    def received_all(self, addresses: set[str]) -> bool:
        with self.lock:
            return addresses <= self.recipients.keys()


def _postgres_url(database: dict) -> str:
    credentials = quote(database["USER"] or "", safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"], safe="")
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}@{database['HOST'] or 'localhost'}{port}/{database['NAME']}"


@pytest.fixture
def database_url(tmp_path) -> str:
    """A database the worker processes can share: the test database itself on PostgreSQL (the test is marked
    transaction=True, so rows are committed, visible to other processes, and emptied afterwards), a migrated
    file on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return _postgres_url(connection.settings_dict)
    url = f"sqlite:///{tmp_path / 'pathways.sqlite3'}"
    migrated = subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], cwd=ROOT,
                              env=environment(url, tmp_path, mail_port=closed_port()), capture_output=True,
                              text=True, timeout=180)
    assert migrated.returncode == 0, migrated.stderr
    return url


def environment(url: str, data_dir: Path, *, mail_port: int) -> dict[str, str]:
    """The settings every process of the test shares: the database, this test run's keys, the mail server."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "pathways.config.settings", "PATHWAYS_DATA_DIR": str(data_dir),
            "DATABASE_URL": url, "PATHWAYS_SECRET_KEY": settings.SECRET_KEY,
            "PATHWAYS_FIELD_KEYS": ",".join(settings.PATHWAYS_FIELD_KEYS),
            "PATHWAYS_ACCESS_LOG_KEYS": ",".join(settings.PATHWAYS_ACCESS_LOG_KEYS),
            "PATHWAYS_ACCESS_LOG_CHECKPOINT": "off",
            "PATHWAYS_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "PATHWAYS_EMAIL_HOST": "127.0.0.1", "PATHWAYS_EMAIL_PORT": str(mail_port), "PATHWAYS_EMAIL_TIMEOUT": "20",
            "PATHWAYS_LOG_LEVEL": "INFO",  # INFO: each worker logs the id of every email it sent
            "PYTHONUNBUFFERED": "1"}  # so "started" reaches the log file as it is written


@pytest.fixture
def mail_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=closed_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def start_workers(tmp_path):
    started: list[tuple[subprocess.Popen, Path]] = []

    def start(env: dict[str, str]) -> list[tuple[subprocess.Popen, Path]]:
        for number in range(WORKERS):
            log = tmp_path / f"worker-{number}.log"
            with open(log, "w") as output:  # the child keeps its own copy of the file
                worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker", "--interval", "0.1"],
                                          cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
            started.append((worker, log))
        for worker, log in started:
            wait_until(lambda log=log: "started" in log.read_text(), what=f"{log.name} to start", worker=worker)
        return started

    yield start
    for worker, _ in started:  # a test that failed half-way must not leave workers behind
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def wait_until(condition, *, what: str, seconds: float = 60, worker: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker is None or worker.poll() is None, f"a worker exited while waiting for {what}"
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def run_site(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, str(SITE_SCRIPT), *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_email_once_and_run_each_job_once(database_url, tmp_path, mail_server, start_workers):
    inbox, port = mail_server
    env = environment(database_url, tmp_path, mail_port=port)
    workers = start_workers(env)

    run_site(env, "seed", str(EMAILS), str(REMINDED), str(ALERTED))
    began = time.monotonic()
    expected = ({site.race_address(n) for n in range(EMAILS)} | {site.reminded_address(n) for n in range(REMINDED)}
                | {site.supporter_address(n, 2) for n in range(ALERTED)})
    wait_until(lambda: inbox.received_all(expected), what="the emails to arrive", seconds=90)
    took = time.monotonic() - began
    time.sleep(1)  # a second send of anything would have had time to arrive
    for worker, log in workers:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, log.read_text()[-2000:]

    found = json.loads(run_site(env, "report"))
    sent_by = [[int(pk) for pk in SENT_LINE.findall(log.read_text())] for _, log in workers]
    every_email = {int(pk) for pk in found["emails"]}
    print(f"\n{len(every_email)} emails ({EMAILS} queued, the rest from the seed and the jobs) sent in {took:.1f} s; "
          f"by each worker: {[len(ids) for ids in sent_by]}")  # the figures `-s` shows
    assert set(found["emails"].values()) == {"sent"}  # every row ends sent...
    assert all(len(ids) == len(set(ids)) for ids in sent_by)
    assert not set(sent_by[0]) & set(sent_by[1])  # ...by exactly one of the workers...
    assert set(sent_by[0]) | set(sent_by[1]) == every_email
    assert all(sent_by), "both workers should have sent some of the emails"
    assert found["attempts"] == [1]  # ...on its first claim
    assert inbox.total() == len(every_email)  # and each arrived once
    assert all(inbox.recipients[site.race_address(n)] == 1 for n in range(EMAILS))

    # Each due reminder was created once, and each alert's second round was told once.
    assert found["reminders"] == {site.reminded_address(n): 1 for n in range(REMINDED)}
    assert found["reminded_today"] == REMINDED
    assert found["round_one_told"] == {site.supporter_address(n, 1): 1 for n in range(ALERTED)}
    assert found["round_two_told"] == {site.supporter_address(n, 2): 1 for n in range(ALERTED)}
    assert found["alert_rounds"] == [2] * ALERTED
