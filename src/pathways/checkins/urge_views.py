"""The urge log's pages: note an urge in a hard moment, look back at recent ones, change or remove one.

Thin: parse the form, call one service or selector, render or redirect. Every page is the person's own, except
`shared_urges`, which a supporter with the check-ins grant reads.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathways.circle.selectors import person_by_public_id
from pathways.people.pronouns import words_for
from pathways.signins.held_forms import form_data

from . import selectors, services
from .forms import UrgeForm
from .models import HowItWent


def _saved_or_errors(form: UrgeForm, save) -> bool:
    """Run `save` with the form's answers; a problem the service finds is shown on the form, with what was typed."""
    try:
        save(**form.urge_fields())
    except ValidationError as error:
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, problems in by_field.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    return True


@login_required
def urges(request: HttpRequest) -> HttpResponse:
    recent = selectors.urges_recent(person=request.user, viewer=request.user)
    form = UrgeForm(form_data(request))
    saved = {}

    def log(**fields):
        saved["urge"] = services.urge_log(person=request.user, submission_key=form.cleaned_data["submission_key"],
                                          **fields)

    if request.method == "POST" and form.is_valid() and _saved_or_errors(form, log):
        return redirect("checkins:urge_saved", urge_id=saved["urge"].public_id)
    return render(request, "checkins/urges.html", {"form": form, "recent": recent})


@login_required
def urge_saved(request: HttpRequest, urge_id) -> HttpResponse:
    """A kind word after noting an urge, and the way to the person's safety plan and tools."""
    urge = selectors.urge_get(urge_id=urge_id, viewer=request.user)
    return render(request, "checkins/urge_saved.html", {"urge": urge, "used": urge.how_it_went == HowItWent.USED})


@login_required
def urge_edit(request: HttpRequest, urge_id) -> HttpResponse:
    urge = selectors.urge_get(urge_id=urge_id, viewer=request.user)
    form = UrgeForm(form_data(request), urge=urge)

    def update(**fields):
        services.urge_update(urge=urge, **fields)

    if request.method == "POST" and form.is_valid() and _saved_or_errors(form, update):
        messages.success(request, "Saved.")
        return redirect("checkins:urges")
    return render(request, "checkins/urge_edit.html", {"form": form, "urge": urge})


@login_required
@require_POST
def urge_delete(request: HttpRequest, urge_id) -> HttpResponse:
    urge = selectors.urge_get(urge_id=urge_id, viewer=request.user)
    services.urge_delete(urge=urge)
    messages.success(request, "Removed that urge from your log.")
    return redirect("checkins:urges")


@login_required
def shared_urges(request: HttpRequest, person_id) -> HttpResponse:
    """The person's recent urges for a supporter with the check-ins grant. The person goes to their own log."""
    person = person_by_public_id(public_id=person_id)
    if person.pk == request.user.pk:
        return redirect("checkins:urges")
    return render(request, "checkins/urges_shared.html", {
        "person": person, "about": words_for(person),
        "shared": selectors.shared_urges(person=person, viewer=request.user)})
