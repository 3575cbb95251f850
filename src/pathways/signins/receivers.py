"""Signals: a sign-in is recorded; logging out, a new password and deactivation end every session."""
from django.utils import timezone

from pathways.people.lockout import client_ip

from . import services

LOGIN_AT = "_pathways_login_at"  # when this session signed in (a timestamp), for the 12-hour limit
SEEN_AT = "_pathways_seen_at"  # when it was last active, written at most once a minute, for the idle limit


def record_sign_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    now = timezone.now().timestamp()
    session[LOGIN_AT] = session[SEEN_AT] = now
    if session.session_key is None:
        session.save()
    services.session_record(user=user, session_key=session.session_key,
                            user_agent=request.META.get("HTTP_USER_AGENT", ""), ip=client_ip(request))


def end_sessions_at_log_out(sender, request, user, **kwargs):
    """Logging out signs the account out everywhere, not only on this device."""
    if user is not None and user.is_authenticated and user.pk is not None:
        services.sessions_end(user=user)


def end_sessions_when_account_changes(sender, instance, created, update_fields=None, **kwargs):
    """A new password (changed, reset, or set by an admin) or a deactivated account ends every session.

    Django's password change keeps the device it was changed on signed in by giving it a new session
    (update_session_auth_hash), which the middleware records again."""
    if created:
        return
    password_changed = getattr(instance, "_password", None) is not None  # set_password() was called
    deactivated = not instance.is_active and (update_fields is None or "is_active" in update_fields)
    if password_changed or deactivated:
        services.sessions_end(user=instance)
