"""Guessed ids: everyone who may not see Pat's record walks every id-taking URL with ids around hers.

The URL patterns come from the resolver (through the access matrix), so a new pattern with an id is
attacked as soon as it exists: its id's kind must be named in ID_MODELS (or STRING_ARGS), or
`test_every_id_taking_pattern_is_attacked` fails. For each pattern and each attacker, GET and POST (with
the data the matrix uses, so the form would be valid if the object were reachable) go to:

* int ids: every id that exists for that kind of object (everyone's, Pat's among them), Pat's real id
  ±1, and real_id-1000..real_id+1000 in steps of ID_STRIDE; with PATHWAYS_ATTACK_EVERY_ID=1, every id
  in that range (slow: about ten minutes);
* uuid ids: public uuids of every kind (accounts, grants, memberships, saved transcripts, sessions), each
  kind's first UUIDS_PER_KIND of Pat's and of everyone else's, and random ones;
* string tokens: random and malformed ones.

Nobody outside the matrix row's `who` may get a real answer, no page may show Pat's words or name to
someone the row does not allow, nor Rue's (she shares nothing) to anyone but Rue, no request may answer
500, and Pat's record must not change.
"""
from __future__ import annotations

import os
import uuid

import pytest
from django.db.models import Q
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from pathways.checkins.models import GentleNote, Questionnaire, QuestionnaireResponse, Trigger, UrgeEntry, WarningSign
from pathways.circle.models import CircleInvitation, CircleMember, Grant
from pathways.circle.tests import test_access_matrix as matrix
from pathways.conversations.models import Conversation, SessionNote
from pathways.mi.web.models import SavedTranscript
from pathways.notifications.models import Notification
from pathways.people.models import Organisation, User
from pathways.plans.models import Goal, Step, Strength, Suggestion
from pathways.safety.models import CrisisAlert, LocalService
from pathways.signins.models import AccountSession
from pathways.tools.models import CostBenefitWorksheet, WellnessItem

from .conftest import ATTACKERS, MARKER, NAME_MARKER, RUE_MARKER, body, is_login_redirect

# Each int URL argument: the model it names, and the path from that model to the account it belongs to
# (whose own objects an attacker may of course open).
ID_MODELS = {
    "goal_id": (Goal, "plan__person"), "step_id": (Step, "goal__plan__person"),
    "strength_id": (Strength, "plan__person"), "suggestion_id": (Suggestion, "plan__person"),
    "invitation_id": (CircleInvitation, "person"), "response_id": (QuestionnaireResponse, "person"),
    "questionnaire_id": (Questionnaire, None), "notification_id": (Notification, "recipient"),
    "alert_id": (CrisisAlert, "person"), "organisation_id": (Organisation, None), "line_id": (LocalService, None),
    "sign_id": (WarningSign, "person"), "trigger_id": (Trigger, "person"), "note_id": (GentleNote, "person"),
}
# Every model with a public uuid, and who it belongs to (a grant: the supporter it names may read it).
UUID_MODELS = {User: "pk", Grant: "recipient", CircleMember: "person", SavedTranscript: "owner",
               AccountSession: "user", CrisisAlert: "person", SessionNote: "person", Conversation: "person",
               UrgeEntry: "person", CostBenefitWorksheet: "person", WellnessItem: "person"}
STRING_ARGS = {"token", "uidb64", "rule", "category", "slug"}
CALENDAR_ARGS = {"year", "month"}  # an outcomes report's month: not an id, but guessed around the real one too
ID_STRIDE = 1 if os.environ.get("PATHWAYS_ATTACK_EVERY_ID") == "1" else 97
BEYOND = (2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**30)  # past 32- and 64-bit integer columns
RANDOM_UUIDS = 12
UUIDS_PER_KIND = 6  # of Pat's, and as many of everyone else's: every uuid of every kind would take minutes
TOKENS = ("x", "0" * 43, "A" * 500, "..%2F..%2Fetc", "%00", "' OR 1=1 --", "MQ")


