"""Whether an account is a person in recovery is its role, asked one way, on pages as in code."""
from django.urls import reverse

from pathways.people.models import Membership, Role
from pathways.people.selectors import is_person_in_recovery, people_in_recovery
from pathways.plans.models import Plan


def test_the_role_not_a_plan_row_makes_a_person_in_recovery(pat, sam):
    Plan.objects.create(person=sam)  # a stray plan row does not make a staff account someone's record
    assert is_person_in_recovery(pat) and not is_person_in_recovery(sam)
    assert list(people_in_recovery()) == [pat]
    Membership.objects.create(organisation=pat.home_organisation, user=sam, role=Role.PERSON)
    assert is_person_in_recovery(sam)


def test_the_persons_menu_and_safety_button_follow_the_role(client, pat, sam):
    Plan.objects.create(person=sam)
    client.force_login(sam)
    page = client.get(reverse("notifications:list")).content.decode()
    assert reverse("plans:plan") not in page and "My safety plan" not in page
    client.force_login(pat)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'href="{reverse("plans:plan")}"' in page and "My safety plan" in page
