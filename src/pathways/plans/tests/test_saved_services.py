"""Services saved from the directory to a plan: saving, removing, the links beside goals, who sees them, and
the person's download and deletion."""
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pathways.circle import services as circle
from pathways.circle.models import Access, Category
from pathways.directory import services as directory
from pathways.directory.models import Service
from pathways.people.models import Membership, Role
from pathways.plans import services
from pathways.plans.models import PlanChange, SavedService
from pathways.records.deletion import account_delete
from pathways.records.export import my_data_json

CSV = b"""name,category,dimensions,phone,area
Harbour Housing Help,housing,home,0100 000 001,Harbour district
Quayside Counselling,counselling,health,0100 000 002,North quay
"""


@pytest.fixture
def housing(pat, organisation):
    """Pat is a person in the Harbour Lights programme, whose directory has a housing service."""
    Membership.objects.create(organisation=organisation, user=pat, role=Role.PERSON)
    directory.services_import(organisation=organisation, data=CSV)
    return Service.objects.get(name="Harbour Housing Help")


def save(client, service, **data):
    return client.post(reverse("plans:service_save", args=[service.public_id]), data)


def test_a_person_saves_a_service_and_finds_it_on_the_plan(pat_client, pat, housing):
    response = save(pat_client, housing, next="/services/?dimension=home", note="Ask about the waiting list")
    assert response.status_code == 302 and response.url == "/services/?dimension=home"
    saved = SavedService.objects.get(plan=pat.plan)
    assert (saved.service, saved.note) == (housing, "Ask about the waiting list")
    assert PlanChange.objects.filter(plan=pat.plan, action="service_saved").count() == 1
    page = pat_client.get(reverse("plans:plan")).content.decode()
    assert "Services I saved" in page and "Harbour Housing Help" in page and "Ask about the waiting list" in page
    assert '<a class="phone" href="tel:0100000001">Call 0100 000 001</a>' in page


def test_saving_twice_keeps_one(pat_client, pat, housing):
    save(pat_client, housing)
    response = pat_client.post(reverse("plans:service_save", args=[housing.public_id]), follow=True)
    assert "“Harbour Housing Help” is already in your plan." in response.content.decode()
    assert SavedService.objects.filter(plan=pat.plan).count() == 1


def test_a_person_removes_a_saved_service(pat_client, pat, housing):
    save(pat_client, housing)
    response = pat_client.post(reverse("plans:service_remove", args=[housing.public_id]), follow=True)
    assert "Removed “Harbour Housing Help” from your plan." in response.content.decode()
    assert not SavedService.objects.filter(plan=pat.plan).exists()
    assert Service.objects.filter(pk=housing.pk).exists()
    assert pat_client.post(reverse("plans:service_remove", args=[housing.public_id])).status_code == 404


def test_nobody_else_saves_to_or_removes_from_pats_plan(client, pat, rue, lee, housing):
    services.service_save(plan=pat.plan, actor=pat, service=housing)
    for other in (rue, lee):  # rue has a plan but another organisation; lee belongs here but has no plan
        client.force_login(other)
        assert save(client, housing).status_code == 404
        assert client.post(reverse("plans:service_remove", args=[housing.public_id])).status_code == 404
    assert SavedService.objects.filter(plan=pat.plan).count() == 1
    assert not SavedService.objects.exclude(plan=pat.plan).exists()


def test_the_plan_links_a_dimension_to_its_services_only_when_there_are_some(pat_client, pat, housing):
    page = pat_client.get(reverse("plans:plan")).content.decode()
    assert f'<a href="{reverse("directory:search")}?dimension=home">housing services near you</a>' in page
    assert "?dimension=health\">health services near you" in page
    search = reverse("directory:search")
    assert f"{search}?dimension=purpose" not in page and f"{search}?dimension=community" not in page


def test_the_links_cost_one_query_however_many_goals(pat_client, pat, housing):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            pat_client.get(reverse("plans:plan"))
        return len(captured)

    services.goal_create(plan=pat.plan, actor=pat, dimension="home", title="A flat of my own")
    few = queries()
    for n in range(6):
        services.goal_create(plan=pat.plan, actor=pat, dimension="home", title=f"Home goal {n}")
        services.goal_create(plan=pat.plan, actor=pat, dimension="health", title=f"Health goal {n}")
    services.service_save(plan=pat.plan, actor=pat, service=housing)
    assert queries() == few


def test_a_supporter_with_the_plan_sees_saved_services_as_they_see_the_plan(client, pat, sam, sams_membership,
                                                                              housing):
    services.service_save(plan=pat.plan, actor=pat, service=housing, note="Ring on Monday")
    url = reverse("plans:shared_plan", args=[pat.public_id])
    client.force_login(sam)
    assert client.get(url).status_code == 404  # no grant yet
    circle.grant_create(member=sams_membership, items={Category.PLAN: Access.VIEW}, purpose="To support me",
                        signature="Pat", expires_at=timezone.now() + timedelta(days=30))
    page = client.get(url).content.decode()
    assert "Services Pat saved" in page and "Harbour Housing Help" in page and "Ring on Monday" in page
    assert "Remove from my plan" not in page
    assert "services near you" not in page  # the links lead into a directory: the person's own, not Sam's


def test_saved_services_are_in_the_download_and_go_with_the_account(pat, housing):
    services.service_save(plan=pat.plan, actor=pat, service=housing, note="Ring on Monday")
    exported = json.loads(my_data_json(user=pat))
    saved = exported["plan"]["saved_services"]
    assert [(s["service"], s["organisation"], s["note"]) for s in saved] == [
        ("Harbour Housing Help", "Harbour Lights Programme", "Ring on Monday")]
    account_delete(user=pat)
    assert not SavedService.objects.exists()
    assert Service.objects.filter(pk=housing.pk).exists()  # the organisation's directory stays


def test_a_service_removed_from_the_directory_leaves_the_plans_it_was_in(pat, housing):
    services.service_save(plan=pat.plan, actor=pat, service=housing)
    directory.service_remove(service=housing)
    assert not SavedService.objects.exists()
