"""Standard-instrument pages: fill in a questionnaire, see results, and an admin's upload. Thin views."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pathways.circle.selectors import person_by_public_id
from pathways.people.selectors import organisation_for_admin

from . import selectors, services
from .questionnaire_forms import QuestionnaireForm, QuestionnaireUploadForm
from .questionnaires import answer_summary, subscale_ranges


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    return render(request, "checkins/questionnaires.html", {
        "offered": selectors.questionnaires_offered(person=request.user),
        "responses": selectors.questionnaire_responses(person=request.user, viewer=request.user),
    })


@login_required
def questionnaire_fill(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_offered(person=request.user, questionnaire_id=questionnaire_id)
    form = QuestionnaireForm(request.POST or None, definition=questionnaire.definition)
    if request.method == "POST" and form.is_valid():
        response = services.questionnaire_response_record(
            person=request.user, questionnaire=questionnaire, answers=form.answers(), declined=form.declined(),
            submission_key=form.cleaned_data["submission_key"])
        return redirect("questionnaires:response", response_id=response.pk)
    return render(request, "checkins/questionnaire_fill.html", {"questionnaire": questionnaire, "form": form})


@login_required
def response_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    """The result: for the person, with their answers; for a supporter with a measures grant, the scores."""
    response = selectors.questionnaire_response_get(response_id=response_id, viewer=request.user)
    definition = response.questionnaire.definition
    ranges = subscale_ranges(definition)
    return render(request, "checkins/questionnaire_response.html", {
        "response": response, "definition": definition, "is_own": response.person_id == request.user.pk,
        "subscales": [(name, value, ranges.get(name)) for name, value in response.score.get("subscales", {}).items()],
        "answers": answer_summary(definition, response.resource) if response.person_id == request.user.pk else None,
        "support": selectors.questionnaire_risk_support(response=response, viewer=request.user,
                                                        accept_language=request.headers.get("Accept-Language", "")),
    })


@login_required
def shared_responses(request: HttpRequest, person_id) -> HttpResponse:
    person = person_by_public_id(public_id=person_id)
    responses = selectors.questionnaire_responses(person=person, viewer=request.user)
    return render(request, "checkins/questionnaire_shared.html", {"person": person, "responses": responses})


@login_required
def organisation_questionnaires(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    form = QuestionnaireUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_load(resource=form.cleaned_data["file"], organisation=organisation)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"Loaded “{questionnaire.title}”. People of {organisation.name} can fill it in now.")
            return redirect("questionnaires:organisation", organisation_id=organisation.pk)
    return render(request, "checkins/questionnaire_organisation.html", {
        "organisation": organisation, "form": form,
        "questionnaires": selectors.organisation_questionnaires(organisation=organisation),
    }, status=400 if form.errors else 200)
