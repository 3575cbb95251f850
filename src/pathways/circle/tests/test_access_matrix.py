"""Zero leaks: every URL of the site, tried by everyone who might stand near Pat's record.

The list of URLs comes from the URL configuration itself (`get_resolver()`), so a new pattern cannot
slip in untested: if it has no row in MATRIX, `test_every_url_pattern_is_in_the_matrix` fails and names
it. Each row says how to build the URL from the scenario, which methods to try, and who gets a real
answer. Everyone else gets 404 (never 403: a refusal must look like a missing record), or the login
page when signed out, and no page anyone outside the rule sees contains the markers seeded into Pat's
plan and name.

The people around Pat (see `scenario`): Pat herself; a peer supporter, a professional and an ally in
her circle, each with no grant, a plan grant to see, a plan grant to suggest, a grant of every other
category only, an expired plan grant, a revoked one, and a live one whose membership has ended; an ally
whose account was deactivated while their grant was live; the admin, a peer supporter and a
professional of Pat's organisation; an admin and a professional of another organisation; Rue (another
person in recovery); and a signed-out visitor.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from pathways.circle import services as circle
from pathways.circle.models import (
    ACCESS_RANK,
    ALLOWED_ACCESS,
    Access,
    Category,
    CircleInvitation,
    CircleMember,
    EmergencyAccess,
    Grant,
    SupporterRole,
)
from pathways.people import services as people
from pathways.people.models import Membership, OrganisationInvitation, Role, User
from pathways.plans import services as plans
from pathways.plans.models import Goal, Pathway, Plan, PlanChange, Step, Strength, Suggestion

MARKER = "MARKER-7f3a"  # in everything Pat writes in her plan
NAME_MARKER = "NAME-c41d"  # in Pat's name

# --- the URL configuration ------------------------------------------------------------------------

SKIPPED_NAMESPACES = {"admin"}  # Django's admin site has its own permission checks (staff/superuser)
SKIPPED_NAMES = {"static", "media"}


def url_pattern_names(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    """Every named pattern, as "namespace:name"; an unnamed one is listed by its route so it cannot hide."""
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            names += url_pattern_names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif entry.name is None:
            names.append(f"{namespace}<unnamed: {entry.pattern}>")
        elif entry.name not in SKIPPED_NAMES:
            names.append(namespace + entry.name)
    return sorted(set(names))


URL_PATTERN_NAMES = url_pattern_names()

# --- the people around Pat --------------------------------------------------------------------------

KINDS = {"peer": SupporterRole.PEER_SUPPORTER, "professional": SupporterRole.PROFESSIONAL, "ally": SupporterRole.ALLY}
GRANT_STATES = ("no-grant", "plan-view", "plan-suggest", "other-categories", "expired", "revoked", "removed")
CIRCLE = [f"{kind}/{state}" for kind in KINDS for state in GRANT_STATES]

ANONYMOUS = "anonymous"
DEACTIVATED = "ally/deactivated"  # had a live plan grant when the account was deactivated
SIGNED_OUT = frozenset({ANONYMOUS, DEACTIVATED})
ORG_STAFF = ["org-admin", "org-peer", "org-professional"]  # of Pat's organisation (ada, a peer, lee)
OTHER_ORG_STAFF = ["other-org-admin", "other-org-professional"]
ROLES = ["pat", *CIRCLE, *ORG_STAFF, *OTHER_ORG_STAFF, "rue", DEACTIVATED, ANONYMOUS]

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - SIGNED_OUT
PLAN_HOLDERS = frozenset({"pat", "rue"})  # people in recovery; staff and supporters have no plan of their own
PLAN_VIEWERS = frozenset(f"{kind}/{state}" for kind in KINDS for state in ("plan-view", "plan-suggest"))
PLAN_SUGGESTERS = frozenset(f"{kind}/plan-suggest" for kind in KINDS)
LIVE_GRANTEES = PLAN_VIEWERS | {f"{kind}/other-categories" for kind in KINDS}
GRANT_HOLDER = "peer/plan-suggest"  # whose membership and grant the circle:member_*/grant* rows use
PAT = frozenset({"pat"})


def _strongest(category: Category) -> Access:
    return max(ALLOWED_ACCESS[category], key=ACCESS_RANK.__getitem__)


GRANT_ITEMS = {
    "plan-view": {Category.PLAN: Access.VIEW},
    "plan-suggest": {Category.PLAN: Access.SUGGEST},
    "other-categories": {c: _strongest(c) for c in Category if c != Category.PLAN},
    "expired": {Category.PLAN: Access.SUGGEST},
    "revoked": {Category.PLAN: Access.SUGGEST},
    "removed": {Category.PLAN: Access.SUGGEST},
}


@dataclass
class Scenario:
    users: dict[str, User]
    pat: User
    goal: Goal
    step: Step
    strength: Strength
    suggestion: Suggestion
    invitation: CircleInvitation  # open, from Pat
    invitation_token: str
    org_invitation_token: str  # open, from Pat's organisation to a newcomer
    member: CircleMember  # GRANT_HOLDER's membership of Pat's circle
    grant: Grant  # GRANT_HOLDER's live grant


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _account(email: str, name: str, organisation=None, role: str | None = None) -> User:
    user = User.objects.create_user(email=email, preferred_name=name, home_organisation=organisation)
    if role:
        Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def scenario(pat, rue, organisation, ada, lee) -> Scenario:
    now = timezone.now()
    # Pat joins the organisation's programme with her existing account, and writes her plan.
    _, token = people.invitation_create(organisation=organisation, invited_by=ada, email=pat.email, role=Role.PERSON)
    people.invitation_accept_existing_account(token=token, user=pat)
    people.profile_update(user=pat, preferred_name=f"Pat {NAME_MARKER}", name=f"Pat Example {NAME_MARKER}",
                          pronouns="she/her", culture="", language="", faith="", what_helps=f"{MARKER} music")
    pat.refresh_from_db()
    plan = pat.plan
    plans.recovery_meaning_update(plan=plan, actor=pat, text=f"{MARKER}: waking up glad")
    plans.pathways_set(plan=plan, actor=pat, chosen={Pathway.OTHER: f"{MARKER} walking"})
    strength = plans.strength_add(plan=plan, actor=pat, kind="mine", text=f"{MARKER} patience")
    goal = plans.goal_create(plan=plan, actor=pat, dimension="health", title=f"{MARKER} sleep",
                             why_it_matters=f"{MARKER} rest", first_steps=[f"{MARKER} phone out of the bedroom"])
    plans.win_add(plan=plan, actor=pat, text=f"{MARKER} a calm week")

    users = {"pat": pat, "rue": rue, "org-admin": ada, "org-professional": lee,
             "org-peer": _account("org-peer@example.org", "Org Peer", organisation, Role.PEER_SUPPORTER)}
    elsewhere = people.organisation_create(name="Elsewhere Programme")
    users["other-org-admin"] = _account("other-admin@example.org", "Other Admin", elsewhere, Role.ADMIN)
    users["other-org-professional"] = _account("other-pro@example.org", "Other Pro", elsewhere, Role.PROFESSIONAL)

    members, grants = {}, {}
    for role in [*CIRCLE, DEACTIVATED]:
        kind, state = role.split("/")
        user = users[role] = _account(f"{kind}.{state}@example.org", f"{kind} {state}")
        _, token = circle.invitation_create(person=pat, role=KINDS[kind], name=user.preferred_name)
        member = members[role] = circle.invitation_accept(token=token, supporter=user)
        items = GRANT_ITEMS.get(state, {Category.PLAN: Access.SUGGEST})
        if state == "no-grant":
            continue
        grant = grants[role] = circle.grant_create(member=member, items=items, purpose="To support me",
                                                   signature=f"Pat Example {NAME_MARKER}",
                                                   expires_at=now + timedelta(days=30))
        if state == "expired":
            Grant.objects.filter(pk=grant.pk).update(expires_at=now - timedelta(days=1))
        elif state == "revoked":
            circle.grant_revoke(grant=grant)
        elif state == "removed":  # the grant is left unrevoked on purpose: the policy must still refuse
            CircleMember.objects.filter(pk=member.pk).update(removed_at=now)
        elif state == "deactivated":
            User.objects.filter(pk=user.pk).update(is_active=False)

    suggestion = plans.suggestion_create(plan=plan, author=users[GRANT_HOLDER], kind="goal", dimension="home",
                                         text=f"{MARKER} try the allotment")
    invitation, invitation_token = circle.invitation_create(person=pat, role=SupporterRole.ALLY, name="Sam")
    _, org_invitation_token = people.invitation_create(organisation=organisation, invited_by=ada,
                                                      email="newcomer@example.org", role=Role.PERSON)
    return Scenario(users=users, pat=pat, goal=goal, step=goal.steps.get(), strength=strength,
                    suggestion=suggestion, invitation=invitation, invitation_token=invitation_token,
                    org_invitation_token=org_invitation_token, member=members[GRANT_HOLDER],
                    grant=grants[GRANT_HOLDER])


def pats_state(s: Scenario) -> dict:
    """Everything a request by someone else could change about Pat's record and circle."""
    pat = s.pat
    return {
        "plan": Plan.objects.filter(person=pat).values_list("recovery_meaning", "updated_at").get(),
        "history": PlanChange.objects.filter(plan__person=pat).count(),
        "goals": list(Goal.objects.filter(plan__person=pat).values_list("pk", "title", "status", "updated_at")),
        "steps": list(Step.objects.filter(goal__plan__person=pat).values_list("pk", "text", "status")),
        "strengths": Strength.objects.filter(plan__person=pat).count(),
        "suggestions": list(Suggestion.objects.filter(plan__person=pat).values_list("pk", "status")),
        "members": list(CircleMember.objects.filter(person=pat).values_list("pk", "removed_at")),
        "grants": list(Grant.objects.filter(person=pat).values_list("pk", "revoked_at", "expires_at")),
        "invitations": list(CircleInvitation.objects.filter(person=pat).values_list("pk", "withdrawn_at")),
        "emergencies": EmergencyAccess.objects.filter(person=pat).count(),
        "org invitations": OrganisationInvitation.objects.filter(organisation_id=pat.home_organisation_id).count(),
        "active": User.objects.get(pk=pat.pk).is_active,
    }


