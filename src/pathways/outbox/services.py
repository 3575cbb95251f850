"""Every write to the outbox: queue an email, and the steps the worker runs to send it.

Queue inside the transaction of what the email is about. The worker reads only committed rows, so an email
never describes something that was rolled back, and a mail server that is down only delays it: the row stays,
and the worker tries again with growing pauses until MAX_ATTEMPTS.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import OutgoingEmail, Status

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)  # longer than a slow send (EMAIL_TIMEOUT per step), so a live worker keeps its claim
MAX_ATTEMPTS = 10  # with the back-off below, about three hours of trying before an email is given up
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# Finished rows are kept a while so a person's pages can say an email could not be sent, then deleted. Rows
# that belong to no account (sign-up links, password resets, invitations) go sooner: they only count requests
# for the hourly limits, and nobody else needs to know an address asked.
KEEP_FINISHED = timedelta(days=30)
KEEP_WITHOUT_ACCOUNT = timedelta(days=1)
SWEEP_BATCH = 1000


def address_digest(address: str) -> str:
    """Keyed, so a copy of the database cannot be searched for an address by hashing guesses."""
    return salted_hmac("pathways.outbox.address", address.strip().lower(), algorithm="sha256").hexdigest()


# --- Builders: emails whose words are decided when they are sent ------------------------------------------------

@dataclass(frozen=True)
class Builder:
    build: Callable[[OutgoingEmail], EmailMessage | None]
    after_sent: Callable[[OutgoingEmail], None] | None = None


_builders: dict[str, Builder] = {}


def builder_register(kind: str, build: Callable[[OutgoingEmail], EmailMessage | None], *,
                     after_sent: Callable[[OutgoingEmail], None] | None = None) -> None:
    """Say how to write emails of `kind` when they are sent. `build` returns the message, or None when there is
    nothing to send; `after_sent` runs once the message went out. Apps call this from AppConfig.ready."""
    _builders[kind] = Builder(build=build, after_sent=after_sent)


# --- Queueing ---------------------------------------------------------------------------------------------------

def email_queue(*, kind: str, to: str, subject: str, body: str, person=None,
                reference: int | None = None) -> OutgoingEmail:
    """Queue an email whose words are final now. Call inside the caller's transaction."""
    now = timezone.now()
    to = to.strip().lower()
    return OutgoingEmail.objects.create(kind=kind, to=to, to_digest=address_digest(to), subject=subject, body=body,
                                        person=person, reference=reference, created_at=now, next_attempt_at=now)


def email_queue_built_later(*, kind: str, to: str, person=None, reference: int | None = None,
                            requested_from: str = "") -> OutgoingEmail:
    """Queue an email that the builder registered for `kind` writes when it is sent (see builder_register)."""
    if kind not in _builders:
        raise LookupError(f"No builder is registered for {kind!r} emails: register one in its app's ready().")
    now = timezone.now()
    to = to.strip().lower()
    return OutgoingEmail.objects.create(kind=kind, to=to, to_digest=address_digest(to), build_when_sending=True,
                                        person=person, reference=reference, requested_from=requested_from,
                                        created_at=now, next_attempt_at=now)


def emails_count_recent(*, kind: str, since: datetime, to: str | None = None, requested_from: str | None = None) -> int:
    """How many emails of `kind` were queued since then, to this address or from this (digested) IP address."""
    recent = OutgoingEmail.objects.filter(kind=kind, created_at__gt=since)
    if to is not None:
        recent = recent.filter(to_digest=address_digest(to))
    if requested_from is not None:
        recent = recent.filter(requested_from=requested_from)
    return recent.count()


# --- The worker's side ------------------------------------------------------------------------------------------

def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling after each failed attempt, never more than an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _claimable(now: datetime) -> Q:
    return (Q(status=Status.PENDING, next_attempt_at__lte=now)
            & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)))


def email_claim(*, worker: str, now: datetime | None = None, lease: timedelta = LEASE) -> OutgoingEmail | None:
    """Lease the next due email to this worker, or None when nothing is due.

    Two workers (or a worker and its restarted self) never hold one email at once. Where the database locks
    rows (PostgreSQL), the due row is taken with SKIP LOCKED, so any number of workers each take a different
    email at the same moment instead of queueing behind one row; SQLite has no row locks, and there a
    conditional UPDATE is the claim. Claiming counts as an attempt, so an email whose sending kills the
    worker every time is given up after MAX_ATTEMPTS instead of looping forever.
    """
    now = now or timezone.now()
    if connection.features.has_select_for_update_skip_locked:
        return _claim_skipping_locked(worker=worker, now=now, lease=lease)
    return _claim_conditionally(worker=worker, now=now, lease=lease)


def _claim_skipping_locked(*, worker: str, now: datetime, lease: timedelta) -> OutgoingEmail | None:
    # The lock lasts only this short transaction: the lease written in it is what keeps the email ours while
    # it is sent, so no transaction stays open across a slow mail server.
    due = (OutgoingEmail.objects.select_for_update(skip_locked=True).filter(_claimable(now))
           .order_by("next_attempt_at", "pk"))
    with transaction.atomic():
        while (candidate := due.first()) is not None:
            if candidate.attempts >= MAX_ATTEMPTS:
                _give_up_interrupted(candidate, now)
                continue
            interrupted = candidate.claimed_until is not None  # the last worker to hold it never reported back
            candidate.claimed_by, candidate.claimed_until = worker, now + lease
            candidate.attempts += 1  # exact: nobody else can change the row while it is locked
            changed = ["claimed_by", "claimed_until", "attempts"]
            if interrupted:
                candidate.last_error = "Interrupted"
                changed.append("last_error")
            candidate.save(update_fields=changed)
            return candidate
    return None


