"""A fresh server's first organisation and admin, made from the command line."""
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from conftest import PASSWORD
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people.models import Membership, Organisation, OrganisationInvitation, Role, User


def test_the_first_admin_is_invited_by_email_and_joins_with_a_password_of_their_own(client, db, settings):
    settings.PATHWAYS_SITE_URL = "https://pathways.example.org"
    out = StringIO()
    call_command("create_organisation", "Riverside Recovery", "--admin", "Ada@Example.org", stdout=out)

    organisation = Organisation.objects.get(name="Riverside Recovery")
    said = out.getvalue()
    assert "Riverside Recovery is set up" in said and "ada@example.org" in said
    send_queued_mail()
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    path = re.search(r"https://pathways\.example\.org(/join/\S+/)", mail.outbox[0].body).group(1)
    assert path in said  # the same link, for when email is not working yet

    response = client.post(path, {"password": PASSWORD, "preferred_name": "Ada"})
    assert response.status_code == 302
    ada = User.objects.get(email="ada@example.org")
    assert Membership.objects.filter(user=ada, organisation=organisation, role=Role.ADMIN).exists()
    client.logout()
    assert client.post(path, {"password": PASSWORD}).status_code == 404  # the link works once


def test_a_bad_address_is_explained_and_leaves_no_organisation_behind(db):
    with pytest.raises(CommandError, match="email"):
        call_command("create_organisation", "Riverside Recovery", "--admin", "not an address", stdout=StringIO())
    assert not Organisation.objects.filter(name="Riverside Recovery").exists()
    assert not OrganisationInvitation.objects.exists()
