"""One production stack for the whole smoke suite, as `make serve` runs it, with a mail server of its own.

PostgreSQL is the server TEST_POSTGRES_URL names (CI's), in a database made for this run and dropped after
it; gunicorn, the worker and Caddy listen on free ports; keys, static files, Caddy's local authority
(XDG_DATA_HOME) and every log live in a temporary folder, so nothing is left in var/ or the home folder.
"""
import os
import socket
import threading
from email import message_from_bytes
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller

from deploy.stack import Stack, drop_database

SERVER = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """Every message the loopback SMTP server accepts, as parsed emails; `wait_for` blocks until one comes."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()
        self.port = free_port()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
            self.arrived.notify_all()
        return "250 2.0.0 Accepted"

    def wait_for(self, *, to: str, saying: str, timeout: float = 30) -> str | None:
        """The text of the first email to TO whose text holds SAYING, waiting up to TIMEOUT for it."""
        def found():
            texts = (message.get_payload(decode=True).decode() for message in self.messages if message["To"] == to)
            return next((text for text in texts if saying in text), None)

        with self.arrived:
            self.arrived.wait_for(found, timeout=timeout)
            return found()


@pytest.fixture(scope="session")
def inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, inbox):
    parts = urlsplit(SERVER)
    database_url = urlunsplit(parts._replace(path=f"/pathways_smoke_{os.getpid()}"))
    stack = Stack(folder=tmp_path_factory.mktemp("stack"), database_url=database_url,
                  https_port=free_port(), http_port=free_port(), web_port=free_port(), worker_interval=0.5,
                  log_to_files=True, settings={
                      "PATHWAYS_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                      "PATHWAYS_EMAIL_HOST": "127.0.0.1", "PATHWAYS_EMAIL_PORT": str(inbox.port)})
    try:
        stack.prepare()
        with stack:
            yield stack
    finally:
        drop_database(database_url)
