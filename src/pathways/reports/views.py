"""Pages of progress: a person's own, a supporter's caseload, and the progress a person shares with them."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pathways.circle.selectors import person_by_public_id

from . import selectors
from .progress import progress


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/caseload.html", {
        "entries": selectors.caseload(viewer=request.user),
        "emergency_candidates": selectors.emergency_access_candidates(viewer=request.user),
    })


@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/progress.html", {"progress": progress(person=request.user, viewer=request.user),
                                                     "is_person": True})


@login_required
def shared_progress(request: HttpRequest, person_id) -> HttpResponse:
    person = person_by_public_id(public_id=person_id)
    found = progress(person=person, viewer=request.user)
    if not found.shown:
        raise Http404
    return render(request, "reports/progress.html", {"progress": found, "is_person": False})
