"""Pat's world for the attack suite, built once per module, and the helpers every attack shares.

The world is the access matrix's scenario (src/pathways/circle/tests/test_access_matrix.py): Pat, whose
every word carries MARKER and whose name carries NAME_MARKER, and everyone standing near her record. It is
topped up with the objects the matrix makes only on demand (a notification, a questionnaire response, a
crisis alert, a local service, another signed-in device) so that each id-taking URL has a real object of
Pat's to aim at. As in the matrix, the world lives in one transaction rolled back when the module ends,
and each test runs in a savepoint inside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from pathways.checkins import services as checkins
from pathways.circle.tests import test_access_matrix as matrix
from pathways.mi.web import services as mi
from pathways.notifications.services import notify
from pathways.plans import services as plans

MARKER, NAME_MARKER = matrix.MARKER, matrix.NAME_MARKER
RUE_MARKER = "RUE-9b2e"  # in everything Rue writes; she shares nothing with anyone

# The attackers: another person in recovery, a supporter in Pat's circle with no grant and one with a
# narrow (plan, view) grant, grants that expired or were revoked, the organisation's professional (Lee) and
# admin (Ada), a professional of another organisation, and a visitor who is not signed in.
ATTACKERS = ("rue", "peer/no-grant", "ally/plan-view", "peer/expired", "peer/revoked", "org-professional",
             "org-admin", "other-org-professional", matrix.ANONYMOUS)


@dataclass
class World:
    scenario: matrix.Scenario
    clients: dict[str, Client]
    cookies: dict[str, dict[str, str]]  # each client's cookies as first signed in


def _top_up(s: matrix.Scenario) -> None:
    """Make one of everything the matrix makes only when a row asks for it, with Pat's words in it; and give
    Rue a record of her own, so ids near Pat's also name objects of someone who shares nothing."""
    notify(recipient=s.pat, kind="early_warning", title=f"{MARKER} a gentle note", link="/warning-signs/")
    for make in (matrix.pats_questionnaire_response, matrix.pats_organisation_questionnaire, matrix.pats_crisis_alert,
                 matrix.pats_local_service, matrix.pats_other_session):
        make(s)
    rue = s.users["rue"]
    plans.goal_create(plan=rue.plan, actor=rue, dimension="home", title=f"{RUE_MARKER} a flat",
                      first_steps=[f"{RUE_MARKER} call the council"])
    plans.strength_add(plan=rue.plan, actor=rue, kind="mine", text=f"{RUE_MARKER} humour")
    checkins.warning_sign_add(person=rue, stage="mental", sign=f"{RUE_MARKER} sleeping late")
    checkins.trigger_add(person=rue, trigger=f"{RUE_MARKER} Sundays")
    notify(recipient=rue, kind="early_warning", title=f"{RUE_MARKER} a note", link="/plan/")
    mi.save_transcript(rue, f"{RUE_MARKER} practice", f"Counsellor: How are you?\nPerson: {RUE_MARKER} fine.")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Everyone's signed-in client around Pat, made once per module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
            PATHWAYS_SESSION_IDLE_MINUTES=24 * 60, PATHWAYS_LOGIN_IP_FAILURE_LIMIT=10_000,
            PATHWAYS_REAUTH_MINUTES=24 * 60):  # a long module must not go stale for the changes that re-ask
        scenario = matrix.build_scenario()
        _top_up(scenario)
        clients = {role: matrix._client_for(role, scenario) for role in matrix.ROLES}
        cookies = {role: {name: morsel.value for name, morsel in client.cookies.items()}
                   for role, client in clients.items()}
        yield World(scenario, clients, cookies)
        transaction.set_rollback(True)


@pytest.fixture
def scenario(world, db) -> matrix.Scenario:
    return world.scenario


@pytest.fixture
def clients(world, db) -> dict[str, Client]:
    """Everyone's client, signed in as at the start of the module (a test may have signed one out)."""
    for role, client in world.clients.items():
        client.cookies = SimpleCookie(world.cookies[role])
    return world.clients


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


# Rows a request writes whether or not it changes anything: its session, the access log of reads by others,
# and the login protection's records.
BOOKKEEPING = {"sessions.Session", "signins.AccountSession", "circle.AccessLogEntry", "circle.AccessLogHead"}


def row_counts() -> dict[str, int]:
    """How many rows every table holds (except BOOKKEEPING): "nothing written" is "no count changed".

    One query for all tables rather than one each: the crawls ask this around every post they send."""
    from django.apps import apps

    models = [model for model in apps.get_models()
              if model._meta.label not in BOOKKEEPING and model._meta.app_label != "axes"]
    counts = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}"
        for index, model in enumerate(models))
    with connection.cursor() as cursor:
        cursor.execute(counts)
        return {models[index]._meta.label: count for index, count in cursor.fetchall()}


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


# Forms the crawls never send: they sign out, end sessions, delete, or take apart the circle the later
# requests need. Each has its own tests (and the access matrix) elsewhere.
DESTRUCTIVE = {"logout", "account_delete", "password_change", "signins:end", "signins:end_others",
               "circle:grant_revoke", "circle:category_revoke", "circle:member_remove", "circle:invitation_withdraw",
               "plans:strength_remove", "warning_signs:sign_remove", "warning_signs:trigger_remove", "mi:saved_delete",
               "conversations:block", "tools:worksheet_delete", "tools:item_delete", "tools:day_counter_off",
               "checkins:urge_delete", "plans:service_remove", "directory:remove"}


def pages_for(role: str, s: matrix.Scenario) -> list[str]:
    """Every page (GET) the matrix says this role gets a real answer from, with Pat's ids where it takes ids."""
    urls = []
    for name, case in matrix.MATRIX.items():
        if role in case.who and matrix.GET in case.tries and not case.ends_on_login_page:
            urls.append(reverse(name, kwargs=case.kwargs(s)))
    return urls


def forms_for(role: str, s: matrix.Scenario, client: Client) -> list:
    """Every form on those pages, once each, except the destructive ones."""
    from .forms import post_forms

    found = {}
    for url in pages_for(role, s):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in post_forms(url, body(response)):
            key = (form.action, tuple(sorted(f.name for f in form.fields)))
            if form.url_name not in DESTRUCTIVE and key not in found:
                found[key] = form
    return list(found.values())
