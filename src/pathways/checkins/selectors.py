"""Every read of check-ins and measures, on behalf of a viewer and through the access policy."""
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from pathways.circle.policy import Access, Category, decide, log_read, permits_and_log, require_and_log
from pathways.plans.models import Pathway
from pathways.plans.selectors import current_pathway_codes, plan_get
from pathways.safety import selectors as safety

from . import questionnaires, warning_examples, warning_rules
from .models import (
    Answer,
    DailyCheckIn,
    EarlyWarningSetting,
    GentleNote,
    Questionnaire,
    QuestionnaireResponse,
    RecoveryCheckIn,
    Stage,
    Trigger,
    UrgeEntry,
    UseLog,
    WarningSign,
)


def daily_checkin_for_day(*, person, viewer, day=None) -> DailyCheckIn | None:
    require_and_log(viewer, person, Category.CHECKINS, Access.VIEW)
    return DailyCheckIn.objects.filter(person=person, day=day or timezone.localdate()).select_related("use").first()


def daily_checkins(*, person, viewer, limit: int = 60) -> list[DailyCheckIn]:
    require_and_log(viewer, person, Category.CHECKINS, Access.VIEW)
    return list(DailyCheckIn.objects.filter(person=person).order_by("-day")[:limit])


def recovery_checkins(*, person, viewer) -> list[RecoveryCheckIn]:
    require_and_log(viewer, person, Category.MEASURES, Access.VIEW)
    return list(RecoveryCheckIn.objects.filter(person=person).order_by("taken_at", "pk"))


def missed_days(*, person, viewer, within) -> list:
    """Recent days with no check-in, newest first, that the person may still fill in."""
    require_and_log(viewer, person, Category.CHECKINS, Access.VIEW)
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
    require_and_log(viewer, person, Category.MEASURES, Access.VIEW)
    return list(QuestionnaireResponse.objects.filter(person=person).select_related("questionnaire")
                .order_by("-authored_at", "-pk"))


def questionnaire_response_get(*, response_id: int, viewer) -> QuestionnaireResponse:
    """One response, if the viewer is its person or holds a grant to their measures; otherwise 404."""
    response = QuestionnaireResponse.objects.select_related("questionnaire", "person").filter(pk=response_id).first()
    if response is None:
        raise Http404
    require_and_log(viewer, response.person, Category.MEASURES, Access.VIEW)
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
    answer_hard_days: bool
    notes: list[GentleNote]


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
        answer_hard_days=setting is None or setting.answer_hard_days,
        notes=list(GentleNote.objects.filter(person=person)[:10]),
    )


@dataclass
class SharedWarningPlan:
    """What a supporter with the early-warning grant reads of the person's plan, without its controls."""

    stages: list[StagePlan]  # each stage's signs (the descriptions and examples are the person's, in "I" words)
    triggers: list[Trigger]
    shown: bool  # false: the person chose that supporters are told only that a sign was noticed
    emergency: object = None  # the running EmergencyAccess, when that is what opens the plan


def shared_warning_plan(*, person, viewer) -> SharedWarningPlan:
    """The person's signs by stage, triggers and plan for each sign, read-only; 404 without the early-warning
    grant. The grant itself means being told a sign was noticed; the plan's words are shown only when the person
    also chose to tell supporters which sign it was (EarlyWarningSetting), or under emergency access."""
    decision = decide(viewer, person, Category.EARLY_WARNING, Access.VIEW)
    log_read(viewer, person, Category.EARLY_WARNING, Access.VIEW, decision)
    if not decision.allowed:
        raise Http404
    setting = EarlyWarningSetting.objects.filter(person=person).first()
    shown = decision.emergency is not None or bool(setting and setting.share_which_sign_with_supporters)
    signs = list(WarningSign.objects.filter(person=person)) if shown else []
    stages = [StagePlan(stage=stage.value, label=stage.label, description="", examples=[],
                        signs=[sign for sign in signs if sign.stage == stage.value]) for stage in Stage]
    return SharedWarningPlan(stages=stages, triggers=list(Trigger.objects.filter(person=person)) if shown else [],
                             shown=shown, emergency=decision.emergency)


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


def gentle_note_get(*, note_id: int, viewer) -> GentleNote:
    """A note is the person's alone: supporters are told a sign was noticed, never shown the answers."""
    gentle_note = GentleNote.objects.filter(pk=note_id, person_id=getattr(viewer, "pk", None)).first()
    if gentle_note is None:
        raise Http404
    return gentle_note


