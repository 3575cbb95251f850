"""Bringing a record from another Pathways: a FHIR bundle (as `fhir_export` writes it) into the signed-in account.

All or nothing: the file is read, validated whole with fhir.resources (R4B) and checked to be about one person
before anything is written, and every write happens in one transaction, so a bundle that fails half-way leaves
the account as it was. Importing the same bundle twice adds nothing the second time: each goal, step and
questionnaire response is remembered by its identifier (`fhir_terms.import_key`), a daily check-in by its day
(there is one a day), and the rest (pathways, strengths, wins, recovery check-ins) by what they say and when.

Imported history is written as it was, not replayed: an old check-in raises no crisis alert and no early-warning
note today, and the plan's history gets one entry saying what was brought in. What the account already holds
wins over the file (a different "what recovery means to me" is kept, and the file's is reported as skipped).

Consents never come back as live grants: the people they named have no account here. They are listed for the
person, who can invite those people again and decide afresh what to share.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError as FhirInvalid

from pathways.checkins import questionnaires
from pathways.checkins.models import DailyCheckIn, Questionnaire, QuestionnaireResponse, RecoveryCheckIn, UseLog
from pathways.checkins.recovery_items import process_scores
from pathways.circle.models import Category, SupporterRole
from pathways.people.models import PersonProfile
from pathways.plans.models import Goal, GoalStatus, Pathway, Plan, PlanChange, PlanPathway, Step, Strength, Win

from . import fhir_terms as t

MAX_BYTES = 20 * 1024 * 1024  # ten years of daily check-ins is about 8 MB
KEPT_RESOURCES = ("Patient", "CarePlan", "Goal", "Observation", "QuestionnaireResponse", "Consent")


class BundleRefused(Exception):
    """The file cannot be imported; the message says why, in words for the person, and nothing was written."""


@dataclass(frozen=True)
class ConsentToRenew:
    """A consent from the other Pathways: who it named and what it shared, so the person can invite them again."""

    name: str
    role: str
    shared: list[str]
    signed: datetime | None
    ended: datetime | None
    was_live: bool


@dataclass
class ImportReport:
    added: Counter = field(default_factory=Counter)  # "goals" → how many were created
    already_here: Counter = field(default_factory=Counter)  # found from an earlier import or already in the record
    skipped: list[str] = field(default_factory=list)  # sentences: what was left out, and why
    consents: list[ConsentToRenew] = field(default_factory=list)

    @property
    def added_anything(self) -> bool:
        return sum(self.added.values()) > 0

    # For the page: a template reads `counter.items` as the count of "items" (0), so the report lists them.
    @property
    def added_list(self) -> list[tuple[str, int]]:
        return list(self.added.items())

    @property
    def already_here_list(self) -> list[tuple[str, int]]:
        return list(self.already_here.items())


# Reading and checking the file ------------------------------------------------------------------------------

def read_bundle(raw: bytes) -> dict:
    """The file as a validated FHIR Bundle about one person, or BundleRefused saying what is wrong."""
    if len(raw) > MAX_BYTES:
        raise BundleRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB, more than any Pathways "
                            "record. Check that it is the file you downloaded from Pathways.")
    try:
        data = questionnaires.load_json(raw)
    except questionnaires.QuestionnaireError as error:
        raise BundleRefused("The file is not JSON that Pathways can read (" + "; ".join(
            str(problem) for problem in error.problems) + "). Choose the .json file you downloaded.") from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        kind = data.get("resourceType") if isinstance(data, dict) else None
        raise BundleRefused((f"The file holds a FHIR {kind}, not a Bundle. " if isinstance(kind, str) else
                             "The file is not a FHIR bundle. ") +
                            "Choose the file from “Download my record for other health software”.")
    try:
        Bundle.model_validate(data)
    except FhirInvalid as error:
        problems = "; ".join(f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
                             for problem in error.errors()[:3])
        raise BundleRefused(f"The file is not a valid FHIR R4 bundle ({problems}). Nothing was imported.") from None
    if data.get("type") != "collection":
        raise BundleRefused("This bundle is not a record (its type is “{}”, not “collection”). Choose the file "
                            "from “Download my record for other health software”.".format(data.get("type")))
    patients = [entry for entry in _entries(data) if entry["resource"]["resourceType"] == "Patient"]
    if len(patients) != 1:
        raise BundleRefused("A record to import is about one person, and this bundle holds "
                            f"{len(patients) or 'no'} {'person' if len(patients) == 1 else 'people'}. "
                            "Nothing was imported.")
    patient = patients[0]["fullUrl"]
    for entry in _entries(data):
        resource = entry["resource"]
        about = (resource.get("subject") or resource.get("patient") or {}).get("reference")
        if resource["resourceType"] != "Patient" and about not in (None, patient):
            raise BundleRefused(f"Part of this bundle ({resource['resourceType']}) is about someone else. A record "
                                "to import is about one person only. Nothing was imported.")
    return data


def _entries(bundle: dict) -> list[dict]:
    return [entry for entry in bundle.get("entry", []) if isinstance(entry.get("resource"), dict)]


# Small readers -----------------------------------------------------------------------------------------------

def _moment(value: str | None) -> datetime | None:
    """A FHIR dateTime as an aware datetime; a bare date is taken as the start of that day here."""
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value[:10])
        moment = datetime.combine(day, time()) if day else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _day(value: str | None) -> date | None:
    return parse_date(value[:10]) if value else None


def _code(concept: dict | None, system: str) -> str | None:
    for coding in (concept or {}).get("coding", []):
        if coding.get("system") == system:
            return coding.get("code")
    return None


def _extension(element: dict, url: str) -> dict | None:
    return next((extension for extension in element.get("extension", []) if extension.get("url") == url), None)


def _identifier(resource: dict) -> str:
    """The resource's own identifier (the first, or the single one), else its id: what "the same one" means."""
    identifier = resource.get("identifier")
    if isinstance(identifier, list):
        identifier = identifier[0] if identifier else None
    if identifier and identifier.get("value"):
        return f"{identifier.get('system', '')}|{identifier['value']}"
    return resource.get("id", "")


