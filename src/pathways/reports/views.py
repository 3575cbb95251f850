"""Pages of progress: a person's own, a supporter's caseload, the progress a person shares with them (each with all
the numbers behind its charts), and the person's page that gathers everything they share with a supporter."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pathways.circle.selectors import person_by_public_id

from . import selectors
from .numbers import numbers
from .person import person_page
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
                                                     "is_person": True, "numbers_url": reverse("reports:numbers")})


@login_required
def shared_progress(request: HttpRequest, person_id) -> HttpResponse:
    person = person_by_public_id(public_id=person_id)
    found = progress(person=person, viewer=request.user)
    if not found.shown:
        raise Http404
    return render(request, "reports/progress.html", {
        "progress": found, "is_person": False,
        "numbers_url": reverse("reports:shared_numbers", kwargs={"person_id": person.public_id})})


def _year_asked(request: HttpRequest) -> int | None:
    year = request.GET.get("year", "")
    return int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None


@login_required
def my_numbers(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/numbers.html", {
        "numbers": numbers(person=request.user, viewer=request.user, year=_year_asked(request)), "is_person": True,
        "progress_url": reverse("reports:progress")})


@login_required
def shared_numbers(request: HttpRequest, person_id) -> HttpResponse:
    person = person_by_public_id(public_id=person_id)
    found = numbers(person=person, viewer=request.user, year=_year_asked(request))
    if not found.shown:
        raise Http404
    return render(request, "reports/numbers.html", {
        "numbers": found, "is_person": False,
        "progress_url": reverse("reports:shared_progress", kwargs={"person_id": person.public_id})})


@login_required
def person_overview(request: HttpRequest, person_id) -> HttpResponse:
    """Everything the person shares with the viewer. The person has their own home for all of it."""
    person = person_by_public_id(public_id=person_id)
    if person.pk == request.user.pk:
        return redirect("home")
    page = person_page(person=person, viewer=request.user)
    if not page.shows_anything:
        raise Http404
    return render(request, "reports/person.html", {"page": page, "person": person})
