"""Sessions end after a while without activity and after a fixed time at most, on the server."""
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from pathways.people.lockout import client_ip

from . import held_forms, services
from .receivers import LOGIN_AT, SEEN_AT

SIGNED_OUT = "You were signed out, to keep your information safe. Log in again to carry on."


class SessionLimitsMiddleware:
    """Ends a signed-in session that has been idle too long or is older than the limit, and keeps each
    session's row (device, last active) true.

    The check runs on every request against what the server stored, so a copied cookie is no use after
    the limit either; `services.sessions_end_expired` (run by the worker) removes sessions nobody comes
    back to. Ending a session deletes it from the session store; the request carries on signed out, so
    the person lands on the login page (any private page sends them there) with a kind message saying why.
    A form sent after the limits is held for its account and given back after login (`held_forms`).
    Goes after the authentication and messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._check(request) and request.headers.get("HX-Request") == "true":
            # An htmx request would swap the login page into a fragment: move the whole page there instead.
            return HttpResponseClientRedirect(redirect_to_login(request.get_full_path())["Location"])
        key_before = request.session.session_key
        response = self.get_response(request)
        self._follow_new_key(request, key_before)
        if request.method == "POST":
            held_forms.hold_if_timed_out(request, response)
        return response

    def _check(self, request) -> bool:
        """End the session if its time is up; True when this request's session was ended just now."""
        session = request.session
        if not request.user.is_authenticated:
            if SESSION_KEY in session:  # the account was deactivated: Django refuses it, we end the session
                session.flush()
                messages.info(request, SIGNED_OUT)
            elif session.session_key is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
                # The cookie names a session the server has ended (on another device, by a new password).
                messages.info(request, SIGNED_OUT)
            return False
        now = timezone.now()
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if login_at is None or seen_at is None:  # signed in before these limits existed: they start now
            session[LOGIN_AT] = login_at or now.timestamp()
            session[SEEN_AT] = seen_at = now.timestamp()
        if now.timestamp() - login_at > services.age_limit().total_seconds():
            hours = settings.PATHWAYS_SESSION_MAX_HOURS
            return self._end(request, f"You were signed out after {hours} hour{'s' if hours != 1 else ''} signed in, "
                               "to keep your information safe. Log in again to carry on.")
        elif now.timestamp() - seen_at > services.idle_limit().total_seconds():
            minutes = settings.PATHWAYS_SESSION_IDLE_MINUTES
            return self._end(request, f"You were signed out after {minutes} minute{'s' if minutes != 1 else ''} "
                               "without activity, to keep your information safe. Log in again to carry on.")
        elif now.timestamp() - seen_at >= services.SEEN_EVERY.total_seconds():
            session[SEEN_AT] = now.timestamp()
            services.session_seen(user=request.user, session_key=session.session_key, **_device(request))
        return False

    @staticmethod
    def _end(request, message: str) -> bool:
        """End this session only (the account's other devices keep theirs), server-side."""
        key = request.session.session_key
        request.session.flush()
        if key:
            services.session_forget(session_key=key)
            held_forms.timed_out_sessions_record(sessions=[(key, request.user.pk)])
        request.user = AnonymousUser()
        messages.info(request, message)
        return True

    @staticmethod
    def _follow_new_key(request, key_before: str | None) -> None:
        """Login and a password change give the session a new key; its row follows it."""
        key_after = request.session.session_key
        user = getattr(request, "user", None)
        if key_after and key_before != key_after and user is not None and user.is_authenticated:
            services.session_rekey(user=user, old_key=key_before or "", new_key=key_after, **_device(request))


def _device(request) -> dict:
    started = request.session.get(LOGIN_AT)
    return {"user_agent": request.META.get("HTTP_USER_AGENT", ""), "ip": client_ip(request),
            "started_at": datetime.fromtimestamp(started, tz=UTC) if started else None}