def _answers(components: list[dict], system: str) -> tuple[dict[str, dict], set[str]]:
    """(code → component value part, declined codes) of an Observation's components in our code system."""
    values, declined = {}, set()
    for component in components:
        code = _code(component.get("code"), system)
        if code is None:
            continue
        if "dataAbsentReason" in component:
            declined.add(code)
        else:
            values[code] = component
    return values, declined


def _yes_no(component: dict | None, declined: bool) -> str:
    if declined:
        return t.PREFER_NOT
    if component is None or "valueBoolean" not in component:
        return ""
    return "yes" if component["valueBoolean"] else "no"


# Writing -----------------------------------------------------------------------------------------------------

class _Importer:
    def __init__(self, user, plan: Plan):
        self.user, self.plan, self.report = user, plan, ImportReport()
        self.goals: dict[str, Goal] = {}  # fullUrl → goal, for the steps that refer to it

    def keep(self, obj, label: str) -> None:
        """Check and save one new row; a value Pathways cannot keep refuses the whole file."""
        try:
            obj.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise BundleRefused(f"Pathways cannot keep part of this record ({label}: "
                                f"{'; '.join(error.messages)}). Nothing was imported.") from None
        obj.save()

    def fill(self, obj, field_name: str, value: str, what: str) -> bool:
        """Set a text the account left empty; keep one it already has, and say so when the file's differs."""
        if not value:
            return False
        current = getattr(obj, field_name)
        if current == value:
            self.report.already_here[what] += 1
            return False
        if current:
            self.report.skipped.append(f"{what.capitalize()}: you have already written yours here, so we kept it.")
            return False
        setattr(obj, field_name, value)
        self.report.added[what] += 1
        return True

    # The person -----------------------------------------------------------------------------------------

    def patient(self, resource: dict) -> None:
        user = self.user
        names = {name.get("use"): name.get("text", "") for name in resource.get("name", [])}
        changed = [self.fill(user, "name", names.get("official", ""), "full name"),
                   self.fill(user, "preferred_name", names.get("usual", ""), "name you like to be called")]
        pronouns = _extension(resource, t.PRONOUNS_URL)
        if pronouns:
            value = _extension(pronouns, "value") or {}
            changed.append(self.fill(user, "pronouns", (value.get("valueCodeableConcept") or {}).get("text", ""),
                                     "pronouns"))
        if any(changed):
            self.keep(user, "your names")
        profile, _ = PersonProfile.objects.get_or_create(user=user)
        about = _extension(resource, t.ABOUT_ME_URL) or {}
        filled = [self.fill(profile, field_name, (_extension(about, part) or {}).get("valueString", ""),
                            field_name.replace("_", " "))
                  for part, field_name in t.ABOUT_ME_PARTS.items()]
        language = next((c["language"].get("text", "") for c in resource.get("communication", [])), "")
        filled.append(self.fill(profile, "language", language, "language"))
        country = next((address.get("country", "") for address in resource.get("address", [])), "")
        filled.append(self.fill(profile, "country", country, "country"))
        if any(filled):
            self.keep(profile, "about me")

    # The plan -------------------------------------------------------------------------------------------

    def care_plan(self, resource: dict) -> None:
        plan = self.plan
        changed = self.fill(plan, "recovery_meaning", resource.get("description", ""), "what recovery means to you")
        for note in resource.get("note", []):
            kind = (_extension(note, t.PLAN_NOTE_URL) or {}).get("valueCode")
            if kind in t.LAPSE_NOTE_KINDS:
                changed |= self.fill(plan, t.LAPSE_NOTE_KINDS[kind], note.get("text", ""), "your plan if you lapse")
            elif kind in t.PLAN_NOTE_KINDS:
                self.strength(t.PLAN_NOTE_KINDS[kind], note.get("text", ""), _moment(note.get("time")))
            elif kind == t.WIN_NOTE:
                self.win(note.get("text", ""), _day(note.get("time")))
        if changed:
            self.keep(plan, "your plan")
        for activity in resource.get("activity", []):
            detail = activity.get("detail") or {}
            pathway = _code(detail.get("code"), t.PATHWAY_SYSTEM)
            if pathway is not None:
                self.pathway(pathway, detail)
        for activity in resource.get("activity", []):
            step_id = _extension(activity, t.STEP_ID_URL)
            if step_id is not None:
                self.step(activity, step_id.get("valueIdentifier") or {})

    def pathway(self, code: str, detail: dict) -> None:
        if code not in Pathway.values:
            self.report.skipped.append(f"A pathway this Pathways does not know (“{code}”) was left out.")
            return
        period = detail.get("scheduledPeriod") or {}
        started, ended = _moment(period.get("start")) or timezone.now(), _moment(period.get("end"))
        choices = self.plan.pathways.filter(pathway=code)
        if choices.filter(started_at=started).exists() or (ended is None and choices.filter(ended_at__isnull=True)
                                                               .exists()):
            self.report.already_here["pathways"] += 1
            return
        self.keep(PlanPathway(plan=self.plan, pathway=code, in_my_words=detail.get("description", ""),
                              started_at=started, ended_at=ended), "a pathway")
        self.report.added["pathways"] += 1

    def strength(self, kind: str, text: str, created: datetime | None) -> None:
        if any(strength.text == text for strength in self.plan.strengths.filter(kind=kind)):
            self.report.already_here["strengths"] += 1
            return
        self.keep(Strength(plan=self.plan, kind=kind, text=text, created_at=created or timezone.now()), "a strength")
        self.report.added["strengths"] += 1

    def win(self, text: str, day: date | None) -> None:
        day = day or timezone.localdate()
        if any(win.text == text for win in self.plan.wins.filter(occurred_on=day)):
            self.report.already_here["wins"] += 1
            return
        self.keep(Win(plan=self.plan, text=text, occurred_on=day), "a win")
        self.report.added["wins"] += 1

    def goal(self, full_url: str, resource: dict) -> None:
        key = t.import_key(self.user, _identifier(resource))
        existing = Goal.objects.filter(plan=self.plan, submission_key=key).first()
        if existing is not None:
            self.goals[full_url] = existing
            self.report.already_here["goals"] += 1
            return
        dimension = next((code for concept in resource.get("category", [])
                          if (code := _code(concept, t.DIMENSION_SYSTEM))), None)
        status = {fhir: ours for ours, fhir in t.GOAL_LIFECYCLE.items()}.get(resource.get("lifecycleStatus"))
        if dimension is None or status is None:
            self.report.skipped.append(f"The goal “{resource['description'].get('text', '')}” has no dimension or "
                                       "status Pathways knows, so it was left out.")
            return
        started = _day(resource.get("startDate"))
        goal = Goal(plan=self.plan, dimension=dimension, title=resource["description"].get("text", ""),
                    why_it_matters="\n\n".join(note.get("text", "") for note in resource.get("note", [])),
                    importance=(_extension(resource, t.IMPORTANCE_URL) or {}).get("valueInteger"),
                    confidence=(_extension(resource, t.CONFIDENCE_URL) or {}).get("valueInteger"),
                    status=status, submission_key=key)
        if started:
            goal.created_at = timezone.make_aware(datetime.combine(started, time()))
        if goal.status == GoalStatus.ACHIEVED:  # on the day the bundle says, or else today
            achieved = _day(resource.get("statusDate"))
            goal.achieved_at = timezone.make_aware(datetime.combine(achieved, time())) if achieved else timezone.now()
        self.keep(goal, f"the goal “{goal.title}”")
        self.goals[full_url] = goal
        self.report.added["goals"] += 1

    def step(self, activity: dict, identifier: dict) -> None:
        detail = activity.get("detail") or {}
        goal = next((self.goals[ref["reference"]] for ref in detail.get("goal", [])
                     if ref.get("reference") in self.goals), None)
        status = {fhir: ours for ours, fhir in t.STEP_ACTIVITY.items()}.get(detail.get("status"))
        if goal is None or status is None:
            self.report.skipped.append(f"The step “{detail.get('description', '')}” belongs to no goal in the file, "
                                       "so it was left out.")
            return
        key = t.import_key(self.user, f"{identifier.get('system', '')}|{identifier.get('value', '')}")
        if Step.objects.filter(goal__plan=self.plan, submission_key=key).exists():
            self.report.already_here["steps"] += 1
            return
        done_at = next((_moment(progress.get("time")) for progress in activity.get("progress", [])), None)
        self.keep(Step(goal=goal, text=detail.get("description", ""), status=status, completed_at=done_at,
                       due_on=_day((detail.get("scheduledPeriod") or {}).get("end")), submission_key=key),
                  "a step")
        self.report.added["steps"] += 1

    # Check-ins and questionnaires -----------------------------------------------------------------------

    def daily(self, resource: dict, use_logs: dict[str, dict]) -> None:
        day = _day(resource.get("effectiveDateTime"))
        if day is None:
            self.report.skipped.append("A daily check-in without a day was left out.")
            return
        if DailyCheckIn.objects.filter(person=self.user, day=day).exists():
            self.report.already_here["daily check-ins"] += 1
            return
        values, declined = _answers(resource.get("component", []), t.DAILY_ITEM_SYSTEM)
        checkin = DailyCheckIn(person=self.user, day=day, created_at=_moment(resource.get("issued")) or timezone.now(),
                               backfilled=bool((_extension(resource, t.BACKFILLED_URL) or {}).get("valueBoolean")),
                               note="\n\n".join(note.get("text", "") for note in resource.get("note", [])))
        for name in t.DAILY_NUMBERS:
            setattr(checkin, name, values.get(name, {}).get("valueInteger"))
        sleep = values.get("sleep_hours", {}).get("valueQuantity")
        checkin.sleep_hours = Decimal(str(sleep["value"])) if sleep else None
        for name in t.DAILY_YES_NO:
            setattr(checkin, name, _yes_no(values.get(name), name in declined))
        if "self_harm_thoughts" in declined:
            checkin.self_harm_thoughts = t.PREFER_NOT
        elif "self_harm_thoughts" in values:
            checkin.self_harm_thoughts = _code(values["self_harm_thoughts"].get("valueCodeableConcept"),
                                               t.SELF_HARM_SYSTEM) or ""
        use = use_logs.get(resource["id"])
        use_values, use_declined = _answers(use.get("component", []), t.USE_ITEM_SYSTEM) if use else ({}, set())
        checkin.declined = sorted(declined | use_declined)
        self.keep(checkin, f"the check-in of {day.isoformat()}")
        self.report.added["daily check-ins"] += 1
        if use is not None:
            log = UseLog(checkin=checkin, doses_taken=use_values.get("doses_taken", {}).get("valueInteger"))
            for name in t.USE_YES_NO:
                setattr(log, name, _yes_no(use_values.get(name), name in use_declined))
            for name in t.USE_TEXTS:
                setattr(log, name, use_values.get(name, {}).get("valueString", ""))
            for name in t.USE_FLAGS:
                setattr(log, name, bool(use_values.get(name, {}).get("valueBoolean")))
            self.keep(log, f"the use log of {day.isoformat()}")
            self.report.added["use logs"] += 1

    def recovery(self, resource: dict) -> None:
        taken = _moment(resource.get("effectiveDateTime"))
        if taken is None:
            self.report.skipped.append("A recovery check-in without a date was left out.")
            return
        if RecoveryCheckIn.objects.filter(person=self.user, taken_at=taken).exists():
            self.report.already_here["recovery check-ins"] += 1
            return
        values, declined = _answers(resource.get("component", []), t.RECOVERY_ITEM_SYSTEM)
        answers = {code: part["valueInteger"] for code, part in values.items()
                   if not code.startswith(("rate_", "process_")) and "valueInteger" in part}
        ratings = {code.removeprefix("rate_"): part["valueInteger"] for code, part in values.items()
                   if code.startswith("rate_") and "valueInteger" in part}
        # Process scores follow from the answers by this server's rules, never from the file.
        self.keep(RecoveryCheckIn(person=self.user, taken_at=taken, answers=answers, dimension_ratings=ratings,
                                  declined=sorted(declined), process_scores=process_scores(answers)),
                  "a recovery check-in")
        self.report.added["recovery check-ins"] += 1

    def questionnaire_response(self, resource: dict) -> None:
        url, _, version = (resource.get("questionnaire") or "").partition("|")
        offered = Questionnaire.objects.filter(url=url).filter(
            organisation__isnull=True) | Questionnaire.objects.filter(url=url,
                                                                       organisation=self.user.home_organisation_id)
        questionnaire = (offered.filter(version=version).first() if version else None) or \
            offered.order_by("-loaded_at", "-pk").first()
        if questionnaire is None:
            self.report.skipped.append(f"Answers to a questionnaire this Pathways has not loaded ({url or 'unnamed'}) "
                                       "were left out: ask your organisation whether it offers it.")
            return
        key = t.import_key(self.user, _identifier(resource))
        if QuestionnaireResponse.objects.filter(person=self.user, submission_key=key).exists():
            self.report.already_here["questionnaire answers"] += 1
            return
        definition = questionnaire.definition
        authored = resource.get("authored") or timezone.now().isoformat()
        try:
            answers, declined = questionnaires.answers_from_response(definition, resource)
            score = questionnaires.score(definition, answers)
            stored = questionnaires.response_resource(definition, answers, authored=authored, declined=declined)
        except questionnaires.AnswerError:
            self.report.skipped.append(f"Answers to “{questionnaire.title}” from {authored[:10]} do not fit the "
                                       "version loaded here, so they were left out.")
            return
        self.keep(QuestionnaireResponse(questionnaire=questionnaire, person=self.user, resource=stored, score=score,
                                        authored_at=_moment(authored), submission_key=key),
                  f"answers to “{questionnaire.title}”")
        self.report.added["questionnaire answers"] += 1

    def consent(self, resource: dict) -> None:
        provision = resource.get("provision") or {}
        actor = next(iter(provision.get("actor", [])), {})
        role = (_extension(actor, t.SUPPORTER_ROLE_URL) or {}).get("valueCoding", {}).get("code", "")
        labels = dict(Category.choices)
        shared = [labels.get(item.get("code"), item.get("display") or item.get("code", ""))
                  for part in provision.get("provision", []) for item in part.get("class", [])]
        period = provision.get("period") or {}
        revoked = (_extension(resource, t.CONSENT_REVOKED_URL) or {}).get("valueDateTime")
        self.report.consents.append(ConsentToRenew(
            name=(actor.get("reference") or {}).get("display", "someone"),
            role=dict(SupporterRole.choices).get(role, ""), shared=shared, signed=_moment(period.get("start")),
            ended=_moment(revoked or period.get("end")), was_live=resource.get("status") == "active"))


