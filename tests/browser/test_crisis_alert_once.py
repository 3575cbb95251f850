"""Saving the day's check-in again with the same risk answer tells nobody again: counted end to end.

Everything here is a real process, as deployed: Pathways served by `manage.py runserver` on its own SQLite
file, the notification worker (`manage.py run_worker`) beside it, an SMTP server on loopback, and Chromium
at phone size. The person saves a risk answer, then saves again only to add a lapse note; the SMTP server
must receive exactly one email, for the one supporter allowed to be told.
"""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from playwright.sync_api import expect

from .conftest import PHONE, AuditedPage

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "tide tables and tea"
SEED = f"""
from pathways.circle import services as circle
from pathways.people.models import PersonProfile, User
from pathways.people.services import person_sign_up
mia = person_sign_up(email="mia@example.org", password={PASSPHRASE!r}, preferred_name="Mia")
PersonProfile.objects.filter(user=mia).update(country="IE")
for email, items in (("sam@example.org", {{"crisis_alerts": "view"}}), ("lee@example.org", {{"plan": "view"}})):
    supporter = User.objects.create_user(email=email, password={PASSPHRASE!r}, preferred_name=email[:3].title())
    _, token = circle.invitation_create(person=mia, role="peer_supporter", name=email[:3])
    member = circle.invitation_accept(token=token, supporter=supporter)
    circle.grant_create(member=member, items=items, purpose="Support", signature="Mia")
"""


class Inbox:
    def __init__(self):
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 2.0.0 Accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(data_dir: Path, smtp_port: int) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "pathways.config.settings", "PATHWAYS_DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite:///{data_dir / 'pathways.sqlite3'}", "PATHWAYS_SECURE_COOKIES": "0",
            "PATHWAYS_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PATHWAYS_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "PATHWAYS_EMAIL_HOST": "127.0.0.1", "PATHWAYS_EMAIL_PORT": str(smtp_port), "PATHWAYS_LOG_LEVEL": "WARNING"}


def manage(env: dict, *args: str) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr


def wait_until_serving(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read()
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def outbox(database: Path) -> tuple[int, int]:
    """(emails still waiting, emails in all), read from the site's own database file."""
    with closing(sqlite3.connect(database, timeout=20)) as db:
        emails = "FROM outbox_outgoingemail WHERE kind = 'notification'"
        waiting = db.execute(f"SELECT count(*) {emails} AND status = 'pending'").fetchone()
        total = db.execute(f"SELECT count(*) {emails}").fetchone()
    return waiting[0], total[0]


@pytest.fixture
def site(tmp_path):
    """Server, worker and SMTP server as separate processes, on a migrated and seeded SQLite file."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("runs its own processes on their own SQLite file; once per suite is enough")
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = environment(tmp_path, smtp.port)
    manage(env, "migrate", "-v0")
    manage(env, "shell", "-c", SEED)
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload",
                               f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker", "--interval", "0.3"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", server)
        yield f"http://127.0.0.1:{port}", inbox, tmp_path / "pathways.sqlite3"
    finally:
        for process in (worker, server):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        smtp.stop()


def test_saving_the_same_risk_answer_again_sends_exactly_one_email(new_context, site):
    url, inbox, database = site
    screen = AuditedPage(page=new_context(**PHONE).new_page(), base_url=url, touch=True, check_reflow=True)
    page = screen.page
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill("mia@example.org")
    page.get_by_label("Password").fill(PASSPHRASE)
    screen.follow(page.get_by_role("button", name="Log in"))

    def check_in(*, lapse: bool) -> None:
        screen.follow(page.get_by_role("link", name="Check in"))
        group = page.get_by_role("group", name="Have I had thoughts of harming myself?")
        screen.activate(group.get_by_role("radio", name="Some passing thoughts", exact=True))
        if lapse:
            screen.activate(page.get_by_label("Today included a lapse I want to note"))
            page.get_by_label("What was happening (optional)").fill("A drink after the funeral")
        screen.follow(page.get_by_role("button", name="Save my check-in"))

    check_in(lapse=False)
    expect(page.get_by_role("status")).to_contain_text("we let Sam know just now")
    lines = page.get_by_role("region", name="People you can reach right now")
    expect(lines.locator('a[href^="tel:"]').first).to_have_attribute("href", "tel:112")

    check_in(lapse=True)  # the same answer, saved again only to add a lapse note
    expect(page.get_by_role("status")).to_contain_text("Nobody was told again")
    expect(page.get_by_role("region", name="About the lapse you noted")).to_be_visible()

    deadline = time.monotonic() + 30
    while (outbox(database)[0] or not inbox.recipients) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)  # a few more rounds of the worker: nothing else may arrive
    assert outbox(database) == (0, 1)
    assert inbox.recipients == [["sam@example.org"]]
    screen.assert_clean()
