"""Plan pages. Thin: each parses the request, calls one selector or service, and renders."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pathways.circle.policy import Access, Category, can
from pathways.circle.selectors import person_by_public_id
from pathways.directory.selectors import service_get
from pathways.lib.redirects import path_on_this_site
from pathways.signins.held_forms import form_data

from . import selectors, services
from .forms import (
    AcceptSuggestionForm,
    GoalEditForm,
    GoalStatusForm,
    LapsePlanForm,
    MeaningForm,
    NewGoalForm,
    PathwaysForm,
    StepForm,
    StrengthForm,
    SuggestGoalForm,
    SuggestStepForm,
    WinForm,
)
from .models import Dimension


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Return to the page the form was on, if it is one of ours."""
    target = path_on_this_site(request, request.POST.get("next") or request.GET.get("next"))
    return HttpResponseRedirect(target) if target else redirect(default)


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    overview = selectors.plan_overview(person=request.user, viewer=request.user)
    suggestions = selectors.suggestions_waiting(person=request.user, viewer=request.user)
    return render(request, "plans/plan.html", {"overview": overview, "suggestions": suggestions})


@login_required
def meaning_edit(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_get(person=request.user, viewer=request.user, action=Access.WRITE)
    form = MeaningForm(form_data(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        plan.refresh_from_db()  # the form wrote into the instance; compare against what is stored
        services.recovery_meaning_update(plan=plan, actor=request.user, text=form.cleaned_data["recovery_meaning"])
        messages.success(request, "Saved what recovery means to you.")
        return redirect("plans:plan")
    return render(request, "plans/meaning_form.html", {"form": form, "heading": "What recovery means to me"})


@login_required
def pathways_edit(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_get(person=request.user, viewer=request.user, action=Access.WRITE)
    current = {choice.pathway: choice.in_my_words for choice in plan.pathways.filter(ended_at__isnull=True)}
    form = PathwaysForm(form_data(request), current=current)
    if request.method == "POST" and form.is_valid():
        services.pathways_set(plan=plan, actor=request.user, chosen=form.chosen())
        messages.success(request, "Saved your pathways. Earlier choices stay in your history.")
        return redirect("plans:plan")
    history = selectors.pathway_history(person=request.user, viewer=request.user)
    return render(request, "plans/pathways_form.html", {"form": form, "history": history})


@login_required
def strength_add(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_get(person=request.user, viewer=request.user, action=Access.WRITE)
    form = StrengthForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.strength_add(plan=plan, actor=request.user, kind=form.cleaned_data["kind"],
                              text=form.cleaned_data["text"], submission_key=form.cleaned_data["submission_key"])
        messages.success(request, "Added to your strengths.")
        return redirect("plans:plan")
    return render(request, "plans/strength_form.html", {"form": form, "heading": "Add a strength", "submit_label": "Add strength"})


@login_required
@require_POST
def strength_remove(request: HttpRequest, strength_id: int) -> HttpResponse:
    strength = selectors.strength_get(strength_id=strength_id, viewer=request.user, action=Access.WRITE)
    services.strength_remove(strength=strength, actor=request.user)
    messages.success(request, "Removed that strength.")
    return redirect("plans:plan")


@login_required
def goal_add(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_get(person=request.user, viewer=request.user, action=Access.WRITE)
    initial = {"dimension": request.GET.get("dimension")} if request.GET.get("dimension") in Dimension.values else {}
    form = NewGoalForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        goal = services.goal_create(
            plan=plan, actor=request.user, dimension=data["dimension"], title=data["title"],
            why_it_matters=data["why_it_matters"], importance=data["importance"],
            confidence=data["confidence"], first_steps=data["first_steps"], submission_key=data["submission_key"],
        )
        messages.success(request, f"Added your goal “{goal.title}”.")
        return redirect("plans:plan")
    return render(request, "plans/goal_form.html", {"form": form, "heading": "Add a goal", "submit_label": "Add goal"})


@login_required
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get(goal_id=goal_id, viewer=request.user)
    return render(request, "plans/goal_detail.html", {
        "goal": goal, "steps": goal.steps.all(), "step_form": StepForm(), "status_form": GoalStatusForm(),
        "is_owner": goal.plan.person_id == request.user.pk,  # supporters with a plan grant read it, no controls
    })


@login_required
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get(goal_id=goal_id, viewer=request.user, action=Access.WRITE)
    form = GoalEditForm(form_data(request), instance=goal, initial={"version": services.goal_version(goal)})
    context = {"form": form, "heading": "Change this goal", "back_url": goal_url(goal)}
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.GOAL_FIELDS}
        try:
            services.goal_update(goal=goal, actor=request.user, expected_version=form.cleaned_data["version"] or None,
                                 **changes)
        except services.GoalChangedElsewhere as conflict:
            # What they typed stays in the form; saving again now (with the newer version) keeps theirs.
            data = request.POST.copy()
            data["version"] = services.goal_version(conflict.current)
            context["form"] = GoalEditForm(data, instance=goal)
            context["saved_meanwhile"] = conflict.current
            return render(request, "plans/goal_form.html", context, status=409)
        messages.success(request, "Saved your goal.")
        return redirect("plans:goal", goal_id=goal.pk)
    return render(request, "plans/goal_form.html", context)


@login_required
@require_POST
def goal_status(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get(goal_id=goal_id, viewer=request.user, action=Access.WRITE)
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        services.goal_set_status(goal=goal, actor=request.user, status=form.cleaned_data["status"])
        messages.success(request, f"“{goal.title}” is now: {goal.get_status_display().lower()}.")
    else:
        messages.error(request, "That choice was not one of the options, so nothing changed.")
    return redirect("plans:goal", goal_id=goal.pk)


@login_required
def step_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get(goal_id=goal_id, viewer=request.user, action=Access.WRITE)
    form = StepForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.step_create(goal=goal, actor=request.user, text=form.cleaned_data["text"],
                             due_on=form.cleaned_data["due_on"], submission_key=form.cleaned_data["submission_key"])
        messages.success(request, "Added the step.")
        return _back(request, default=goal_url(goal))
    return render(request, "plans/step_form.html", {"form": form, "heading": f"Add a step to “{goal.title}”",
                                                     "submit_label": "Add step", "back_url": goal_url(goal)})


def goal_url(goal) -> str:
    return reverse("plans:goal", args=[goal.pk])


@login_required
def step_edit(request: HttpRequest, step_id: int) -> HttpResponse:
    step = selectors.step_get(step_id=step_id, viewer=request.user, action=Access.WRITE)
    form = StepForm(form_data(request), instance=step)
    if request.method == "POST" and form.is_valid():
        step.refresh_from_db()
        services.step_update(step=step, actor=request.user, text=form.cleaned_data["text"],
                             due_on=form.cleaned_data["due_on"])
        messages.success(request, "Saved the step.")
        return redirect("plans:goal", goal_id=step.goal_id)
    return render(request, "plans/step_form.html", {"form": form, "heading": "Change a step",
                                                     "back_url": goal_url(step.goal)})


STEP_ACTIONS = {
    "done": (services.step_complete, "Well done — that is a win, and it is in your wins."),
    "skip": (services.step_skip, "Set aside. You can bring it back whenever you like."),
    "reopen": (services.step_reopen, "Brought back to your steps."),
}


@login_required
@require_POST
def step_action(request: HttpRequest, step_id: int) -> HttpResponse:
    """Done, skip or bring back a step; answers with the step itself when htmx asked."""
    step = selectors.step_get(step_id=step_id, viewer=request.user, action=Access.WRITE)
    if request.POST.get("action") not in STEP_ACTIONS:
        messages.error(request, "That was not one of the choices, so the step is unchanged.")
        return _back(request, default=goal_url(step.goal))
    service, message = STEP_ACTIONS[request.POST["action"]]
    service(step=step, actor=request.user)
    step.refresh_from_db()
    if request.htmx:
        return render(request, "plans/_step.html",
                      {"step": step, "just_changed": message, "next": request.POST.get("next", "")})
    messages.success(request, message)
    return _back(request, default=goal_url(step.goal))


@login_required
def wins(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_get(person=request.user, viewer=request.user, action=Access.WRITE)
    form = WinForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.win_add(plan=plan, actor=request.user, text=form.cleaned_data["text"],
                         occurred_on=form.cleaned_data["occurred_on"], submission_key=form.cleaned_data["submission_key"])
        messages.success(request, "Noted. That counts.")
        return redirect("plans:wins")
    return render(request, "plans/wins.html", {
        "form": form, "wins": selectors.win_list(person=request.user, viewer=request.user),
    })


@login_required
def history(request: HttpRequest) -> HttpResponse:
    changes = selectors.plan_history(person=request.user, viewer=request.user)
    return render(request, "plans/history.html", {"changes": changes})


@login_required
@require_POST
def service_save(request: HttpRequest, service_id) -> HttpResponse:
    """Save a service from the viewer's directory to their own plan, then go back to the search they were on."""
    service = service_get(public_id=service_id, viewer=request.user)
    plan = selectors.plan_get(person=request.user, viewer=request.user, action=Access.WRITE)
    _, added = services.service_save(plan=plan, actor=request.user, service=service,
                                     note=request.POST.get("note", "")[:200])
    messages.success(request, f"Saved “{service.name}” to your plan." if added
                     else f"“{service.name}” is already in your plan.")
    return _back(request, default="plans:plan")


@login_required
@require_POST
def service_remove(request: HttpRequest, service_id) -> HttpResponse:
    saved = selectors.saved_service_get(service_id=service_id, viewer=request.user)
    services.service_unsave(saved=saved, actor=request.user)
    messages.success(request, f"Removed “{saved.service.name}” from your plan. It is still in the directory.")
    return redirect("plans:plan")


@login_required
def shared_plan(request: HttpRequest, person_id) -> HttpResponse:
    """A supporter reads the plan of someone who shares it with them (through the policy, logged)."""
    person = person_by_public_id(public_id=person_id)
    overview = selectors.plan_overview(person=person, viewer=request.user)
    goals = [goal for group in overview.dimensions for goal in group.goals]
    may_suggest = can(request.user, person, Category.PLAN, Access.SUGGEST)
    return render(request, "plans/shared_plan.html", {
        "person": person, "overview": overview, "may_suggest": may_suggest,
        "goal_form": SuggestGoalForm(prefix="goal") if may_suggest else None,
        "step_form": SuggestStepForm(prefix="step", goals=goals) if may_suggest and goals else None,
    })


@login_required
@require_POST
def suggest(request: HttpRequest, person_id, kind: str) -> HttpResponse:
    person = person_by_public_id(public_id=person_id)
    plan = selectors.plan_get(person=person, viewer=request.user, action=Access.SUGGEST)
    if kind == "goal":
        form = SuggestGoalForm(request.POST, prefix="goal")
        valid = form.is_valid()
        fields = {"dimension": form.cleaned_data.get("dimension"), "why": form.cleaned_data.get("why", "")}
    else:
        form = SuggestStepForm(request.POST, prefix="step", goals=plan.goals.all())
        valid = form.is_valid()
        fields = {"goal": plan.goals.filter(pk=form.cleaned_data.get("goal")).first()}
    if not valid:
        messages.error(request, "The suggestion needs a few words, and a goal to go with a step. Nothing was sent.")
        return redirect("plans:shared_plan", person_id=person.public_id)
    services.suggestion_create(plan=plan, author=request.user, kind=kind, text=form.cleaned_data["text"],
                               submission_key=form.cleaned_data["submission_key"], **fields)
    messages.success(request, f"Sent. It waits on {person.display_name}'s plan until they accept or decline it.")
    return redirect("plans:shared_plan", person_id=person.public_id)


@login_required
def suggestion_answer(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_get(suggestion_id=suggestion_id, viewer=request.user)
    form = AcceptSuggestionForm(form_data(request), initial={
        "text": suggestion.text, "why": suggestion.why, "dimension": suggestion.dimension})
    if request.method == "POST" and request.POST.get("answer") == "decline":
        services.suggestion_decline(suggestion=suggestion, actor=request.user)
        messages.success(request, "Declined. Your plan is unchanged.")
        return redirect("plans:plan")
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_accept(suggestion=suggestion, actor=request.user, text=form.cleaned_data["text"],
                                       why=form.cleaned_data["why"], dimension=form.cleaned_data["dimension"])
        except ValidationError as error:  # answered already (another tab, a second press): nothing to do twice
            messages.info(request, error.messages[0])
            return redirect("plans:plan")
        messages.success(request, "Added to your plan.")
        return redirect("plans:plan")
    return render(request, "plans/suggestion_answer.html", {"suggestion": suggestion, "form": form})


@login_required
def lapse_plan_edit(request: HttpRequest) -> HttpResponse:
    """The plan section for the moment after a lapse, in the person's own words."""
    plan = selectors.plan_get(person=request.user, viewer=request.user, action=Access.WRITE)
    form = LapsePlanForm(form_data(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        plan.refresh_from_db()  # the form wrote into the instance; compare against what is stored
        services.lapse_plan_update(plan=plan, actor=request.user,
                                   what_i_will_do=form.cleaned_data["lapse_what_i_will_do"],
                                   who_i_will_tell=form.cleaned_data["lapse_who_i_will_tell"])
        messages.success(request, "Saved your plan for if you use or lapse.")
        return redirect(path_on_this_site(request, request.POST.get("next")) or "plans:plan")
    return render(request, "plans/lapse_plan_form.html", {
        "form": form, "heading": "If I use or lapse", "next": path_on_this_site(request, request.GET.get("next")) or "",
    })
