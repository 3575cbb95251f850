"""Append-only, hash-chained record of every read of a person's data by someone else."""
import contextvars
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from .models import AccessLogEntry, AccessLogHead

GENESIS = "0" * 64

# Where the current request came from; set by AccessContextMiddleware, read when an entry is written.
request_source: contextvars.ContextVar[str] = contextvars.ContextVar("request_source", default="")


def entry_digest(entry: AccessLogEntry) -> str:
    """The digest of an entry's own fields together with the previous entry's digest."""
    values = {}
    for name in AccessLogEntry.HASHED_FIELDS:
        value = getattr(entry, name)
        values[name] = value.isoformat(timespec="microseconds") if name == "at" else value
    payload = json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def append(*, person, viewer, viewer_role: str, category: str, action: str, allowed: bool, grant=None,
           emergency=None) -> AccessLogEntry:
    """Write one entry at the end of the chain; the locked head row keeps concurrent writers in order."""
    head = AccessLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AccessLogHead.objects.create(pk=1)
        head = AccessLogHead.objects.select_for_update().get(pk=1)
    entry = AccessLogEntry(
        sequence=head.sequence + 1,
        at=timezone.now(),
        person_ref=str(person.public_id),
        viewer_ref=str(viewer.public_id),
        viewer_name=(viewer.name or viewer.display_name)[:150],
        viewer_role=viewer_role,
        category=str(category),
        action=str(action),
        allowed=allowed,
        grant_ref=str(grant.public_id) if grant else "",
        emergency=emergency is not None,
        purpose=(grant.purpose if grant else emergency.reason if emergency else "")[:500],
        source=request_source.get()[:64],
        previous_digest=head.digest,
    )
    entry.digest = entry_digest(entry)
    entry.save()
    head.sequence, head.digest = entry.sequence, entry.digest
    head.save(update_fields=["sequence", "digest"])
    return entry


class ChainBroken(Exception):
    def __init__(self, sequence: int, reason: str):
        super().__init__(f"entry {sequence}: {reason}")
        self.sequence = sequence
        self.reason = reason


def _in_order(batch: int = 2000):
    """Every entry by sequence, a batch at a time (keyset pages: no server-side cursor left open on a break)."""
    last = -1
    while True:
        page = list(AccessLogEntry.objects.filter(sequence__gt=last).order_by("sequence")[:batch])
        yield from page
        if len(page) < batch:
            return
        last = page[-1].sequence


def verify() -> int:
    """Check the whole chain; return how many entries held, or raise ChainBroken at the first bad one."""
    previous = GENESIS
    expected_sequence = 1
    checked = 0
    for entry in _in_order():
        if entry.sequence != expected_sequence:
            raise ChainBroken(expected_sequence, f"missing (the next entry found is {entry.sequence})")
        if entry.previous_digest != previous:
            raise ChainBroken(entry.sequence, "does not follow the entry before it (removed or reordered)")
        if entry_digest(entry) != entry.digest:
            raise ChainBroken(entry.sequence, "its contents were changed after it was written")
        previous = entry.digest
        expected_sequence += 1
        checked += 1
    head = AccessLogHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence, head.digest) != (checked, previous):
        raise ChainBroken(checked + 1, f"missing: the chain should end at entry {head.sequence}")
    return checked
