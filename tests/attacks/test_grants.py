"""Grants that ended give nothing: a supporter whose grant expired or was revoked is refused every page the
grant opened, each refusal is written to the access log as the policy writes every read, and alerts stop; a
grant of one category opens the pages of that category only."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pathways.circle import services as circle
from pathways.circle.models import AccessLogEntry, Category, Grant, SupporterRole
from pathways.circle.tests import test_access_matrix as matrix
from pathways.notifications.models import Notification
from pathways.people.models import User
from pathways.safety import services as safety

from .conftest import MARKER, NAME_MARKER, body

# Pat's pages by id, and the categories whose grant opens each (from the selectors' policy calls).
SHARED_PAGES = {
    "plans:shared_plan": {Category.PLAN},
    "plans:goal": {Category.PLAN},
    "reports:shared_progress": {Category.PLAN, Category.CHECKINS, Category.MEASURES, Category.USE_LOG},
    "reports:shared_numbers": {Category.CHECKINS, Category.MEASURES},
    "safety:shared_plan": {Category.SAFETY_PLAN},
    "questionnaires:shared": {Category.MEASURES},
    "questionnaires:response": {Category.MEASURES},
    "checkins:shared_daily": {Category.CHECKINS},
    "warning_signs:shared_plan": {Category.EARLY_WARNING},
    "notes:of_person": {Category.NOTES},
    # The person's page lists every part shared (crisis alerts and notes too), so any grant opens it; but
    # "notes about counselling" is a part only where Pat's organisation keeps them apart, which the scenario's
    # does not (conversations/tests/test_counselling_notes.py covers it there).
    "reports:person": set(Category) - {Category.COUNSELLING_NOTES},
}


def _supporter_with(s, items: dict) -> tuple[User, Client, Grant]:
    supporter = User.objects.create_user(email=f"jo.{len(items)}.{timezone.now().timestamp()}@attack.example",
                                         preferred_name="Jo")
    _, token = circle.invitation_create(person=s.pat, role=SupporterRole.ALLY, name="Jo")
    member = circle.invitation_accept(token=token, supporter=supporter)
    grant = circle.grant_create(member=member, items=items, purpose="To support me", signature="Pat Example",
                                expires_at=timezone.now() + timedelta(days=30))
    client = Client()
    client.force_login(supporter)
    return supporter, client, grant


def _answers(s, client: Client) -> dict[str, int]:
    return {name: client.get(reverse(name, kwargs=matrix.MATRIX[name].kwargs(s))).status_code
            for name in SHARED_PAGES}


def _refusals(supporter: User) -> int:
    return AccessLogEntry.objects.filter(viewer_ref=str(supporter.public_id), allowed=False).count()


def _end_by_expiry(grant: Grant, pat_client: Client) -> None:
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def _end_by_revoking(grant: Grant, pat_client: Client) -> None:
    response = pat_client.post(reverse("circle:grant_revoke", kwargs={"grant_id": grant.public_id}))
    assert response.status_code == 302


@pytest.mark.parametrize("end", [_end_by_expiry, _end_by_revoking], ids=["expired", "revoked"])
def test_an_ended_grant_opens_nothing_and_every_refusal_is_logged(end, scenario, clients):
    supporter, client, grant = _supporter_with(scenario, matrix.EVERYTHING)
    assert set(_answers(scenario, client).values()) == {200}  # the control: the live grant opens every page
    notified = Notification.objects.filter(recipient=supporter).count()

    last_entry = AccessLogEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    end(grant, clients["pat"])
    for name in SHARED_PAGES:
        url = reverse(name, kwargs=matrix.MATRIX[name].kwargs(scenario))
        logged = _refusals(supporter)
        response = client.get(url)
        assert response.status_code == 404, f"{name}: {response.status_code}"
        assert MARKER not in body(response)
        assert _refusals(supporter) > logged, f"{name}: the refusal was not written to the access log"
    assert not AccessLogEntry.objects.filter(viewer_ref=str(supporter.public_id), allowed=True,
                                             sequence__gt=last_entry).exists()
    safety.crisis_alert_raise(person=scenario.pat)  # the grant covered crisis alerts: they stop too
    assert Notification.objects.filter(recipient=supporter).count() == notified
    caseload = client.get(reverse("reports:caseload"))
    assert caseload.status_code == 200 and NAME_MARKER not in body(caseload)


@pytest.mark.parametrize("category", list(Category), ids=[c.value for c in Category])
def test_a_grant_for_one_category_opens_only_that_categorys_pages(category, scenario, clients):
    strongest = max(matrix.ALLOWED_ACCESS[category], key=matrix.ACCESS_RANK.__getitem__)
    _, client, _ = _supporter_with(scenario, {category: strongest})
    answers = _answers(scenario, client)
    expected = {name: 200 if category in opened_by else 404 for name, opened_by in SHARED_PAGES.items()}
    assert answers == expected
