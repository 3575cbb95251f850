"""Nothing typed is lost when a session ends: a form sent after the time limits is held, and given back after login.

A person in a hard week may take longer over a form than the idle limit allows. When their Save arrives after
the session ended by its time limits (in that very request, or earlier by the worker), the login page is still
the answer, but what they typed is kept on the server, encrypted, for their account and the form's page, for
an hour. After they sign in they land on that page, and its view binds its form with `form_data(request)`,
which gives the answers back once. Another account signing in on the same browser never sees them.

Never held: the CSRF token, passwords, tokens and codes (any field whose name says so), files, htmx requests,
and anything sent to or from /account/ (signing in, confirming it is you, deleting the account).
"""
import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from pathways.lib.redirects import path_on_this_site

from .models import HeldForm, TimedOutSession

KEPT_FOR = timedelta(hours=1)
# Field names holding any of these are secrets, not answers; "code" is the one-time code of two-step sign-in
# (`code`, and `confirm-code` when confirming it is you rides along with another form).
NEVER_HELD = ("password", "token", "otp", "code")
ACCOUNT_PAGES = "/account/"
GIVEN_BACK = "We kept what you typed before you were signed out. Check it and save when you are ready."
_TAKEN = "_pathways_held_form"  # the request attribute that remembers what this request took


def key_digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


# --- what views use ------------------------------------------------------------------------------------

def form_data(request: HttpRequest) -> QueryDict | None:
    """What a form view binds its form to: the POST itself; on a GET, what was held for this account and page
    (taken once, so it is given back only this time), else None for an empty form.

    Views save only on POST, so a form filled in from held answers is shown, never saved, until the person
    presses Save. Asking twice in one request gives the same answers."""
    if request.method == "POST":
        return request.POST
    if request.method != "GET":  # a HEAD (a link checker, a preview) must not use up what was held
        return None
    if not hasattr(request, _TAKEN):
        taken = held_form_take(user=request.user, path=request.path) if request.user.is_authenticated else None
        if taken is not None:
            messages.info(request, GIVEN_BACK)
        setattr(request, _TAKEN, taken)
    return getattr(request, _TAKEN)


# --- what the session middleware calls -----------------------------------------------------------------

def hold_if_timed_out(request: HttpRequest, response: HttpResponse) -> None:
    """After a POST was answered with the login page: if its session ended by its time limits within the hour,
    hold what was typed for that account, and send the person back to the form's page after they log in."""
    if not _sends_to_login(response) or request.headers.get("HX-Request") == "true":
        return
    if request.user.is_authenticated or request.path.startswith(ACCOUNT_PAGES):
        return
    page = _form_page(request)
    path = urlsplit(page).path
    if path.startswith(ACCOUNT_PAGES) or len(path) > HeldForm._meta.get_field("path").max_length:
        return
    user_id = _timed_out_user(request)
    if user_id is None:
        return
    answers = _typed(request.POST)
    if answers:
        # No promise on the login page: only pages whose view binds with `form_data` give answers back.
        held_form_hold(user_id=user_id, path=path, answers=answers)
    response["Location"] = redirect_to_login(page)["Location"]


def _sends_to_login(response: HttpResponse) -> bool:
    login_path = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and urlsplit(response.get("Location", "")).path == login_path


def _form_page(request: HttpRequest) -> str:
    """The page the form sat on: the Referer when it is a page of this site (a form may post to another URL than
    its page's, and the Referer keeps the page's own query string, e.g. ?day=), else the path posted to."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        parts = urlsplit(referer)
        page = path_on_this_site(request, parts.path + (f"?{parts.query}" if parts.query else ""))
        if page:
            return page
    return request.path


def _timed_out_user(request: HttpRequest) -> int | None:
    """Whose session the request's cookie named, if that session ended by its time limits within the hour."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return None
    return (TimedOutSession.objects.filter(key_digest=key_digest(session_key),
                                           ended_at__gte=timezone.now() - KEPT_FOR)
            .values_list("user_id", flat=True).first())


def _typed(post: QueryDict) -> dict[str, list[str]]:
    """The answers, every value of each field: never the CSRF token, a password, a token or a code."""
    return {name: values for name, values in post.lists()
            if name != "csrfmiddlewaretoken" and not any(word in name.lower() for word in NEVER_HELD)}


# --- writes --------------------------------------------------------------------------------------------

@transaction.atomic
def timed_out_sessions_record(*, sessions: list[tuple[str, int]]) -> None:
    """Remember, for an hour, which account each (session key, user id) that just ended by its time limits was."""
    TimedOutSession.objects.bulk_create(
        [TimedOutSession(key_digest=key_digest(key), user_id=user_id) for key, user_id in sessions],
        ignore_conflicts=True)


@transaction.atomic
def held_form_hold(*, user_id: int, path: str, answers: dict[str, list[str]]) -> HeldForm:
    """Keep what was typed on `path` for the account; a newer form on the same page replaces an older one."""
    held, _ = HeldForm.objects.update_or_create(user_id=user_id, path=path,
                                                defaults={"data": answers, "held_at": timezone.now()})
    return held


@transaction.atomic
def held_form_take(*, user, path: str) -> QueryDict | None:
    """The answers held for this account on this page, as a form would receive them, deleted as they are read."""
    held = HeldForm.objects.filter(user=user, path=path, held_at__gte=timezone.now() - KEPT_FOR).first()
    # Deleting is the claim: of two requests reading at once, only the one whose delete counted gives them back.
    if held is None or not HeldForm.objects.filter(pk=held.pk).delete()[0]:
        return None
    answers = QueryDict(mutable=True)
    for name, values in held.data.items():
        answers.setlist(name, values)
    answers._mutable = False
    return answers


@transaction.atomic
def held_forms_sweep() -> int:
    """Remove held forms and timed-out sessions older than an hour; the notification worker runs it every round."""
    cutoff = timezone.now() - KEPT_FOR
    held, _ = HeldForm.objects.filter(held_at__lt=cutoff).delete()
    TimedOutSession.objects.filter(ended_at__lt=cutoff).delete()
    return held
