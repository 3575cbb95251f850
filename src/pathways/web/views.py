"""Pages that belong to no single domain app: the front door and the health check."""
import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pathways.people.models import Role
from pathways.people.selectors import roles_of


def home(request: HttpRequest) -> HttpResponse:
    """Send each account to where its work is: a person to their plan, an admin to their organisation."""
    if not request.user.is_authenticated:
        return render(request, "web/welcome.html")
    roles = roles_of(request.user)
    if Role.PERSON in roles:
        return redirect("plans:plan")
    if Role.ADMIN in roles:
        return redirect("people:organisations")
    return redirect("reports:caseload")


@require_GET
def leave(request: HttpRequest) -> HttpResponse:
    """The neutral page "Leave this page quickly" can point at (PATHWAYS_QUICK_EXIT_URL=/leave/): served by
    Pathways but saying nothing about it, for an organisation that prefers not to send people to another site."""
    return render(request, "web/leave.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app can reach its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"; the detail goes to the log
        logging.getLogger(__name__).exception("health check could not reach the database")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