def _claim_conditionally(*, worker: str, now: datetime, lease: timedelta) -> OutgoingEmail | None:
    for candidate in OutgoingEmail.objects.filter(_claimable(now)).order_by("next_attempt_at", "pk")[:10]:
        if candidate.attempts >= MAX_ATTEMPTS:
            _give_up_interrupted(candidate, now)
            continue
        interrupted = candidate.claimed_until is not None
        # Only one of two racing workers' UPDATEs still finds the row claimable; the other moves on.
        claimed = OutgoingEmail.objects.filter(_claimable(now), pk=candidate.pk).update(
            claimed_by=worker, claimed_until=now + lease, attempts=F("attempts") + 1,
            **({"last_error": "Interrupted"} if interrupted else {}))
        if claimed:
            return OutgoingEmail.objects.get(pk=candidate.pk)
    return None


def _give_up_interrupted(candidate: OutgoingEmail, now: datetime) -> None:
    if OutgoingEmail.objects.filter(_claimable(now), pk=candidate.pk).update(
            status=Status.FAILED, claimed_by="", claimed_until=None, last_error="Interrupted"):
        logger.warning("%s email %s given up: interrupted %s times", candidate.kind, candidate.pk,
                       candidate.attempts)


def message_for(email: OutgoingEmail) -> EmailMessage | None:
    """The message to send: the stored words, or what the kind's builder writes now (None: nothing to send)."""
    if email.build_when_sending:
        return _builders[email.kind].build(email)
    return EmailMessage(subject=email.subject, body=email.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email.to])


@dataclass(frozen=True)
class Outcome:
    sent: bool
    error: str = ""
    skipped: bool = False


def email_send(*, email: OutgoingEmail, now: datetime | None = None) -> Outcome:
    """Send one claimed email and record what happened. A failure is retried later, with growing pauses."""
    still_ours = OutgoingEmail.objects.filter(pk=email.pk, status=Status.PENDING, claimed_by=email.claimed_by)
    try:
        message = message_for(email)
        if message is None:
            still_ours.update(status=Status.SKIPPED, claimed_by="", claimed_until=None)
            logger.info("%s email %s: nothing to send", email.kind, email.pk)
            return Outcome(sent=False, skipped=True)
        message.send(fail_silently=False)
    except Exception as error:  # any failure to send is retried; only its class name is kept (no personal data)
        error_name = type(error).__name__[:100]
        now = now or timezone.now()
        given_up = email.attempts >= MAX_ATTEMPTS
        # Only while still ours: if our lease ran out and another worker took it over, its outcome counts.
        still_ours.update(status=Status.FAILED if given_up else Status.PENDING,
                          next_attempt_at=now + retry_delay(email.attempts), claimed_by="", claimed_until=None,
                          last_error=error_name)
        log = logger.warning if given_up else logger.info
        log("%s email %s attempt %s failed (%s)%s", email.kind, email.pk, email.attempts, error_name,
            ": given up" if given_up else ": will retry")
        return Outcome(sent=False, error=error_name)
    # Sent: the words (and any link in them) are no longer needed, so they are not kept.
    OutgoingEmail.objects.filter(pk=email.pk, status=Status.PENDING).update(
        status=Status.SENT, sent_at=timezone.now(), claimed_by="", claimed_until=None, subject="", body="")
    logger.info("%s email %s sent", email.kind, email.pk)
    builder = _builders.get(email.kind) if email.build_when_sending else None
    if builder and builder.after_sent:
        try:
            builder.after_sent(email)
        except Exception:  # the email went out; tidying after it is retried by the app's own sweep
            logger.exception("%s email %s: tidying after sending failed", email.kind, email.pk)
    return Outcome(sent=True)


def emails_send_due(*, worker: str, lease: timedelta = LEASE, stopping: Callable[[], bool] = lambda: False,
                    limit: int | None = None) -> int:
    """Claim and send due emails one at a time, of every kind, until none is due, `stopping()` says so, or
    `limit` were handled. Returns how many were handled."""
    handled = 0
    while not stopping() and (limit is None or handled < limit):
        email = email_claim(worker=worker, lease=lease)
        if email is None:
            break
        email_send(email=email)
        handled += 1
    return handled


def emails_try_again(*, email_ids: list[int]) -> int:
    """Give emails that were given up (or are waiting) a fresh set of attempts, starting now."""
    return OutgoingEmail.objects.filter(pk__in=email_ids, status__in=[Status.PENDING, Status.FAILED]).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_by="", claimed_until=None)


def emails_sweep(*, now: datetime | None = None) -> int:
    """Delete finished rows once they are old (see KEEP_FINISHED); waiting ones always stay."""
    now = now or timezone.now()
    old = (Q(created_at__lte=now - KEEP_FINISHED)
           | Q(person__isnull=True, created_at__lte=now - KEEP_WITHOUT_ACCOUNT))
    finished = OutgoingEmail.objects.filter(old, status__in=[Status.SENT, Status.SKIPPED, Status.FAILED])
    ids = list(finished.values_list("pk", flat=True)[:SWEEP_BATCH])
    deleted, _ = OutgoingEmail.objects.filter(pk__in=ids).delete()
    return deleted


def emails_forget_address(*, address: str) -> int:
    """Delete every email to this address, sent or waiting (an account at that address is being deleted)."""
    deleted, _ = OutgoingEmail.objects.filter(to_digest=address_digest(address)).delete()
    return deleted
