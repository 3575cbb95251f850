"""The person's own record: downloading all of it (as our JSON or as FHIR), bringing it in from another Pathways,
printing the plans, and deleting the account with everything in it."""
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathways.circle.selectors import person_by_public_id
from pathways.people.lockout import lockout_response
from pathways.people.selectors import organisations_only_admin_of
from pathways.verification.recent import recent_authentication_required

from . import deletion, export, fhir_export, fhir_import, pdf
from .forms import DELETE_CONFIRMATION, AccountDeleteForm, RecordImportForm


def _attachment(response: HttpResponse, name: str, extension: str, disposition: str = "attachment") -> HttpResponse:
    """A download named with today's date, never kept by a browser or proxy cache."""
    response["Content-Disposition"] = f'{disposition}; filename="{name}-{timezone.localdate().isoformat()}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "records/my_data.html", {"format_version": export.FORMAT_VERSION})


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The signed-in account's own data, and only ever its own (the export takes no other id)."""
    body = export.my_data_json(user=request.user)
    return _attachment(HttpResponse(body, content_type="application/json; charset=utf-8"), "pathways-my-data", "json")


@login_required
@require_POST
def my_data_fhir(request: HttpRequest) -> HttpResponse:
    """The signed-in account's own record as a FHIR R4 bundle (validated whole before it is sent)."""
    body = fhir_export.record_bundle_json(user=request.user)
    return _attachment(HttpResponse(body, content_type="application/fhir+json; charset=utf-8"),
                       "pathways-record-fhir", "json")


@login_required
def record_import(request: HttpRequest) -> HttpResponse:
    """Bring a record from another Pathways into the signed-in account; the page then says what came in."""
    form = RecordImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = fhir_import.import_record(user=request.user, bundle=form.cleaned_data["file"])
        except fhir_import.BundleRefused as refusal:
            form.add_error("file", str(refusal))
    return render(request, "records/import.html", {"form": form, "report": report})


def _pdf(document: pdf.Document) -> HttpResponse:
    """Shown in the browser (to print or save), with a dated name for saving."""
    return _attachment(HttpResponse(document.content, content_type="application/pdf"), f"pathways-{document.name}",
                       "pdf", disposition="inline")


@login_required
def plan_pdf(request: HttpRequest, person_id) -> HttpResponse:
    person = person_by_public_id(public_id=person_id)
    return _pdf(pdf.plan_pdf(person=person, viewer=request.user))


@login_required
def safety_plan_pdf(request: HttpRequest, person_id) -> HttpResponse:
    person = person_by_public_id(public_id=person_id)
    return _pdf(pdf.safety_plan_pdf(person=person, viewer=request.user,
                                    accept_language=request.headers.get("Accept-Language", "")))


@login_required
@recent_authentication_required  # a code too, for two-step accounts; the form below asks the password as before
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None)
    only_admin_of = organisations_only_admin_of(user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # Through authenticate(), so wrong passwords here count towards the same lockout as the login's.
            confirmed = authenticate(request, username=request.user.email, password=form.cleaned_data["password"])
        except PermissionDenied:
            return lockout_response(request)
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if confirmed is None or confirmed.pk != request.user.pk:
            form.add_error("password", "That is not your current password. Nothing was deleted.")
        else:
            try:
                deletion.account_delete(user=request.user)
            except deletion.AccountDeletionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                logout(request)
                return redirect("account_deleted")
    return render(request, "records/account_delete.html", {
        "form": form, "confirmation": DELETE_CONFIRMATION, "only_admin_of": only_admin_of})


def account_deleted(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:  # only someone signed out can have just deleted their account
        return redirect("home")
    return render(request, "records/account_deleted.html")
