"""Organisations invite people and staff with single-use, expiring links."""
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people import services
from pathways.people.models import Membership, OrganisationInvitation, Role, User
from pathways.plans.models import Plan


def join_path(token: str) -> str:
    return reverse("people:join", args=[token])


def test_an_admin_invites_a_peer_supporter_who_joins_with_a_new_account(client, ada, organisation):
    client.force_login(ada)
    response = client.post(reverse("people:invite", args=[organisation.pk]),
                           {"email": "sam@example.org", "role": Role.PEER_SUPPORTER}, follow=True)
    assert "Invitation sent" in response.content.decode()
    assert mail.outbox == []  # queued: the worker sends it
    send_queued_mail()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam@example.org"]
    path = re.search(r"https?://[^/]+(/join/\S+/)", mail.outbox[0].body).group(1)
    client.logout()

    response = client.post(path, {"password": PASSWORD, "preferred_name": "Sam", "pronouns": "they/them"})
    assert response.status_code == 302
    sam = User.objects.get(email="sam@example.org")
    assert Membership.objects.filter(user=sam, organisation=organisation, role=Role.PEER_SUPPORTER).exists()
    assert not Plan.objects.filter(person=sam).exists()  # staff have no plan of their own


def test_a_person_invited_by_an_organisation_gets_a_plan_there(organisation, ada):
    _, token = services.invitation_create(organisation=organisation, invited_by=ada, email="kai@example.org",
                                          role=Role.PERSON)
    kai = services.invitation_accept_new_account(token=token, password=PASSWORD, preferred_name="Kai")
    assert kai.home_organisation == organisation
    assert Membership.objects.filter(user=kai, organisation=organisation, role=Role.PERSON).exists()
    assert kai.plan.person == kai


def test_a_self_directed_person_can_join_a_programme_with_their_existing_account(client, pat, ada, organisation):
    _, token = services.invitation_create(organisation=organisation, invited_by=ada, email=pat.email, role=Role.PERSON)
    client.force_login(pat)
    assert "Accept the invitation" in client.get(join_path(token)).content.decode()
    client.post(join_path(token))
    pat.refresh_from_db()
    assert pat.home_organisation == organisation
    assert Membership.objects.filter(user=pat, organisation=organisation, role=Role.PERSON).exists()


def test_a_used_link_cannot_be_used_again(client, ada, organisation):
    _, token = services.invitation_create(organisation=organisation, invited_by=ada, email="sam@example.org",
                                          role=Role.PEER_SUPPORTER)
    services.invitation_accept_new_account(token=token, password=PASSWORD)
    response = client.post(join_path(token), {"password": PASSWORD})
    assert response.status_code == 404
    assert "already been used, has expired" in response.content.decode()
    assert User.objects.filter(email="sam@example.org").count() == 1


def test_an_expired_link_cannot_be_used(client, ada, organisation):
    invitation, token = services.invitation_create(organisation=organisation, invited_by=ada,
                                                   email="sam@example.org", role=Role.PROFESSIONAL)
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(join_path(token), {"password": PASSWORD})
    assert response.status_code == 404
    assert not User.objects.filter(email="sam@example.org").exists()


def test_a_made_up_link_cannot_be_used(client, db):
    assert client.get(join_path("not-a-real-token")).status_code == 404


def test_only_a_digest_of_the_token_is_stored(ada, organisation):
    invitation, token = services.invitation_create(organisation=organisation, invited_by=ada,
                                                   email="sam@example.org", role=Role.PROFESSIONAL)
    assert token not in invitation.token_digest


@pytest.mark.parametrize("who", ["lee", "pat"])
def test_only_admins_reach_the_organisation_page(client, organisation, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("people:organisation", args=[organisation.pk])).status_code == 404
    response = client.post(reverse("people:invite", args=[organisation.pk]), {"email": "x@example.org", "role": "admin"})
    assert response.status_code == 404
    assert not OrganisationInvitation.objects.exists()


def test_an_invitation_with_a_bad_address_is_explained(client, ada, organisation):
    client.force_login(ada)
    response = client.post(reverse("people:invite", args=[organisation.pk]), {"email": "not an email", "role": "admin"})
    assert response.status_code == 400 and "Enter a valid email address" in response.content.decode()
    assert not OrganisationInvitation.objects.exists()


def test_the_admin_sees_the_roster_but_no_records(client, ada, lee, pat, organisation):
    client.force_login(ada)
    body = client.get(reverse("people:organisation", args=[organisation.pk])).content.decode()
    assert "lee@example.org" in body and "Professionals" in body
    assert "pat@example.org" not in body  # Pat is not in this programme
