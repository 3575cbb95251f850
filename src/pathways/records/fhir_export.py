"""The person's record as a FHIR R4 Bundle: the same facts as "my data", in a shape other health software reads.

The bundle is R4-shaped and checked with `fhir.resources.R4B` (FHIR 4.3.0), which keeps R4's Patient, CarePlan,
Goal, Observation, QuestionnaireResponse and Consent; every export is parsed whole by the library before it is
handed over, so a file that fails validation is never downloaded. What goes in:

- Patient: the names as the person gave them, pronouns (HL7's individual-pronouns extension), language,
  country, and "about me" in an extension of ours. Nothing we do not hold (no sex, no birth date).
- CarePlan: what recovery means to them, pathways and steps as activities, strengths, the lapse plan and wins as
  notes; one Goal per goal, its dimension as category.
- Observation: one per daily check-in (a component per item answered or declined; skipped items are absent),
  one per use log, one per recovery check-in (CHIME items, dimension ratings, process scores).
- QuestionnaireResponse: as stored, with an identifier and the subject added.
- Consent: each grant the person signed, live or not, with whom, which parts, and from when to when.

Like "my data", it takes the account from the signed-in session and reads that account's own rows only.
"""
import json
from decimal import Decimal

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from pathways.checkins.models import DailyCheckIn, QuestionnaireResponse, RecoveryCheckIn
from pathways.checkins.recovery_items import PROCESSES
from pathways.circle.models import Category, Grant
from pathways.people.models import PersonProfile
from pathways.plans.models import Dimension, Pathway, Plan, StepStatus

from . import fhir_terms as t


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _reference(resource_id: str) -> dict:
    return {"reference": t.urn(resource_id)}


def _identifier(kind: str, value: str) -> dict:
    return {"system": t.identifier_system(kind), "value": value}


def _entry(resource: dict) -> dict:
    return {"fullUrl": t.urn(resource["id"]), "resource": resource}


def _patient(user, patient_id: str) -> dict:
    patient = {"resourceType": "Patient", "id": patient_id,
               "identifier": [_identifier("person", str(user.public_id))], "active": user.is_active}
    names = [{"use": use, "text": text} for use, text in (("official", user.name), ("usual", user.preferred_name))
             if text]
    if names:
        patient["name"] = names
    extensions = []
    if user.pronouns:
        extensions.append({"url": t.PRONOUNS_URL,
                           "extension": [{"url": "value", "valueCodeableConcept": {"text": user.pronouns}}]})
    profile = PersonProfile.objects.filter(user=user).first()
    if profile is not None:
        about = [{"url": part, "valueString": getattr(profile, field)}
                 for part, field in t.ABOUT_ME_PARTS.items() if getattr(profile, field)]
        if about:
            extensions.append({"url": t.ABOUT_ME_URL, "extension": about})
        if profile.language:
            patient["communication"] = [{"language": {"text": profile.language}}]
        if profile.country:
            patient["address"] = [{"country": profile.country}]
    if extensions:
        patient["extension"] = extensions
    return patient


def _note(kind: str, text: str, time=None) -> dict:
    note = {"extension": [{"url": t.PLAN_NOTE_URL, "valueCode": kind}], "text": text}
    if time is not None:
        note["time"] = _when(time)
    return note


