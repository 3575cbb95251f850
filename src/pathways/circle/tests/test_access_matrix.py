"""Zero leaks: every URL of the site, tried by everyone who might stand near Pat's record.

The list of URLs comes from the URL configuration itself (`get_resolver()`), so a new pattern cannot
slip in untested: if it has no row in MATRIX, `test_every_url_pattern_is_in_the_matrix` fails and names
it. Each row says how to build the URL from the scenario, which methods to try, and who gets a real
answer. Everyone else gets 404 (never 403: a refusal must look like a missing record), or the login
page when signed out, and no page anyone outside the rule sees contains the markers seeded into Pat's
plan and name.

The people around Pat (see `build_scenario`): Pat herself; a peer supporter, a professional and an ally
in her circle, each with no grant, a plan grant to see, a plan grant to suggest, a grant of every other
category only, and a grant of everything that expired, was revoked, or whose membership has ended; an
ally whose account was deactivated while their grant was live; the admin, a peer supporter and a
professional of Pat's organisation, and two more professionals there who used emergency access (one
still running, one over); an admin and a professional of another organisation; Rue (another person in
recovery); and a signed-out visitor.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import PASSWORD
from pathways.checkins import services as checkins
from pathways.checkins.models import (
    DailyCheckIn,
    EarlyWarningSetting,
    GentleNote,
    Questionnaire,
    QuestionnaireResponse,
    RecoveryCheckIn,
    Trigger,
    UrgeEntry,
    WarningSign,
)
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
from pathways.conversations import note_services as notes
from pathways.conversations.models import NoteResponse, SessionNote
from pathways.mi.web import services as mi
from pathways.mi.web.models import SavedTranscript
from pathways.notifications.models import Notification, ReminderSetting
from pathways.notifications.services import notify
from pathways.people import services as people
from pathways.people.models import Membership, OrganisationInvitation, PendingSignUp, Role, User, token_digest
from pathways.plans import services as plans
from pathways.plans.models import Goal, Pathway, Plan, PlanChange, SavedService, Step, Strength, Suggestion
from pathways.safety import services as safety
from pathways.safety.models import CrisisAlert, LocalService
from pathways.signins import services as signins
from pathways.signins.models import AccountSession
from pathways.tools import services as tools
from pathways.tools.models import CostBenefitWorksheet, DailyTick, DayCounter, WellnessItem

MARKER = "MARKER-7f3a"  # in everything Pat writes in her plan (and in the transcript she saved)
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
DEACTIVATED = "ally/deactivated"  # had a live grant of everything when the account was deactivated
SIGNED_OUT = frozenset({ANONYMOUS, DEACTIVATED})
# Of Pat's organisation: ada (admin), a peer supporter, lee (professional), and two more professionals who
# used emergency access to Pat's record: one whose hour is still running, one whose hour is over.
EMERGENCY, EMERGENCY_OVER = "org-professional/emergency", "org-professional/emergency-over"
ORG_STAFF = ["org-admin", "org-peer", "org-professional", EMERGENCY, EMERGENCY_OVER]
ORG_PROFESSIONALS = frozenset({"org-professional", EMERGENCY, EMERGENCY_OVER})
OTHER_ORG_STAFF = ["other-org-admin", "other-org-professional"]
ROLES = ["pat", *CIRCLE, *ORG_STAFF, *OTHER_ORG_STAFF, "rue", DEACTIVATED, ANONYMOUS]

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - SIGNED_OUT
PLAN_HOLDERS = frozenset({"pat", "rue"})  # people in recovery; staff and supporters have no plan of their own
PLAN_VIEWERS = frozenset(f"{kind}/{state}" for kind in KINDS for state in ("plan-view", "plan-suggest"))
PLAN_READERS = PLAN_VIEWERS | {EMERGENCY}  # emergency access lets a professional see, never suggest
PLAN_SUGGESTERS = frozenset(f"{kind}/plan-suggest" for kind in KINDS)
LIVE_GRANTEES = PLAN_VIEWERS | {f"{kind}/other-categories" for kind in KINDS}
GRANT_HOLDER = "peer/plan-suggest"  # whose membership and grant the circle:member_*/grant* rows use
PAT = frozenset({"pat"})
MEASURES_READERS = frozenset({f"{kind}/other-categories" for kind in KINDS} | {EMERGENCY})
ALERT_RECIPIENTS = frozenset({f"{kind}/other-categories" for kind in KINDS})  # told of Pat's crisis alerts
NOTE_WRITERS = frozenset({f"{kind}/other-categories" for kind in KINDS})  # notes about Pat's sessions: write
NOTE_READERS = NOTE_WRITERS | {EMERGENCY}
NOTE_AUTHOR = "peer/other-categories"  # wrote the note of Pat's that the notes:* rows use


def _strongest(category: Category) -> Access:
    return max(ALLOWED_ACCESS[category], key=ACCESS_RANK.__getitem__)


EVERYTHING = {c: _strongest(c) for c in Category}
# What each supporter's grant covers. The grants that are not live cover everything, so they would open
# every page if the policy let them.
GRANT_ITEMS = {
    "plan-view": {Category.PLAN: Access.VIEW},
    "plan-suggest": {Category.PLAN: Access.SUGGEST},
    "other-categories": {c: access for c, access in EVERYTHING.items() if c != Category.PLAN},
    "expired": EVERYTHING,
    "revoked": EVERYTHING,
    "removed": EVERYTHING,
    "deactivated": EVERYTHING,
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


def _account(email: str, name: str, organisation=None, role: str | None = None) -> User:
    user = User.objects.create_user(email=email, preferred_name=name, home_organisation=organisation)
    if role:
        Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


def build_scenario() -> Scenario:
    """Pat's world. Its own addresses (…@matrix.example) keep it apart from the conftest fixtures' people."""
    now = timezone.now()
    pat = people.person_sign_up(email="pat@matrix.example", password=PASSWORD, preferred_name="Pat")
    rue = people.person_sign_up(email="rue@matrix.example", password=PASSWORD, preferred_name="Rue")
    organisation = people.organisation_create(name="Harbour Lights Programme")
    ada = _account("ada@matrix.example", "Ada", organisation, Role.ADMIN)
    lee = _account("lee@matrix.example", "Lee", organisation, Role.PROFESSIONAL)
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
    checkins.daily_checkin_save(person=pat, day=timezone.localdate(), answers={"mood": 4, "note": f"{MARKER} walked"})
    checkins.recovery_checkin_record(person=pat, answers={}, dimension_ratings={"health": 7})
    checkins.warning_sign_add(person=pat, stage="emotional", sign=f"{MARKER} keeping to myself",
                              what_i_will_do=f"{MARKER} call Jo", watch="lonely_most_days")
    checkins.trigger_add(person=pat, trigger=f"{MARKER} payday", what_helps=f"{MARKER} bills first")
    checkins.urge_log(person=pat, strength=6, where=f"{MARKER} bus stop", what_i_did=f"{MARKER} rang Jo")
    GentleNote.objects.create(person=pat, rule="lonely_most_days",
                              explanation={"summary": f"{MARKER} lonely on most days", "answers": []})
    # Pat practises her own listening (she is a peer mentor too): a transcript she kept, hers alone.
    mi.save_transcript(pat, f"{MARKER} mentoring session",
                       f"Counsellor: What would help this week?\nPerson: {MARKER} a walk with my sister.")

    users = {"pat": pat, "rue": rue, "org-admin": ada, "org-professional": lee,
             "org-peer": _account("org-peer@matrix.example", "Org Peer", organisation, Role.PEER_SUPPORTER)}
    elsewhere = people.organisation_create(name="Elsewhere Programme")
    users["other-org-admin"] = _account("other-admin@matrix.example", "Other Admin", elsewhere, Role.ADMIN)
    users["other-org-professional"] = _account("other-pro@matrix.example", "Other Pro", elsewhere, Role.PROFESSIONAL)
    for role in (EMERGENCY, EMERGENCY_OVER):
        users[role] = _account(f"{role.replace('/', '.')}@matrix.example", role, organisation, Role.PROFESSIONAL)
        access = circle.emergency_access_start(professional=users[role], person=pat, reason="No answer for days")
        if role == EMERGENCY_OVER:
            EmergencyAccess.objects.filter(pk=access.pk).update(ends_at=now - timedelta(minutes=1))
    EmergencyAccess.objects.filter(person=pat).update(person_told_at=now)  # Pat was told when she last signed in

    members, grants = {}, {}
    for role in [*CIRCLE, DEACTIVATED]:
        kind, state = role.split("/")
        user = users[role] = _account(f"{kind}.{state}@matrix.example", f"{kind} {state}")
        _, token = circle.invitation_create(person=pat, role=KINDS[kind], name=user.preferred_name)
        member = members[role] = circle.invitation_accept(token=token, supporter=user)
        if state == "no-grant":
            continue
        grant = grants[role] = circle.grant_create(member=member, items=GRANT_ITEMS[state], purpose="To support me",
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
                                                      email="newcomer@matrix.example", role=Role.PERSON)
    return Scenario(users=users, pat=pat, goal=goal, step=goal.steps.get(), strength=strength,
                    suggestion=suggestion, invitation=invitation, invitation_token=invitation_token,
                    org_invitation_token=org_invitation_token, member=members[GRANT_HOLDER],
                    grant=grants[GRANT_HOLDER])


def _client_for(role: str, s: Scenario) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(s.users[role])  # a deactivated account's session is refused on the next request
    return client


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The scenario and everyone's signed-in client, made once, inside a transaction rolled back when the
    module ends. Each test runs in a savepoint within it (pytest-django's `db`), so whatever a test
    changes is undone before the next one; reusing the clients saves loading the middleware each time."""
    # Every test's writes are rolled back, the sessions' "last active" too, so the idle limit is lifted
    # for the module's run (the limits have their own tests in pathways/signins). Every role tries to delete
    # an account with Pat's password from one address, so the per-address login pause is lifted too (it has
    # its own tests in pathways/people). Signing in counts as confirming it is you for the listed changes, for
    # the same reason (pathways/verification has its own tests of the re-authentication window).
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
            PATHWAYS_SESSION_IDLE_MINUTES=24 * 60, PATHWAYS_LOGIN_IP_FAILURE_LIMIT=10_000,
            PATHWAYS_REAUTH_MINUTES=24 * 60):
        scenario = build_scenario()
        clients = {role: _client_for(role, scenario) for role in ROLES}
        cookies = {role: {name: morsel.value for name, morsel in client.cookies.items()}
                   for role, client in clients.items()}
        yield scenario, clients, cookies
        transaction.set_rollback(True)