@dataclass
class NoteView:
    gentle_note: GentleNote
    rule: warning_rules.Rule
    answers: list[tuple[date, str, str]]  # day, item in words, answer in words
    signs: list[WarningSign]  # the signs in the person's plan this rule watches for
    stages: list[StagePlan]  # the whole plan for the stages of those signs
    triggers: list[Trigger]


def warning_note(*, note_id: int, viewer) -> NoteView:
    """A gentle note with what raised it and the person's own plan for that stage."""
    gentle_note = gentle_note_get(note_id=note_id, viewer=viewer)
    rule = warning_rules.RULES[gentle_note.rule]
    answers = [(date.fromisoformat(answer["day"]), warning_rules.ITEM_LABELS.get(answer["item"], answer["item"]),
                answer["answer"]) for answer in gentle_note.explanation.get("answers", [])]
    plan = early_warning_plan(person=viewer, viewer=viewer)
    signs = [sign for stage in plan.stages for sign in stage.signs if sign.watch == gentle_note.rule]
    wanted = {sign.stage for sign in signs} or {rule.stage}
    return NoteView(gentle_note=gentle_note, rule=rule, answers=answers, signs=signs,
                    stages=[stage for stage in plan.stages if stage.stage in wanted], triggers=plan.triggers)


def gentle_notes_unseen(*, person, viewer) -> list[GentleNote]:
    """Notes the person has not opened or set aside yet, for the gentle box on their pages."""
    _require_self(person=person, viewer=viewer)
    return list(GentleNote.objects.filter(person=person, seen_at__isnull=True)[:3])


# What Pathways says back after a daily check-in ----------------------------------------------------

HARD_DAY_ITEMS = 4  # a short block: a few of the person's own steps and people, never a lecture
SAFER_USE_ITEMS = ("not_alone", "naloxone_at_hand", "tested_supply")


@dataclass
class HardDay:
    coping: list[str]  # from their safety plan and the "what I will do" of their own signs
    people: list[str]  # from their safety plan and the "whom I will contact" of their own signs
    has_signs: bool


@dataclass
class CheckInResponse:
    """The answers a saved check-in calls for, most urgent first; empty parts are None or False."""

    checkin: DailyCheckIn
    country: str  # for recognising the phone numbers the person wrote
    crisis: object = None  # safety.selectors.CrisisLines, when lines are needed
    alerts: object = None  # safety.selectors.AlertsToday, when the answer showed risk
    safety_plan: object = None
    lapse_plan: object = None  # the person's Plan, for its "if I use or lapse" section
    safer_use: bool = False
    hard_day: HardDay | None = None

    @property
    def says_something(self) -> bool:
        return bool(self.alerts or self.lapse_plan or self.safer_use or self.hard_day)


def _unique(texts, limit: int) -> list[str]:
    """Each line once: "My sister Dee" is left out when "My sister Dee 0300 …" is there too."""
    lines = [text.strip() for text in texts if text.strip()]
    kept: list[str] = []
    for line in lines:
        folded = line.casefold()
        if any(other.casefold().startswith(folded) and other.casefold() != folded for other in lines):
            continue
        if folded not in {other.casefold() for other in kept}:
            kept.append(line)
    return kept[:limit]


def _hard_day(*, person, safety_plan) -> HardDay:
    signs = list(WarningSign.objects.filter(person=person).exclude(stage=Stage.PHYSICAL))
    coping = safety_plan.coping_on_my_own.splitlines() + [sign.what_i_will_do for sign in signs]
    people = safety_plan.people_to_ask.splitlines() + [sign.who_i_will_contact for sign in signs]
    return HardDay(coping=_unique(coping, HARD_DAY_ITEMS), people=_unique(people, HARD_DAY_ITEMS),
                   has_signs=WarningSign.objects.filter(person=person).exists())


def _wants_hard_day_answers(person) -> bool:
    setting = EarlyWarningSetting.objects.filter(person=person).first()
    return setting is None or setting.answer_hard_days


