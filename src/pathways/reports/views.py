"""Pages for supporters across the people they support."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/caseload.html", {
        "entries": selectors.caseload(viewer=request.user),
        "emergency_candidates": selectors.emergency_access_candidates(viewer=request.user),
    })