@pytest.fixture
def scenario(_world, db) -> Scenario:
    return _world[0]


@pytest.fixture
def clients(_world, db) -> dict[str, Client]:
    """Everyone's client, signed in as at the start (a test may have signed one out)."""
    _, clients, cookies = _world
    for role, client in clients.items():
        client.cookies = SimpleCookie(cookies[role])
    return clients


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
        "account": User.objects.filter(pk=pat.pk).values_list("is_active", "email").first(),  # None: deleted
        "questionnaire responses": QuestionnaireResponse.objects.filter(person=pat).count(),
        "check-ins": list(DailyCheckIn.objects.filter(person=pat).values_list("pk", "mood", "note", "updated_at")),
        "recovery check-ins": RecoveryCheckIn.objects.filter(person=pat).count(),
        "notifications": list(Notification.objects.filter(recipient=pat).values_list("pk", "read_at")),
        "reminder settings": list(ReminderSetting.objects.filter(person=pat).values_list("updated_at")),
        "warning signs": list(WarningSign.objects.filter(person=pat).values_list("pk", "stage", "sign", "watch")),
        "triggers": list(Trigger.objects.filter(person=pat).values_list("pk", "trigger", "what_helps")),
        "urges": list(UrgeEntry.objects.filter(person=pat).values_list("pk", "strength", "where", "occurred_at")),
        "gentle notes": list(GentleNote.objects.filter(person=pat).values_list("pk", "seen_at")),
        "early-warning setting": list(EarlyWarningSetting.objects.filter(person=pat).values_list(
            "share_which_sign_with_supporters")),
        "saved transcripts": list(SavedTranscript.objects.filter(owner=pat).values_list("pk", "title", "text")),
        "sessions": sorted(AccountSession.objects.filter(user=pat).values_list("pk", flat=True)),
        "session notes": sorted(SessionNote.objects.filter(person=pat).values_list("pk", flat=True)),
        "note responses": NoteResponse.objects.filter(note__person=pat).count(),
        "saved services": list(SavedService.objects.filter(plan__person=pat).values_list("service_id", "note")),
        "worksheets": list(CostBenefitWorksheet.objects.filter(person=pat).values_list("pk", "updated_at")),
        "wellness items": list(WellnessItem.objects.filter(person=pat).values_list("pk", "kind", "order", "text")),
        "daily ticks": list(DailyTick.objects.filter(item__person=pat).values_list("item_id", "day")),
        "day counter": list(DayCounter.objects.filter(person=pat).values_list("started_on", "what_it_counts")),
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
    ends_on_login_page: bool = False  # a real answer here is a redirect to the login page


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


def pats_questionnaire_response(s):
    """Pat's answers to the shipped wellbeing snapshot, made on first use."""
    response = QuestionnaireResponse.objects.filter(person=s.pat).first() or \
        checkins.questionnaire_response_record(person=s.pat, questionnaire=Questionnaire.objects.get(
            url="https://pathways.example/fhir/Questionnaire/wellbeing-snapshot"), answers={"wb1": 3})
    return {"response_id": response.pk}


