"""Every write of check-ins and questionnaire responses, each in one transaction."""
import uuid
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from pathways.circle.models import Category
from pathways.circle.telling import supporters_tell
from pathways.notifications.services import mark_read, notify
from pathways.people.models import User
from pathways.people.pronouns import words_for
from pathways.plans.models import Dimension
from pathways.safety.services import crisis_alert_route

from . import questionnaires, warning_examples, warning_rules
from .models import (
    DailyCheckIn,
    EarlyWarningSetting,
    GentleNote,
    Questionnaire,
    QuestionnaireResponse,
    RecoveryCheckIn,
    Trigger,
    UrgeEntry,
    UseLog,
    WarningSign,
)
from .recovery_items import DIMENSION_MAX, ITEM_IDS, ITEM_MAX, process_scores

DAILY_FIELDS = ("mood", "cravings", "sleep_hours", "sleep_quality", "energy", "hungry", "angry", "lonely", "tired",
                "connected", "self_care", "self_harm_thoughts", "note")
USE_FIELDS = ("used", "what", "how_much", "not_alone", "naloxone_at_hand", "tested_supply", "doses_taken", "is_lapse",
              "what_was_happening", "what_i_learned", "reflection_shared")
BACKFILL_DAYS = 30


def _check_day(day: date, today: date) -> None:
    if day > today:
        raise ValidationError({"day": "A check-in cannot be for a day that has not come yet."})
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise ValidationError({"day": f"Missed days can be filled in for up to {BACKFILL_DAYS} days back."})


