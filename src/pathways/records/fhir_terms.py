"""The words both directions of the FHIR record share: canonical addresses, code systems and identifiers.

A bundle from any Pathways server must be readable by any other, so the code systems and extensions live under
one fixed canonical address (the project's own, as the shipped questionnaires use), while the identifiers of a
person's things live under the address of the server that made them: they say where a record came from.

Statuses map one to one in both directions, so an imported record says exactly what the exported one did.
"""
import uuid

from django.conf import settings

CANON = "https://pathways.example/fhir"
CODES = f"{CANON}/CodeSystem"
EXTENSION = f"{CANON}/StructureDefinition"

# Code systems of our own.
DIMENSION_SYSTEM = f"{CODES}/dimension"
PATHWAY_SYSTEM = f"{CODES}/pathway"
OBSERVATION_SYSTEM = f"{CODES}/observation"  # what an Observation records: a daily or recovery check-in, a use log
DAILY_ITEM_SYSTEM = f"{CODES}/daily-check-in-item"
USE_ITEM_SYSTEM = f"{CODES}/use-log-item"
RECOVERY_ITEM_SYSTEM = f"{CODES}/recovery-check-in-item"
SELF_HARM_SYSTEM = f"{CODES}/self-harm-thoughts"
CONSENT_CATEGORY_SYSTEM = f"{CODES}/consent-category"
CONSENT_ACCESS_SYSTEM = f"{CODES}/consent-access"
SUPPORTER_ROLE_SYSTEM = f"{CODES}/supporter-role"

# Extensions of our own, and HL7's where one fits.
PRONOUNS_URL = "http://hl7.org/fhir/StructureDefinition/individual-pronouns"
ABOUT_ME_URL = f"{EXTENSION}/about-me"  # sub-extensions: culture, faith, what-helps, how-to-reach-me
PLAN_NOTE_URL = f"{EXTENSION}/plan-note-kind"  # on a CarePlan note: which part of the plan it is
STEP_ID_URL = f"{EXTENSION}/step-identifier"  # on a CarePlan activity that is a step
IMPORTANCE_URL = f"{EXTENSION}/goal-importance"
CONFIDENCE_URL = f"{EXTENSION}/goal-confidence"
BACKFILLED_URL = f"{EXTENSION}/backfilled"  # a daily check-in filled in on a later day
CONSENT_PURPOSE_URL = f"{EXTENSION}/consent-purpose"
CONSENT_REVOKED_URL = f"{EXTENSION}/consent-revoked"
SUPPORTER_ROLE_URL = f"{EXTENSION}/supporter-role"

# HL7 terminology.
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
DECLINED = {"coding": [{"system": DATA_ABSENT, "code": "asked-declined", "display": "Asked But Declined"}]}
UCUM = "http://unitsofmeasure.org"

ABOUT_ME_PARTS = {"culture": "culture", "faith": "faith", "what-helps": "what_helps",
                  "how-to-reach-me": "how_to_reach_me"}
PLAN_NOTE_KINDS = {"strength-mine": "mine", "strength-family": "family", "strength-community": "community"}
LAPSE_NOTE_KINDS = {"lapse-what-i-will-do": "lapse_what_i_will_do", "lapse-who-i-will-tell": "lapse_who_i_will_tell"}
WIN_NOTE = "win"

# Our statuses and FHIR's, both ways.
GOAL_LIFECYCLE = {"active": "active", "paused": "on-hold", "achieved": "completed", "let_go": "cancelled"}
STEP_ACTIVITY = {"open": "not-started", "done": "completed", "skipped": "cancelled"}
PATHWAY_CURRENT, PATHWAY_ENDED = "in-progress", "stopped"

# Daily check-in items by kind of answer (the field names are the codes).
DAILY_NUMBERS = ("mood", "cravings", "sleep_quality", "energy")
DAILY_YES_NO = ("hungry", "angry", "lonely", "tired", "connected", "self_care")
USE_YES_NO = ("used", "not_alone", "naloxone_at_hand", "tested_supply")
USE_TEXTS = ("what", "how_much", "what_was_happening", "what_i_learned")
USE_FLAGS = ("is_lapse", "reflection_shared")
PREFER_NOT = "prefer_not"


def server_address() -> str:
    return settings.PATHWAYS_SITE_URL


def identifier_system(kind: str) -> str:
    """Where this server's identifiers of one kind of thing live, e.g. https://pathways.example.org/fhir/id/goal."""
    return f"{server_address()}/fhir/id/{kind}"


def stable_id(user, kind: str, key) -> str:
    """The same UUID for the same thing of the same account on every export, revealing no row number."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{server_address()}/people/{user.public_id}/{kind}/{key}"))


def import_key(user, identifier: str) -> uuid.UUID:
    """What an imported thing is remembered by in the importing account (its `submission_key`), so importing the
    same bundle again finds it. Tied to the account: two people may import copies of one bundle."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"pathways-import/{user.public_id}/{identifier}")


def urn(resource_id: str) -> str:
    return f"urn:uuid:{resource_id}"


def coding(system: str, code: str, display: str = "") -> dict:
    return {"system": system, "code": code, **({"display": display} if display else {})}