def pats_organisation_questionnaire(s):
    """A questionnaire Pat's organisation loaded: offered to its people only."""
    resource = json.loads((Path(checkins.__file__).parent / "questionnaires" / "pathways-wellbeing-snapshot.json")
                          .read_text())
    questionnaire = Questionnaire.objects.filter(organisation_id=s.pat.home_organisation_id).first() or \
        checkins.questionnaire_load(resource=resource | {"version": "org-copy"}, organisation=s.pat.home_organisation)
    return {"questionnaire_id": questionnaire.pk}


def questionnaire_upload(s):
    resource = json.loads((Path(checkins.__file__).parent / "questionnaires" / "pathways-wellbeing-snapshot.json")
                          .read_text())
    content = json.dumps(resource | {"version": f"upload-{uuid.uuid4().hex[:12]}"}).encode()
    return {"file": SimpleUploadedFile("questionnaire.json", content, content_type="application/json")}


def pats_notification(s):
    """One of Pat's notifications (she has them from the emergency accesses), made if there is none."""
    notification = Notification.objects.filter(recipient=s.pat).first() or \
        notify(recipient=s.pat, kind="early_warning", title="A gentle note", link="/plan/")
    return {"notification_id": notification.pk}


def pats_crisis_alert(s):
    """A crisis alert from one of Pat's check-ins, made on first use."""
    alert = CrisisAlert.objects.filter(person=s.pat).first() or safety.crisis_alert_raise(person=s.pat)
    return {"alert_id": alert.pk}


def pats_alert(s):
    """The public id of a crisis alert from one of Pat's check-ins (told to those holding her crisis-alert grant)."""
    return {"alert_id": CrisisAlert.objects.get(pk=pats_crisis_alert(s)["alert_id"]).public_id}


def pats_local_service(s):
    """A local service Pat's organisation added, made on first use."""
    line = LocalService.objects.filter(organisation_id=s.pat.home_organisation_id).first() or \
        safety.local_service_add(organisation=s.pat.home_organisation, country="GB", name="Harbour drop-in")
    return {"organisation_id": s.pat.home_organisation_id, "line_id": line.pk}


def a_library_piece(s):
    """A piece shipped with Pathways (the content folder's are loaded by migrate; this one does not depend on them)."""
    from pathways.library.models import Piece

    piece, _ = Piece.objects.get_or_create(organisation=None, slug="matrix-piece", defaults={
        "title": "A piece for everyone", "summary": "Plain words.", "audience": ["person"], "body_html": "<p>Hi</p>",
        "sources": [{"title": "A source", "url": "https://example.org/"}]})
    return {"slug": piece.slug}


def pats_saved_transcript(s):
    return {"public_id": SavedTranscript.objects.get(owner=s.pat).public_id}


def pats_warning_sign(s):
    return {"sign_id": WarningSign.objects.filter(person=s.pat).first().pk}


def pats_trigger(s):
    return {"trigger_id": Trigger.objects.filter(person=s.pat).first().pk}


def pats_urge(s):
    return {"urge_id": UrgeEntry.objects.filter(person=s.pat).first().public_id}


def pats_warning_note(s):
    return {"note_id": GentleNote.objects.filter(person=s.pat).first().pk}


def pats_note(s):
    """The latest version of a note about a conversation with Pat, written by NOTE_AUTHOR on first use."""
    note = SessionNote.objects.filter(person=s.pat, replaced_by__isnull=True).first() or notes.note_write(
        person=s.pat, author=s.users[NOTE_AUTHOR], happened_on=timezone.localdate(), kind="peer",
        talked_about=f"{MARKER} the walk to the shop")
    return {"note_id": note.public_id}


def pats_other_session(s):
    """Pat signed in on another device too (her phone), which only she may sign out."""
    row = signins.session_record(user=s.pat, session_key="matrix0pats0phone0session0key0000000000",
                                 user_agent="Mozilla/5.0 (iPhone) Safari/604.1")
    return {"session_id": row.public_id}


def a_sign_up_link(s):
    """A link to finish signing up, as the worker emails it (GET only: finishing uses it up)."""
    token = "matrix-sign-up-link-token"
    PendingSignUp.objects.get_or_create(token_digest=token_digest(token), defaults={
        "email": "newcomer@matrix.example", "password_hash": "!", "expires_at": timezone.now() + timedelta(hours=1)})
    return {"token": token}


def pats_organisations_invitation(s):
    return {**pats_organisation(s), "invitation_id": OrganisationInvitation.objects.get(
        token_digest=token_digest(s.org_invitation_token)).pk}


def pat_in_her_organisation(s):
    return {**pats_organisation(s), "account_id": s.pat.public_id}


def pat_with_a_professional(s):
    """Pat in her organisation, with its professional named as hers (so there is one to clear)."""
    membership = Membership.objects.get(user=s.pat, organisation=s.pat.home_organisation, role=Role.PERSON)
    if membership.professional_id is None:
        membership.professional = s.users["org-professional"]
        membership.save(update_fields=["professional"])
    return pat_in_her_organisation(s)


def a_colleague(s, *, deactivated=False):
    """A professional of Pat's organisation that no role signs in as, made on first use: the admin's changes to
    an account (which end its sessions) are tried on them, so every role's own session stays signed in."""
    email = f"colleague{'.deactivated' if deactivated else ''}@matrix.example"
    user = User.objects.filter(email=email).first() or _account(email, "Colleague", s.pat.home_organisation,
                                                               Role.PROFESSIONAL)
    if deactivated:
        Membership.objects.filter(user=user).update(deactivated_at=timezone.now())
        User.objects.filter(pk=user.pk).update(is_active=False)
    return {**pats_organisation(s), "account_id": user.public_id}


def pats_directory_service(s, name="Harbour housing help"):
    """A service in the directory of Pat's organisation, made on first use."""
    from pathways.directory.models import Service

    service, _ = Service.objects.get_or_create(organisation_id=s.pat.home_organisation_id, name=name,
                                               defaults={"category": "housing", "serves_home": True})
    return {"service_id": service.public_id}


def pats_saved_service(s):
    """The directory service that Pat saved to her plan, saved on first use."""
    from pathways.directory.models import Service

    service = Service.objects.get(public_id=pats_directory_service(s)["service_id"])
    plans.service_save(plan=s.pat.plan, actor=s.pat, service=service)
    return {"service_id": service.public_id}


def a_directory_service_to_remove(s):
    """One more service of Pat's organisation, saved by nobody: its admin removes it."""
    return {**pats_organisation(s), **pats_directory_service(s, name="Harbour drop-in")}


def services_upload(s):
    return {"file": SimpleUploadedFile("services.csv", b"name,category,dimensions\nNight shelter,housing,home\n",
                                       content_type="text/csv")}


def pats_organisation_outcomes(s):
    """Last month's outcomes report of Pat's organisation, made on first use."""
    from pathways.reports.models import OutcomeReport

    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    OutcomeReport.objects.get_or_create(organisation_id=s.pat.home_organisation_id, month=last_month,
                                        defaults={"threshold": 11})
    return {**pats_organisation(s), "year": last_month.year, "month": last_month.month}


