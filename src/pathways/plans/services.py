"""Every write to a recovery plan. Each runs in one transaction and records its own history entry."""
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import (
    Dimension,
    Goal,
    GoalStatus,
    Pathway,
    Plan,
    PlanChange,
    PlanPathway,
    SavedService,
    Step,
    StepStatus,
    Strength,
    StrengthKind,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    Win,
)


def _record(*, plan: Plan, actor, action: str, summary: str, suggestion: Suggestion | None = None,
            **details) -> None:
    """Keep the history entry in the same transaction as the change, so neither exists without the other."""
    now = timezone.now()
    PlanChange.objects.create(plan=plan, actor=actor, at=now, action=action, summary=summary[:400], details=details,
                              suggestion=suggestion)
    Plan.objects.filter(pk=plan.pk).update(updated_at=now)


def _already_submitted(model, submission_key: uuid.UUID | None):
    """A form posted twice carries the same key; the second post returns what the first created."""
    if submission_key is None:
        return None
    return model.objects.filter(submission_key=submission_key).first()


def _save_once(obj):
    """Save a new row; if a concurrent post with the same key won the race, return that row instead."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        existing = _already_submitted(type(obj), obj.submission_key)
        if existing is None:
            raise
        return existing, False
    return obj, True


@transaction.atomic
def plan_create(*, person) -> Plan:
    plan, created = Plan.objects.get_or_create(person=person)
    if created:
        _record(plan=plan, actor=person, action="plan_started", summary="Started this recovery plan")
    return plan


@transaction.atomic
def recovery_meaning_update(*, plan: Plan, actor, text: str) -> Plan:
    if text == plan.recovery_meaning:
        return plan
    previous = plan.recovery_meaning
    plan.recovery_meaning = text
    plan.full_clean()
    plan.save(update_fields=["recovery_meaning"])
    _record(plan=plan, actor=actor, action="meaning_updated", summary="Wrote what recovery means to me",
            before=previous, after=text)
    return plan


@transaction.atomic
def lapse_plan_update(*, plan: Plan, actor, what_i_will_do: str, who_i_will_tell: str) -> Plan:
    """The plan section "If I use or lapse": what the person will do and whom they will tell."""
    before = {"what_i_will_do": plan.lapse_what_i_will_do, "who_i_will_tell": plan.lapse_who_i_will_tell}
    after = {"what_i_will_do": what_i_will_do.strip(), "who_i_will_tell": who_i_will_tell.strip()}
    if after == before:
        return plan
    plan.lapse_what_i_will_do, plan.lapse_who_i_will_tell = after["what_i_will_do"], after["who_i_will_tell"]
    plan.full_clean()
    plan.save(update_fields=["lapse_what_i_will_do", "lapse_who_i_will_tell"])
    _record(plan=plan, actor=actor, action="lapse_plan_updated", summary="Wrote what I'll do if I use or lapse",
            before=before, after=after)
    return plan


@transaction.atomic
def pathways_set(*, plan: Plan, actor, chosen: dict[str, str]) -> None:
    """Make `chosen` (pathway → own words) the current pathways; earlier choices stay in the history."""
    unknown = set(chosen) - set(Pathway.values)
    if unknown:
        raise ValidationError({"pathways": "Choose pathways from the list."})
    now = timezone.now()
    current = {choice.pathway: choice for choice in plan.pathways.select_for_update().filter(ended_at__isnull=True)}
    ended = [code for code in current if code not in chosen]
    reworded = [code for code in current if code in chosen and current[code].in_my_words != chosen[code]]
    started = [code for code in chosen if code not in current]
    for code in ended + reworded:
        current[code].ended_at = now
        current[code].save(update_fields=["ended_at"])
    for code in started + reworded:
        choice = PlanPathway(plan=plan, pathway=code, in_my_words=chosen[code], started_at=now)
        choice.full_clean()
        choice.save()
    if not (ended or started or reworded):
        return
    label = dict(Pathway.choices)
    parts = []
    if started:
        parts.append("chose " + ", ".join(label[c] for c in started))
    if ended:
        parts.append("moved on from " + ", ".join(label[c] for c in ended))
    if reworded:
        parts.append("reworded " + ", ".join(label[c] for c in reworded))
    _record(plan=plan, actor=actor, action="pathways_changed", summary="Pathways: " + "; ".join(parts),
            started=started, ended=ended, reworded=reworded)


@transaction.atomic
def strength_add(*, plan: Plan, actor, kind: str, text: str, submission_key: uuid.UUID | None = None) -> Strength:
    if existing := _already_submitted(Strength, submission_key):
        return existing
    strength, created = _save_once(Strength(plan=plan, kind=kind or StrengthKind.MINE, text=text,
                                            submission_key=submission_key))
    if created:
        _record(plan=plan, actor=actor, action="strength_added",
                summary=f"Added a strength: {strength.text}", kind=strength.kind)
    return strength


@transaction.atomic
def strength_remove(*, strength: Strength, actor) -> None:
    plan, text = strength.plan, strength.text
    strength.delete()
    _record(plan=plan, actor=actor, action="strength_removed", summary=f"Removed a strength: {text}")


@transaction.atomic
def goal_create(*, plan: Plan, actor, dimension: str, title: str, why_it_matters: str = "",
                importance: int | None = None, confidence: int | None = None, first_steps: list[str] = (),
                submission_key: uuid.UUID | None = None) -> Goal:
    """Add a goal, optionally with its first small steps."""
    if existing := _already_submitted(Goal, submission_key):
        return existing
    goal, created = _save_once(Goal(plan=plan, dimension=dimension, title=title, why_it_matters=why_it_matters,
                                    importance=importance, confidence=confidence, submission_key=submission_key))
    if not created:
        return goal
    _record(plan=plan, actor=actor, action="goal_added",
            summary=f"Added a {Dimension(dimension).label} goal: {goal.title}", goal=goal.pk)
    for text in first_steps:
        step_create(goal=goal, actor=actor, text=text)
    return goal


GOAL_FIELDS = ("dimension", "title", "why_it_matters", "importance", "confidence")


class GoalChangedElsewhere(Exception):
    """The goal was saved by someone (or another tab) after the form was opened; `current` is what is saved now."""

    def __init__(self, current: Goal):
        super().__init__("the goal changed since the form was opened")
        self.current = current


def goal_version(goal: Goal) -> str:
    """What an edit form carries to say which saved goal it started from."""
    return goal.updated_at.isoformat()


@transaction.atomic
def goal_update(*, goal: Goal, actor, expected_version: str | None = None, **changes) -> Goal:
    """Change any of the goal's own fields; the history keeps the value before and after.

    With `expected_version` (from `goal_version` when the form was opened), refuses with GoalChangedElsewhere
    if the goal was saved since, so two tabs never silently overwrite each other. The row is locked first,
    so the comparison and the save cannot be split by another save.
    """
    unexpected = set(changes) - set(GOAL_FIELDS)
    if unexpected:
        raise TypeError(f"goal_update() cannot change {sorted(unexpected)}")
    current = Goal.objects.select_for_update().select_related("plan").get(pk=goal.pk)
    if expected_version is not None and goal_version(current) != expected_version:
        raise GoalChangedElsewhere(current)
    goal = current
    changed = {name: (getattr(goal, name), value) for name, value in changes.items() if getattr(goal, name) != value}
    if not changed:
        return goal
    for name, (_, value) in changed.items():
        setattr(goal, name, value)
    goal.updated_at = timezone.now()
    goal.full_clean()
    goal.save()
    _record(plan=goal.plan, actor=actor, action="goal_changed", summary=f"Changed the goal: {goal.title}",
            goal=goal.pk, changes={name: {"before": before, "after": after} for name, (before, after) in changed.items()})
    return goal


STATUS_WORDS = {
    GoalStatus.ACTIVE: "Picked up again",
    GoalStatus.PAUSED: "Paused",
    GoalStatus.ACHIEVED: "Achieved",
    GoalStatus.LET_GO: "Let go of",
}


@transaction.atomic
def goal_set_status(*, goal: Goal, actor, status: str) -> Goal:
    status = GoalStatus(status)
    if goal.status == status:
        return goal
    before = goal.status
    goal.status = status
    goal.updated_at = timezone.now()
    goal.achieved_at = goal.updated_at if status == GoalStatus.ACHIEVED else None
    goal.save(update_fields=["status", "updated_at", "achieved_at"])
    _record(plan=goal.plan, actor=actor, action="goal_status", summary=f"{STATUS_WORDS[status]} the goal: {goal.title}",
            goal=goal.pk, before=before, after=status.value)
    if status == GoalStatus.ACHIEVED:
        win_add(plan=goal.plan, actor=actor, text=f"Achieved: {goal.title}"[:200])
    return goal


@transaction.atomic
def step_create(*, goal: Goal, actor, text: str, due_on: date | None = None,
                submission_key: uuid.UUID | None = None) -> Step:
    if existing := _already_submitted(Step, submission_key):
        return existing
    step, created = _save_once(Step(goal=goal, text=text, due_on=due_on, submission_key=submission_key))
    if created:
        _record(plan=goal.plan, actor=actor, action="step_added", summary=f"Added a step to {goal.title}: {step.text}",
                goal=goal.pk, step=step.pk)
    return step


@transaction.atomic
def step_update(*, step: Step, actor, text: str, due_on: date | None) -> Step:
    before = {"text": step.text, "due_on": step.due_on.isoformat() if step.due_on else None}
    if step.text == text and step.due_on == due_on:
        return step
    step.text, step.due_on = text, due_on
    step.full_clean()
    step.save(update_fields=["text", "due_on"])
    _record(plan=step.goal.plan, actor=actor, action="step_changed", summary=f"Changed a step: {step.text}",
            step=step.pk, before=before, after={"text": text, "due_on": due_on.isoformat() if due_on else None})
    return step


@transaction.atomic
def step_complete(*, step: Step, actor) -> Win:
    """Mark a step done and record the win; doing it twice changes nothing the second time."""
    step = Step.objects.select_for_update().select_related("goal__plan").get(pk=step.pk)
    if step.status == StepStatus.DONE:
        return Win.objects.filter(step=step).first()
    step.status = StepStatus.DONE
    step.completed_at = timezone.now()
    step.save(update_fields=["status", "completed_at"])
    plan = step.goal.plan
    _record(plan=plan, actor=actor, action="step_done", summary=f"Did a step: {step.text}", step=step.pk)
    win = Win.objects.filter(step=step).first()
    if win is None:
        win = Win.objects.create(plan=plan, text=step.text, step=step, occurred_on=timezone.localdate())
    return win


@transaction.atomic
def step_skip(*, step: Step, actor) -> Step:
    return _step_set_status(step=step, actor=actor, status=StepStatus.SKIPPED, summary="Set aside a step")


@transaction.atomic
def step_reopen(*, step: Step, actor) -> Step:
    return _step_set_status(step=step, actor=actor, status=StepStatus.OPEN, summary="Brought back a step")


def _step_set_status(*, step: Step, actor, status: StepStatus, summary: str) -> Step:
    if step.status == status:
        return step
    before = step.status
    step.status = status
    step.completed_at = None
    step.save(update_fields=["status", "completed_at"])
    _record(plan=step.goal.plan, actor=actor, action=f"step_{status.value}", summary=f"{summary}: {step.text}",
            step=step.pk, before=before)
    return step


@transaction.atomic
def win_add(*, plan: Plan, actor, text: str, occurred_on: date | None = None,
            submission_key: uuid.UUID | None = None) -> Win:
    if existing := _already_submitted(Win, submission_key):
        return existing
    win, created = _save_once(Win(plan=plan, text=text, occurred_on=occurred_on or timezone.localdate(),
                                  submission_key=submission_key))
    if created:
        _record(plan=plan, actor=actor, action="win_added", summary=f"Noted a win: {win.text}")
    return win


@transaction.atomic
def suggestion_create(*, plan: Plan, author, kind: str, text: str, why: str = "", dimension: str = "",
                      goal: Goal | None = None, submission_key: uuid.UUID | None = None) -> Suggestion:
    """A supporter proposes a goal or a step; the plan itself stays exactly as it was."""
    if existing := _already_submitted(Suggestion, submission_key):
        return existing
    if kind == SuggestionKind.STEP and (goal is None or goal.plan_id != plan.pk):
        raise ValidationError({"goal": "Choose one of the person's goals for this step."})
    if kind == SuggestionKind.GOAL and dimension not in Dimension.values:
        raise ValidationError({"dimension": "Choose a part of life for this goal."})
    suggestion, _ = _save_once(Suggestion(
        plan=plan, author=author, author_name=author.name or author.display_name, kind=kind, text=text, why=why,
        dimension=dimension if kind == SuggestionKind.GOAL else "", goal=goal if kind == SuggestionKind.STEP else None,
        submission_key=submission_key))
    return suggestion


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, actor, text: str, why: str = "", dimension: str = "") -> Goal | Step:
    """The person takes a suggestion into their plan, in their own (possibly edited) words."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.WAITING:
        raise ValidationError("This suggestion was already answered.")
    suggestion.status, suggestion.decided_at = SuggestionStatus.ACCEPTED, timezone.now()
    suggestion.save(update_fields=["status", "decided_at"])
    if suggestion.kind == SuggestionKind.GOAL:
        result = goal_create(plan=suggestion.plan, actor=actor, dimension=dimension or suggestion.dimension,
                             title=text, why_it_matters=why)
    else:
        result = step_create(goal=suggestion.goal, actor=actor, text=text)
    _record(plan=suggestion.plan, actor=actor, action="suggestion_accepted",
            summary=f"Accepted {suggestion.get_kind_display()}: {text}", suggestion=suggestion)
    return result