def _plan_and_goals(user, plan: Plan, patient_ref: dict) -> list[dict]:
    plan_id = t.stable_id(user, "plan", plan.pk)
    activities = [
        {"detail": {"code": {"coding": [t.coding(t.PATHWAY_SYSTEM, choice.pathway, Pathway(choice.pathway).label)]},
                    "status": t.PATHWAY_ENDED if choice.ended_at else t.PATHWAY_CURRENT,
                    "scheduledPeriod": {"start": _when(choice.started_at),
                                        **({"end": _when(choice.ended_at)} if choice.ended_at else {})},
                    **({"description": choice.in_my_words} if choice.in_my_words else {})}}
        for choice in plan.pathways.order_by("started_at", "pk")
    ]
    notes = [_note(f"strength-{strength.kind}", strength.text, strength.created_at)
             for strength in plan.strengths.order_by("created_at", "pk")]
    notes += [_note(kind, getattr(plan, field)) for kind, field in t.LAPSE_NOTE_KINDS.items() if getattr(plan, field)]
    notes += [_note(t.WIN_NOTE, win.text, win.occurred_on) for win in plan.wins.order_by("occurred_on", "created_at",
                                                                                          "pk")]
    goals = []
    for goal in plan.goals.prefetch_related("steps").order_by("created_at", "pk"):
        goal_id = t.stable_id(user, "goal", goal.pk)
        resource = {
            "resourceType": "Goal", "id": goal_id, "identifier": [_identifier("goal", goal_id)],
            "lifecycleStatus": t.GOAL_LIFECYCLE[goal.status],
            "category": [{"coding": [t.coding(t.DIMENSION_SYSTEM, goal.dimension, Dimension(goal.dimension).label)]}],
            "description": {"text": goal.title}, "subject": patient_ref, "expressedBy": patient_ref,
            "startDate": timezone.localdate(goal.created_at).isoformat(),
        }
        if goal.status == "achieved":
            resource["achievementStatus"] = {"coding": [t.coding(
                "http://terminology.hl7.org/CodeSystem/goal-achievement", "achieved", "Achieved")]}
            if goal.achieved_at:  # the day it was achieved travels too: programme outcomes count goals by it
                resource["statusDate"] = timezone.localdate(goal.achieved_at).isoformat()
        rulers = [{"url": url, "valueInteger": value} for url, value in
                  ((t.IMPORTANCE_URL, goal.importance), (t.CONFIDENCE_URL, goal.confidence)) if value is not None]
        if rulers:
            resource["extension"] = rulers
        if goal.why_it_matters:
            resource["note"] = [{"text": goal.why_it_matters}]
        goals.append(resource)
        for step in sorted(goal.steps.all(), key=lambda step: (step.created_at, step.pk)):
            step_id = t.stable_id(user, "step", step.pk)
            detail = {"status": t.STEP_ACTIVITY[step.status], "description": step.text,
                      "goal": [_reference(goal_id)]}
            if step.status == StepStatus.SKIPPED:
                detail["statusReason"] = {"text": "Skipped"}
            if step.due_on:
                detail["scheduledPeriod"] = {"end": step.due_on.isoformat()}
            activity = {"extension": [{"url": t.STEP_ID_URL, "valueIdentifier": _identifier("step", step_id)}],
                        "detail": detail}
            if step.completed_at:
                activity["progress"] = [{"time": _when(step.completed_at), "text": "Done"}]
            activities.append(activity)
    care_plan = {
        "resourceType": "CarePlan", "id": plan_id, "identifier": [_identifier("plan", plan_id)],
        "status": "active", "intent": "plan", "title": "My recovery plan", "subject": patient_ref,
        "author": patient_ref, "created": _when(plan.created_at),
        "goal": [_reference(goal["id"]) for goal in goals],
    }
    if plan.recovery_meaning:
        care_plan["description"] = plan.recovery_meaning
    if activities:
        care_plan["activity"] = activities
    if notes:
        care_plan["note"] = notes
    return [care_plan, *goals]


def _component(system: str, code: str, value: dict | None = None) -> dict:
    """One answered item (`value`: {"valueInteger": 3}), or, with no value, one declined."""
    return {"code": {"coding": [t.coding(system, code)]}, **(value if value is not None else {"dataAbsentReason":
                                                                                             t.DECLINED})}


def _observation(resource_id: str, kind: str, label: str, patient_ref: dict, effective: str, components: list,
                 **more) -> dict:
    observation = {
        "resourceType": "Observation", "id": resource_id, "identifier": [_identifier(kind, resource_id)],
        "status": "final",
        "category": [{"coding": [t.coding(t.OBSERVATION_CATEGORY, "survey", "Survey")]}],
        "code": {"coding": [t.coding(t.OBSERVATION_SYSTEM, kind, label)], "text": label},
        "subject": patient_ref, "effectiveDateTime": effective, **more,
    }
    if components:
        observation["component"] = components
    return observation


def _yes_no(value: str) -> dict | None:
    return None if value == t.PREFER_NOT else {"valueBoolean": value == "yes"}