MESSAGE_WRITER = "peer/other-categories"  # shares "our messages" with Pat; whose conversation the rows use
MESSAGE_GRANTEES = frozenset(f"{kind}/other-categories" for kind in KINDS)


def pats_conversation(s):
    """Pat's conversation with MESSAGE_WRITER, started on first use."""
    from pathways.conversations.services import conversation_for

    member = CircleMember.objects.get(person=s.pat, supporter=s.users[MESSAGE_WRITER], removed_at__isnull=True)
    return {"conversation_id": conversation_for(member).public_id}


def pats_worksheet(s):
    """A cost-benefit worksheet of Pat's, made on first use: hers alone, whatever anyone's grant."""
    worksheet = CostBenefitWorksheet.objects.filter(person=s.pat).first() or tools.worksheet_create(
        person=s.pat, using_gives=f"{MARKER} quiet", changing_gives=f"{MARKER} Sundays with the kids")
    return {"worksheet_id": worksheet.public_id}


def pats_wellness_item(s):
    """A line on Pat's "every day" list, made on first use."""
    item = WellnessItem.objects.filter(person=s.pat).first() or tools.wellness_item_add(
        person=s.pat, kind="daily", text=f"{MARKER} breakfast")
    return {"item_id": item.public_id}


OWN_PLAN = dict(who=PLAN_HOLDERS)  # the viewer's own plan: Pat sees hers, Rue hers, anyone else 404
PUBLIC_REDIRECTING = frozenset({200, 302})  # the signed-out page, or off to where a signed-in account works

