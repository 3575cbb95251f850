"""Programme pages: an organisation's outcomes report for its admins (the page, a CSV and a PDF of it; 404 for
everyone else), and the page where a person in recovery says whether they are counted in it."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pathways.people.selectors import is_person_in_recovery, organisation_for_admin
from pathways.people.statistics import statistics_choice, statistics_choice_set

from .forms import StatisticsChoiceForm
from .outcome_exports import file_name, outcomes_csv, outcomes_pdf
from .outcome_page import outcomes_page, report_for_admin
from .outcome_services import outcome_report_publish_due


@login_required
def report(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The newest report, made the first time it is asked for after its month has ended."""
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    latest = outcome_report_publish_due(organisation=organisation)
    return render(request, "reports/outcomes.html", {"page": outcomes_page(organisation=organisation, report=latest)})


@login_required
def month(request: HttpRequest, organisation_id: int, year: int, month: int) -> HttpResponse:
    organisation, found = report_for_admin(organisation_id=organisation_id, viewer=request.user, year=year,
                                           month=month)
    return render(request, "reports/outcomes.html", {"page": outcomes_page(organisation=organisation, report=found)})


def _download(body, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"  # the organisation's figures are kept by no browser or proxy cache
    return response


@login_required
def download_csv(request: HttpRequest, organisation_id: int, year: int, month: int) -> HttpResponse:
    organisation, found = report_for_admin(organisation_id=organisation_id, viewer=request.user, year=year,
                                           month=month)
    page = outcomes_page(organisation=organisation, report=found)
    return _download(outcomes_csv(page), content_type="text/csv; charset=utf-8", name=file_name(page, "csv"))


@login_required
def download_pdf(request: HttpRequest, organisation_id: int, year: int, month: int) -> HttpResponse:
    organisation, found = report_for_admin(organisation_id=organisation_id, viewer=request.user, year=year,
                                           month=month)
    page = outcomes_page(organisation=organisation, report=found)
    return _download(outcomes_pdf(page), content_type="application/pdf", name=file_name(page, "pdf"))


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """The person's own answer, and nobody else's: there is no id in the address."""
    if not is_person_in_recovery(request.user):
        raise Http404
    choice = statistics_choice(person=request.user)
    form = None
    if choice is not None:
        form = StatisticsChoiceForm(request.POST or None, counted_by_default=choice.counted_by_default,
                                    initial=StatisticsChoiceForm.initial_for(choice.answer))
        if request.method == "POST" and form.is_valid():
            choice = statistics_choice_set(person=request.user, answer=form.chosen)
            messages.success(request, "Saved. You are counted from the next monthly report on." if choice.counted
                             else "Saved. You are not counted from the next monthly report on.")
            return redirect("outcomes:statistics")
    return render(request, "reports/outcomes_statistics.html", {"choice": choice, "form": form})
