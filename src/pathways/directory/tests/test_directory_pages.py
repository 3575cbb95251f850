"""Searching the directory, and who may see and manage it: only its organisation's members and admins."""
import pytest
from django.urls import reverse

from pathways.directory import selectors, services
from pathways.directory.models import Service
from pathways.people.models import Membership, Role
from pathways.people.services import organisation_create
from pathways.plans.models import Dimension

CSV = """name,category,dimensions,description,languages,cost,online,phone,website,area,tradition
Harbour Housing Help,housing,home,Rooms and tenancy advice,"English, Spanish",free,no,0100 000 001,https://housing.example.org,Harbour district,
Tuesday SMART group,mutual_aid,community; health,A weekly meeting,English,free,yes,,,,SMART Recovery
Quayside Counselling,counselling,health,Talking therapy,"English, Polish",low_cost,no,0100 000 002,,North quay,
Jobs Desk,work_and_training,purpose,CV help,English,paid,yes,,,,
"""


@pytest.fixture
def directory(organisation):
    services.services_import(organisation=organisation, data=CSV.encode())
    return organisation


@pytest.fixture
def member(pat, directory):
    """Pat, a person in the programme whose directory this is."""
    Membership.objects.create(organisation=directory, user=pat, role=Role.PERSON)
    return pat


def names(viewer, **search) -> list[str]:
    return [service.name for service in selectors.service_search(viewer=viewer, search=selectors.Search(**search))]


def test_the_directorys_dimensions_are_the_plans(db):
    from pathways.directory.models import DIMENSIONS

    assert list(DIMENSIONS) == Dimension.values


def test_each_filter_narrows_the_search(member):
    assert names(member) == ["Harbour Housing Help", "Jobs Desk", "Quayside Counselling", "Tuesday SMART group"]
    assert names(member, dimension="health") == ["Quayside Counselling", "Tuesday SMART group"]
    assert names(member, category="housing") == ["Harbour Housing Help"]
    assert names(member, cost="low_cost") == ["Quayside Counselling"]
    assert names(member, online="online") == ["Jobs Desk", "Tuesday SMART group"]
    assert names(member, online="in_person") == ["Harbour Housing Help", "Quayside Counselling"]
    assert names(member, language="Polish") == ["Quayside Counselling"]
    assert names(member, text="smart") == ["Tuesday SMART group"]  # the notes ("SMART Recovery") and the name
    assert names(member, text="quay") == ["Quayside Counselling"]
    assert names(member, text="harbour tenancy") == ["Harbour Housing Help"]  # every word, anywhere
    assert names(member, dimension="health", online="online") == ["Tuesday SMART group"]
    assert names(member, text="nothing like it") == []


def test_the_language_filter_offers_the_directorys_languages(member):
    assert selectors.languages_offered(viewer=member) == ["English", "Polish", "Spanish"]


