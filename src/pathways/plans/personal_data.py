"""What the plans app holds about a person (see pathways.lib.personal_data): the plan and its history."""
from pathways.lib.personal_data import FORMER_MEMBER, holds, person_ref, values

from .models import Goal, Plan, PlanChange, SavedService, Step, Strength, Suggestion, Win


def export_plan(user) -> dict | None:
    plan = Plan.objects.filter(person=user).first()
    if plan is None:
        return None
    steps_by_goal: dict[int, list[dict]] = {}
    for step in values(Step.objects.filter(goal__plan=plan).order_by("created_at", "pk"),
                       "goal_id", "text", "due_on", "status", "completed_at", "created_at"):
        steps_by_goal.setdefault(step.pop("goal_id"), []).append(step)
    goals = []
    for goal in values(Goal.objects.filter(plan=plan).order_by("created_at", "pk"), "id", "dimension", "title",
                       "why_it_matters", "importance", "confidence", "status", "achieved_at", "created_at", "updated_at"):
        goal["steps"] = steps_by_goal.get(goal.pop("id"), [])
        goals.append(goal)
    history = [
        {"at": change.at, "action": change.action, "summary": change.described, "details": change.details,
         "by": "me" if change.actor_id == user.pk else person_ref(change.actor)}
        for change in PlanChange.objects.filter(plan=plan).select_related("actor", "suggestion")
        .order_by("at", "pk")
    ]
    suggestions = [
        {"from": {"public_id": str(s.author.public_id) if s.author else None, "name": s.author_name},
         "kind": s.kind, "goal": s.goal.title if s.goal_id else None, "dimension": s.dimension, "text": s.text,
         "why": s.why, "status": s.status, "created_at": s.created_at, "decided_at": s.decided_at}
        for s in Suggestion.objects.filter(plan=plan).select_related("author", "goal").order_by("created_at", "pk")
    ]
    return {
        "recovery_meaning": plan.recovery_meaning,
        "if_i_use_or_lapse": {"what_i_will_do": plan.lapse_what_i_will_do,
                              "who_i_will_tell": plan.lapse_who_i_will_tell},
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "pathways": values(plan.pathways.order_by("started_at", "pk"), "pathway", "in_my_words", "started_at",
                           "ended_at"),
        "strengths": values(Strength.objects.filter(plan=plan).order_by("created_at", "pk"), "kind", "text",
                            "created_at"),
        "goals": goals,
        "wins": values(Win.objects.filter(plan=plan).order_by("occurred_on", "created_at", "pk"), "text",
                       "occurred_on", "created_at"),
        "history": history,
        "suggestions_received": suggestions,
        "saved_services": [
            {"service": saved.service.name, "organisation": saved.service.organisation.name,
             "category": saved.service.category, "phone": saved.service.phone, "website": saved.service.website,
             "note": saved.note, "saved_at": saved.saved_at}
            for saved in SavedService.objects.filter(plan=plan).select_related("service__organisation")
            .order_by("saved_at", "pk")
        ],
    }


def forget_suggestions_made(user) -> None:
    """Suggestions this account made in other people's plans stay theirs, from "someone who has left". Their
    plan history refers to the suggestion, so it says the same without being rewritten."""
    Suggestion.objects.filter(author=user).exclude(plan__person=user).update(author_name=FORMER_MEMBER)


holds("plan", models=["plans.Plan", "plans.PlanPathway", "plans.Strength", "plans.Goal", "plans.Step", "plans.Win",
                      "plans.PlanChange", "plans.Suggestion", "plans.SavedService"],
      export=export_plan, forget=forget_suggestions_made)