# --- the matrix -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Try:
    method: str
    data: Callable[[Scenario], dict] = lambda s: {}


GET = Try("get")


def POST(data: Callable[[Scenario], dict] = lambda s: {}) -> Try:
    return Try("post", data)


@dataclass(frozen=True)
class Case:
    """How to exercise one URL pattern and who gets a real answer (everyone else: 404, or log in)."""

    who: frozenset[str]
    tries: tuple[Try, ...] = (GET,)
    kwargs: Callable[[Scenario], dict] = lambda s: {}
    ok: frozenset[int] | None = None  # a real answer's status; by default 200 for GET, 302 for POST
    marker_ok_for: frozenset[str] = PAT  # who may see what Pat wrote here
    shows_marker_to: frozenset[str] = frozenset()  # whose GET must show it
    name_ok_for: frozenset[str] = PAT  # who may see Pat's name here
    may_change_pat: frozenset[str] = PAT  # whose requests may change Pat's record or circle


def goal_of_pat(s):
    return {"goal_id": s.goal.pk}


def step_of_pat(s):
    return {"step_id": s.step.pk}


def pat_public_id(s):
    return {"person_id": s.pat.public_id}


def pats_grant(s):
    return {"grant_id": s.grant.public_id}


def pats_member(s):
    return {"member_id": s.member.public_id}


