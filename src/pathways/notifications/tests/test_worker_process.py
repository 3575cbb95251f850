"""The worker as a real process, against a real SMTP server: killed mid-send it loses nothing; SIGTERM stops it cleanly.

Each test copies a freshly migrated SQLite file, seeds notifications with `manage.py shell`, and runs
`manage.py run_worker` exactly as `make run` or a production service does, sending to an aiosmtpd server on
loopback that can keep the worker waiting in the middle of a send.
"""
import asyncio
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[4]
PEOPLE = ["ana@example.org", "ben@example.org", "cal@example.org"]


class MailServer:
    """An aiosmtpd handler that records what it accepted and can hold the first message to keep a worker mid-send."""

    def __init__(self, *, hold_first: bool = False, delay: float = 0.0):
        self.hold_first, self.delay = hold_first, delay
        self.mid_send = threading.Event()  # a worker has sent a message and is waiting for the server's answer
        self.release = threading.Event()
        self.accepted: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        if self.hold_first and not self.mid_send.is_set():
            self.mid_send.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Not accepted: the sender went away"  # that worker never heard back
        self.mid_send.set()
        await asyncio.sleep(self.delay)
        self.accepted.extend(envelope.rcpt_tos)
        return "250 2.0.0 Accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("migrated")
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], cwd=ROOT,
                            env=environment(folder, port=25), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return folder


def environment(data_dir: Path, *, port: int) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "pathways.config.settings", "PATHWAYS_DATA_DIR": str(data_dir),
            "PATHWAYS_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "PATHWAYS_EMAIL_HOST": "127.0.0.1", "PATHWAYS_EMAIL_PORT": str(port), "PATHWAYS_EMAIL_TIMEOUT": "20",
            "PATHWAYS_LOG_LEVEL": "INFO"}


class Site:
    """A Pathways data folder with its own database, and a way to run its commands and look inside."""

    def __init__(self, data_dir: Path, port: int):
        self.data_dir, self.env = data_dir, environment(data_dir, port=port)
        self.workers: list[subprocess.Popen] = []

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=60)

    def seed(self, emails: list[str]) -> None:
        script = ("from pathways.people.models import User;from pathways.notifications.services import notify\n"
                  f"for email in {emails!r}:\n"
                  "    person = User.objects.create_user(email=email)\n"
                  "    notify(recipient=person, kind='crisis_alert', title='Someone you support asked for help')\n")
        result = self.manage("shell", "-c", script)
        assert result.returncode == 0, result.stderr

    def start_worker(self) -> subprocess.Popen:
        with open(self.data_dir / f"worker-{len(self.workers)}.log", "w") as log:  # the child keeps its own copy
            worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker", "--interval", "0.1",
                                       "--lease", "1"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.workers.append(worker)
        return worker

    def log(self, worker: subprocess.Popen) -> str:
        return (self.data_dir / f"worker-{self.workers.index(worker)}.log").read_text()

    def query(self, sql: str) -> list[tuple]:
        with closing(sqlite3.connect(self.data_dir / "pathways.sqlite3", timeout=20)) as db:
            return db.execute(sql).fetchall()

    def deliveries(self) -> list[tuple]:
        return self.query("SELECT u.email, d.status, d.attempts, d.last_error, d.claimed_until "
                          "FROM outbox_outgoingemail d JOIN people_user u ON u.id = d.person_id "
                          "WHERE d.kind = 'notification' ORDER BY u.email")

    def notification_count(self) -> int:
        return self.query("SELECT COUNT(*) FROM notifications_notification")[0][0]

    def wait_until(self, condition, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"gave up waiting; deliveries: {self.deliveries()}"
            time.sleep(0.05)


@pytest.fixture
def site_with(tmp_path, migrated_database):
    """Start a mail server and give a fresh site that sends to it; stop every worker and the server afterwards."""
    started = []

    def make(handler: MailServer) -> Site:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        for name in ("pathways.sqlite3", "secret_key"):
            shutil.copy(migrated_database / name, tmp_path / name)
        site = Site(tmp_path, port)
        started.append((site, handler, controller))
        return site

    yield make
    for site, handler, controller in started:
        for worker in site.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        handler.release.set()
        controller.stop()


def test_a_worker_killed_in_the_middle_of_sending_loses_no_notification(site_with):
    server = MailServer(hold_first=True)
    site = site_with(server)
    site.seed(PEOPLE)

    first = site.start_worker()
    assert server.mid_send.wait(timeout=30), site.log(first)
    held = [row for row in site.deliveries() if row[4] is not None]
    assert len(held) == 1 and held[0][1] == "pending"  # claimed under a lease, not finished
    first.send_signal(signal.SIGKILL)
    assert first.wait(timeout=10) == -signal.SIGKILL

    second = site.start_worker()
    site.wait_until(lambda: all(status == "sent" for _, status, *_ in site.deliveries()))
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=15) == 0, site.log(second)

    assert sorted(set(server.accepted)) == PEOPLE  # every notification's email arrived at least once
    assert site.notification_count() == len(PEOPLE)
    rows = {email: (status, attempts, error) for email, status, attempts, error, _ in site.deliveries()}
    assert rows[held[0][0]] == ("sent", 2, "Interrupted")  # the killed worker's claim ran out and was taken over
    assert all(status == "sent" for status, *_ in rows.values())


def test_sigterm_lets_the_worker_finish_its_email_and_exit_cleanly(site_with):
    server = MailServer(delay=1.0)
    site = site_with(server)
    site.seed(PEOPLE[:2])

    worker = site.start_worker()
    assert server.mid_send.wait(timeout=30), site.log(worker)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=15) == 0, site.log(worker)

    assert "stopped" in site.log(worker)
    assert len(server.accepted) == 1  # the email being sent was finished...
    assert sorted(status for _, status, *_ in site.deliveries()) == ["pending", "sent"]  # ...the next one waits
    assert all(claimed_until is None for *_, claimed_until in site.deliveries())  # and nothing is left claimed
