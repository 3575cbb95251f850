"""The organisation admin's pages for changing an account of the organisation: deactivate, reactivate, name a
person's professional, reset a member of staff's two-step sign-in. Each GET asks once, saying what will happen;
the POST does it (account_services). Another organisation's account, or anyone but the organisation's admin,
gets 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pathways.people.forms import ProfessionalChoiceForm
from pathways.people.selectors import (
    account_of_organisation,
    named_professional,
    organisation_for_admin,
    staff_memberships,
)
from pathways.verification.recent import recent_authentication_required  # resetting two steps: confirm it is you

from . import account_services


def _account_page(request: HttpRequest, template: str, context: dict, error: ValidationError | None = None):
    return render(request, f"accounts/{template}", {**context, "errors": error.messages if error else []},
                  status=400 if error else 200)


def _back_to_list(organisation, *, staff: bool):
    return redirect("people:staff_list" if staff else "people:people_list", organisation_id=organisation.pk)


def _is_staff(account, organisation) -> bool:
    return staff_memberships(account).filter(organisation=organisation).exists()


def _confirm_then_change(request: HttpRequest, organisation_id: int, account_id, *, template: str, change,
                         done: str) -> HttpResponse:
    """The shape deactivating and reactivating share: GET asks, POST calls `change` and says `done` (formatted
    with the account's name), a refusal shows the page again with its reason."""
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    account = account_of_organisation(organisation=organisation, public_id=account_id)
    context = {"organisation": organisation, "account": account, "staff": _is_staff(account, organisation)}
    if request.method == "POST":
        try:
            change(organisation=organisation, account=account, by=request.user)
        except ValidationError as error:
            return _account_page(request, template, context, error)
        messages.success(request, done.format(name=account.display_name))
        return _back_to_list(organisation, staff=context["staff"])
    return _account_page(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def deactivate(request: HttpRequest, organisation_id: int, account_id) -> HttpResponse:
    return _confirm_then_change(
        request, organisation_id, account_id, template="deactivate.html",
        change=account_services.account_deactivate,
        done="Deactivated {name}'s account. They are signed out, and what was shared with or by them has ended. "
             "Their record is kept.")


@login_required
@require_http_methods(["GET", "POST"])
def reactivate(request: HttpRequest, organisation_id: int, account_id) -> HttpResponse:
    return _confirm_then_change(request, organisation_id, account_id, template="reactivate.html",
                                change=account_services.account_reactivate,
                                done="Reactivated {name}'s account. They can sign in again.")


@login_required
@require_http_methods(["GET", "POST"])
def professional(request: HttpRequest, organisation_id: int, account_id) -> HttpResponse:
    """Name a person's professional (or move them to another one)."""
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    person = account_of_organisation(organisation=organisation, public_id=account_id, staff=False)
    form = ProfessionalChoiceForm(request.POST or None, organisation=organisation)
    context = {"organisation": organisation, "account": person, "form": form,
               "current": named_professional(person=person)}
    if request.method == "POST" and form.is_valid():
        try:
            chosen = account_services.professional_name(organisation=organisation, person=person,
                                                        professional_id=form.cleaned_data["professional"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{chosen.display_name} is now {person.display_name}'s professional. "
                                      f"{person.display_name} is told, and chooses what to share with them.")
            return _back_to_list(organisation, staff=False)
    return render(request, "accounts/professional.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def professional_clear(request: HttpRequest, organisation_id: int, account_id) -> HttpResponse:
    """Name no professional for the person (from the professional page's second form)."""
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    person = account_of_organisation(organisation=organisation, public_id=account_id, staff=False)
    try:
        former = account_services.professional_clear(organisation=organisation, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:professional", organisation_id=organisation.pk, account_id=person.public_id)
    messages.success(request, f"{person.display_name} has no named professional now; {former.display_name} is no "
                              f"longer named. {person.display_name} is told, and nothing they share has changed.")
    return _back_to_list(organisation, staff=False)


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def two_step_reset(request: HttpRequest, organisation_id: int, account_id) -> HttpResponse:
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    account = account_of_organisation(organisation=organisation, public_id=account_id, staff=True)
    context = {"organisation": organisation, "account": account}
    if request.method == "POST":
        try:
            account_services.two_step_reset(organisation=organisation, account=account, by=request.user)
        except ValidationError as error:
            return _account_page(request, "two_step_reset.html", context, error)
        messages.success(request, f"Reset {account.display_name}'s two-step sign-in and signed them out. They set "
                                  "it up again the next time they sign in, and an email tells them so.")
        return _back_to_list(organisation, staff=True)
    return _account_page(request, "two_step_reset.html", context)