def pats_organisation(s):
    return {"organisation_id": s.pat.home_organisation_id}


def today(s):
    return timezone.localdate().isoformat()


OWN_PLAN = dict(who=PLAN_HOLDERS)  # the viewer's own plan: Pat sees hers, Rue hers, anyone else 404
PUBLIC_REDIRECTING = frozenset({200, 302})  # the signed-out page, or off to where a signed-in account works

MATRIX: dict[str, Case] = {
    # The front door, the account pages and the health check need no grant and show no record.
    "home": Case(who=EVERYONE, ok=PUBLIC_REDIRECTING),
    "healthz": Case(who=EVERYONE),
    "login": Case(who=EVERYONE, ok=PUBLIC_REDIRECTING),
    "logout": Case(who=EVERYONE, tries=(POST(),)),
    "password_change": Case(who=SIGNED_IN),
    "password_change_done": Case(who=SIGNED_IN),
    "password_reset": Case(who=EVERYONE),
    "password_reset_done": Case(who=EVERYONE),
    "password_reset_confirm": Case(who=EVERYONE, kwargs=lambda s: {"uidb64": "MQ", "token": "made-up-token"}),
    "password_reset_complete": Case(who=EVERYONE),
    "people:sign_up": Case(who=EVERYONE, ok=PUBLIC_REDIRECTING),
    "people:join": Case(who=EVERYONE, kwargs=lambda s: {"token": s.org_invitation_token}),
    "people:profile": Case(who=SIGNED_IN, shows_marker_to=PAT),
    "people:organisations": Case(who=SIGNED_IN, ok=PUBLIC_REDIRECTING),
    # The organisation admin manages accounts (the roster names Pat) but never sees a record.
    "people:organisation": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation,
                                name_ok_for=frozenset({"org-admin"})),
    "people:invite": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation,
                          tries=(POST(lambda s: {"email": "new.peer@example.org", "role": Role.PEER_SUPPORTER}),),
                          may_change_pat=frozenset({"org-admin"})),

    # The viewer's own plan pages.
    "plans:plan": Case(**OWN_PLAN, shows_marker_to=PAT),
    "plans:meaning": Case(**OWN_PLAN, shows_marker_to=PAT,
                          tries=(GET, POST(lambda s: {"recovery_meaning": "Being here"}))),
    "plans:pathways": Case(**OWN_PLAN, shows_marker_to=PAT, tries=(GET, POST(lambda s: {"moderation": "on"}))),
    "plans:strength_add": Case(**OWN_PLAN, tries=(GET, POST(lambda s: {"kind": "mine", "text": "Stubborn"}))),
    "plans:goal_add": Case(**OWN_PLAN, tries=(GET, POST(lambda s: {"dimension": "home", "title": "A flat"}))),
    "plans:wins": Case(**OWN_PLAN, shows_marker_to=PAT,
                       tries=(GET, POST(lambda s: {"text": "A good day", "occurred_on": today(s)}))),
    "plans:history": Case(**OWN_PLAN, shows_marker_to=PAT),
    # Pat's plan by id: seeing needs a live plan grant, changing is Pat's alone (a plan grant is at most
    # "suggest").
    "plans:goal": Case(who=PAT | PLAN_VIEWERS, kwargs=goal_of_pat, marker_ok_for=PAT | PLAN_VIEWERS,
                       shows_marker_to=PAT | PLAN_VIEWERS),
    "plans:goal_edit": Case(who=PAT, kwargs=goal_of_pat, shows_marker_to=PAT,
                            tries=(GET, POST(lambda s: {"dimension": "health", "title": "Rest"}))),
    "plans:goal_status": Case(who=PAT, kwargs=goal_of_pat, tries=(POST(lambda s: {"status": "paused"}),)),
    "plans:step_add": Case(who=PAT, kwargs=goal_of_pat, tries=(GET, POST(lambda s: {"text": "Walk"}))),
    "plans:step_edit": Case(who=PAT, kwargs=step_of_pat, shows_marker_to=PAT,
                            tries=(GET, POST(lambda s: {"text": "Walk further"}))),
    "plans:step_action": Case(who=PAT, kwargs=step_of_pat, tries=(POST(lambda s: {"action": "done"}),)),
    "plans:strength_remove": Case(who=PAT, kwargs=lambda s: {"strength_id": s.strength.pk}, tries=(POST(),)),
    "plans:suggestion": Case(who=PAT, kwargs=lambda s: {"suggestion_id": s.suggestion.pk}, shows_marker_to=PAT,
                             tries=(GET, POST(lambda s: {"answer": "decline"}))),
    "plans:shared_plan": Case(who=PAT | PLAN_VIEWERS, kwargs=pat_public_id, marker_ok_for=PAT | PLAN_VIEWERS,
                              shows_marker_to=PAT | PLAN_VIEWERS, name_ok_for=PLAN_VIEWERS),
    "plans:suggest_goal": Case(who=PAT | PLAN_SUGGESTERS, kwargs=pat_public_id, may_change_pat=PAT | PLAN_SUGGESTERS,
                               tries=(POST(lambda s: {"goal-dimension": "home", "goal-text": "Try a choir"}),)),
    "plans:suggest_step": Case(who=PAT | PLAN_SUGGESTERS, kwargs=pat_public_id, may_change_pat=PAT | PLAN_SUGGESTERS,
                               tries=(POST(lambda s: {"step-goal": s.goal.pk, "step-text": "Ask a friend"}),)),

    # The circle, its consents and its log belong to the person: anyone else sees their own (empty) one.
    "circle:circle": Case(who=SIGNED_IN),
    "circle:invite": Case(who=SIGNED_IN, tries=(GET, POST(lambda s: {"name": "Jo", "role": SupporterRole.ALLY}))),
    "circle:staff_add": Case(who=SIGNED_IN, tries=(POST(lambda s: {"staff": s.users["org-professional"].pk}),)),
    "circle:grants": Case(who=SIGNED_IN),
    "circle:access_log": Case(who=SIGNED_IN),
    "circle:disclosures": Case(who=SIGNED_IN),
    "circle:invitation_withdraw": Case(who=PAT, kwargs=lambda s: {"invitation_id": s.invitation.pk}, tries=(POST(),)),
    "circle:member_remove": Case(who=PAT, kwargs=pats_member, tries=(POST(),)),
    "circle:grant_new": Case(who=PAT, kwargs=pats_member, tries=(GET, POST(lambda s: {
        "purpose": "Help me", "until": "revoked", "signature": "Anyone", f"share_{Category.PLAN}": Access.SUGGEST,
        f"share_{Category.NOTES}": Access.WRITE}))),
    # A consent is readable by the person who signed it and the one it names; only the person revokes it.
    "circle:grant": Case(who=PAT | {GRANT_HOLDER}, kwargs=pats_grant, name_ok_for=frozenset({GRANT_HOLDER})),
    "circle:grant_download": Case(who=PAT | {GRANT_HOLDER}, kwargs=pats_grant, name_ok_for=frozenset({GRANT_HOLDER})),
    "circle:grant_revoke": Case(who=PAT, kwargs=pats_grant, tries=(POST(),)),
    # Whoever holds the link to Pat's invitation may see who invited them (GET only: joining uses it up).
    "circle:join": Case(who=EVERYONE, kwargs=lambda s: {"token": s.invitation_token}, name_ok_for=EVERYONE),
    # Only a professional of Pat's own organisation may open her record without a grant, with a reason.
    "circle:emergency_access": Case(who=frozenset({"org-professional"}), kwargs=pat_public_id,
                                    name_ok_for=frozenset({"org-professional"}),
                                    may_change_pat=frozenset({"org-professional"}),
                                    tries=(GET, POST(lambda s: {"reason": "She asked us to check on her"}))),

    # Supporters' own caseload lists the people who share something with them now, and only them.
    "reports:caseload": Case(who=SIGNED_IN, name_ok_for=LIVE_GRANTEES),
}