@transaction.atomic
def suggestion_decline(*, suggestion: Suggestion, actor) -> None:
    if suggestion.status != SuggestionStatus.WAITING:
        return
    suggestion.status, suggestion.decided_at = SuggestionStatus.DECLINED, timezone.now()
    suggestion.save(update_fields=["status", "decided_at"])
    _record(plan=suggestion.plan, actor=actor, action="suggestion_declined",
            summary=f"Declined {suggestion.get_kind_display()}: {suggestion.text}", suggestion=suggestion)


@transaction.atomic
def service_save(*, plan: Plan, actor, service, note: str = "") -> tuple[SavedService, bool]:
    """Keep a directory service in the plan; saving it again (a second tap, another tab) changes nothing."""
    saved = SavedService.objects.filter(plan=plan, service=service).first()
    if saved is not None:
        return saved, False
    saved = SavedService(plan=plan, service=service, note=note)
    saved.full_clean()
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError:  # the same save, a moment earlier, from another request
        return SavedService.objects.get(plan=plan, service=service), False
    _record(plan=plan, actor=actor, action="service_saved", summary=f"Saved a service: {service.name}",
            service=str(service.public_id))
    return saved, True


@transaction.atomic
def service_unsave(*, saved: SavedService, actor) -> None:
    plan, name = saved.plan, saved.service.name
    saved.delete()
    _record(plan=plan, actor=actor, action="service_removed", summary=f"Removed a saved service: {name}")