MATRIX: dict[str, Case] = {
    # The front door, the account pages and the health check need no grant and show no record.
    "home": Case(who=EVERYONE, ok=PUBLIC_REDIRECTING),
    "healthz": Case(who=EVERYONE),
    "leave": Case(who=EVERYONE),  # the neutral page "Leave this page quickly" can go to: nothing of anyone's
    "login": Case(who=EVERYONE, ok=PUBLIC_REDIRECTING),
    "logout": Case(who=EVERYONE, tries=(POST(),), ends_on_login_page=True),
    "password_change": Case(who=SIGNED_IN),
    "password_change_done": Case(who=SIGNED_IN),
    "password_reset": Case(who=EVERYONE),
    "password_reset_done": Case(who=EVERYONE),
    "password_reset_confirm": Case(who=EVERYONE, kwargs=lambda s: {"uidb64": "MQ", "token": "made-up-token"}),
    "password_reset_complete": Case(who=EVERYONE),
    # Signed-in devices: everyone sees and ends only their own sessions; one of Pat's, by id, is hers alone.
    "signins:sessions": Case(who=SIGNED_IN),
    "signins:end": Case(who=PAT, kwargs=pats_other_session, tries=(POST(),)),
    "signins:end_others": Case(who=SIGNED_IN, tries=(POST(),)),
    # Everyone's own data, downloaded, and their own account, deleted: there is no id in these URLs, so
    # nobody can name Pat's. Everyone tries to delete with Pat's password: only Pat's own try may succeed
    # (Rue shares the test password, so hers deletes Rue's own account); for the rest it is the wrong
    # password (28 failures from one address, under the 30 that would pause it), and Pat's record must be
    # untouched before Pat goes last.
    "my_data": Case(who=SIGNED_IN),
    # A supporter's own download lists the circles they are (or were) in, naming whose, and the consents given
    # to them: Pat's name, never her record.
    "my_data_download": Case(who=SIGNED_IN, ok=frozenset({200}), tries=(POST(),), name_ok_for=frozenset(CIRCLE)),
    "account_delete": Case(who=SIGNED_IN, ok=frozenset({200, 302}), tries=(GET, POST(lambda s: {
        "password": PASSWORD, "confirmation": "delete my account"}))),
    "account_deleted": Case(who=EVERYONE, ok=PUBLIC_REDIRECTING),
    # The record as FHIR is the account's own, like "my data" (a supporter's holds no one else's, not even names);
    # an import writes only into the signed-in account (posting no file answers the form again).
    "my_data_fhir": Case(who=SIGNED_IN, ok=frozenset({200}), tries=(POST(),)),
    "record_import": Case(who=SIGNED_IN, ok=frozenset({200}), tries=(GET, POST())),
    # Pat's plans to print, by id: whoever may read that plan's page (the PDF's text is compressed, so the
    # marker check cannot see it; records/tests/test_pdf.py reads the text).
    "plan_pdf": Case(who=PAT | PLAN_READERS, kwargs=pat_public_id, marker_ok_for=PAT | PLAN_READERS,
                     name_ok_for=PLAN_READERS),
    "safety_plan_pdf": Case(who=PAT | MEASURES_READERS, kwargs=pat_public_id, name_ok_for=MEASURES_READERS),
    # Two-step sign-in, confirming it is you, and a new email address: each acts on the signed-in account only
    # (no id in the URLs). The code step answers a password typed a moment ago in the same session; with none,
    # a signed-in account is sent home. An email link nobody sent is refused the same way for everyone.
    "verification:login_code": Case(who=SIGNED_IN, ok=frozenset({302})),
    "verification:confirm": Case(who=SIGNED_IN),
    "verification:two_factor": Case(who=SIGNED_IN),
    "verification:set_up": Case(who=SIGNED_IN),
    "verification:recovery_codes": Case(who=SIGNED_IN, ok=frozenset({200, 302}), tries=(POST(),)),
    "verification:turn_off": Case(who=SIGNED_IN, tries=(POST(),)),
    "verification:email_change": Case(who=SIGNED_IN, tries=(GET, POST(lambda s: {"email": "new@matrix.example"}))),
    "verification:email_confirm": Case(who=EVERYONE, ok=frozenset({404}), kwargs=lambda s: {"token": "made-up"}),
    "people:sign_up": Case(who=EVERYONE, ok=PUBLIC_REDIRECTING),
    "people:sign_up_sent": Case(who=EVERYONE, ok=PUBLIC_REDIRECTING),
    "people:sign_up_confirm": Case(who=EVERYONE, kwargs=a_sign_up_link, ok=PUBLIC_REDIRECTING),
    "people:join": Case(who=EVERYONE, kwargs=lambda s: {"token": s.org_invitation_token}),
    "people:profile": Case(who=SIGNED_IN, shows_marker_to=PAT),
    "people:organisations": Case(who=SIGNED_IN, ok=PUBLIC_REDIRECTING),
    # The organisation admin manages accounts (the roster names Pat) but never sees a record.
    "people:organisation": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation,
                                name_ok_for=frozenset({"org-admin"})),
    "people:invite": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation,
                          tries=(POST(lambda s: {"email": "new.peer@example.org", "role": Role.PEER_SUPPORTER}),),
                          may_change_pat=frozenset({"org-admin"})),
    "people:organisation_about": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation,
                                      tries=(POST(lambda s: {"name": "Harbour Lights"}),)),
    "people:invitation_withdraw": Case(who=frozenset({"org-admin"}), kwargs=pats_organisations_invitation,
                                       tries=(POST(),)),
    # Its lists of people and staff name the accounts (Pat's among them), never anything of a record.
    "people:people_list": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation,
                               name_ok_for=frozenset({"org-admin"})),
    "people:staff_list": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation),
    # The admin's changes to an account of the organisation: its admin alone, who sees the account's name (Pat's
    # too, when ids are guessed) and may deactivate it. Naming Pat's professional tells Pat.
    "accounts:deactivate": Case(who=frozenset({"org-admin"}), kwargs=a_colleague, tries=(GET, POST()),
                                name_ok_for=frozenset({"org-admin"}), may_change_pat=PAT | {"org-admin"}),
    "accounts:reactivate": Case(who=frozenset({"org-admin"}), kwargs=lambda s: a_colleague(s, deactivated=True),
                                tries=(GET, POST()), name_ok_for=frozenset({"org-admin"}),
                                may_change_pat=PAT | {"org-admin"}),
    "accounts:two_step_reset": Case(who=frozenset({"org-admin"}), kwargs=a_colleague, tries=(GET, POST()),
                                    name_ok_for=frozenset({"org-admin"})),
    "accounts:professional": Case(who=frozenset({"org-admin"}), kwargs=pat_in_her_organisation,
                                  name_ok_for=frozenset({"org-admin"}), may_change_pat=frozenset({"org-admin"}),
                                  tries=(GET, POST(lambda s: {"professional": s.users["org-professional"].pk}))),
    "accounts:professional_clear": Case(who=frozenset({"org-admin"}), kwargs=pat_with_a_professional, tries=(POST(),),
                                        name_ok_for=frozenset({"org-admin"}), may_change_pat=frozenset({"org-admin"})),

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
    "plans:lapse_plan": Case(**OWN_PLAN, tries=(GET, POST(lambda s: {"lapse_what_i_will_do": "Ring Jo"}))),
    # Pat's plan by id: seeing needs a live plan grant, changing is Pat's alone (a plan grant is at most
    # "suggest").
    "plans:goal": Case(who=PAT | PLAN_READERS, kwargs=goal_of_pat, marker_ok_for=PAT | PLAN_READERS,
                       shows_marker_to=PAT | PLAN_READERS, name_ok_for=PLAN_READERS),
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
    "plans:shared_plan": Case(who=PAT | PLAN_READERS, kwargs=pat_public_id, marker_ok_for=PAT | PLAN_READERS,
                              shows_marker_to=PAT | PLAN_READERS, name_ok_for=PLAN_READERS),
    "plans:suggest_goal": Case(who=PAT | PLAN_SUGGESTERS, kwargs=pat_public_id, may_change_pat=PAT | PLAN_SUGGESTERS,
                               tries=(POST(lambda s: {"goal-dimension": "home", "goal-text": "Try a choir"}),)),
    "plans:suggest_step": Case(who=PAT | PLAN_SUGGESTERS, kwargs=pat_public_id, may_change_pat=PAT | PLAN_SUGGESTERS,
                               tries=(POST(lambda s: {"step-goal": s.goal.pk, "step-text": "Ask a friend"}),)),
    # A service from her organisation's directory, saved to or removed from her own plan: Pat's alone.
    "plans:service_save": Case(who=PAT, kwargs=pats_directory_service, tries=(POST(),)),
    "plans:service_remove": Case(who=PAT, kwargs=pats_saved_service, tries=(POST(),)),

    # The services directory: every signed-in account searches the directories of its own organisations (none of
    # them shows anyone's record); the organisation's admin imports, exports and removes its services.
    "directory:search": Case(who=SIGNED_IN),
    "directory:manage": Case(who=frozenset({"org-admin", "other-org-admin"}), ok=frozenset({302})),
    "directory:manage_organisation": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation),
    "directory:export": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation),
    "directory:import": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation, tries=(POST(services_upload),)),
    "directory:remove": Case(who=frozenset({"org-admin"}), kwargs=a_directory_service_to_remove, tries=(POST(),)),

    # The circle, its consents and its log belong to the person: anyone else sees their own (empty) one.
    # Only people in recovery have a circle; staff and supporters get 404 here.
    "circle:circle": Case(who=PLAN_HOLDERS),
    "circle:invite": Case(who=PLAN_HOLDERS, ok=frozenset({200}),  # the POST answers with the link to pass on
                          tries=(GET, POST(lambda s: {"name": "Jo", "role": SupporterRole.ALLY}))),
    "circle:staff_add": Case(who=PLAN_HOLDERS, tries=(POST(lambda s: {"staff": s.users["org-professional"].pk}),)),
    "circle:grants": Case(who=PLAN_HOLDERS),
    "circle:access_log": Case(who=PLAN_HOLDERS),
    "circle:disclosures": Case(who=PLAN_HOLDERS),
    "circle:invitation_withdraw": Case(who=PAT, kwargs=lambda s: {"invitation_id": s.invitation.pk}, tries=(POST(),)),
    "circle:member_remove": Case(who=PAT, kwargs=pats_member, tries=(POST(),)),
    "circle:grant_new": Case(who=PAT, kwargs=pats_member, tries=(GET, POST(lambda s: {
        "purpose": "Help me", "until": "revoked", "signature": "Anyone", f"share_{Category.PLAN}": Access.SUGGEST,
        f"share_{Category.NOTES}": Access.WRITE}))),
    # A consent is readable by the person who signed it and the one it names; only the person revokes it.
    "circle:grant": Case(who=PAT | {GRANT_HOLDER}, kwargs=pats_grant, name_ok_for=frozenset({GRANT_HOLDER})),
    "circle:grant_download": Case(who=PAT | {GRANT_HOLDER}, kwargs=pats_grant, name_ok_for=frozenset({GRANT_HOLDER})),
    # Revoking asks once (GET names what ends), then the POST revokes: both Pat's alone.
    "circle:grant_revoke": Case(who=PAT, kwargs=pats_grant, tries=(GET, POST())),
    "circle:category_revoke": Case(who=PAT, kwargs=lambda s: {**pats_member(s), "category": Category.PLAN},
                                   tries=(GET, POST())),
    # Whoever holds the link to Pat's invitation may see who invited them (GET only: joining uses it up).
    "circle:join": Case(who=EVERYONE, kwargs=lambda s: {"token": s.invitation_token}, name_ok_for=EVERYONE),
    # Only a professional of Pat's own organisation may open her record without a grant, with a reason.
    "circle:emergency_access": Case(who=ORG_PROFESSIONALS, kwargs=pat_public_id, name_ok_for=ORG_PROFESSIONALS,
                                    may_change_pat=ORG_PROFESSIONALS,
                                    tries=(GET, POST(lambda s: {"reason": "She asked us to check on her"}))),

    # Supporters' own caseload lists the people who share something with them now, and only them; a
    # professional also finds the names of their organisation's people there, for emergency access.
    "reports:caseload": Case(who=SIGNED_IN, name_ok_for=LIVE_GRANTEES | ORG_PROFESSIONALS),
    # Progress: everyone's own; Pat's, by id, for anyone who may see her plan, check-ins or measures.
    "reports:progress": Case(who=SIGNED_IN),
    "reports:shared_progress": Case(who=PAT | PLAN_READERS | MEASURES_READERS, kwargs=pat_public_id,
                                    name_ok_for=PLAN_READERS | MEASURES_READERS),
    # All the numbers behind the progress charts: everyone's own; Pat's for anyone who may see her check-ins or
    # measures (the plan has no numbers there).
    "reports:numbers": Case(who=SIGNED_IN),
    "reports:shared_numbers": Case(who=PAT | MEASURES_READERS, kwargs=pat_public_id, name_ok_for=MEASURES_READERS),
    # Pat's page for supporters: anyone she shares anything with (or emergency access); her "About me" (which
    # holds her words) only for those granted it. Pat herself is sent to her own home.
    "reports:person": Case(who=PAT | LIVE_GRANTEES | {EMERGENCY}, kwargs=pat_public_id, ok=frozenset({200, 302}),
                           name_ok_for=LIVE_GRANTEES | {EMERGENCY}, marker_ok_for=PAT | MEASURES_READERS,
                           shows_marker_to=MEASURES_READERS),
    # Programme outcomes: de-identified figures, for the organisation's admins only (the report, an earlier
    # month's, and each as CSV and PDF). A person's answer about being counted is their own: no id in the URL;
    # someone using Pathways on their own has no programme, so their answer is not asked (200, nothing saved).
    "outcomes:report": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation),
    "outcomes:month": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation_outcomes),
    "outcomes:csv": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation_outcomes),
    "outcomes:pdf": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation_outcomes),
    "outcomes:statistics": Case(who=PLAN_HOLDERS, ok=frozenset({200, 302}),
                                tries=(GET, POST(lambda s: {"answer": "no"}))),

    # Check-ins: the viewer's own. The daily one follows the pathways in the viewer's plan, so it needs one.
    "checkins:daily": Case(**OWN_PLAN, shows_marker_to=PAT, tries=(GET, POST(lambda s: {"mood": "3"}))),
    "checkins:recovery": Case(**OWN_PLAN),
    # What a saved check-in is answered with: the viewer's own (to the check-in form when there is none yet).
    "checkins:saved": Case(**OWN_PLAN, ok=frozenset({200, 302})),
    # Pat's check-ins day by day, for a check-ins grant or emergency access (Pat is sent to her progress page).
    "checkins:shared_daily": Case(who=PAT | MEASURES_READERS, kwargs=pat_public_id, ok=frozenset({200, 302}),
                                  name_ok_for=MEASURES_READERS),
    # The urge log: the viewer's own (people with a plan); one of Pat's urges, by id, is Pat's alone. Her urges'
    # times and strengths, for a check-ins grant or emergency access; her words there are never shown.
    "checkins:urges": Case(**OWN_PLAN, shows_marker_to=PAT, tries=(GET, POST(lambda s: {"strength": "4"}))),
    "checkins:urge_saved": Case(who=PAT, kwargs=pats_urge),
    "checkins:urge_edit": Case(who=PAT, kwargs=pats_urge, shows_marker_to=PAT,
                               tries=(GET, POST(lambda s: {"strength": "2", "where": "Home"}))),
    "checkins:urge_delete": Case(who=PAT, kwargs=pats_urge, tries=(POST(),)),
    "checkins:shared_urges": Case(who=PAT | MEASURES_READERS, kwargs=pat_public_id, ok=frozenset({200, 302}),
                                  name_ok_for=MEASURES_READERS),

    # Questionnaires: everyone fills in what is offered to them (the shipped ones, and their home
    # organisation's); a response is seen by its person and by those holding a live measures grant (or
    # emergency access); only the organisation's admin loads questionnaires for it.
    "questionnaires:list": Case(who=SIGNED_IN),
    "questionnaires:fill": Case(who=PAT | set(ORG_STAFF), kwargs=pats_organisation_questionnaire,
                                tries=(GET, POST(lambda s: {"item_0": "2"}))),
    "questionnaires:response": Case(who=PAT | MEASURES_READERS, kwargs=pats_questionnaire_response,
                                    name_ok_for=MEASURES_READERS),
    "questionnaires:shared": Case(who=PAT | MEASURES_READERS, kwargs=pat_public_id, name_ok_for=MEASURES_READERS),
    "questionnaires:organisation": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation,
                                       tries=(GET, POST(questionnaire_upload))),

    # Messages: everyone's own list (a supporter's names whom they write to); a conversation is Pat's and her
    # member's while she shares "our messages" with them, never anyone else's (emergency access included).
    # A supporter's message notifies Pat. Receipts, mute and block are Pat's choices alone.
    "conversations:list": Case(who=SIGNED_IN, name_ok_for=MESSAGE_GRANTEES),
    "conversations:with_person": Case(who=PAT | MESSAGE_GRANTEES, kwargs=pat_public_id, ok=frozenset({302}),
                                      name_ok_for=MESSAGE_GRANTEES),
    "conversations:conversation": Case(who=PAT | {MESSAGE_WRITER}, kwargs=pats_conversation,
                                       tries=(GET, POST(lambda s: {"text": "Thinking of you"})),
                                       name_ok_for=frozenset({MESSAGE_WRITER}), may_change_pat=PAT | {MESSAGE_WRITER}),
    "conversations:new_messages": Case(who=PAT | {MESSAGE_WRITER}, kwargs=pats_conversation,
                                       name_ok_for=frozenset({MESSAGE_WRITER})),
    "conversations:receipts": Case(who=PAT, kwargs=pats_conversation, tries=(POST(lambda s: {"read_receipts": "on"}),)),
    "conversations:mute": Case(who=PAT, kwargs=pats_conversation, tries=(POST(),)),
    "conversations:block": Case(who=PAT, kwargs=pats_conversation, tries=(GET, POST())),

    # Notifications: everyone reads, marks and sets up only their own; one of Pat's, by id, is Pat's alone.
    "notifications:list": Case(who=SIGNED_IN),
    "notifications:open": Case(who=PAT, kwargs=pats_notification, ok=frozenset({302})),
    "notifications:mark_read": Case(who=SIGNED_IN, tries=(POST(lambda s: {
        "notification": pats_notification(s)["notification_id"]}),)),
    "notifications:settings": Case(who=SIGNED_IN, tries=(GET, POST(lambda s: {
        "checkin_reminder_on": "on", "checkin_reminder_time": "19:30"}))),

    # The early-warning plan's editing pages and its notes are the person's alone: no grant opens them (an
    # early-warning grant means being told that a sign was noticed; see warning_signs:shared_plan for what it
    # reads). Everyone signed in has their own (empty) one.
    "warning_signs:plan": Case(who=SIGNED_IN, shows_marker_to=PAT),
    "warning_signs:sign_add": Case(who=SIGNED_IN, tries=(GET, POST(lambda s: {"stage": "mental", "sign": "Songs"}))),
    "warning_signs:sign_add_example": Case(who=SIGNED_IN, tries=(POST(lambda s: {
        "stage": "emotional", "example": "skipping-meals"}),)),
    "warning_signs:sign_edit": Case(who=PAT, kwargs=pats_warning_sign, shows_marker_to=PAT,
                                    tries=(GET, POST(lambda s: {"stage": "mental", "sign": "Mine now"}))),
    "warning_signs:sign_remove": Case(who=PAT, kwargs=pats_warning_sign, tries=(POST(),)),
    "warning_signs:trigger_add": Case(who=SIGNED_IN, tries=(GET, POST(lambda s: {"trigger": "Mondays"}))),
    "warning_signs:trigger_add_example": Case(who=SIGNED_IN, tries=(POST(lambda s: {"example": "payday"}),)),
    "warning_signs:trigger_edit": Case(who=PAT, kwargs=pats_trigger, shows_marker_to=PAT,
                                       tries=(GET, POST(lambda s: {"trigger": "Mine now"}))),
    "warning_signs:trigger_remove": Case(who=PAT, kwargs=pats_trigger, tries=(POST(),)),
    # Each account ties patterns to its own signs only: Pat's sign id in someone else's post changes nothing.
    "warning_signs:watch_set": Case(who=SIGNED_IN, kwargs=lambda s: {"rule": "no_contact"},
                                    tries=(POST(lambda s: {"sign": pats_warning_sign(s)["sign_id"]}),)),
    "warning_signs:watch_stop": Case(who=SIGNED_IN, kwargs=lambda s: {"rule": "lonely_most_days"}, tries=(POST(),)),
    "warning_signs:sharing": Case(who=SIGNED_IN, tries=(POST(lambda s: {"share_which_sign": "on"}),)),
    "warning_signs:hard_days": Case(who=SIGNED_IN, tries=(POST(lambda s: {"answer_hard_days": "on"}),)),
    "warning_signs:note": Case(who=PAT, kwargs=pats_warning_note, shows_marker_to=PAT),
    "warning_signs:note_not_now": Case(who=PAT, kwargs=pats_warning_note, tries=(POST(),)),
    # Read-only, for an early-warning grant: its words only once Pat chooses to tell supporters which sign was
    # noticed (she has not here), or under emergency access. Pat is sent to her own plan.
    "warning_signs:shared_plan": Case(who=PAT | MEASURES_READERS, kwargs=pat_public_id, ok=frozenset({200, 302}),
                                      name_ok_for=MEASURES_READERS, marker_ok_for=PAT | {EMERGENCY},
                                      shows_marker_to=frozenset({EMERGENCY})),

    # Safety: the person's own plan (one tap from every page), Pat's by id for those with a safety-plan
    # grant or emergency access; crisis lines are open to anyone; local services are the admin's.
    "safety:plan": Case(**OWN_PLAN),
    "safety:edit": Case(**OWN_PLAN, tries=(GET, POST(lambda s: {"reasons_for_living": "The sea"}))),
    "safety:print": Case(**OWN_PLAN),
    "safety:support_now": Case(who=PAT, kwargs=pats_crisis_alert),
    "safety:alert_responses": Case(who=PAT, kwargs=pats_crisis_alert),
    # A crisis alert's page: only those it was sent to, while their grant still covers crisis alerts. Saying
    # "I'm reaching out" tells Pat (a notification).
    "safety:alert": Case(who=ALERT_RECIPIENTS, kwargs=pats_alert, name_ok_for=ALERT_RECIPIENTS),
    "safety:alert_answer": Case(who=ALERT_RECIPIENTS, kwargs=pats_alert, tries=(POST(),),
                                name_ok_for=ALERT_RECIPIENTS, may_change_pat=ALERT_RECIPIENTS),
    # How the viewer's own crisis alerts travel: people in recovery only, each their own.
    "safety:alert_settings": Case(**OWN_PLAN, tries=(GET, POST(lambda s: {"wait_minutes": "10"}))),
    "safety:shared_plan": Case(who=PAT | MEASURES_READERS, kwargs=pat_public_id, name_ok_for=MEASURES_READERS),
    "safety:crisis_lines": Case(who=EVERYONE),
    # The learning library holds nobody's data: every signed-in account reads it (as its organisation chose);
    # only the organisation's admin hides or shows pieces for its people.
    "library:library": Case(who=SIGNED_IN),
    "library:piece": Case(who=SIGNED_IN, kwargs=a_library_piece),
    "library:manage": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation, tries=(GET, POST(
        lambda s: {"slug": a_library_piece(s)["slug"], "action": "hide"}))),
    "safety:local_services": Case(who=frozenset({"org-admin"}), kwargs=pats_organisation, tries=(GET, POST(
        lambda s: {"name": "Night line", "country": "GB", "phone": "0100"}))),
    "safety:local_service_remove": Case(who=frozenset({"org-admin"}), kwargs=pats_local_service, tries=(POST(),)),
    "safety:local_service_move": Case(who=frozenset({"org-admin"}), kwargs=pats_local_service,
                                      tries=(POST(lambda s: {"direction": "up"}),)),

    # Listening feedback works on what the viewer pastes, and on the transcripts they saved themselves: a
    # saved transcript is its owner's own record (not a person's data shared by consent), so no grant or
    # emergency access opens Pat's; everyone else's list is their own, empty one.
    "mi:analyze": Case(who=SIGNED_IN, ok=frozenset({200}), tries=(GET, POST(lambda s: {
        "text": "Counsellor: How has the week been?\nPerson: Better than I expected."}))),
    "mi:save": Case(who=SIGNED_IN, tries=(POST(lambda s: {
        "save-title": "Mine", "save-text": "Counsellor: What matters most?\nPerson: My kids."}),)),
    "mi:saved": Case(who=SIGNED_IN, shows_marker_to=PAT),
    "mi:saved_transcript": Case(who=PAT, kwargs=pats_saved_transcript, shows_marker_to=PAT),
    "mi:saved_delete": Case(who=PAT, kwargs=pats_saved_transcript, shows_marker_to=PAT, tries=(GET, POST())),
    "mi:practice": Case(who=SIGNED_IN, ok=frozenset({200}), tries=(GET, POST(lambda s: {
        "reply": "It sounds like this week mattered to you."}))),
    # Clears only the signed-in account's own session list of how its practice replies were heard.
    "mi:practice_clear": Case(who=SIGNED_IN, tries=(POST(lambda s: {"s": "kids-visits"}),)),
    # The respectful-language check answers only about the words posted to it: nobody's record, no id.
    "language:check": Case(who=SIGNED_IN, ok=frozenset({200}), tries=(POST(lambda s: {
        "language_field": "text", "language_id": "id_text", "text": "He is an addict."}),)),

    # Notes about Pat's sessions: Pat reads every one (her own list has no id in it); a supporter reads them
    # with a notes grant (or emergency access) and writes them with a notes grant to write; only the note's
    # author corrects it (a new version), and only Pat responds. Pat writes no note about herself.
    "notes:list": Case(who=SIGNED_IN),
    "notes:of_person": Case(who=PAT | NOTE_READERS, kwargs=pat_public_id, name_ok_for=NOTE_READERS),
    "notes:write": Case(who=NOTE_WRITERS, kwargs=pat_public_id, name_ok_for=NOTE_WRITERS,
                        may_change_pat=NOTE_WRITERS, tries=(GET, POST(lambda s: {
                            "happened_on": today(s), "kind": "peer", "talked_about": "A walk"}))),
    "notes:note": Case(who=PAT | NOTE_READERS, kwargs=pats_note, marker_ok_for=PAT | NOTE_READERS,
                       shows_marker_to=PAT | NOTE_READERS, name_ok_for=NOTE_READERS),
    "notes:correct": Case(who=frozenset({NOTE_AUTHOR}), kwargs=pats_note, marker_ok_for=PAT | {NOTE_AUTHOR},
                          shows_marker_to=frozenset({NOTE_AUTHOR}), name_ok_for=frozenset({NOTE_AUTHOR}),
                          may_change_pat=frozenset({NOTE_AUTHOR}), tries=(GET, POST(lambda s: {
                              "happened_on": today(s), "kind": "phone", "talked_about": "A walk, corrected"}))),
    "notes:respond": Case(who=PAT, kwargs=pats_note, tries=(POST(lambda s: {"text": "As I remember it"}),)),

    # Tools for hard moments: the viewer's own (people with a plan), no grant or emergency access opens them;
    # Pat's worksheet or list line, by id, is Pat's alone. The exercises hold nobody's data: open to anyone.
    "tools:index": Case(**OWN_PLAN),
    "tools:urge_surfing": Case(who=EVERYONE),
    "tools:grounding": Case(who=EVERYONE),
    "tools:breathing": Case(who=EVERYONE),
    "tools:worksheets": Case(**OWN_PLAN),
    "tools:worksheet_new": Case(**OWN_PLAN, tries=(GET, POST(lambda s: {"using_gives": "Calm"}))),
    "tools:worksheet": Case(who=PAT, kwargs=pats_worksheet, shows_marker_to=PAT,
                            tries=(GET, POST(lambda s: {"using_costs": "Sleep"}))),
    "tools:worksheet_delete": Case(who=PAT, kwargs=pats_worksheet, tries=(GET, POST())),
    "tools:toolbox": Case(**OWN_PLAN, tries=(GET, POST(lambda s: {"list": "daily", "daily-text": "A walk"}))),
    "tools:item_edit": Case(who=PAT, kwargs=pats_wellness_item, shows_marker_to=PAT,
                            tries=(GET, POST(lambda s: {"kind": "toolbox", "text": "Music"}))),
    "tools:item_delete": Case(who=PAT, kwargs=pats_wellness_item, tries=(POST(),)),
    "tools:item_move": Case(who=PAT, kwargs=pats_wellness_item, tries=(POST(lambda s: {"direction": "down"}),)),
    "tools:item_tick": Case(who=PAT, kwargs=pats_wellness_item, tries=(POST(lambda s: {"done": "on"}),)),
    "tools:day_counter": Case(**OWN_PLAN, tries=(GET, POST(lambda s: {
        "what_it_counts": "days on my medication", "started_on": today(s)}))),
    "tools:day_counter_off": Case(**OWN_PLAN, tries=(POST(),)),
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


