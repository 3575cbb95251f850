"""Signing in with two steps: the password first, then a code, before the session is signed in at all.

After the right password, an account with an authenticator app is not logged in: the session (given a new
key, so nobody can plant one) only remembers whose password was right, for PENDING_MINUTES. The login
happens when a code is accepted, with Django's login() (a new session key again, the sign-in recorded on
"Signed-in devices"), and the session is marked as verified by that device. MAX_WRONG_CODES wrong codes end
the attempt: the password must be typed again, which goes through the login lockout once more.
"""
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django_otp import login as otp_login

from pathways.people.models import User

PENDING = "_pathways_second_step"
PENDING_MINUTES = 5
MAX_WRONG_CODES = 5


def begin(request: HttpRequest, *, user: User, next_url: str) -> HttpResponse:
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": timezone.now().timestamp(),
                                "next": next_url, "wrong": 0}
    return redirect("verification:login_code")


def pending_user(request: HttpRequest) -> User | None:
    """Whose password was right in this session a moment ago, or None (nothing pending, or too long ago)."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if timezone.now().timestamp() - pending["at"] > PENDING_MINUTES * 60:
        del request.session[PENDING]
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def wrong_code(request: HttpRequest) -> bool:
    """Count a wrong code; True when that was one too many and the attempt is over."""
    pending = request.session[PENDING]
    pending["wrong"] += 1
    if pending["wrong"] >= MAX_WRONG_CODES:
        del request.session[PENDING]
        return True
    request.session[PENDING] = pending
    return False


def cancel(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


def finish(request: HttpRequest, *, user: User, device) -> str:
    """Sign in for real, verified by `device`; returns where to go next."""
    pending = request.session.pop(PENDING)
    login(request, user, backend=pending["backend"])
    otp_login(request, device)
    return pending["next"]
