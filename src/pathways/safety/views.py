"""Safety pages: the person's plan (one tap from every page), crisis lines, and the page after a risk answer."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathways.circle.selectors import person_by_public_id
from pathways.circle.telling import alert_preference_update
from pathways.lib.redirects import path_on_this_site
from pathways.people.selectors import organisation_for_admin
from pathways.signins.held_forms import form_data

from . import selectors, services
from .forms import AlertSettingsForm, LocalServiceForm, SafetyPlanForm


def _lines_context(request: HttpRequest, person) -> dict:
    return {"crisis": selectors.crisis_lines_for(person=person,
                                                  accept_language=request.headers.get("Accept-Language", ""))}


@login_required
def safety_plan(request: HttpRequest) -> HttpResponse:
    plan = selectors.safety_plan_get(person=request.user, viewer=request.user)
    return render(request, "safety/plan.html", {"plan": plan, "is_person": True,
                                                **_lines_context(request, request.user)})


@login_required
def safety_plan_edit(request: HttpRequest) -> HttpResponse:
    plan = selectors.safety_plan_get(person=request.user, viewer=request.user)
    form = SafetyPlanForm(form_data(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        services.safety_plan_save(person=request.user, **{name: form.cleaned_data[name] for name in plan.SECTIONS})
        messages.success(request, "Saved your safety plan. It is one tap away from every page.")
        return redirect("safety:plan")
    return render(request, "safety/plan_form.html", {"form": form})


@login_required
def safety_plan_print(request: HttpRequest) -> HttpResponse:
    plan = selectors.safety_plan_get(person=request.user, viewer=request.user)
    return render(request, "safety/print.html", {"plan": plan, **_lines_context(request, request.user)})


@login_required
def support_now(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Shown straight after an answer that suggests risk: the lines first, who was told today, the plan."""
    alert = selectors.crisis_alert_get(alert_id=alert_id, viewer=request.user)
    plan = selectors.safety_plan_get(person=request.user, viewer=request.user)
    return render(request, "safety/support_now.html", {
        "plan": plan, "alerts": selectors.crisis_alerts_today(person=request.user, viewer=request.user,
                                                              since=alert.raised_at),
        "next": path_on_this_site(request, request.GET.get("next")), **_lines_context(request, request.user),
    })


@login_required
def alert_responses(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The "who is reaching out" part of the person's own crisis page, which htmx asks for every few seconds."""
    return render(request, "safety/_reaching_out.html", {
        "reaching_out": selectors.alert_reaching_out(alert_id=alert_id, viewer=request.user)})


@login_required
def alert(request: HttpRequest, alert_id) -> HttpResponse:
    """What a supporter told of a crisis alert sees: who, since when, and a button to say they are reaching out."""
    return render(request, "safety/alert.html", {
        "view": selectors.alert_for_supporter(alert_id=alert_id, viewer=request.user)})


@login_required
@require_POST
def alert_answer(request: HttpRequest, alert_id) -> HttpResponse:
    view = selectors.alert_for_supporter(alert_id=alert_id, viewer=request.user)
    services.alert_answer(alert=view.alert, supporter=request.user)
    messages.success(request, f"Thank you. {view.person.display_name} can see that you are reaching out, and "
                              "nobody else will be alerted about this.")
    return redirect("safety:alert", alert_id=alert_id)


@login_required
def alert_settings(request: HttpRequest) -> HttpResponse:
    """The person's choice of who hears of a crisis alert first, who later if nobody answers, and when."""
    current = selectors.alert_settings_get(person=request.user, viewer=request.user)
    form = AlertSettingsForm(form_data(request), alert_settings=current)
    if request.method == "POST" and form.is_valid():
        alert_preference_update(person=request.user, wait_minutes=form.cleaned_data["wait_minutes"],
                                on_duty_allowed=form.cleaned_data.get("on_duty_allowed",
                                                                      current.preference.on_duty_allowed),
                                rounds=form.rounds())
        messages.success(request, "Saved how your crisis alerts reach people.")
        return redirect("safety:alert_settings")
    return render(request, "safety/alert_settings.html", {"form": form, "alert_settings": current})


@login_required
def shared_safety_plan(request: HttpRequest, person_id) -> HttpResponse:
    person = person_by_public_id(public_id=person_id)
    plan = selectors.safety_plan_get(person=person, viewer=request.user)
    return render(request, "safety/plan.html", {"plan": plan, "is_person": False, "person": person,
                                                **_lines_context(request, person)})


def crisis_lines(request: HttpRequest) -> HttpResponse:
    """Open to anyone, signed in or not: help should never be behind a login."""
    context = _lines_context(request, request.user)
    return render(request, "safety/crisis_lines.html", {
        "grouped": selectors.crisis_lines_by_country(first=context["crisis"].country.code), **context})


@login_required
def local_services(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    form = LocalServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.local_service_add(organisation=organisation, **form.cleaned_data)
        messages.success(request, "Added. People in your programme will see it beside the crisis lines.")
        return redirect("safety:local_services", organisation_id=organisation.pk)
    return render(request, "safety/local_services.html", {
        "organisation": organisation, "form": form, "services": selectors.local_services(organisation=organisation),
    })


@login_required
@require_POST
def local_service_remove(request: HttpRequest, organisation_id: int, line_id: int) -> HttpResponse:
    organisation, line = _organisations_line(request, organisation_id, line_id)
    if line is not None:
        services.local_service_remove(line=line)
        messages.success(request, "Removed.")
    return redirect("safety:local_services", organisation_id=organisation.pk)


@login_required
@require_POST
def local_service_move(request: HttpRequest, organisation_id: int, line_id: int) -> HttpResponse:
    organisation, line = _organisations_line(request, organisation_id, line_id)
    if line is not None:
        services.local_service_move(line=line, earlier=request.POST.get("direction") == "up")
    return redirect("safety:local_services", organisation_id=organisation.pk)


def _organisations_line(request: HttpRequest, organisation_id: int, line_id: int):
    """The organisation (404 unless the viewer administers it) and its line, or None for a line not its own."""
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    return organisation, next((line for line in selectors.local_services(organisation=organisation)
                               if line.pk == line_id), None)
