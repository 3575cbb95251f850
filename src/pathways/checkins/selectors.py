"""Every read of check-ins and measures, on behalf of a viewer and through the access policy."""
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from pathways.circle.policy import Action, Category, require

from . import warning_examples, warning_rules
from .models import (
    DailyCheckIn,
    EarlyWarningSetting,
    Questionnaire,
    QuestionnaireResponse,
    RecoveryCheckIn,
    Stage,
    Trigger,
    WarningNudge,
    WarningSign,
)


def daily_checkin_for_day(*, person, viewer, day=None) -> DailyCheckIn | None:
    require(viewer, person, Category.CHECKINS, Action.VIEW)
    return DailyCheckIn.objects.filter(person=person, day=day or timezone.localdate()).select_related("use").first()


def daily_checkins(*, person, viewer, limit: int = 60) -> list[DailyCheckIn]:
    require(viewer, person, Category.CHECKINS, Action.VIEW)
    return list(DailyCheckIn.objects.filter(person=person).order_by("-day")[:limit])


def recovery_checkins(*, person, viewer) -> list[RecoveryCheckIn]:
    require(viewer, person, Category.MEASURES, Action.VIEW)
    return list(RecoveryCheckIn.objects.filter(person=person).order_by("taken_at", "pk"))


def missed_days(*, person, viewer, within) -> list:
    """Recent days with no check-in, newest first, that the person may still fill in."""
    require(viewer, person, Category.CHECKINS, Action.VIEW)
    today = timezone.localdate()
    start = today - within
    done = set(DailyCheckIn.objects.filter(person=person, day__gte=start, day__lt=today).values_list("day", flat=True))
    joined = timezone.localdate(person.date_joined)
    days = (today - timedelta(days=n) for n in range(1, within.days + 1))
    return [day for day in days if day not in done and day >= joined]


# Standard instruments ----------------------------------------------------------------------------

def questionnaires_offered(*, person) -> list[Questionnaire]:
    """What the person may fill in: questionnaires for everyone and their home organisation's, newest
    version of each (older versions stay, because earlier responses were scored by them). A newest
    version whose FHIR status is "retired" withdraws the questionnaire."""
    loaded = (Questionnaire.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=person.home_organisation_id))
              .order_by("url", "-loaded_at", "-pk"))
    newest: dict[str, Questionnaire] = {}
    for questionnaire in loaded:
        newest.setdefault(questionnaire.url, questionnaire)
    offered = [q for q in newest.values() if q.resource.get("status") != "retired"]
    return sorted(offered, key=lambda q: q.title.casefold())


def questionnaire_offered(*, person, questionnaire_id: int) -> Questionnaire:
    """One questionnaire the person may fill in now, or 404."""
    for questionnaire in questionnaires_offered(person=person):
        if questionnaire.pk == questionnaire_id:
            return questionnaire
    raise Http404


def organisation_questionnaires(*, organisation) -> list[Questionnaire]:
    """What an organisation loaded; the caller has checked the viewer administers it."""
    return list(Questionnaire.objects.filter(organisation=organisation).order_by("title", "-loaded_at"))


def questionnaire_responses(*, person, viewer) -> list[QuestionnaireResponse]:
    require(viewer, person, Category.MEASURES, Action.VIEW)
    return list(QuestionnaireResponse.objects.filter(person=person).select_related("questionnaire")
                .order_by("-authored_at", "-pk"))


def questionnaire_response_get(*, response_id: int, viewer) -> QuestionnaireResponse:
    """One response, if the viewer is its person or holds a grant to their measures; otherwise 404."""
    response = QuestionnaireResponse.objects.select_related("questionnaire", "person").filter(pk=response_id).first()
    if response is None:
        raise Http404
    require(viewer, response.person, Category.MEASURES, Action.VIEW)
    return response


# Early warning: the person's own plan and notes. Only the person sees them; supporters are only told. ----

def _require_self(*, person, viewer) -> None:
    if viewer is None or not viewer.is_authenticated or viewer.pk != person.pk:
        raise Http404


@dataclass
class StagePlan:
    stage: str
    label: str
    description: str
    signs: list[WarningSign]
    examples: list[warning_examples.Example]  # examples not yet in the plan


@dataclass
class RuleChoice:
    rule: warning_rules.Rule
    signs: list[WarningSign]  # the person's signs this rule watches for; empty means it is off
    example: warning_examples.Example | None  # its example sign, unless the person already has those words
    other_signs: list[WarningSign]  # signs it could watch for instead


