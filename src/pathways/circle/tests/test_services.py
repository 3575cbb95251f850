"""Circle rules: invitations, membership, consents, revocation, emergency access."""
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from conftest import PASSWORD
from pathways.circle import policy, services
from pathways.circle.models import CircleInvitation, CircleMember, EmergencyAccess, Grant, SupporterRole
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people.models import Membership, Role


class TestInvitations:
    def test_a_link_joins_the_circle_once(self, pat, sam, rue):
        _, token = services.invitation_create(person=pat, role=SupporterRole.ALLY, name="Sam", relationship="friend")
        member = services.invitation_accept(token=token, supporter=sam)
        assert (member.person, member.supporter, member.role, member.relationship) == (pat, sam, "ally", "friend")
        with pytest.raises(services.InvitationUnavailable):
            services.invitation_accept(token=token, supporter=rue)
        assert CircleMember.objects.count() == 1

    def test_an_expired_link_does_not_work(self, pat, sam):
        invitation, token = services.invitation_create(person=pat, role=SupporterRole.ALLY, name="Sam")
        CircleInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        with pytest.raises(services.InvitationUnavailable):
            services.invitation_accept(token=token, supporter=sam)
        assert not CircleMember.objects.exists()

    def test_a_withdrawn_link_does_not_work(self, pat, sam):
        invitation, token = services.invitation_create(person=pat, role=SupporterRole.ALLY, name="Sam")
        services.invitation_withdraw(invitation=invitation)
        with pytest.raises(services.InvitationUnavailable):
            services.invitation_accept(token=token, supporter=sam)

    def test_a_person_cannot_join_their_own_circle(self, pat):
        _, token = services.invitation_create(person=pat, role=SupporterRole.ALLY, name="Me")
        with pytest.raises(ValidationError):
            services.invitation_accept(token=token, supporter=pat)

    def test_the_link_is_emailed_when_an_address_is_given(self, pat):
        _, token = services.invitation_create(person=pat, role=SupporterRole.PROFESSIONAL, name="Dr Lin",
                                              email="Lin@Example.org")
        assert mail.outbox == []  # queued in the outbox: the worker sends it
        send_queued_mail()
        assert mail.outbox[0].to == ["lin@example.org"] and token in mail.outbox[0].body
        assert "Lin" not in mail.outbox[0].body.replace(token, "")  # no names: the page behind the link says who

    def test_no_email_without_an_address(self, pat):
        services.invitation_create(person=pat, role=SupporterRole.ALLY, name="Sam")
        assert send_queued_mail() == 0

    def test_accepting_with_a_new_account_creates_it_and_joins(self, pat):
        _, token = services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Kit")
        kit = services.invitation_accept_new_account(token=token, email="kit@example.org", password=PASSWORD,
                                                     name="Kit Jones")
        assert CircleMember.objects.get(person=pat).supporter == kit

    def test_a_failed_new_account_leaves_the_link_usable(self, pat, sam):
        _, token = services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
        with pytest.raises(ValidationError):  # the address is already taken
            services.invitation_accept_new_account(token=token, email=sam.email, password=PASSWORD, name="Sam")
        assert services.invitation_find_open(token=token)


class TestStaff:
    def test_staff_of_the_persons_organisation_can_be_added_from_the_list(self, pat, lee, organisation):
        pat.home_organisation = organisation
        pat.save()
        member = services.staff_add(person=pat, staff=lee)
        assert member.role == SupporterRole.PROFESSIONAL

    def test_staff_of_another_organisation_cannot(self, pat, lee):
        with pytest.raises(ValidationError):
            services.staff_add(person=pat, staff=lee)