# --- running a row ----------------------------------------------------------------------------------

def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def _expected(case: Case, role: str) -> str:
    if role in case.who:
        return "answer"
    return "login" if role in SIGNED_OUT else "404"


def _client_for(role: str, s: Scenario) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(s.users[role])  # a deactivated account's session is refused on the next request
    return client


def _problems(case: Case, role: str, attempt: Try, url: str, response) -> list[str]:
    where = f"{role:24} {attempt.method.upper():4} {url}"
    status, body = response.status_code, _body(response)
    problems = []
    expected = _expected(case, role)
    if status == 403 or status >= 500:
        problems.append(f"{where}: answered {status}")
    elif expected == "answer":
        ok = case.ok or (frozenset({200}) if attempt.method == "get" else frozenset({302}))
        if status not in ok or _is_login_redirect(response):
            problems.append(f"{where}: should get a real answer {sorted(ok)}, got {status} "
                            f"{response.get('Location', '')}")
    elif expected == "login" and not _is_login_redirect(response):
        problems.append(f"{where}: should be sent to log in, got {status} {response.get('Location', '')}")
    elif expected == "404" and status != 404:
        problems.append(f"{where}: should get 404 as if nothing were there, got {status}")
    if MARKER in body and role not in case.marker_ok_for:
        problems.append(f"{where}: LEAK — the page shows what Pat wrote in her plan")
    if NAME_MARKER in body and role not in case.name_ok_for | PAT:
        problems.append(f"{where}: LEAK — the page shows Pat's name")
    if attempt.method == "get" and role in case.shows_marker_to and status == 200 and MARKER not in body:
        problems.append(f"{where}: should show Pat's plan, but her words are not on the page")
    return problems


