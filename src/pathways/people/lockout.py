"""Login protection with django-axes: whose attempts count together, and the page a paused login sees.

Axes counts failed logins per email address and IP address together (settings.AXES_LOCKOUT_PARAMETERS) and
refuses that pair for the cool-off once it reaches AXES_FAILURE_LIMIT. Axes compares every lockout parameter
against that one limit, so a higher limit per IP address alone (against credential stuffing: a few guesses
at each of many addresses) is added here by counting the same stored attempts by IP address.
"""
import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address the login came from: REMOTE_ADDR, or, only when PATHWAYS_PROXY_COUNT says how many
    reverse proxies we sit behind, the address that many entries from the right of X-Forwarded-For.

    Without that setting X-Forwarded-For is ignored, since anyone can send it and so pick a fresh address
    for every guess."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    hops = settings.PATHWAYS_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return _address(forwarded[-hops]) or remote


def _address(value: str) -> str | None:
    """A valid IP address in its usual spelling, or None (PostgreSQL stores these as inet)."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def username_of(request: HttpRequest, credentials: dict | None) -> str | None:
    """Email addresses are matched in lower case, so "Pat@…" and "pat@…" are one account's attempts
    (the admin's login form does not lower-case them the way ours does)."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    value = (value or "").strip().lower()
    return value or None


class PathwaysAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, plus a pause for an IP address with many failures across any addresses."""

    def ip_failures(self, request: HttpRequest) -> int:
        ip_address = getattr(request, "axes_ip_address", None)
        if not ip_address:
            return 0
        recent = AccessAttempt.objects.filter(ip_address=ip_address,
                                              attempt_time__gte=get_cool_off_threshold(request))
        return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if self.ip_failures(request) >= settings.PATHWAYS_LOGIN_IP_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The same kind page, whoever was typed and whether or not that account exists (status 429)."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    response = render(request, "people/locked_out.html", {"minutes": minutes},
                      status=settings.AXES_HTTP_RESPONSE_CODE)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
