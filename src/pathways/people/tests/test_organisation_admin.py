"""The organisation admin's own pages in people: the lists of people and staff with their search, withdrawing an
invitation, and the programme's name and statistics setting. Changes to an account that reach further
(deactivating, naming a professional, resetting two steps) are tested in circle/tests/test_account_admin.py."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from pathways.outbox.models import OutgoingEmail
from pathways.people import selectors, services
from pathways.people.models import Membership, Organisation, OrganisationInvitation, Role, User


@pytest.fixture
def joined(organisation, ada):
    """Two people of the programme and a peer supporter, with names that only decryption can match."""
    def member(email, name, preferred, role):
        user = User.objects.create_user(email=email, password=PASSWORD, name=name, preferred_name=preferred,
                                        home_organisation=organisation)
        Membership.objects.create(organisation=organisation, user=user, role=role)
        return user
    return {"mo": member("mo@example.org", "Morwenna Quill", "Mo", Role.PERSON),
            "jude": member("jude@example.org", "Jude Ashby", "Jude", Role.PERSON),
            "tam": member("tam@example.org", "Tamsin Reed", "Tam", Role.PEER_SUPPORTER)}


def people_list(organisation, q=None):
    url = reverse("people:people_list", args=[organisation.pk])
    return url + (f"?q={q}" if q is not None else "")


# --- the lists and their search ------------------------------------------------------------------------------

def test_the_people_list_shows_people_only_and_the_staff_list_staff_only(organisation, ada, lee, joined):
    people = selectors.organisation_accounts(organisation=organisation, staff=False)
    staff = selectors.organisation_accounts(organisation=organisation, staff=True)
    assert [a.user.preferred_name for a in people] == ["Jude", "Mo"]
    assert [a.user.preferred_name for a in staff] == ["Ada", "Lee", "Tam"]
    assert staff[0].roles == ("organisation admin",) and staff[0].deactivated_at is None


def test_search_matches_encrypted_names_and_addresses_whatever_the_case(organisation, joined):
    def found(search):
        return [a.user.email for a in selectors.organisation_accounts(organisation=organisation, staff=False,
                                                                       search=search)]
    assert found("QUILL") == ["mo@example.org"]  # the full name, stored encrypted
    assert found("jude@") == ["jude@example.org"]
    assert found("ashby jude") == ["jude@example.org"]  # every word, in any order
    assert found("quill ashby") == []
    assert found("tam") == []  # staff are not in the people list


def test_the_search_costs_one_query_however_many_people(organisation, joined, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.organisation_accounts(organisation=organisation, staff=False, search="mo")


def test_the_admin_searches_the_people_list_and_the_search_is_kept(client, organisation, ada, joined):
    client.force_login(ada)
    body = client.get(people_list(organisation, "quill")).content.decode()
    assert "mo@example.org" in body and "jude@example.org" not in body
    assert 'value="quill"' in body and "1 matching “quill”" in body
    assert "Nobody's name or email address holds “zz”" in client.get(people_list(organisation, "zz")).content.decode()


def test_a_named_professional_shows_in_the_people_list(client, organisation, ada, lee, joined):
    Membership.objects.filter(user=joined["mo"], role=Role.PERSON).update(professional=lee)
    client.force_login(ada)
    row = client.get(people_list(organisation)).content.decode().split("mo@example.org")[1].split("</li>\n")[0]
    assert "Lee" in row and "Active" in row


@pytest.mark.parametrize("url_name", ["people:people_list", "people:staff_list"])
def test_only_the_organisations_admin_sees_its_lists(client, organisation, lee, pat, joined, url_name):
    elsewhere = services.organisation_create(name="Riverside Recovery")
    other_admin = User.objects.create_user(email="bo@example.org", password=PASSWORD, home_organisation=elsewhere)
    Membership.objects.create(organisation=elsewhere, user=other_admin, role=Role.ADMIN)
    for outsider in (lee, pat, other_admin, joined["tam"]):
        client.force_login(outsider)
        assert client.get(reverse(url_name, args=[organisation.pk])).status_code == 404


# --- invitations -----------------------------------------------------------------------------------------

@pytest.fixture
def invitation(organisation, ada):
    invitation, token = services.invitation_create(organisation=organisation, invited_by=ada,
                                                   email="new@example.org", role=Role.PERSON)
    return invitation, token


def test_a_withdrawn_invitation_no_longer_opens(invitation):
    invitation, token = invitation
    services.invitation_withdraw(invitation=invitation)
    with pytest.raises(services.InvitationUnavailable):
        services.invitation_find_open(token=token)
    with pytest.raises(services.InvitationUnavailable):
        services.invitation_accept_new_account(token=token, password=PASSWORD)
    assert not User.objects.filter(email="new@example.org").exists()


def test_the_admin_withdraws_an_invitation_from_the_organisation_page(client, organisation, ada, invitation):
    invitation, token = invitation
    client.force_login(ada)
    page = reverse("people:organisation", args=[organisation.pk])
    assert "Withdraw" in client.get(page).content.decode()
    url = reverse("people:invitation_withdraw", args=[organisation.pk, invitation.pk])
    response = client.post(url, follow=True)
    assert "Withdrew the invitation to new@example.org" in response.content.decode()
    assert "new@example.org as" not in response.content.decode()  # no longer listed as waiting
    assert client.get(reverse("people:join", args=[token])).status_code == 404
    assert client.post(url).status_code == 404  # once only


def test_another_organisations_admin_cannot_withdraw_it(client, organisation, invitation):
    invitation, token = invitation
    elsewhere = services.organisation_create(name="Riverside Recovery")
    other_admin = User.objects.create_user(email="bo@example.org", password=PASSWORD, home_organisation=elsewhere)
    Membership.objects.create(organisation=elsewhere, user=other_admin, role=Role.ADMIN)
    client.force_login(other_admin)
    for organisation_id in (organisation.pk, elsewhere.pk):
        response = client.post(reverse("people:invitation_withdraw", args=[organisation_id, invitation.pk]))
        assert response.status_code == 404
    assert OrganisationInvitation.objects.get(pk=invitation.pk).withdrawn_at is None
    services.invitation_find_open(token=token)  # still works


# --- the programme's name and statistics -----------------------------------------------------------------

def test_the_admin_renames_the_programme_and_says_how_people_are_counted(client, organisation, ada):
    client.force_login(ada)
    url = reverse("people:organisation_about", args=[organisation.pk])
    response = client.post(url, {"name": " Harbour Lights ", "statistics_by_default": "on",
                                 "statistics_notice": "We count you unless you say no."})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.statistics_by_default, organisation.statistics_notice) == (
        "Harbour Lights", True, "We count you unless you say no.")
    client.post(url, {"name": "Harbour Lights", "statistics_notice": ""})  # an unticked box is not sent
    assert not Organisation.objects.get(pk=organisation.pk).statistics_by_default


def test_a_programme_needs_a_name_and_keeps_what_was_typed(client, organisation, ada):
    client.force_login(ada)
    response = client.post(reverse("people:organisation_about", args=[organisation.pk]),
                           {"name": "  ", "statistics_notice": "Counted only if you say yes."})
    body = response.content.decode()
    assert response.status_code == 400 and "Give your programme a name" in body
    assert "Counted only if you say yes." in body
    assert Organisation.objects.get(pk=organisation.pk).name == "Harbour Lights Programme"


def test_the_notice_explains_what_it_is_for(client, organisation, ada):
    client.force_login(ada)
    body = client.get(reverse("people:organisation", args=[organisation.pk])).content.decode()
    assert "whether they are counted in programme statistics unless they say otherwise" in body


def test_only_the_organisations_admin_renames_it(client, organisation, lee):
    client.force_login(lee)
    response = client.post(reverse("people:organisation_about", args=[organisation.pk]), {"name": "Taken over"})
    assert response.status_code == 404
    assert Organisation.objects.get(pk=organisation.pk).name == "Harbour Lights Programme"


# --- the people side of changing an account ------------------------------------------------------------------

def test_an_account_in_another_programme_too_is_not_deactivated_here(organisation, ada, joined):
    elsewhere = services.organisation_create(name="Riverside Recovery")
    Membership.objects.create(organisation=elsewhere, user=joined["tam"], role=Role.PEER_SUPPORTER)
    with pytest.raises(ValidationError, match="another organisation's programme"):
        services.memberships_deactivate(organisation=organisation, account=joined["tam"], by=ada)
    assert User.objects.get(pk=joined["tam"].pk).is_active
    # Nor is their two-step sign-in reset: it guards their work in the other programme too.
    with pytest.raises(ValidationError, match="another organisation's programme"):
        services.two_step_reset_notice(organisation=organisation, account=joined["tam"], by=ada)
    assert not OutgoingEmail.objects.exists()


def test_a_personal_organisation_does_not_count_as_another_programme(organisation, ada, pat):
    _, token = services.invitation_create(organisation=organisation, invited_by=ada, email=pat.email,
                                          role=Role.PERSON)
    services.invitation_accept_existing_account(token=token, user=pat)  # she keeps her personal one too
    services.memberships_deactivate(organisation=organisation, account=pat, by=ada)
    assert not User.objects.get(pk=pat.pk).is_active


def test_an_admin_cannot_deactivate_themselves_nor_the_last_active_admin(organisation, ada, lee):
    with pytest.raises(ValidationError, match="your own account"):
        services.memberships_deactivate(organisation=organisation, account=ada, by=ada)
    Membership.objects.create(organisation=organisation, user=lee, role=Role.ADMIN)
    services.memberships_deactivate(organisation=organisation, account=lee, by=ada)  # one admin remains: Ada
    other = User.objects.create_user(email="ola@example.org", password=PASSWORD, home_organisation=organisation)
    Membership.objects.create(organisation=organisation, user=other, role=Role.ADMIN)
    User.objects.filter(pk=ada.pk).update(is_active=False)  # say Ada's account was switched off on the server
    with pytest.raises(ValidationError, match="last active admin"):
        services.memberships_deactivate(organisation=organisation, account=other, by=ada)


def test_reactivating_an_active_account_is_refused(organisation, ada, lee):
    with pytest.raises(ValidationError, match="not deactivated"):
        services.memberships_reactivate(organisation=organisation, account=lee)


def test_only_the_organisations_active_professionals_can_be_named(organisation, ada, lee, joined, sam):
    mo = joined["mo"]
    for not_one in (sam.pk, joined["tam"].pk, ada.pk, mo.pk):
        with pytest.raises(ValidationError, match="Choose one of your organisation's professionals"):
            services.professional_name(organisation=organisation, person=mo, professional_id=not_one)
    assert services.professional_name(organisation=organisation, person=mo, professional_id=lee.pk) == lee
    with pytest.raises(ValidationError, match="already"):
        services.professional_name(organisation=organisation, person=mo, professional_id=lee.pk)
    assert selectors.named_professional(person=mo) == lee


def test_the_export_names_a_membership_s_professional_and_deactivation(organisation, ada, lee, joined):
    from pathways.people.personal_data import export_account

    mo = joined["mo"]
    services.professional_name(organisation=organisation, person=mo, professional_id=lee.pk)
    services.memberships_deactivate(organisation=organisation, account=mo, by=ada)
    membership = export_account(User.objects.get(pk=mo.pk))["memberships"][0]
    assert membership["professional"] == "lee@example.org" and membership["deactivated_at"] is not None
    assert membership["counted_in_programme_statistics"] is None