@dataclass
class EarlyWarningPlan:
    stages: list[StagePlan]
    triggers: list[Trigger]
    trigger_examples: list[warning_examples.Example]
    rules: list[RuleChoice]
    share_which_sign: bool
    notes: list[WarningNudge]


def _same_words(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def early_warning_plan(*, person, viewer) -> EarlyWarningPlan:
    """The person's signs by stage, triggers, the rules watching for them and their sharing choice."""
    _require_self(person=person, viewer=viewer)
    signs = list(WarningSign.objects.filter(person=person))
    triggers = list(Trigger.objects.filter(person=person))
    had = [sign.sign for sign in signs]
    stages = [StagePlan(stage=stage.value, label=stage.label,
                        description=warning_examples.STAGE_DESCRIPTIONS[stage.value],
                        signs=[sign for sign in signs if sign.stage == stage.value],
                        examples=[example for example in warning_examples.SIGN_EXAMPLES[stage.value]
                                  if not example.watch and not any(_same_words(example.text, t) for t in had)])
              for stage in Stage]
    rules = []
    for rule in warning_rules.RULES.values():
        example = warning_examples.sign_example(rule.stage, rule.key)
        if any(_same_words(example.text, t) for t in had):
            example = None
        watching = [sign for sign in signs if sign.watch == rule.key]
        rules.append(RuleChoice(rule=rule, signs=watching, example=example,
                                other_signs=[sign for sign in signs if sign.watch != rule.key]))
    setting = EarlyWarningSetting.objects.filter(person=person).first()
    return EarlyWarningPlan(
        stages=stages, triggers=triggers,
        trigger_examples=[example for example in warning_examples.TRIGGER_EXAMPLES
                          if not any(_same_words(example.text, t.trigger) for t in triggers)],
        rules=rules, share_which_sign=bool(setting and setting.share_which_sign_with_supporters),
        notes=list(WarningNudge.objects.filter(person=person)[:10]),
    )


def warning_signs(*, person, viewer) -> list[WarningSign]:
    _require_self(person=person, viewer=viewer)
    return list(WarningSign.objects.filter(person=person))


def warning_sign_get(*, sign_id: int, viewer) -> WarningSign:
    sign = WarningSign.objects.filter(pk=sign_id, person_id=getattr(viewer, "pk", None)).first()
    if sign is None:
        raise Http404
    return sign


def trigger_get(*, trigger_id: int, viewer) -> Trigger:
    trigger = Trigger.objects.filter(pk=trigger_id, person_id=getattr(viewer, "pk", None)).first()
    if trigger is None:
        raise Http404
    return trigger


def warning_nudge_get(*, nudge_id: int, viewer) -> WarningNudge:
    """A note is the person's alone: supporters are told a sign was noticed, never shown the answers."""
    nudge = WarningNudge.objects.filter(pk=nudge_id, person_id=getattr(viewer, "pk", None)).first()
    if nudge is None:
        raise Http404
    return nudge


@dataclass
class NoteView:
    nudge: WarningNudge
    rule: warning_rules.Rule
    answers: list[tuple[date, str, str]]  # day, item in words, answer in words
    signs: list[WarningSign]  # the signs in the person's plan this rule watches for
    stages: list[StagePlan]  # the whole plan for the stages of those signs
    triggers: list[Trigger]


def warning_note(*, nudge_id: int, viewer) -> NoteView:
    """A gentle note with what raised it and the person's own plan for that stage."""
    nudge = warning_nudge_get(nudge_id=nudge_id, viewer=viewer)
    rule = warning_rules.RULES[nudge.rule]
    answers = [(date.fromisoformat(answer["day"]), warning_rules.ITEM_LABELS.get(answer["item"], answer["item"]),
                answer["answer"]) for answer in nudge.explanation.get("answers", [])]
    plan = early_warning_plan(person=viewer, viewer=viewer)
    signs = [sign for stage in plan.stages for sign in stage.signs if sign.watch == nudge.rule]
    wanted = {sign.stage for sign in signs} or {rule.stage}
    return NoteView(nudge=nudge, rule=rule, answers=answers, signs=signs,
                    stages=[stage for stage in plan.stages if stage.stage in wanted], triggers=plan.triggers)


def warning_nudges_unseen(*, person, viewer) -> list[WarningNudge]:
    """Notes the person has not opened or set aside yet, for the gentle box on their pages."""
    _require_self(person=person, viewer=viewer)
    return list(WarningNudge.objects.filter(person=person, seen_at__isnull=True)[:3])
