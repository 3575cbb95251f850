"""Two-step sign-in for every account that can see other people's data, checked on every request.

Goes after the authentication, OTP (django_otp.middleware.OTPMiddleware) and session-limit middleware.
For a signed-in request whose session was not verified with a code:

- an account that has an authenticator app must have signed in some other way (Django's admin login, a
  session from before the app was added): that session ends and the person logs in again with the code;
- an account that must have two-step sign-in and has no app yet is sent to set it up, from every page but
  that one, confirming it is you, and logging out. htmx requests are told to move the whole page there
  (HX-Redirect), so no page is ever swapped into a fragment.
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_htmx.http import HttpResponseClientRedirect

from pathways.signins.services import session_forget

from .requirement import second_step_of

ALWAYS_OPEN = {"verification:two_factor", "verification:set_up", "verification:confirm", "logout"}


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._redirect_for(request)
        if target is None:
            return self.get_response(request)
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(target)
        return redirect(target)

    def _redirect_for(self, request) -> str | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        second_step = second_step_of(user)  # one query, asked afresh on each such request
        if second_step.has_app:
            self._end_this_session(request)
            messages.info(request, "Please log in again with your password and a code from your app.")
            return redirect_to_login(self._back_to(request))["Location"]
        if not second_step.required or self._always_open(request):
            return None
        return redirect_to_login(self._back_to(request), login_url="verification:two_factor")["Location"]

    @staticmethod
    def _end_this_session(request) -> None:
        """Only this unverified session ends; the account's verified sessions elsewhere carry on."""
        key = request.session.session_key
        request.session.flush()
        if key:
            session_forget(session_key=key)
        request.user = AnonymousUser()

    @staticmethod
    def _back_to(request) -> str:
        """Where to return afterwards: the page's path only (no query, so nothing typed rides along); for
        htmx, the page the fragment was asked for from."""
        if request.headers.get("HX-Request") == "true":
            path = urlsplit(request.headers.get("HX-Current-URL", "")).path
            return path if path.startswith("/") and not path.startswith("//") else "/"
        return request.path

    @staticmethod
    def _always_open(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in ALWAYS_OPEN