@transaction.atomic
def daily_checkin_save(*, person, day: date, answers: dict[str, Any], use: dict[str, Any] | None = None,
                       declined: list[str] = ()) -> DailyCheckIn:
    """Create or update the check-in for `day`.

    Today's check-in can be changed all day; a missed earlier day can be filled in once and is marked
    as back-filled. An earlier day that already has a check-in stays as it was written.
    """
    today = timezone.localdate()
    _check_day(day, today)
    # The day's row is locked (not its use log: FOR UPDATE may not reach the empty side of an outer join) and
    # read with its use log, so saving both costs no further reads.
    stored = (DailyCheckIn.objects.select_for_update(of=("self",)).select_related("use")
              .filter(person=person, day=day).first())
    if stored is not None and day != today:
        raise ValidationError({"day": "That day already has a check-in. Only today's can be changed."})
    unknown = set(answers) - set(DAILY_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown check-in items: {sorted(unknown)}")
    checkin = stored or DailyCheckIn(person=person, day=day, backfilled=day < today)
    for name in DAILY_FIELDS:
        setattr(checkin, name, answers.get(name, DailyCheckIn._meta.get_field(name).get_default()))
    checkin.declined = sorted(set(declined) & set(DAILY_FIELDS + USE_FIELDS))
    checkin.updated_at = timezone.now()
    # Two checks would each cost a query and cannot fail here: that the person exists (it is their own save),
    # and one check-in per person and day (this day's row was just read under lock; the database holds the
    # constraint whatever happens).
    checkin.full_clean(exclude=["person"], validate_constraints=False)
    if stored is None:
        try:
            with transaction.atomic():  # a savepoint: two first saves of one day (a double tap) can meet here
                checkin.save()
        except IntegrityError:
            # The other save stored the day's check-in first, after this one looked (PostgreSQL; SQLite queues
            # whole transactions): update that one instead, as a moment later this save would have.
            return daily_checkin_save(person=person, day=day, answers=answers, use=use, declined=declined)
    else:
        checkin.save()
    if use is not None:
        _use_log_save(checkin, use, stored_log=getattr(stored, "use", None))
    # Here rather than in the view: every way a check-in is saved raises its crisis alert and is matched
    # against the person's own signs in the same transaction, so an alert or a note and its telling exist
    # exactly when the check-in does. Most check-ins show no risk, and need no alert's transaction at all.
    if checkin.risk_level:
        crisis_alert_route(person=person, level=checkin.risk_level, source="daily check-in")
    early_warning_check(person=person, rules=AFTER_CHECKIN_RULES, today=today)
    return checkin


def _use_log_save(checkin: DailyCheckIn, use: dict[str, Any], stored_log: UseLog | None) -> None:
    unknown = set(use) - set(USE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown use-log items: {sorted(unknown)}")
    log = stored_log or UseLog(checkin=checkin)
    for name in USE_FIELDS:
        setattr(log, name, use.get(name, UseLog._meta.get_field(name).get_default()))
    log.full_clean(exclude=["checkin"])  # just saved, and its only log is `stored_log`: no query to ask again
    log.save()


@transaction.atomic
def recovery_checkin_record(*, person, answers: dict[str, int | None], dimension_ratings: dict[str, int | None],
                            declined: list[str] = ()) -> RecoveryCheckIn:
    """Store a recovery check-in with its CHIME process scores; skipped items are simply absent."""
    answers = {key: value for key, value in answers.items() if value is not None}
    ratings = {key: value for key, value in dimension_ratings.items() if value is not None}
    problems = []
    if set(answers) - ITEM_IDS:
        problems.append(f"Unknown items: {sorted(set(answers) - ITEM_IDS)}")
    if any(not isinstance(v, int) or not 0 <= v <= ITEM_MAX for v in answers.values()):
        problems.append(f"Each answer is a whole number from 0 to {ITEM_MAX}.")
    if set(ratings) - set(Dimension.values):
        problems.append(f"Unknown dimensions: {sorted(set(ratings) - set(Dimension.values))}")
    if any(not isinstance(v, int) or not 0 <= v <= DIMENSION_MAX for v in ratings.values()):
        problems.append(f"Each rating is a whole number from 0 to {DIMENSION_MAX}.")
    if problems:
        raise ValidationError(problems)
    return RecoveryCheckIn.objects.create(person=person, answers=answers, dimension_ratings=ratings,
                                          declined=sorted(set(declined)), process_scores=process_scores(answers))


# Standard instruments: questionnaires loaded as FHIR data, and the responses to them ------------------

def _questionnaire_problems(error: questionnaires.QuestionnaireError | questionnaires.AnswerError) -> ValidationError:
    return ValidationError([str(problem) for problem in error.problems])


@transaction.atomic
def questionnaire_load(*, resource: dict, organisation=None) -> Questionnaire:
    """Check a FHIR Questionnaire with its scoring rules and store it, all or nothing.

    A version, once loaded, never changes: responses were scored by it. To change a questionnaire,
    load it again under a new `version`; people are then offered the newest one.
    """
    try:
        definition = questionnaires.parse(resource)
    except questionnaires.QuestionnaireError as error:
        raise _questionnaire_problems(error) from None
    same = Questionnaire.objects.filter(url=definition.url, version=definition.version)
    where = None
    if same.filter(organisation__isnull=True).exists():
        where = "for everyone"
    elif organisation is not None and same.filter(organisation=organisation).exists():
        where = f"for {organisation.name}"
    if where:
        raise ValidationError(
            f"version: {definition.title} version “{definition.version or '(none)'}” is already loaded {where}. "
            "A loaded version never changes, because responses were scored by it; give the file a new version.")
    questionnaire = Questionnaire(organisation=organisation, url=definition.url, version=definition.version,
                                  title=definition.title, resource=resource)
    questionnaire.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            questionnaire.save()
    except IntegrityError:
        raise ValidationError("version: this version was loaded a moment ago by someone else.") from None
    return questionnaire


def _offered_to(person, questionnaire: Questionnaire) -> bool:
    return questionnaire.organisation_id is None or questionnaire.organisation_id == person.home_organisation_id


@transaction.atomic
def questionnaire_response_record(*, person, questionnaire: Questionnaire, answers: dict[str, int | None],
                                  declined: list[str] = (), submission_key: uuid.UUID | None = None
                                  ) -> QuestionnaireResponse:
    """Store the person's answers as a FHIR QuestionnaireResponse with its score.

    Skipped and declined questions are left out of the score, never counted as zero; a form posted
    twice (same submission key) stores one response.
    """
    if submission_key is not None:
        earlier = QuestionnaireResponse.objects.filter(submission_key=submission_key, person=person).first()
        if earlier is not None:
            return earlier
    if not _offered_to(person, questionnaire):
        raise ValidationError("This questionnaire is not offered to you.")
    definition = questionnaire.definition
    authored = timezone.now()
    try:
        score = questionnaires.score(definition, answers)
        resource = questionnaires.response_resource(definition, answers, authored=authored, declined=declined)
    except questionnaires.AnswerError as error:
        raise _questionnaire_problems(error) from None
    response = QuestionnaireResponse(questionnaire=questionnaire, person=person, authored_at=authored,
                                     resource=resource, score=score, submission_key=submission_key)
    response.full_clean()
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        earlier = QuestionnaireResponse.objects.filter(submission_key=submission_key, person=person).first()
        if earlier is None:
            raise
        return earlier
    # An answer the organisation marked as a risk answer is routed exactly like the check-in's.
    crisis_alert_route(person=person, level=questionnaires.risk_level(definition, answers), source=questionnaire.title)
    return response


# Early warning: the person's own plan, and the gentle notes raised when check-ins match it -----------------

GENTLE_NOTE_QUIET_DAYS = 7
# Saving a check-in is the opposite of a pause, so that rule belongs to the sweep alone.
AFTER_CHECKIN_RULES = tuple(key for key in warning_rules.RULES if key != "checkins_stopping")


def _next_order(model, person) -> int:
    return (model.objects.filter(person=person).aggregate(highest=Max("order"))["highest"] or 0) + 1


def _save_once(obj):
    """Save a new row; a form posted twice (same submission key) returns the row the first post made."""
    if obj.submission_key is not None:
        earlier = type(obj).objects.filter(submission_key=obj.submission_key, person=obj.person).first()
        if earlier is not None:
            return earlier
    obj.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        earlier = type(obj).objects.filter(submission_key=obj.submission_key, person=obj.person).first()
        if earlier is None:
            raise
        return earlier
    return obj


@transaction.atomic
def warning_sign_add(*, person, stage: str, sign: str, what_i_will_do: str = "", who_i_will_contact: str = "",
                     watch: str = "", submission_key: uuid.UUID | None = None) -> WarningSign:
    return _save_once(WarningSign(person=person, stage=stage, sign=sign.strip(), what_i_will_do=what_i_will_do.strip(),
                                  who_i_will_contact=who_i_will_contact.strip(), watch=watch,
                                  order=_next_order(WarningSign, person), submission_key=submission_key))


@transaction.atomic
def warning_sign_add_example(*, person, stage: str, example: str) -> WarningSign:
    """Take an offered example into the plan with one tap; taking it twice keeps one."""
    offered = warning_examples.sign_example(stage, example)
    if offered is None:
        raise ValidationError("That example is not offered any more. You can write the sign in your own words.")
    # The sign is encrypted at rest, so the match is made here rather than in SQL.
    existing = next((sign for sign in WarningSign.objects.filter(person=person, stage=stage)
                     if sign.sign.casefold() == offered.text.casefold()), None)
    return existing or warning_sign_add(person=person, stage=stage, sign=offered.text, watch=offered.watch)


@transaction.atomic
def warning_sign_update(*, warning_sign: WarningSign, stage: str, sign: str, what_i_will_do: str = "",
                        who_i_will_contact: str = "", watch: str = "") -> WarningSign:
    warning_sign.stage, warning_sign.sign, warning_sign.watch = stage, sign.strip(), watch
    warning_sign.what_i_will_do, warning_sign.who_i_will_contact = what_i_will_do.strip(), who_i_will_contact.strip()
    warning_sign.full_clean()
    warning_sign.save()
    return warning_sign


@transaction.atomic
def warning_sign_remove(*, warning_sign: WarningSign) -> None:
    warning_sign.delete()


@transaction.atomic
def warning_watch_set(*, warning_sign: WarningSign, rule: str) -> WarningSign:
    """Let a check-in pattern watch for one of the person's own signs."""
    warning_sign.watch = rule
    warning_sign.full_clean()
    warning_sign.save(update_fields=["watch"])
    return warning_sign


@transaction.atomic
def warning_watch_stop(*, person, rule: str) -> int:
    """Stop a pattern watching for any of the person's signs; the signs themselves stay in the plan."""
    return WarningSign.objects.filter(person=person, watch=rule).update(watch="")


@transaction.atomic
def trigger_add(*, person, trigger: str, what_helps: str = "", submission_key: uuid.UUID | None = None) -> Trigger:
    return _save_once(Trigger(person=person, trigger=trigger.strip(), what_helps=what_helps.strip(),
                              order=_next_order(Trigger, person), submission_key=submission_key))


@transaction.atomic
def trigger_add_example(*, person, example: str) -> Trigger:
    offered = warning_examples.trigger_example(example)
    if offered is None:
        raise ValidationError("That example is not offered any more. You can write the trigger in your own words.")
    existing = next((trigger for trigger in Trigger.objects.filter(person=person)
                     if trigger.trigger.casefold() == offered.text.casefold()), None)
    return existing or trigger_add(person=person, trigger=offered.text)


@transaction.atomic
def trigger_update(*, trigger: Trigger, text: str, what_helps: str = "") -> Trigger:
    trigger.trigger, trigger.what_helps = text.strip(), what_helps.strip()
    trigger.full_clean()
    trigger.save()
    return trigger


@transaction.atomic
def trigger_remove(*, trigger: Trigger) -> None:
    trigger.delete()


@transaction.atomic
def early_warning_setting_update(*, person, **choices: bool) -> EarlyWarningSetting:
    """Change the person's early-warning choices (`share_which_sign_with_supporters`, `answer_hard_days`);
    choices left out stay as they were."""
    setting, _ = EarlyWarningSetting.objects.select_for_update().get_or_create(person=person)
    unknown = set(choices) - {"share_which_sign_with_supporters", "answer_hard_days"}
    if unknown:
        raise TypeError(f"early_warning_setting_update() got unknown choices {sorted(unknown)}")
    for name, value in choices.items():
        setattr(setting, name, value)
    setting.updated_at = timezone.now()
    setting.save()
    return setting


def _urges_by_day(person, *, since: date, today: date) -> dict[date, tuple[int | None, ...]]:
    """The strengths of the person's urges from `since` to `today`, by the local day they happened, oldest first."""
    urges: dict[date, list[int | None]] = {}
    for occurred_at, strength in (UrgeEntry.objects.filter(person=person, occurred_at__date__gte=since,
                                                           occurred_at__date__lte=today)
                                  .order_by("occurred_at", "pk").values_list("occurred_at", "strength")):
        urges.setdefault(timezone.localdate(occurred_at), []).append(strength)
    return {day: tuple(strengths) for day, strengths in urges.items()}


def _days_for_rules(person, *, today: date, with_urges: bool = True) -> list[warning_rules.Day]:
    """The person's recent check-ins and urges as the rules see them: a declined item is simply not answered,
    and a day with urges but no check-in is not counted as a check-in. Without `with_urges` (no rule that
    reads them will run) the urge log is not read at all."""
    since = today - timedelta(days=warning_rules.LOOKBACK_DAYS)
    urges = _urges_by_day(person, since=since, today=today) if with_urges else {}
    rows = DailyCheckIn.objects.filter(person=person, day__gte=since, day__lte=today).values_list(
        "day", "sleep_hours", "cravings", "lonely", "connected", "declined")
    days = [warning_rules.Day(
        day=day,
        sleep_hours=None if "sleep_hours" in declined else sleep_hours,
        cravings=None if "cravings" in declined else cravings,
        lonely="" if "lonely" in declined else lonely,
        connected="" if "connected" in declined else connected,
        urges=urges.pop(day, ()),
    ) for day, sleep_hours, cravings, lonely, connected, declined in rows]
    return days + [warning_rules.Day(day=day, urges=strengths, checked_in=False) for day, strengths in urges.items()]


def _newest_answer_day(explanation: dict) -> str:
    return max((answer["day"] for answer in explanation.get("answers", [])), default="")


def _is_same_episode(finding: warning_rules.Finding, previous: GentleNote | None, now) -> bool:
    """A rule speaks once per episode: not again within a week, and never again on no new answers."""
    if previous is None:
        return False
    newest = max(evidence.day for evidence in finding.evidence).isoformat()
    return previous.fired_at > now - timedelta(days=GENTLE_NOTE_QUIET_DAYS) or newest <= _newest_answer_day(
        previous.explanation)


def _tell_supporters(*, person, gentle_note: GentleNote, share_which_sign: bool) -> list[str]:
    """Tell each supporter whose live grant covers early warning that a sign was noticed, and nothing more:
    which sign only if the person allowed it, never the answers. Returns the names of those told."""
    which = f" The sign: {warning_rules.RULES[gentle_note.rule].title.lower()}." if share_which_sign else ""
    about = words_for(person)
    told = supporters_tell(
        person=person, category=Category.EARLY_WARNING, kind="early_warning",
        title=f"A sign was noticed for {about.name}",
        body=(f"{about.name}’s check-ins matched one of the early signs in {about.possessive} own plan, and "
              f"{about.subject} {about.has} been shown {about.possessive} plan.{which} You might get in touch in "
              "the way you usually do."),
        link=reverse("reports:caseload"))
    return [supporter.display_name for supporter in told]


@transaction.atomic(savepoint=False)  # inside a check-in's save nothing recovers from its errors: no savepoint
def early_warning_check(*, person, rules=None, today: date | None = None) -> list[GentleNote]:
    """Run the rules that watch for the person's signs; for each new pattern, a gentle note and its telling.

    `rules` narrows which rules run (None: all). Only rules tied to one of the person's own signs run.
    """
    today = today or timezone.localdate()
    watched = set(WarningSign.objects.filter(person=person).exclude(watch="").values_list("watch", flat=True))
    if rules is not None:
        watched &= set(rules)
    if not watched:
        return []
    days = _days_for_rules(person, today=today, with_urges=bool(watched & warning_rules.RULES_READING_URGES))
    findings = warning_rules.evaluate(days, today=today, rules=watched)
    if not findings:
        return []
    # The setting row is the person's lock: a check and the sweep never both raise the same note.
    setting, _ = EarlyWarningSetting.objects.select_for_update().get_or_create(person=person)
    now = timezone.now()
    gentle_notes = []
    for finding in findings:
        previous = GentleNote.objects.filter(person=person, rule=finding.rule).order_by("-fired_at", "-pk").first()
        if _is_same_episode(finding, previous, now):
            continue
        gentle_note = GentleNote.objects.create(person=person, rule=finding.rule, fired_at=now,
                                                explanation=finding.explanation(),
                                                sign_named_to_supporters=setting.share_which_sign_with_supporters)
        link = reverse("warning_signs:note", args=[gentle_note.pk])
        gentle_note.notification = notify(
            recipient=person, kind="early_warning", title="A gentle note from your check-ins",
            body=f"{finding.title}: one of the signs you asked Pathways to watch for. Your own plan is there "
                 "when you want it.", link=link)
        gentle_note.supporters_told = _tell_supporters(person=person, gentle_note=gentle_note,
                                                       share_which_sign=setting.share_which_sign_with_supporters)
        gentle_note.save(update_fields=["notification", "supporters_told"])
        gentle_notes.append(gentle_note)
    return gentle_notes


def early_warning_sweep(*, today: date | None = None) -> int:
    """Look for check-ins that have paused, for everyone who asked Pathways to watch for that; returns notes raised.

    Cheap enough for every round of the notification worker: one query finds the few people whose
    check-ins match the pause in the database, and only they are checked one by one.
    """
    today = today or timezone.localdate()
    rule = "checkins_stopping"
    quiet_from = today - timedelta(days=warning_rules.STOPPING_QUIET_DAYS)
    since = quiet_from - timedelta(days=warning_rules.STOPPING_BEFORE_DAYS)
    watching = WarningSign.objects.filter(watch=rule, person__is_active=True).values("person")
    candidates = dict(
        DailyCheckIn.objects.filter(person__in=watching, day__gte=since, day__lt=quiet_from)
        .exclude(person__in=DailyCheckIn.objects.filter(day__gte=quiet_from, day__lte=today).values("person"))
        .values("person").annotate(checkins=Count("pk"), last=Max("day"))
        .filter(checkins__gte=warning_rules.STOPPING_MIN_CHECKINS).values_list("person", "last"))
    # Already noted since their last check-in: this pause has had its note.
    for person_id, fired_at in GentleNote.objects.filter(person__in=list(candidates), rule=rule,
                                                         fired_at__date__gte=since).values_list("person", "fired_at"):
        if person_id in candidates and timezone.localdate(fired_at) > candidates[person_id]:
            del candidates[person_id]
    raised = 0
    for person in User.objects.filter(pk__in=list(candidates)).order_by("pk"):
        raised += len(early_warning_check(person=person, rules=[rule], today=today))
    return raised


@transaction.atomic
def gentle_note_seen(*, gentle_note: GentleNote) -> GentleNote:
    """The person opened the note or set it aside: it leaves their pages, and its notification counts as read."""
    if gentle_note.seen_at is None:
        gentle_note.seen_at = timezone.now()
        gentle_note.save(update_fields=["seen_at"])
        if gentle_note.notification_id is not None:
            mark_read(recipient=gentle_note.person, notification_ids=[gentle_note.notification_id])
    return gentle_note


# The urge log: the person's own notes of urges, which the early-warning rules also read -----------------

URGE_FIELDS = ("occurred_at", "where", "strength", "what_i_did", "how_it_went", "note")
# A phone's clock may run a little ahead of the server's; an urge further in the future is a mistyped time.
URGE_CLOCK_SLACK = timedelta(minutes=10)


def _urge_fields(occurred_at, where: str, strength: int | None, what_i_did: str, how_it_went: str,
                 note: str) -> dict[str, Any]:
    if occurred_at is not None and occurred_at > timezone.now() + URGE_CLOCK_SLACK:
        raise ValidationError({"occurred_at": "That time has not come yet. Choose when the urge happened, or leave "
                                              "it as now."})
    return {"occurred_at": occurred_at or timezone.now(), "where": where.strip(), "strength": strength,
            "what_i_did": what_i_did.strip(), "how_it_went": how_it_went, "note": note.strip()}


@transaction.atomic
def urge_log(*, person, occurred_at=None, where: str = "", strength: int | None = None, what_i_did: str = "",
             how_it_went: str = "", note: str = "", submission_key: uuid.UUID | None = None) -> UrgeEntry:
    """Note an urge; everything may be left out (the time is then now). A form posted twice (same submission key)
    stores one entry. Like a check-in, it is matched against the person's own signs in the same transaction."""
    fields = _urge_fields(occurred_at, where, strength, what_i_did, how_it_went, note)
    urge = _save_once(UrgeEntry(person=person, submission_key=submission_key, **fields))
    early_warning_check(person=person, rules=AFTER_CHECKIN_RULES)
    return urge


@transaction.atomic
def urge_update(*, urge: UrgeEntry, occurred_at=None, where: str = "", strength: int | None = None,
                what_i_did: str = "", how_it_went: str = "", note: str = "") -> UrgeEntry:
    """Change an urge the person logged; a stronger strength is matched against their signs as a new one is."""
    fields = _urge_fields(occurred_at or urge.occurred_at, where, strength, what_i_did, how_it_went, note)
    for name, value in fields.items():
        setattr(urge, name, value)
    urge.full_clean(validate_unique=False)
    urge.save(update_fields=list(URGE_FIELDS))
    early_warning_check(person=urge.person, rules=AFTER_CHECKIN_RULES)
    return urge


@transaction.atomic
def urge_delete(*, urge: UrgeEntry) -> None:
    """Remove an urge from the log. A gentle note it helped raise keeps its explanation as it was shown."""
    urge.delete()
