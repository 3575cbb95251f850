"""Checkpoints of the access log, kept where the database cannot reach them.

The chain in the database proves that no entry was changed and that none is missing between the first
and the last; it cannot prove that the last ones are still there, because whoever can delete rows can
also move the head back. So the worker writes, whenever the log has grown, one signed line naming the
sequence and digest of the newest entry to a destination the organisation chooses
(settings.PATHWAYS_ACCESS_LOG_CHECKPOINT):

    file:/path/to/checkpoints.txt   appended to (give it to a user the database cannot write as)
    syslog                          the local syslog (/dev/log), facility AUTH
    syslog:HOST[:PORT]              a syslog server over UDP (port 514 if not given)
    email:auditor@example.org       one email per checkpoint, queued in the outbox the worker sends from
    off (or empty)                  no checkpoints

A line reads

    pathways-access-log-checkpoint v1 sequence=42 digest=<64 hex> at=<UTC time> key=<key id> mac=<64 hex>

where mac is the HMAC-SHA256, under the access-log key named, of "v1|sequence|digest|at". Lines can be
collected from any of the destinations into one file (syslog prefixes and mail headers around them are
ignored) and checked with `manage.py verify_access_log --checkpoint FILE`.
"""
import hmac
import logging
import logging.handlers
import re
import socket
import syslog
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from pathways.outbox.services import email_queue

from . import access_log
from .models import AccessLogCheckpoint, AccessLogHead

MARK = "pathways-access-log-checkpoint"
LINE = re.compile(MARK + r" v1 sequence=(?P<sequence>\d+) digest=(?P<digest>[0-9a-f]{64}) at=(?P<at>\S+) "
                         r"key=(?P<key>[0-9a-f]{1,16}) mac=(?P<mac>[0-9a-f]{64})(?:\s|$)")


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    digest: str
    at: str
    line_number: int = 0


class CheckpointUnreadable(Exception):
    """A checkpoint line that is malformed or not signed by a listed key."""


def _signed_text(sequence: int, digest: str, at: str) -> str:
    return f"v1|{sequence}|{digest}|{at}"


def checkpoint_line(sequence: int, digest: str, at: datetime) -> str:
    key_id, key = access_log.current_key()
    when = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    mac = access_log.mac(key, _signed_text(sequence, digest, when))
    return f"{MARK} v1 sequence={sequence} digest={digest} at={when} key={key_id} mac={mac}"


def read_checkpoints(lines) -> list[Checkpoint]:
    """The checkpoints among `lines`, in order. Lines that do not mention a checkpoint are skipped; one that does
    but is malformed or carries a signature no listed key made raises CheckpointUnreadable."""
    keys = access_log.signing_keys()
    found = []
    for number, line in enumerate(lines, start=1):
        if MARK not in line:
            continue
        match = LINE.search(line)
        if match is None:
            raise CheckpointUnreadable(f"line {number} mentions a checkpoint but is not in the expected form")
        sequence, digest, at = int(match["sequence"]), match["digest"], match["at"]
        key = keys.get(match["key"])
        if key is None:
            raise CheckpointUnreadable(f"line {number} is signed with key {match['key']}, which is not in "
                                       "PATHWAYS_ACCESS_LOG_KEYS")
        if not hmac.compare_digest(access_log.mac(key, _signed_text(sequence, digest, at)), match["mac"]):
            raise CheckpointUnreadable(f"line {number}'s signature does not match it: the line was altered")
        found.append(Checkpoint(sequence=sequence, digest=digest, at=at, line_number=number))
    return found


def destination() -> tuple[str, str]:
    """("file", path), ("syslog", "" or "host[:port]"), ("email", address), or ("off", "")."""
    value = (getattr(settings, "PATHWAYS_ACCESS_LOG_CHECKPOINT", "") or "").strip()
    if value.lower() in ("", "off"):
        return "off", ""
    kind, _, target = value.partition(":")
    kind = kind.lower()
    if kind == "syslog" or (kind in ("file", "email") and target.strip()):
        return kind, target.strip()
    raise ImproperlyConfigured(f"PATHWAYS_ACCESS_LOG_CHECKPOINT is {value!r}; use file:/path, syslog, "
                               "syslog:host[:port], email:address or off.")


def _write_file(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:  # append only: earlier lines are never rewritten
        handle.write(line + "\n")
        handle.flush()


def _write_syslog(target: str, line: str) -> None:
    if not target:
        syslog.openlog("pathways", syslog.LOG_PID, syslog.LOG_AUTH)
        syslog.syslog(syslog.LOG_NOTICE, line)
        return
    host, _, port = target.partition(":")
    handler = logging.handlers.SysLogHandler(address=(host, int(port or 514)), socktype=socket.SOCK_DGRAM,
                                             facility=logging.handlers.SysLogHandler.LOG_AUTH)
    try:
        handler.emit(logging.makeLogRecord({"msg": "pathways: " + line, "levelno": logging.WARNING,
                                            "levelname": "WARNING"}))
    finally:
        handler.close()


def _write_email(address: str, line: str) -> None:
    """Through the one outbox, in the checkpoint's transaction: the worker sends it, retrying while SMTP is down."""
    email_queue(kind="access_log_checkpoint", to=address, subject="Pathways access log checkpoint",
                body=("Keep this line. It lets `manage.py verify_access_log --checkpoint` find entries removed "
                      f"from the access log later.\n\n{line}\n"))


WRITERS = {"file": _write_file, "syslog": _write_syslog, "email": _write_email}


def access_log_checkpoint_write(*, now: datetime | None = None) -> str | None:
    """Write a checkpoint of the log's newest entry, if the log moved since the last one; returns the line.

    Run by the worker every round. A failure to write raises (and nothing is remembered), so the next round
    tries again. PATHWAYS_ACCESS_LOG_CHECKPOINT_SECONDS spaces checkpoints out (for email).
    """
    kind, target = destination()
    if kind == "off":
        return None
    now = now or timezone.now()
    with transaction.atomic():
        AccessLogCheckpoint.objects.get_or_create(pk=1)
        last = AccessLogCheckpoint.objects.select_for_update().get(pk=1)
        head = AccessLogHead.objects.filter(pk=1).first()
        if head is None or head.sequence == 0 or (head.sequence, head.digest) == (last.sequence, last.digest):
            return None
        spacing = timedelta(seconds=getattr(settings, "PATHWAYS_ACCESS_LOG_CHECKPOINT_SECONDS", 0))
        if last.written_at is not None and now - last.written_at < spacing:
            return None
        line = checkpoint_line(head.sequence, head.digest, now)
        WRITERS[kind](target, line)
        last.sequence, last.digest, last.written_at = head.sequence, head.digest, now
        last.save(update_fields=["sequence", "digest", "written_at"])
    return line