def _problems(case: Case, role: str, attempt: Try, url: str, response) -> list[str]:
    where = f"{role:24} {attempt.method.upper():4} {url}"
    status, body = response.status_code, _body(response)
    problems = []
    expected = _expected(case, role)
    if status == 403 or status >= 500:
        problems.append(f"{where}: answered {status}")
    elif expected == "answer":
        ok = case.ok or (frozenset({200}) if attempt.method == "get" else frozenset({302}))
        if status not in ok or _is_login_redirect(response) != case.ends_on_login_page:
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
def test_zero_leaks(name, scenario, clients):
    assert name in MATRIX, f"URL pattern {name!r} has no row in MATRIX: add one saying who may use it"
    case = MATRIX[name]
    url = reverse(name, kwargs=case.kwargs(scenario))
    # Everyone who must not change Pat's record goes first, and must have changed nothing; Pat goes last,
    # so her own writes (removing a member, revoking a grant) cannot change what the others get.
    bystanders = [role for role in ROLES if role not in case.may_change_pat and role != "pat"]
    writers = [role for role in ROLES if role in case.may_change_pat and role != "pat"]
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


# --- found while building the matrix ----------------------------------------------------------------

def test_a_deactivated_persons_supporters_keep_their_caseload_and_no_longer_see_her(scenario, clients):
    """Deactivating Pat must take her off every caseload, not break the caseload of everyone she shared with."""
    User.objects.filter(pk=scenario.pat.pk).update(is_active=False)
    problems = []
    for role in sorted(LIVE_GRANTEES | ORG_PROFESSIONALS):
        response = clients[role].get(reverse("reports:caseload"))
        if response.status_code != 200:
            problems.append(f"{role}: the caseload answered {response.status_code}")
        elif NAME_MARKER in _body(response):
            problems.append(f"{role}: the caseload still lists Pat")
    assert not problems, "\n".join(problems)