class TestGrants:
    def test_a_grant_records_what_a_valid_consent_needs(self, pat, sam, sams_membership):
        grant = services.grant_create(member=sams_membership, items={"plan": "suggest", "checkins": "view"},
                                      purpose="Weekly peer support", signature="Pat Example",
                                      expires_at=timezone.now() + timedelta(days=30), expiry_event="when I move")
        assert (grant.person, grant.recipient, grant.recipient_name) == (pat, sam, "Sam Rivera")
        assert (grant.purpose, grant.signature, grant.expiry_event) == ("Weekly peer support", "Pat Example", "when I move")
        assert grant.signed_at is not None and grant.expires_at is not None
        assert dict(grant.items.values_list("category", "access")) == {"plan": "suggest", "checkins": "view"}

    @pytest.mark.parametrize("items,purpose,signature,field", [
        ({}, "Support", "Pat", "items"),
        ({"diary": "view"}, "Support", "Pat", "items"),
        ({"checkins": "write"}, "Support", "Pat", "items"),
        ({"plan": "view"}, "Support", "   ", "signature"),
        ({"plan": "view"}, "", "Pat", "purpose"),
    ])
    def test_an_invalid_consent_is_refused_and_nothing_is_saved(self, sams_membership, items, purpose, signature,
                                                                 field):
        with pytest.raises(ValidationError) as error:
            services.grant_create(member=sams_membership, items=items, purpose=purpose, signature=signature)
        assert field in error.value.message_dict
        assert not Grant.objects.exists()

    def test_an_end_date_in_the_past_is_refused(self, sams_membership):
        with pytest.raises(ValidationError):
            services.grant_create(member=sams_membership, items={"plan": "view"}, purpose="x", signature="Pat",
                                  expires_at=timezone.now() - timedelta(days=1))

    def test_revoking_ends_access_at_once(self, pat, sam, plan_grant):
        assert policy.can(sam, pat, "plan", "view")
        services.grant_revoke(grant=plan_grant)
        assert not policy.can(sam, pat, "plan", "view")

    def test_expiry_ends_access(self, pat, sam, plan_grant):
        Grant.objects.filter(pk=plan_grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert not policy.can(sam, pat, "plan", "view")

    def test_removing_a_supporter_ends_every_grant(self, pat, sam, sams_membership, plan_grant):
        second = services.grant_create(member=sams_membership, items={"safety_plan": "view"}, purpose="x",
                                       signature="Pat")
        services.member_remove(member=sams_membership)
        assert Grant.objects.filter(pk__in=[plan_grant.pk, second.pk], revoked_at__isnull=False).count() == 2
        assert not policy.can(sam, pat, "plan", "view") and not policy.can(sam, pat, "safety_plan", "view")

    def test_a_removed_supporter_cannot_be_granted_again_without_rejoining(self, sams_membership):
        services.member_remove(member=sams_membership)
        with pytest.raises(ValidationError):
            services.grant_create(member=sams_membership, items={"plan": "view"}, purpose="x", signature="Pat")


class TestEmergencyAccess:
    @pytest.fixture
    def pat_in_programme(self, pat, organisation):
        pat.home_organisation = organisation
        pat.save()
        Membership.objects.create(user=pat, organisation=organisation, role=Role.PERSON)
        return pat

    def test_a_professional_of_the_organisation_may_open_the_record_for_an_hour(self, pat_in_programme, lee):
        pat = pat_in_programme
        assert not policy.can(lee, pat, "plan", "view")
        access = services.emergency_access_start(professional=lee, person=pat, reason="Missed three appointments")
        assert access.ends_at - access.started_at == timedelta(minutes=60)
        assert policy.can(lee, pat, "plan", "view")
        assert not policy.can(lee, pat, "plan", "suggest")  # emergency access is read-only
        EmergencyAccess.objects.filter(pk=access.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
        assert not policy.can(lee, pat, "plan", "view")

    def test_a_reason_is_required(self, pat_in_programme, lee):
        with pytest.raises(ValidationError):
            services.emergency_access_start(professional=lee, person=pat_in_programme, reason=" ")
        assert not EmergencyAccess.objects.exists()

    @pytest.mark.parametrize("who", ["ada", "rue"])
    def test_nobody_but_a_professional_of_the_organisation_may(self, pat_in_programme, request, who):
        with pytest.raises(PermissionError):
            services.emergency_access_start(professional=request.getfixturevalue(who), person=pat_in_programme,
                                            reason="Worried")

    def test_a_professional_of_another_organisation_may_not(self, pat, lee):
        with pytest.raises(PermissionError):
            services.emergency_access_start(professional=lee, person=pat, reason="Worried")

    def test_the_person_is_told_by_email_and_at_next_sign_in(self, client, pat_in_programme, lee):
        services.emergency_access_start(professional=lee, person=pat_in_programme, reason="Worried about you")
        call_command("run_worker", "--once", stdout=io.StringIO())  # the email goes out through the worker
        assert mail.outbox[0].to == [pat_in_programme.email]
        assert "Worried about you" not in mail.outbox[0].body  # the email says only that there is something new
        response = client.post("/account/login/", {"username": pat_in_programme.email, "password": PASSWORD},
                               follow=True)
        assert "Worried about you" in response.content.decode()
        assert EmergencyAccess.objects.get().person_told_at is not None
        client.post("/account/logout/")
        again = client.post("/account/login/", {"username": pat_in_programme.email, "password": PASSWORD}, follow=True)
        assert "Worried about you" not in again.content.decode()
