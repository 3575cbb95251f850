"""Confirming it is you again before a sensitive change, when signing in was a while ago.

`@recent_authentication_required` goes under `@login_required` on a view. If this session signed in or
confirmed less than PATHWAYS_REAUTH_MINUTES ago the view runs as usual. Otherwise:

- a GET goes first to the confirmation page (/account/confirm/?next=<this path>), so the person is asked
  before they fill anything in, and comes back here after;
- a POST (the session went stale while the form was open) is answered with the confirmation form in
  place, carrying what was typed in hidden fields (never a password) and posting back to the same view,
  which then runs with exactly what was first sent: nothing typed is lost.
"""
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login

from pathways.lib.redirects import path_on_this_site
from pathways.people.lockout import lockout_response

from .forms import ConfirmItsYouForm

AUTHENTICATED_AT = "_pathways_authenticated_at"  # when this session last proved who it is (a timestamp)
CONFIRM_PREFIX = "confirm"  # the confirmation's own fields when it rides along with another form's POST
CARRIED_MARKER = "_confirm_its_you"


def note_sign_in(sender, request, user, **kwargs):
    """Signing in counts as proving it is you (with the code, for accounts that have two-step sign-in)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[AUTHENTICATED_AT] = timezone.now().timestamp()


def note_confirmed(request: HttpRequest, device=None) -> None:
    request.session[AUTHENTICATED_AT] = timezone.now().timestamp()
    if device is not None:
        otp_login(request, device)


def is_recent(request: HttpRequest) -> bool:
    at = request.session.get(AUTHENTICATED_AT)
    return at is not None and timezone.now().timestamp() - at < settings.PATHWAYS_REAUTH_MINUTES * 60


def safe_next(request: HttpRequest, value: str | None) -> str:
    """A path on this site only: anything else (another site, a scheme, `//host`) goes home instead."""
    return path_on_this_site(request, value) or reverse("home")


def confirm_url(path: str) -> str:
    return f"{reverse('verification:confirm')}?{urlencode({'next': path})}"


def _carried(post: QueryDict) -> list[tuple[str, str]]:
    """What the stale form sent, to send again: not the CSRF token (the page has a fresh one), not the
    confirmation's own fields, and never a password (so none is written into the page)."""
    return [(name, value) for name, values in post.lists() for value in values
            if name not in {"csrfmiddlewaretoken", CARRIED_MARKER}
            and not name.startswith(f"{CONFIRM_PREFIX}-") and "password" not in name]


def _without_confirmation(post: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name, values in post.lists():
        if name != CARRIED_MARKER and not name.startswith(f"{CONFIRM_PREFIX}-"):
            kept.setlist(name, values)
    kept._mutable = False
    return kept


def recent_authentication_required(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_recent(request):
            return view(request, *args, **kwargs)
        if request.method != "POST":
            return redirect(confirm_url(request.path))
        if request.headers.get("HX-Request") == "true":  # never a confirmation page inside a fragment
            current = request.headers.get("HX-Current-URL", "")
            return HttpResponseClientRedirect(confirm_url(safe_next(request, _path_of(current))))
        answering = CARRIED_MARKER in request.POST
        form = ConfirmItsYouForm(request.POST if answering else None, request=request, prefix=CONFIRM_PREFIX)
        if answering and form.is_valid():
            note_confirmed(request, form.device)
            request.POST = _without_confirmation(request.POST)
            return view(request, *args, **kwargs)
        if form.locked_out:
            return lockout_response(request)
        return render(request, "verification/confirm_to_continue.html", {
            "form": form, "action": request.path, "carried": _carried(request.POST),
            "marker": CARRIED_MARKER, "minutes": settings.PATHWAYS_REAUTH_MINUTES})
    return wrapped


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path if parts.path.startswith("/") else ""