def test_signing_in_after_an_emergency_access_works_without_the_messages_middleware(pat, lee, organisation, ada):
    """`login()` on a request without MessageMiddleware (Client.force_login, scripts, a future API) must not fail."""
    _, token = people.invitation_create(organisation=organisation, invited_by=ada, email=pat.email, role=Role.PERSON)
    people.invitation_accept_existing_account(token=token, user=pat)
    circle.emergency_access_start(professional=lee, person=pat, reason="No answer for days")
    Client().force_login(pat)


def test_only_pat_can_delete_pats_account(scenario, clients):
    """No one else's session deletes Pat's account, even knowing her password; hers does, and only hers."""
    data = {"password": PASSWORD, "confirmation": "delete my account"}
    problems = []
    for role in sorted(SIGNED_IN - PAT - {"rue"}):  # Rue's own password is the same: hers would delete Rue
        response = clients[role].post(reverse("account_delete"), data)
        if response.status_code != 200 or not User.objects.filter(pk=scenario.pat.pk).exists():
            problems.append(f"{role}: answered {response.status_code}; Pat's account still there: "
                            f"{User.objects.filter(pk=scenario.pat.pk).exists()}")
    assert not problems, "\n".join(problems)
    response = clients["pat"].post(reverse("account_delete"), data)
    assert response.status_code == 302 and response["Location"] == reverse("account_deleted")
    assert not User.objects.filter(pk=scenario.pat.pk).exists()
    assert User.objects.filter(pk=scenario.users["rue"].pk).exists()
    for role in sorted(LIVE_GRANTEES | ORG_PROFESSIONALS):
        assert NAME_MARKER not in _body(clients[role].get(reverse("reports:caseload"))), role