@transaction.atomic
def import_record(*, user, bundle: dict) -> ImportReport:
    """Add what `bundle` (from `read_bundle`) carries to `user`'s own record, in one transaction."""
    plan = Plan.objects.select_for_update().filter(person=user).first()
    if plan is None:
        raise BundleRefused("Only the account of a person in recovery holds a plan and check-ins to import into. "
                            "Nothing was imported.")
    importer = _Importer(user, plan)
    by_type: dict[str, list[dict]] = {}
    for entry in _entries(bundle):
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry)
    for entry in by_type.get("Patient", []):
        importer.patient(entry["resource"])
    for entry in by_type.get("Goal", []):  # before the plan, whose steps refer to them
        importer.goal(entry["fullUrl"], entry["resource"])
    for entry in by_type.get("CarePlan", [])[:1]:
        importer.care_plan(entry["resource"])
    if len(by_type.get("CarePlan", [])) > 1:
        importer.report.skipped.append("The file holds more than one plan; only the first was imported.")
    observations = [entry["resource"] for entry in by_type.get("Observation", [])]
    kinds = {kind: [o for o in observations if _code(o.get("code"), t.OBSERVATION_SYSTEM) == kind]
             for kind in ("daily-check-in", "use-log", "recovery-check-in")}
    use_logs = {ref["reference"].removeprefix("urn:uuid:"): log for log in kinds["use-log"]
                for ref in log.get("derivedFrom", [])[:1]}
    for resource in kinds["daily-check-in"]:
        importer.daily(resource, use_logs)
    for resource in kinds["recovery-check-in"]:
        importer.recovery(resource)
    others = len(observations) - sum(len(found) for found in kinds.values())
    if others:
        importer.report.skipped.append(f"{others} observation{'s' if others != 1 else ''} of a kind Pathways does "
                                       "not record (from other health software) were left out.")
    for entry in by_type.get("QuestionnaireResponse", []):
        importer.questionnaire_response(entry["resource"])
    for entry in by_type.get("Consent", []):
        importer.consent(entry["resource"])
    for kind in sorted(set(by_type) - set(KEPT_RESOURCES)):
        importer.report.skipped.append(f"{len(by_type[kind])} {kind} resource(s): Pathways does not keep these.")
    report = importer.report
    if report.added_anything:
        summary = "Brought in from another Pathways: " + ", ".join(f"{count} {what}" for what, count in
                                                                   sorted(report.added.items()))
        PlanChange.objects.create(plan=plan, actor=user, action="imported", summary=summary[:400],
                                  details={"added": dict(report.added)})
        Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    return report
