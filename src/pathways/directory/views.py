"""Directory pages. Thin: each parses the request, calls one selector or service, and renders."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from pathways.people.selectors import organisation_for_admin, organisations_administered

from . import csv_files, selectors, services
from .forms import ImportForm, SearchForm


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The directory of the organisations the viewer belongs to, narrowed by what they ask for."""
    form = SearchForm(request.GET or None, languages=selectors.languages_offered(viewer=request.user))
    terms = form.search_terms() if request.GET else {}
    results = selectors.service_search(viewer=request.user, search=selectors.Search(**terms))
    return render(request, "directory/search.html", {
        "form": form, "results": results, "searched": any(terms.values()), "next": request.get_full_path(),
        "narrowed": any(value for key, value in terms.items() if key != "text") or (form.is_bound and not form.is_valid()),
        "administers": organisations_administered(viewer=request.user),
    })


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """An admin's way in: straight to their organisation's directory, or a choice when they run several."""
    organisations = organisations_administered(viewer=request.user)
    if not organisations:
        raise Http404
    if len(organisations) == 1:
        return redirect("directory:manage_organisation", organisation_id=organisations[0].pk)
    return render(request, "directory/manage_choose.html", {"organisations": organisations})


@login_required
def manage_organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    return _manage_page(request, organisation, ImportForm())


def _manage_page(request, organisation, form, problems=()) -> HttpResponse:
    return render(request, "directory/manage.html", {
        "organisation": organisation, "form": form, "problems": problems, "columns": csv_files.COLUMNS,
        "services": selectors.services_of_organisation(organisation=organisation),
        "max_rows": csv_files.MAX_ROWS, "max_kb": csv_files.MAX_FILE_BYTES // 1024,
    })


@login_required
def export(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    content = csv_files.services_csv(selectors.services_of_organisation(organisation=organisation))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"services-{slugify(organisation.name) or 'directory'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def import_file(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """All or nothing: a file with any problem loads nothing, and the page lists every problem by line."""
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manage_page(request, organisation, form)
    upload = form.cleaned_data["file"]
    if upload.size > csv_files.MAX_FILE_BYTES:  # refused before it is read into memory
        problems = [csv_files.Problem(0, f"the file is {upload.size // 1024} KB; the most a file may be is "
                                         f"{csv_files.MAX_FILE_BYTES // 1024} KB. Split it into smaller files.")]
        return _manage_page(request, organisation, form, problems)
    try:
        result = services.services_import(organisation=organisation, data=upload.read())
    except services.ImportRefused as refused:
        return _manage_page(request, organisation, form, refused.problems)
    messages.success(request, f"Loaded {upload.name}: {result.added} added, {result.updated} updated. "
                              "Services the file did not name are unchanged.")
    return redirect("directory:manage_organisation", organisation_id=organisation.pk)


@login_required
@require_POST
def remove(request: HttpRequest, organisation_id: int, service_id) -> HttpResponse:
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    service = selectors.service_of_organisation(organisation=organisation, public_id=service_id)
    services.service_remove(service=service)
    messages.success(request, f"Removed “{service.name}” from the directory, and from any plan it was saved to.")
    return redirect("directory:manage_organisation", organisation_id=organisation.pk)
