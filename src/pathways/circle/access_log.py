"""Append-only, chained record of every read of a person's data by someone else, and of every change to
what they share.

Each entry's digest is an HMAC-SHA256 of its fields and the previous entry's digest, under a key that is
kept outside the database (settings.PATHWAYS_ACCESS_LOG_KEYS, newest first). An entry names the key that
signed it by a short id, so keys can be rotated: new entries use the newest key, and every listed key
still verifies the entries it signed. Someone who can edit the database but does not hold a key cannot
rebuild the chain after changing an entry. Removing entries from the end (or all of them) leaves a chain
that still holds together; checkpoints written outside the database (checkpoints.py) catch that.
"""
import contextvars
import hashlib
import hmac
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from pathways.vault.keys import UndecryptableValue

from .models import AccessLogEntry, AccessLogHead

GENESIS = "0" * 64

# Where the current request came from; set by AccessContextMiddleware, read when an entry is written.
request_source: contextvars.ContextVar[str] = contextvars.ContextVar("request_source", default="")


def key_id(key: str) -> str:
    """The short public name of a key: the first 8 hex digits of its SHA-256. Never the key itself."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def signing_keys() -> dict[str, bytes]:
    """Every listed key by its id, newest first."""
    listed = [key for key in settings.PATHWAYS_ACCESS_LOG_KEYS if key]
    if not listed:
        raise ImproperlyConfigured("No access-log key: set PATHWAYS_ACCESS_LOG_KEYS (or PATHWAYS_ACCESS_LOG_KEYS_FILE).")
    keys: dict[str, bytes] = {}
    for key in listed:
        keys.setdefault(key_id(key), key.encode())
    return keys


def current_key() -> tuple[str, bytes]:
    """The newest key, which signs new entries and checkpoints."""
    return next(iter(signing_keys().items()))


class UnknownKey(Exception):
    """The entry names a key that is not in PATHWAYS_ACCESS_LOG_KEYS."""


def mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def entry_payload(entry: AccessLogEntry) -> str:
    values = {}
    for name in AccessLogEntry.HASHED_FIELDS:
        value = getattr(entry, name)
        values[name] = value.isoformat(timespec="microseconds") if name == "at" else value
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)


def entry_digest(entry: AccessLogEntry) -> str:
    """The HMAC of an entry's own fields and the previous entry's digest, under the key its `key_id` names."""
    key = signing_keys().get(entry.key_id)
    if key is None:
        raise UnknownKey(entry.key_id)
    return mac(key, entry_payload(entry))


@transaction.atomic
def append(*, person, viewer, viewer_role: str, category: str, action: str, allowed: bool, grant=None,
           emergency=None, viewer_name: str = "", purpose: str = "") -> AccessLogEntry:
    """Write one entry at the end of the chain; the locked head row keeps concurrent writers in order.

    `viewer` may be None for a change about an account that no longer exists; `viewer_name` then names it.
    """
    signer, _ = current_key()  # before taking the lock: a missing key fails here, with its own message
    head = _locked_head()
    entry = _signed_entry(head, signer, person=person, viewer=viewer, viewer_role=viewer_role, category=category,
                          action=action, allowed=allowed, grant=grant, emergency=emergency, viewer_name=viewer_name,
                          purpose=purpose)
    entry.save()
    head.sequence, head.digest = entry.sequence, entry.digest
    head.save(update_fields=["sequence", "digest"])
    return entry


# Entries per INSERT in `append_many`. Django 5.2 splits a bulk_create on SQLite every 999 parameters (about 60
# entries here), the default limit of SQLite before 3.32; SQLite now allows 32,766 and PostgreSQL 65,535, and
# 1,000 entries of 16 fields stay well under both, so a page logging a few hundred reads writes them in one go.
ENTRIES_PER_INSERT = 1000


@transaction.atomic
def append_many(entries: list[dict]) -> None:
    """Write several entries at the end of the chain under one lock of the head row, in one insert.

    Each dict holds `append`'s keyword arguments. The entries are chained and signed exactly as one `append`
    after another would: each names the digest of the one before it, so `verify` cannot tell them apart.
    """
    if not entries:
        return
    signer, _ = current_key()
    head = _locked_head()
    written = []
    for fields in entries:
        entry = _signed_entry(head, signer, **fields)
        head.sequence, head.digest = entry.sequence, entry.digest
        written.append(entry)
    columns = [field for field in AccessLogEntry._meta.concrete_fields if not field.primary_key]
    for start in range(0, len(written), ENTRIES_PER_INSERT):
        # bulk_create would cut the insert at Django's SQLite limit; its own single-statement insert does not.
        AccessLogEntry.objects._insert(written[start:start + ENTRIES_PER_INSERT], fields=columns)
    head.save(update_fields=["sequence", "digest"])


def _locked_head() -> AccessLogHead:
    """The row that ends the chain, locked until the transaction ends (made on the first entry ever)."""
    head = AccessLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AccessLogHead.objects.create(pk=1)
        head = AccessLogHead.objects.select_for_update().get(pk=1)
    return head


def _signed_entry(head: AccessLogHead, signer: str, *, person, viewer, viewer_role: str, category: str, action: str,
                  allowed: bool, grant=None, emergency=None, viewer_name: str = "", purpose: str = "") -> AccessLogEntry:
    """The entry that follows `head`, signed with the key `signer` names; not saved yet."""
    entry = AccessLogEntry(
        sequence=head.sequence + 1,
        at=timezone.now(),
        person_ref=str(person.public_id),
        viewer_ref=str(viewer.public_id) if viewer else "",
        viewer_name=((viewer.name or viewer.display_name) if viewer else viewer_name)[:150],
        viewer_role=viewer_role,
        category=str(category),
        action=str(action),
        allowed=allowed,
        grant_ref=str(grant.public_id) if grant else "",
        emergency=emergency is not None,
        purpose=(grant.purpose if grant else emergency.reason if emergency else purpose)[:500],
        source=request_source.get()[:64],
        previous_digest=head.digest,
        key_id=signer,
    )
    entry.digest = entry_digest(entry)
    return entry


class ChainBroken(Exception):
    def __init__(self, sequence: int, reason: str):
        super().__init__(f"entry {sequence}: {reason}")
        self.sequence = sequence
        self.reason = reason


def _in_order(batch: int = 2000):
    """Every entry by sequence, a batch at a time (keyset pages: no server-side cursor left open on a break).

    A page holding a value no field key opens is read again one entry at a time, so the entry is named.
    """
    last = -1
    while True:
        entries = AccessLogEntry.objects.filter(sequence__gt=last).order_by("sequence")
        try:
            page = list(entries[:batch])
        except UndecryptableValue:
            page = []
            for sequence in entries.values_list("sequence", flat=True)[:batch]:
                try:
                    page.append(AccessLogEntry.objects.get(sequence=sequence))
                except UndecryptableValue as error:
                    yield from page
                    where = str(error).split(":", 1)[0].rsplit(".", 1)[-1]
                    raise ChainBroken(sequence, f"its {where} cannot be decrypted: the field key it was written "
                                                "with is missing from PATHWAYS_FIELD_KEYS, or the value was "
                                                "altered") from None
        yield from page
        if len(page) < batch:
            return
        last = page[-1].sequence


def verify(checkpoints=()) -> int:
    """Check the whole chain; return how many entries held, or raise ChainBroken at the first bad one.

    Each of `checkpoints` (objects with `sequence`, `digest` and `at`, see checkpoints.py) must find its
    entry with the same digest, and the chain must reach the highest of them.
    """
    keys = signing_keys()
    expected_at: dict[int, list] = {}
    for checkpoint in checkpoints:
        expected_at.setdefault(checkpoint.sequence, []).append(checkpoint)
    previous = GENESIS
    expected_sequence = 1
    checked = 0
    for entry in _in_order():
        if entry.sequence != expected_sequence:
            raise ChainBroken(expected_sequence, f"missing (the next entry found is {entry.sequence})")
        if entry.previous_digest != previous:
            raise ChainBroken(entry.sequence, "does not follow the entry before it (removed or reordered)")
        if entry.key_id not in keys:
            raise ChainBroken(entry.sequence, (f"it names key {entry.key_id}, which is not in PATHWAYS_ACCESS_LOG_KEYS"
                                               if entry.key_id else "it is not signed with any access-log key")
                              + ": written by someone without the key, or the key was removed from the list")
        if not hmac.compare_digest(entry_digest(entry), entry.digest):
            raise ChainBroken(entry.sequence, "its contents were changed after it was written")
        for checkpoint in expected_at.get(entry.sequence, ()):
            if not hmac.compare_digest(checkpoint.digest, entry.digest):
                raise ChainBroken(entry.sequence, f"it differs from the checkpoint written at {checkpoint.at}: the "
                                                  "log was rewritten from here or before")
        previous = entry.digest
        expected_sequence += 1
        checked += 1
    head = AccessLogHead.objects.filter(pk=1).first()
    if head is None and checked:
        raise ChainBroken(checked, "the head row that ends the chain is missing")
    if head is not None and (head.sequence, head.digest) != (checked, previous):
        if head.sequence > checked:
            raise ChainBroken(checked + 1, f"missing: the chain should end at entry {head.sequence}")
        raise ChainBroken(checked, f"the head row says the chain ends at entry {head.sequence}, not here")
    if expected_at:
        newest = max(expected_at)
        if newest > checked:
            at = expected_at[newest][-1].at
            raise ChainBroken(checked + 1, f"missing: the checkpoint written at {at} shows the log reached entry "
                                           f"{newest}, but it now ends at entry {checked} (entries were removed "
                                           "from the end, or all of them)")
    return checked