def test_every_url_pattern_is_in_the_matrix():
    missing = [name for name in URL_PATTERN_NAMES if name not in MATRIX]
    assert not missing, f"URL patterns with no row in MATRIX (say who may use them): {missing}"


def test_the_matrix_has_no_rows_for_patterns_that_are_gone():
    stale = sorted(set(MATRIX) - set(URL_PATTERN_NAMES))
    assert not stale, f"MATRIX rows for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize("name", URL_PATTERN_NAMES)
def test_zero_leaks(name, scenario):
    assert name in MATRIX, f"URL pattern {name!r} has no row in MATRIX: add one saying who may use it"
    case = MATRIX[name]
    url = reverse(name, kwargs=case.kwargs(scenario))
    # Everyone who must not change Pat's record goes first, and must have changed nothing; Pat goes last,
    # so her own writes (removing a member, revoking a grant) cannot change what the others get.
    bystanders = [role for role in ROLES if role not in case.may_change_pat and role != "pat"]
    writers = [role for role in ROLES if role in case.may_change_pat and role != "pat"]
    clients = {role: _client_for(role, scenario) for role in ROLES}  # all signed in before anything changes
    before = pats_state(scenario)
    problems = []
    for roles in (bystanders, writers, ["pat"]):
        for role in roles:
            for attempt in case.tries:
                response = getattr(clients[role], attempt.method)(url, attempt.data(scenario))
                problems += _problems(case, role, attempt, url, response)
        if roles is bystanders:
            after = pats_state(scenario)
            changed = [key for key in before if before[key] != after[key]]
            if changed:
                problems.append(f"requests by people who may not change Pat's record changed: {changed}")
    assert not problems, f"{name}:\n" + "\n".join(problems)