def checkin_response(*, person, viewer, day: date, accept_language: str = "") -> CheckInResponse | None:
    """After a check-in: the crisis lines and who was told (a risk answer), the person's own plan for after a
    lapse, a safer-use card (harm reduction, used alone, without naloxone or untested), or their own steps
    and people on a hard day. None when that day has no check-in."""
    _require_self(person=person, viewer=viewer)
    plan_get(person=person, viewer=viewer)  # check-ins are for people with a plan, not staff accounts
    checkin = daily_checkin_for_day(person=person, viewer=viewer, day=day)
    if checkin is None:
        return None
    use = UseLog.objects.filter(checkin=checkin).first()
    country = safety.person_country(person, accept_language=accept_language)
    answer = CheckInResponse(checkin=checkin, country=country.code)
    answer.safer_use = bool(use and use.used != Answer.NO and any(getattr(use, item) == Answer.NO
                                                                   for item in SAFER_USE_ITEMS)
                            and Pathway.HARM_REDUCTION in current_pathway_codes(person=person, viewer=viewer))
    if use and use.is_lapse:
        answer.lapse_plan = plan_get(person=person, viewer=viewer)
    hard_day = checkin.is_hard_day and not checkin.raises_risk and _wants_hard_day_answers(person)
    if checkin.raises_risk or hard_day:
        answer.safety_plan = safety.safety_plan_get(person=person, viewer=viewer)
    if checkin.raises_risk or answer.safer_use:
        answer.crisis = safety.crisis_lines_for(person=person, accept_language=accept_language)
    if checkin.raises_risk:
        answer.alerts = safety.crisis_alerts_today(person=person, viewer=viewer, since=checkin.updated_at)
    if hard_day:
        answer.hard_day = _hard_day(person=person, safety_plan=answer.safety_plan)
    return answer


@dataclass
class RiskSupport:
    crisis: object  # safety.selectors.CrisisLines
    alerts: object  # safety.selectors.AlertsToday
    safety_plan: object


def questionnaire_risk_support(*, response: QuestionnaireResponse, viewer, accept_language: str = ""
                               ) -> RiskSupport | None:
    """For the person's own response given today with a risk answer: the lines, who was told, their plan."""
    person = response.person
    if viewer is None or viewer.pk != person.pk or timezone.localdate(response.authored_at) != timezone.localdate():
        return None
    answers, _ = questionnaires.answers_from_response(response.questionnaire.definition, response.resource)
    if not questionnaires.risk_level(response.questionnaire.definition, answers):
        return None
    return RiskSupport(crisis=safety.crisis_lines_for(person=person, accept_language=accept_language),
                       alerts=safety.crisis_alerts_today(person=person, viewer=viewer, since=response.authored_at),
                       safety_plan=safety.safety_plan_get(person=person, viewer=viewer))


# The urge log: the person's own; supporters read it with the check-ins grant --------------------------

URGES_SHOWN = 30
SHARED_URGE_DAYS = 28  # as far back as the shared check-ins, day by day
SHARED_URGES_PAGE = "your urge log"  # how a refusal of "how it went" reads in the person's access log


def urges_recent(*, person, viewer, limit: int = URGES_SHOWN) -> list[UrgeEntry]:
    """The person's latest urges, newest first. Their own page: the urge log is for people with a plan."""
    _require_self(person=person, viewer=viewer)
    plan_get(person=person, viewer=viewer)
    return list(UrgeEntry.objects.filter(person=person).order_by("-occurred_at", "-pk")[:limit])


def urge_get(*, urge_id, viewer) -> UrgeEntry:
    """One urge, for its own person to change or remove; anyone else gets 404."""
    urge = UrgeEntry.objects.filter(public_id=urge_id, person_id=getattr(viewer, "pk", None)).first()
    if urge is None:
        raise Http404
    return urge


@dataclass
class SharedUrges:
    urges: list[UrgeEntry]  # newest first; only the time and strength (and how it went, below) are shown
    shows_how_it_went: bool  # "I used" is use information: shown only with the use-log grant too
    days: int


def shared_urges(*, person, viewer, days: int = SHARED_URGE_DAYS) -> SharedUrges:
    """The person's urges of the last `days` days for a supporter with the check-ins grant (404 without it).
    The where, what they did and note are the person's own jottings, like a check-in's note, and are left out."""
    require_and_log(viewer, person, Category.CHECKINS, Access.VIEW)
    shows_how_it_went = permits_and_log(viewer, person, Category.USE_LOG, Access.VIEW, page=SHARED_URGES_PAGE)
    since = timezone.now() - timedelta(days=days)
    urges = list(UrgeEntry.objects.filter(person=person, occurred_at__gte=since).order_by("-occurred_at", "-pk")
                 .only("occurred_at", "strength", "how_it_went"))
    return SharedUrges(urges=urges, shows_how_it_went=shows_how_it_went, days=days)
