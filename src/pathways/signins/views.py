"""The person's signed-in devices: see them, and sign any of them out."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import AccountSession


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    return render(request, "signins/sessions.html", {
        "sessions": selectors.sessions_of(viewer=request.user, current_key=request.session.session_key),
        "idle_minutes": settings.PATHWAYS_SESSION_IDLE_MINUTES, "max_hours": settings.PATHWAYS_SESSION_MAX_HOURS,
    })


@login_required
@require_POST
def session_end(request: HttpRequest, session_id) -> HttpResponse:
    try:
        ended = services.session_end(owner=request.user, public_id=session_id)
    except AccountSession.DoesNotExist:
        raise Http404 from None
    if ended.session_key == request.session.session_key:  # "this device": the same as logging out here only
        request.session.flush()
        messages.info(request, "You have signed out on this device.")
        return redirect("login")
    messages.success(request, "That device is signed out. Whoever uses it will need your password to get back in.")
    return redirect("signins:sessions")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = services.sessions_end(user=request.user, keep_key=request.session.session_key)
    if count:
        messages.success(request, f"Signed out on {count} other device{'s' if count != 1 else ''}. "
                                  "This device stays signed in.")
    else:
        messages.info(request, "You were not signed in anywhere else.")
    return redirect("signins:sessions")
