"""Every write about sessions: recording a sign-in, noting activity, and ending sessions."""
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import held_forms
from .devices import device_summary, network_of
from .models import AccountSession

# How often a session's "last active" is written: at most once a minute, not on every request.
SEEN_EVERY = timedelta(minutes=1)


def idle_limit() -> timedelta:
    return timedelta(minutes=settings.PATHWAYS_SESSION_IDLE_MINUTES)


def age_limit() -> timedelta:
    return timedelta(hours=settings.PATHWAYS_SESSION_MAX_HOURS)


def _delete_stored_sessions(keys) -> None:
    """Remove the sessions themselves from the session store, so their cookies open nothing."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store().delete(key)


@transaction.atomic
def session_record(*, user, session_key: str, user_agent: str = "", ip: str | None = None,
                   started_at: datetime | None = None) -> AccountSession:
    """Note a signed-in session (at login, or when a session's key changes) with its device in plain words."""
    now = timezone.now()
    row, _ = AccountSession.objects.update_or_create(session_key=session_key, defaults={
        "user": user, "created_at": started_at or now, "last_seen_at": now,
        "device": device_summary(user_agent or "")[:80], "network": network_of(ip),
    })
    return row


@transaction.atomic
def session_rekey(*, user, old_key: str, new_key: str, user_agent: str = "", ip: str | None = None,
                  started_at: datetime | None = None) -> None:
    """The session's key changed (at login, or a password change keeping this device signed in)."""
    if AccountSession.objects.filter(session_key=new_key).exists():
        AccountSession.objects.filter(session_key=old_key).delete()  # a login made its own row
        return
    if not AccountSession.objects.filter(session_key=old_key, user=user).update(session_key=new_key):
        session_record(user=user, session_key=new_key, user_agent=user_agent, ip=ip, started_at=started_at)


def session_seen(*, user, session_key: str, user_agent: str = "", ip: str | None = None,
                 started_at: datetime | None = None) -> None:
    """Activity on a session: "last active" moves on (the caller writes at most once a minute)."""
    if not AccountSession.objects.filter(session_key=session_key, user=user).update(last_seen_at=timezone.now()):
        session_record(user=user, session_key=session_key, user_agent=user_agent, ip=ip, started_at=started_at)


@transaction.atomic
def session_forget(*, session_key: str) -> None:
    """The session ended on its own device (timed out); its row goes with it."""
    AccountSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_end(*, user, keep_key: str | None = None) -> int:
    """End every session of the account but `keep_key`'s; returns how many ended.

    Used at logout, at a password change or reset, when an account is deactivated, and by "sign out
    everywhere else"."""
    rows = AccountSession.objects.select_for_update().filter(user=user)
    if keep_key:
        rows = rows.exclude(session_key=keep_key)
    keys = list(rows.values_list("session_key", flat=True))
    _delete_stored_sessions(keys)
    AccountSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def session_end(*, owner, public_id) -> AccountSession:
    """End one of the owner's own sessions; anyone else's (or none) raises AccountSession.DoesNotExist."""
    row = AccountSession.objects.select_for_update().get(user=owner, public_id=public_id)
    _delete_stored_sessions([row.session_key])
    row.delete()
    return row


@transaction.atomic
def sessions_end_expired() -> int:
    """End, server-side, every session past its idle or age limit, even if its device never comes back.

    The middleware ends such a session on its next request anyway; this also removes sessions nobody
    returns to. The notification worker runs it every round. Each ended session is remembered for an hour, so
    a form its device sends later is still held for its account (`held_forms`)."""
    now = timezone.now()
    rows = AccountSession.objects.filter(Q(last_seen_at__lt=now - idle_limit() - SEEN_EVERY)
                                         | Q(created_at__lt=now - age_limit()))
    # In one order for every worker: two workers ending the same sessions at once then wait for each other
    # row by row instead of deadlocking.
    ended = list(rows.order_by("session_key").values_list("session_key", "user_id"))
    keys = [key for key, _ in ended]
    _delete_stored_sessions(keys)
    AccountSession.objects.filter(session_key__in=keys).delete()
    held_forms.timed_out_sessions_record(sessions=ended)
    return len(keys)