def test_counts_by_dimension_take_one_query(member, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = selectors.service_counts_by_dimension(viewer=member)
    assert counts == {"health": 2, "home": 1, "purpose": 1, "community": 1}


def test_the_search_page_shows_cards_phone_first_with_a_save_button_for_a_person(client, member):
    client.force_login(member)
    page = client.get(reverse("directory:search"), {"dimension": "home"}).content.decode()
    assert "1 service matching your search" in page
    assert '<a class="phone" href="tel:0100000001">Call 0100 000 001</a>' in page
    assert page.index("Call 0100 000 001") < page.index("Rooms and tenancy advice")
    assert 'href="https://housing.example.org"' in page
    service = Service.objects.get(name="Harbour Housing Help")
    assert reverse("plans:service_save", args=[service.public_id]) in page
    assert "Quayside Counselling" not in page


def test_staff_search_the_directory_without_a_save_button(client, lee, directory):
    client.force_login(lee)
    page = client.get(reverse("directory:search")).content.decode()
    assert "Quayside Counselling" in page and "Save to my plan" not in page


def test_a_filter_an_old_link_no_longer_knows_is_left_out_and_said(client, member):
    client.force_login(member)
    response = client.get(reverse("directory:search"), {"category": "shelters", "q": "harbour"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbour Housing Help" in page and "Select a valid choice" in page


def test_another_organisations_member_sees_nothing_of_this_directory(client, directory, rue):
    elsewhere = organisation_create(name="Elsewhere Programme")
    Membership.objects.create(organisation=elsewhere, user=rue, role=Role.PERSON)
    services.services_import(organisation=elsewhere, data=b"name,category,dimensions\nElsewhere Cafe,other,home\n")
    client.force_login(rue)
    page = client.get(reverse("directory:search")).content.decode()
    assert "Elsewhere Cafe" in page and "Harbour Housing Help" not in page
    assert names(rue, text="harbour") == []
    service = Service.objects.get(name="Harbour Housing Help")
    assert client.post(reverse("plans:service_save", args=[service.public_id])).status_code == 404


def test_a_deactivated_membership_opens_the_directory_no_more(client, member):
    Membership.objects.filter(user=member, organisation__name="Harbour Lights Programme").update(
        deactivated_at="2025-01-01T00:00Z")
    assert names(member) == []


# --- the admin's page ---------------------------------------------------------------------------------------

def test_the_admin_exports_the_directory_as_csv(client, ada, directory):
    client.force_login(ada)
    response = client.get(reverse("directory:export", args=[directory.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="services-harbour-lights-programme.csv"'
    assert response.content.decode().splitlines()[0] == \
        "name,category,dimensions,description,languages,cost,online,phone,website,area,tradition"
    assert "Quayside Counselling" in response.content.decode()


def test_a_file_with_problems_loads_nothing_and_the_page_lists_them(client, ada, directory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(ada)
    bad = b"name,category,dimensions,website\nNew place,housing,home,\nOther,shelter,,not-a-url\n"
    response = client.post(reverse("directory:import", args=[directory.pk]),
                           {"file": SimpleUploadedFile("services.csv", bad, content_type="text/csv")})
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was loaded: the file has 3 problems" in page
    assert "Line 3: unknown category “shelter”" in page and "Line 3: no dimension." in page
    assert "Line 3: website: Enter a valid URL." in page
    assert not Service.objects.filter(name="New place").exists()


def test_a_good_file_loads_and_says_what_it_did(client, ada, directory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(ada)
    good = b"name,category,dimensions\nNew place,housing,home\nJobs Desk,work_and_training,purpose; community\n"
    response = client.post(reverse("directory:import", args=[directory.pk]),
                           {"file": SimpleUploadedFile("services.csv", good, content_type="text/csv")}, follow=True)
    assert "Loaded services.csv: 1 added, 1 updated." in response.content.decode()
    assert Service.objects.get(name="Jobs Desk").dimensions == ["purpose", "community"]


def test_only_the_organisations_admin_manages_its_directory(client, directory, lee, member):
    other_admin = organisation_create(name="Elsewhere Programme")
    from pathways.people.models import User

    stranger = User.objects.create_user(email="other-admin@example.org", home_organisation=other_admin)
    Membership.objects.create(organisation=other_admin, user=stranger, role=Role.ADMIN)
    service = Service.objects.get(name="Jobs Desk")
    for user in (lee, member, stranger):
        client.force_login(user)
        for name, kwargs in [("manage_organisation", {}), ("export", {})]:
            assert client.get(reverse(f"directory:{name}", kwargs={"organisation_id": directory.pk, **kwargs})
                              ).status_code == 404
        assert client.post(reverse("directory:remove", args=[directory.pk, service.public_id])).status_code == 404
    assert Service.objects.filter(pk=service.pk).exists()
    client.force_login(stranger)
    assert client.get(reverse("directory:manage")).url == reverse("directory:manage_organisation",
                                                                 args=[other_admin.pk])


def test_the_admin_removes_a_service(client, ada, directory):
    client.force_login(ada)
    service = Service.objects.get(name="Jobs Desk")
    response = client.post(reverse("directory:remove", args=[directory.pk, service.public_id]), follow=True)
    assert "Removed “Jobs Desk” from the directory" in response.content.decode()
    assert not Service.objects.filter(pk=service.pk).exists()
