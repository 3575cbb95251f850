"""Every read of a recovery plan, always on behalf of a viewer and always through the access policy."""
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from pathways.circle.policy import Access, Category, require_and_log
from pathways.directory.selectors import service_counts_by_dimension

from .models import (
    Dimension,
    Goal,
    GoalStatus,
    Plan,
    PlanChange,
    PlanPathway,
    SavedService,
    Step,
    StepStatus,
    Strength,
    Suggestion,
    SuggestionStatus,
    Win,
)

DUE_SOON_DAYS = 14
RECENT_WINS = 5
# Beside each part of the plan, the link to the directory's services for it (shown when there are some).
SERVICES_FOR = {
    Dimension.HEALTH: "health services near you",
    Dimension.HOME: "housing services near you",
    Dimension.PURPOSE: "work, training and money services near you",
    Dimension.COMMUNITY: "meetings and community services near you",
}


def plan_get(*, person, viewer, action: Access = Access.VIEW) -> Plan:
    require_and_log(viewer, person, Category.PLAN, action)
    plan = Plan.objects.filter(person=person).first()
    if plan is None:  # staff accounts have no plan of their own
        raise Http404
    return plan


def goal_get(*, goal_id: int, viewer, action: Access = Access.VIEW) -> Goal:
    """The goal, if the viewer may see (or change) it; otherwise 404, whether or not it exists."""
    goal = Goal.objects.select_related("plan__person").filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    require_and_log(viewer, goal.plan.person, Category.PLAN, action)
    return goal


def step_get(*, step_id: int, viewer, action: Access = Access.VIEW) -> Step:
    step = Step.objects.select_related("goal__plan__person").filter(pk=step_id).first()
    if step is None:
        raise Http404
    require_and_log(viewer, step.goal.plan.person, Category.PLAN, action)
    return step


def strength_get(*, strength_id: int, viewer, action: Access = Access.VIEW) -> Strength:
    strength = Strength.objects.select_related("plan__person").filter(pk=strength_id).first()
    if strength is None:
        raise Http404
    require_and_log(viewer, strength.plan.person, Category.PLAN, action)
    return strength


@dataclass
class DimensionGoals:
    dimension: Dimension
    goals: list[Goal]
    services_link: str = ""  # the words of the link to the directory's services for this part; empty: none


@dataclass
class PlanOverview:
    plan: Plan
    pathways: list[PlanPathway]
    strengths: dict[str, list]
    recent_wins: list[Win]
    steps_due_soon: list[Step]
    dimensions: list[DimensionGoals]
    wins_total: int
    saved_services: list[SavedService]


def plan_overview(*, person, viewer) -> PlanOverview:
    """Everything the plan page shows, with hope first: recent wins and what is due soon."""
    plan = plan_get(person=person, viewer=viewer)
    goals = list(
        plan.goals.prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("created_at", "pk")))
    )
    by_dimension = {dimension: [] for dimension in Dimension}
    for goal in goals:
        by_dimension[Dimension(goal.dimension)].append(goal)
    today = timezone.localdate()
    due_soon = sorted(
        (
            step
            for goal in goals
            if goal.status == GoalStatus.ACTIVE
            for step in goal.steps.all()
            if step.status == StepStatus.OPEN and step.due_on and step.due_on <= today + timedelta(days=DUE_SOON_DAYS)
        ),
        key=lambda step: (step.due_on, step.pk),
    )
    strengths: dict[str, list] = {}
    for strength in plan.strengths.all():
        strengths.setdefault(strength.get_kind_display(), []).append(strength)
    wins = plan.wins.all()
    # The links lead into the viewer's own directory, so only the person sees them on their own plan.
    services = service_counts_by_dimension(viewer=person) if viewer.pk == person.pk else {}
    return PlanOverview(
        plan=plan,
        pathways=list(plan.pathways.filter(ended_at__isnull=True)),
        strengths=strengths,
        recent_wins=list(wins[:RECENT_WINS]),
        steps_due_soon=due_soon,
        dimensions=[DimensionGoals(dimension=d, goals=g, services_link=SERVICES_FOR[d] if services.get(d.value) else "")
                    for d, g in by_dimension.items()],
        wins_total=wins.count(),
        saved_services=list(plan.saved_services.select_related("service")),
    )


def pathway_history(*, person, viewer) -> list[PlanPathway]:
    plan = plan_get(person=person, viewer=viewer)
    return list(plan.pathways.order_by("-started_at", "-pk"))


def plan_history(*, person, viewer) -> list[PlanChange]:
    plan = plan_get(person=person, viewer=viewer)
    return list(plan.changes.select_related("actor", "suggestion"))


def win_list(*, person, viewer) -> list[Win]:
    plan = plan_get(person=person, viewer=viewer)
    return list(plan.wins.all())


def suggestions_waiting(*, person, viewer) -> list[Suggestion]:
    """Suggestions from the circle that wait for the person's answer (only the person sees these)."""
    plan = plan_get(person=person, viewer=viewer, action=Access.WRITE)
    return list(plan.suggestions.filter(status=SuggestionStatus.WAITING).select_related("goal"))


def suggestion_get(*, suggestion_id: int, viewer) -> Suggestion:
    suggestion = Suggestion.objects.select_related("plan__person", "goal").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise Http404
    require_and_log(viewer, suggestion.plan.person, Category.PLAN, Access.WRITE)
    return suggestion


def current_pathway_codes(*, person, viewer) -> set[str]:
    """The pathways the person is on now, which shape the questions their check-in asks."""
    plan = plan_get(person=person, viewer=viewer)
    return set(plan.pathways.filter(ended_at__isnull=True).values_list("pathway", flat=True))


def saved_service_get(*, service_id, viewer) -> SavedService:
    """A service the viewer saved to their own plan (by the service's public id); 404 for anything else."""
    plan = plan_get(person=viewer, viewer=viewer, action=Access.WRITE)
    saved = plan.saved_services.select_related("plan", "service").filter(service__public_id=service_id).first()
    if saved is None:
        raise Http404
    return saved
