"""Every read about sessions: only ever the viewer's own."""
from django.utils import timezone

from .models import AccountSession
from .services import SEEN_EVERY, age_limit, idle_limit


def sessions_of(*, viewer, current_key: str | None) -> list[AccountSession]:
    """The viewer's live sessions, this device first, each marked `is_current`."""
    now = timezone.now()
    rows = list(AccountSession.objects.filter(
        user=viewer, last_seen_at__gte=now - idle_limit() - SEEN_EVERY, created_at__gte=now - age_limit()))
    for row in rows:
        row.is_current = row.session_key == current_key
        row.active_just_now = now - row.last_seen_at < SEEN_EVERY
    return sorted(rows, key=lambda row: not row.is_current)