def _daily_components(checkin: DailyCheckIn) -> list[dict]:
    declined = set(checkin.declined)
    components = []
    for name in ("mood", "cravings", "sleep_hours", *t.DAILY_NUMBERS[2:], *t.DAILY_YES_NO, "self_harm_thoughts"):
        value = getattr(checkin, name)
        if name in declined or value == t.PREFER_NOT:
            components.append(_component(t.DAILY_ITEM_SYSTEM, name))
        elif value is None or value == "":
            continue  # skipped: absent
        elif name == "sleep_hours":
            components.append(_component(t.DAILY_ITEM_SYSTEM, name, {"valueQuantity": {
                "value": float(Decimal(value)), "unit": "h", "system": t.UCUM, "code": "h"}}))
        elif name in t.DAILY_YES_NO:
            components.append(_component(t.DAILY_ITEM_SYSTEM, name, _yes_no(value)))
        elif name == "self_harm_thoughts":
            components.append(_component(t.DAILY_ITEM_SYSTEM, name, {
                "valueCodeableConcept": {"coding": [t.coding(t.SELF_HARM_SYSTEM, value)]}}))
        else:
            components.append(_component(t.DAILY_ITEM_SYSTEM, name, {"valueInteger": value}))
    return components


def _use_components(checkin: DailyCheckIn) -> list[dict]:
    use, declined = checkin.use, set(checkin.declined)
    components = []
    for name in (*t.USE_YES_NO, *t.USE_TEXTS, "doses_taken"):
        value = getattr(use, name)
        if name in declined or value == t.PREFER_NOT:
            components.append(_component(t.USE_ITEM_SYSTEM, name))
        elif value is None or value == "":
            continue
        elif name in t.USE_YES_NO:
            components.append(_component(t.USE_ITEM_SYSTEM, name, _yes_no(value)))
        elif name == "doses_taken":
            components.append(_component(t.USE_ITEM_SYSTEM, name, {"valueInteger": value}))
        else:
            components.append(_component(t.USE_ITEM_SYSTEM, name, {"valueString": value}))
    components += [_component(t.USE_ITEM_SYSTEM, flag, {"valueBoolean": getattr(use, flag)}) for flag in t.USE_FLAGS]
    return components


def _checkins(user, patient_ref: dict) -> list[dict]:
    resources = []
    for checkin in DailyCheckIn.objects.filter(person=user).select_related("use").order_by("day"):
        checkin_id = t.stable_id(user, "daily-check-in", checkin.day.isoformat())
        more = {"issued": _when(checkin.created_at)}
        if checkin.backfilled:
            more["extension"] = [{"url": t.BACKFILLED_URL, "valueBoolean": True}]
        if checkin.note:
            more["note"] = [{"text": checkin.note}]
        resources.append(_observation(checkin_id, "daily-check-in", "Daily check-in", patient_ref,
                                      checkin.day.isoformat(), _daily_components(checkin), **more))
        if hasattr(checkin, "use"):
            use_id = t.stable_id(user, "use-log", checkin.day.isoformat())
            resources.append(_observation(use_id, "use-log", "Use log", patient_ref, checkin.day.isoformat(),
                                          _use_components(checkin), derivedFrom=[_reference(checkin_id)]))
    for checkin in RecoveryCheckIn.objects.filter(person=user).order_by("taken_at", "pk"):
        declined = set(checkin.declined)
        components = []
        for process in PROCESSES:
            for item_id, _ in process.items:
                if item_id in checkin.answers:
                    components.append(_component(t.RECOVERY_ITEM_SYSTEM, item_id,
                                                 {"valueInteger": checkin.answers[item_id]}))
                elif item_id in declined:
                    components.append(_component(t.RECOVERY_ITEM_SYSTEM, item_id))
        for dimension in Dimension.values:
            name = f"rate_{dimension}"
            if dimension in checkin.dimension_ratings:
                components.append(_component(t.RECOVERY_ITEM_SYSTEM, name,
                                             {"valueInteger": checkin.dimension_ratings[dimension]}))
            elif name in declined:
                components.append(_component(t.RECOVERY_ITEM_SYSTEM, name))
        components += [_component(t.RECOVERY_ITEM_SYSTEM, f"process_{key}", {"valueQuantity": {"value": score}})
                       for key, score in checkin.process_scores.items()]
        checkin_id = t.stable_id(user, "recovery-check-in", checkin.pk)
        resources.append(_observation(checkin_id, "recovery-check-in", "Recovery check-in", patient_ref,
                                      _when(checkin.taken_at), components))
    return resources


