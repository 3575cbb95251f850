"""Early-warning pages: the person's own plan by stage, their triggers, what check-ins watch for, and gentle notes.

Thin: parse, call one selector or service, render or redirect. Every page here is the person's alone, except
the read-only plan for supporters with the early-warning grant (`shared_plan`).
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pathways.circle.selectors import person_by_public_id
from pathways.lib.redirects import path_on_this_site
from pathways.signins.held_forms import form_data

from . import selectors, services
from .forms import SharingForm, TriggerForm, WarningSignForm, WatchForm
from .models import Stage
from .warning_rules import RULES


def _plan_url(anchor: str = "") -> str:
    return reverse("warning_signs:plan") + (f"#{anchor}" if anchor else "")


def _form_page(request: HttpRequest, form, heading: str, submit_label: str, anchor: str = "") -> HttpResponse:
    return render(request, "checkins/warning_form.html", {
        "form": form, "heading": heading, "submit_label": submit_label, "back_url": _plan_url(anchor)})


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    plan = selectors.early_warning_plan(person=request.user, viewer=request.user)
    return render(request, "checkins/warning_plan.html", {
        "plan": plan, "sharing_form": SharingForm(initial={"share_which_sign": plan.share_which_sign})})


@login_required
def sign_add(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage") if request.GET.get("stage") in Stage.values else ""
    form = WarningSignForm(form_data(request), initial={"stage": stage} if stage else {})
    if request.method == "POST" and form.is_valid():
        sign = services.warning_sign_add(person=request.user, submission_key=form.cleaned_data["submission_key"],
                                         **form.sign_fields())
        messages.success(request, f"Added “{sign.sign}” to your plan.")
        return redirect(_plan_url(sign.stage))
    return _form_page(request, form, "Add a sign", "Add this sign", anchor=stage)


@login_required
@require_POST
def sign_add_example(request: HttpRequest) -> HttpResponse:
    try:
        sign = services.warning_sign_add_example(person=request.user, stage=request.POST.get("stage", ""),
                                                 example=request.POST.get("example", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_plan_url())
    messages.success(request, f"Added “{sign.sign}” to your plan. You can add what you will do when you notice it, "
                              "or leave that for another time.")
    return redirect("warning_signs:sign_edit", sign_id=sign.pk)


@login_required
def sign_edit(request: HttpRequest, sign_id: int) -> HttpResponse:
    sign = selectors.warning_sign_get(sign_id=sign_id, viewer=request.user)
    form = WarningSignForm(form_data(request), instance=sign)
    if request.method == "POST" and form.is_valid():
        sign.refresh_from_db()  # the form wrote into the instance; the service does the saving
        services.warning_sign_update(warning_sign=sign, **form.sign_fields())
        messages.success(request, "Saved.")
        return redirect(_plan_url(sign.stage))
    return _form_page(request, form, "Change this sign", "Save", anchor=sign.stage)


@login_required
@require_POST
def sign_remove(request: HttpRequest, sign_id: int) -> HttpResponse:
    sign = selectors.warning_sign_get(sign_id=sign_id, viewer=request.user)
    services.warning_sign_remove(warning_sign=sign)
    messages.success(request, f"Removed “{sign.sign}” from your plan.")
    return redirect(_plan_url(sign.stage))


@login_required
def trigger_add(request: HttpRequest) -> HttpResponse:
    form = TriggerForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.trigger_add(person=request.user, trigger=form.cleaned_data["trigger"],
                             what_helps=form.cleaned_data["what_helps"],
                             submission_key=form.cleaned_data["submission_key"])
        messages.success(request, "Added to your triggers.")
        return redirect(_plan_url("triggers"))
    return _form_page(request, form, "Add a trigger", "Add this trigger", anchor="triggers")


@login_required
@require_POST
def trigger_add_example(request: HttpRequest) -> HttpResponse:
    try:
        trigger = services.trigger_add_example(person=request.user, example=request.POST.get("example", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_plan_url("triggers"))
    messages.success(request, f"Added “{trigger.trigger}”. You can add what helps you with it, or leave that for "
                              "another time.")
    return redirect("warning_signs:trigger_edit", trigger_id=trigger.pk)


@login_required
def trigger_edit(request: HttpRequest, trigger_id: int) -> HttpResponse:
    trigger = selectors.trigger_get(trigger_id=trigger_id, viewer=request.user)
    form = TriggerForm(form_data(request), instance=trigger)
    if request.method == "POST" and form.is_valid():
        trigger.refresh_from_db()
        services.trigger_update(trigger=trigger, text=form.cleaned_data["trigger"],
                                what_helps=form.cleaned_data["what_helps"])
        messages.success(request, "Saved.")
        return redirect(_plan_url("triggers"))
    return _form_page(request, form, "Change this trigger", "Save", anchor="triggers")


@login_required
@require_POST
def trigger_remove(request: HttpRequest, trigger_id: int) -> HttpResponse:
    trigger = selectors.trigger_get(trigger_id=trigger_id, viewer=request.user)
    services.trigger_remove(trigger=trigger)
    messages.success(request, f"Removed “{trigger.trigger}” from your triggers.")
    return redirect(_plan_url("triggers"))


@login_required
@require_POST
def watch_set(request: HttpRequest, rule: str) -> HttpResponse:
    if rule not in RULES:
        return redirect(_plan_url("watching"))
    form = WatchForm(request.POST, signs=selectors.warning_signs(person=request.user, viewer=request.user))
    if form.is_valid():
        sign = selectors.warning_sign_get(sign_id=form.cleaned_data["sign"], viewer=request.user)
        services.warning_watch_set(warning_sign=sign, rule=rule)
        messages.success(request, f"Your check-ins now watch for “{sign.sign}”.")
    else:
        messages.error(request, "Choose one of your signs for this to watch for.")
    return redirect(_plan_url(f"rule-{rule}"))


@login_required
@require_POST
def watch_stop(request: HttpRequest, rule: str) -> HttpResponse:
    if rule in RULES:
        services.warning_watch_stop(person=request.user, rule=rule)
        messages.success(request, f"Your check-ins no longer watch for “{RULES[rule].title.lower()}”. "
                                  "Your signs stay in your plan.")
    return redirect(_plan_url(f"rule-{rule}"))


@login_required
@require_POST
def sharing(request: HttpRequest) -> HttpResponse:
    form = SharingForm(request.POST)
    share = form.is_valid() and form.cleaned_data["share_which_sign"]
    services.early_warning_setting_update(person=request.user, share_which_sign_with_supporters=share)
    messages.success(request, "Saved. Supporters with your early-warning grant will be told which sign was noticed, "
                              "and can read this plan."
                     if share else "Saved. Supporters with your early-warning grant will be told only that a sign "
                                   "was noticed.")
    return redirect(_plan_url("sharing"))


@login_required
@require_POST
def hard_days(request: HttpRequest) -> HttpResponse:
    """Turn on or off the short block of the person's own steps shown after a hard day's check-in."""
    on = request.POST.get("answer_hard_days") == "on"
    services.early_warning_setting_update(person=request.user, answer_hard_days=on)
    messages.success(request, "Saved. After a hard day's check-in you will see your own steps and people to reach."
                     if on else "Saved. After a hard day you will not see that block. You can turn it back on here.")
    return redirect(_plan_url("hard-days"))


@login_required
def note(request: HttpRequest, note_id: int) -> HttpResponse:
    view = selectors.warning_note(note_id=note_id, viewer=request.user)
    services.gentle_note_seen(gentle_note=view.gentle_note)
    return render(request, "checkins/warning_note.html", {"note": view})


@login_required
@require_POST
def note_not_now(request: HttpRequest, note_id: int) -> HttpResponse:
    gentle_note = selectors.gentle_note_get(note_id=note_id, viewer=request.user)
    services.gentle_note_seen(gentle_note=gentle_note)
    target = path_on_this_site(request, request.POST.get("next"))
    return HttpResponseRedirect(target) if target else redirect(_plan_url())


@login_required
def shared_plan(request: HttpRequest, person_id) -> HttpResponse:
    """The plan as a supporter reads it: no examples, no changes. The person goes to their own."""
    person = person_by_public_id(public_id=person_id)
    if person.pk == request.user.pk:
        return redirect("warning_signs:plan")
    return render(request, "checkins/warning_plan_shared.html", {
        "person": person, "plan": selectors.shared_warning_plan(person=person, viewer=request.user)})