def _converters(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, dict[str, str]]:
    """Each named pattern's URL arguments and their converter ("int", "uuid", "str")."""
    found = {}
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in matrix.SKIPPED_NAMESPACES:
                continue
            inner = _converters(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            for name, args in inner.items():  # an include's own arguments (none today) would come first
                found[name] = {**{k: type(c).__name__ for k, c in entry.pattern.converters.items()}, **args}
        elif isinstance(entry, URLPattern) and entry.name and entry.pattern.converters:
            found[namespace + entry.name] = {
                arg: type(converter).__name__.removesuffix("Converter").lower()
                for arg, converter in entry.pattern.converters.items()}
    return found


CONVERTERS = _converters()
ID_PATTERNS = sorted(CONVERTERS)


def test_every_id_taking_pattern_is_attacked():
    unknown = [f"{name}: {arg} ({kind})" for name, args in CONVERTERS.items() for arg, kind in args.items()
               if not (kind == "int" and arg in ID_MODELS | dict.fromkeys(CALENDAR_ARGS) or kind == "uuid"
                       or arg in STRING_ARGS)]
    assert not unknown, f"URL arguments this suite does not know how to guess (add them to ID_MODELS): {unknown}"
    assert "plans:goal" in ID_PATTERNS and "circle:grant" in ID_PATTERNS  # the walk finds id routes at all


def _guesses(arg: str, kind: str, real, pat: User) -> list:
    if arg in CALENDAR_ARGS:
        return sorted({real - 1, real + 1, 0, 13, 9999, *BEYOND} - {real})
    if kind == "int":
        pks = set(ID_MODELS[arg][0].objects.values_list("pk", flat=True))
        around = range(max(0, real - 1000), real + 1001, ID_STRIDE)
        return sorted(pks | set(around) | {real - 1, real + 1, real + 1000} | set(BEYOND) - {real, -1})
    if kind == "uuid":
        uuids = set()
        for model, owner in UUID_MODELS.items():
            pats = model.objects.filter(**{owner: pat.pk}).order_by("pk")
            others = model.objects.exclude(**{owner: pat.pk}).order_by("pk")
            for objects in (pats, others):
                uuids.update(objects.values_list("public_id", flat=True)[:UUIDS_PER_KIND])
        return sorted(uuids - {real}, key=str) + [uuid.uuid4() for _ in range(RANDOM_UUIDS)]
    return [token for token in TOKENS if token != real]


def _theirs(user: User | None, arg: str, kind: str, guess) -> bool:
    """Whether the guessed id names something of the attacker's own (their account, their goal, a consent
    that names them), or a questionnaire offered to them: such an answer is theirs to have."""
    if user is None:
        return False
    if kind == "uuid":
        return any(model.objects.filter(public_id=guess, **{owner: user.pk}).exists()
                   for model, owner in UUID_MODELS.items())
    if kind != "int" or abs(guess) >= 2**63 or arg in CALENDAR_ARGS:
        return False
    model, owner = ID_MODELS[arg]
    if model is Questionnaire:  # the shipped questionnaires, and their own organisation's, are offered to all
        return model.objects.filter(Q(organisation__isnull=True) | Q(organisation=user.home_organisation_id),
                                    pk=guess).exists()
    return owner is not None and model.objects.filter(pk=guess, **{owner: user.pk}).exists()


@pytest.mark.parametrize("name", ID_PATTERNS)
def test_guessed_ids_reach_nothing_of_pats(name, scenario, clients):
    case = matrix.MATRIX[name]
    real = case.kwargs(scenario)
    # Every attacker tries GET, and POST with the row's data (an empty form where the row has none).
    posts = [attempt for attempt in case.tries if attempt.method == "post"] or [matrix.POST()]
    tries = [matrix.GET, *posts]
    roles = [role for role in ATTACKERS if role not in case.may_change_pat]
    before = matrix.pats_state(scenario)
    problems, requests = [], 0
    for arg, kind in CONVERTERS[name].items():
        for guess in _guesses(arg, kind, real.get(arg), scenario.pat):
            try:
                url = reverse(name, kwargs={**real, arg: guess})
            except NoReverseMatch:  # a value the pattern cannot match never reaches the view
                continue
            for role in roles:
                theirs = _theirs(scenario.users.get(role), arg, kind, guess)
                for attempt in tries:
                    response = getattr(clients[role], attempt.method)(url, attempt.data(scenario))
                    requests += 1
                    problems += _problems(case, role, attempt.method, url, response, theirs)
    after = matrix.pats_state(scenario)
    changed = [key for key in before if before[key] != after[key]]
    if changed:
        problems.append(f"guessing ids changed Pat's record: {changed}")
    assert requests > 0
    assert not problems, f"{name} ({requests} requests):\n" + "\n".join(problems[:40])


def _problems(case: matrix.Case, role: str, method: str, url: str, response, theirs: bool = False) -> list[str]:
    where = f"{role:22} {method.upper():4} {url}"
    status, text = response.status_code, body(response)
    problems = []
    if status >= 500:
        problems.append(f"{where}: answered {status}")
    elif role in matrix.SIGNED_OUT and matrix.ANONYMOUS not in case.who and not is_login_redirect(response):
        problems.append(f"{where}: signed out, but not sent to log in ({status})")
    elif status in (200, 302) and not is_login_redirect(response) and role not in case.who and not theirs:
        problems.append(f"{where}: answered {status} {response.get('Location', '')} to someone with no access")
    if MARKER in text and role not in case.marker_ok_for:
        problems.append(f"{where}: LEAK — shows what Pat wrote")
    if NAME_MARKER in text and role not in case.name_ok_for | matrix.PAT and not theirs:
        problems.append(f"{where}: LEAK — shows Pat's name")
    if RUE_MARKER in text and role != "rue":  # Rue shares nothing with anyone: her words are hers alone
        problems.append(f"{where}: LEAK — shows what Rue wrote")
    return problems


def test_the_leak_detector_sees_pats_words_where_she_may_see_them(scenario, clients):
    """A self-check: the same requests, made by Pat, find her marker, so a leak could not go unnoticed."""
    case = matrix.MATRIX["plans:goal"]
    url = reverse("plans:goal", kwargs=case.kwargs(scenario))
    response = clients["pat"].get(url)
    assert response.status_code == 200 and MARKER in body(response)
    assert _problems(matrix.Case(who=frozenset()), "rue", "get", url, response), "a leak must be reported"