def _questionnaire_responses(user, patient_ref: dict) -> list[dict]:
    resources = []
    for response in QuestionnaireResponse.objects.filter(person=user).order_by("authored_at", "pk"):
        response_id = t.stable_id(user, "questionnaire-response", response.pk)
        resources.append({**response.resource, "id": response_id,
                          "identifier": _identifier("questionnaire-response", response_id), "subject": patient_ref})
    return resources


def _consents(user, patient_ref: dict) -> list[dict]:
    resources = []
    labels = dict(Category.choices)
    for grant in (Grant.objects.filter(person=user).select_related("member", "recipient").prefetch_related("items")
                  .order_by("signed_at", "pk")):
        consent_id = str(grant.public_id)
        actor = {"role": {"coding": [t.coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                              "IRCP", "information recipient")]},
                 "reference": {"display": grant.recipient_name}}
        if grant.recipient is not None:
            actor["reference"]["identifier"] = _identifier("person", str(grant.recipient.public_id))
        actor["extension"] = [{"url": t.SUPPORTER_ROLE_URL,
                               "valueCoding": t.coding(t.SUPPORTER_ROLE_SYSTEM, grant.member.role)}]
        period = {"start": _when(grant.signed_at), **({"end": _when(grant.expires_at)} if grant.expires_at else {})}
        extensions = [{"url": t.CONSENT_PURPOSE_URL, "valueString": grant.purpose}]
        if grant.revoked_at:
            extensions.append({"url": t.CONSENT_REVOKED_URL, "valueDateTime": _when(grant.revoked_at)})
        resources.append({
            "resourceType": "Consent", "id": consent_id, "identifier": [_identifier("consent", consent_id)],
            "extension": extensions,
            "status": "active" if grant.is_live() else "inactive",
            "scope": {"coding": [t.coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy",
                                          "Privacy Consent")]},
            "category": [{"coding": [t.coding("http://loinc.org", "59284-0", "Patient Consent")]}],
            "patient": patient_ref, "dateTime": _when(grant.signed_at), "performer": [patient_ref],
            "policyRule": {"coding": [t.coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN",
                                               "opt-in")]},
            "provision": {"type": "permit", "period": period, "actor": [actor], "provision": [
                {"type": "permit",
                 "class": [t.coding(t.CONSENT_CATEGORY_SYSTEM, item.category, labels.get(item.category, ""))],
                 "action": [{"coding": [t.coding(t.CONSENT_ACCESS_SYSTEM, item.access)]}]}
                for item in sorted(grant.items.all(), key=lambda item: item.category)]},
        })
    return resources


def record_bundle(*, user) -> dict:
    """The account's own record as a FHIR Bundle (a dict), validated whole by fhir.resources (R4B)."""
    patient_id = t.stable_id(user, "person", "")
    patient_ref = _reference(patient_id)
    resources = [_patient(user, patient_id)]
    plan = Plan.objects.filter(person=user).first()
    if plan is not None:  # staff accounts have no plan
        resources += _plan_and_goals(user, plan, patient_ref)
    resources += _checkins(user, patient_ref)
    resources += _questionnaire_responses(user, patient_ref)
    resources += _consents(user, patient_ref)
    bundle = {"resourceType": "Bundle", "id": t.stable_id(user, "bundle", timezone.now().isoformat()),
              "meta": {"source": t.server_address()}, "type": "collection", "timestamp": _when(timezone.now()),
              "entry": [_entry(resource) for resource in resources]}
    Bundle.model_validate(bundle)  # raises on anything FHIR would not accept, before it reaches the person
    return bundle


def record_bundle_json(*, user) -> str:
    return json.dumps(record_bundle(user=user), ensure_ascii=False, indent=2)
