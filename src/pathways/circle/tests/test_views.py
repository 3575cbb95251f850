"""Circle pages: consent through the browser's eyes, revocation in open sessions, bad input."""
import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from pathways.circle import services
from pathways.circle.models import CircleInvitation, CircleMember, Grant, SupporterRole
from pathways.plans import services as plan_services
from pathways.plans.models import Goal, Step, Suggestion


@pytest.fixture
def sam_client(sam):
    client = Client()
    client.force_login(sam)
    return client


def grant_post(**overrides):
    data = {"share_plan": "view", "purpose": "Weekly support", "until": "revoked", "signature": "Pat Example"}
    data.update(overrides)
    return data


def test_the_person_invites_and_the_supporter_joins_with_a_new_account(pat_client, pat):
    response = pat_client.post("/circle/invite/", {"name": "Sam", "role": "peer_supporter", "relationship": "my coach"})
    link = response.context["link"]
    assert "/circle/join/" in link
    joining = Client()
    response = joining.post(link.split("testserver")[1], {
        "email": "sam@example.org", "password": PASSWORD, "name": "Sam Rivera"})
    assert response.status_code == 302
    member = CircleMember.objects.get(person=pat)
    assert (member.supporter.email, member.role, member.relationship) == ("sam@example.org", "peer_supporter",
                                                                          "my coach")


@pytest.mark.parametrize("state", ["used", "expired"])
def test_used_or_expired_links_are_explained_and_change_nothing(pat, sam, rue, state):
    invitation, token = services.invitation_create(person=pat, role=SupporterRole.ALLY, name="Sam")
    if state == "used":
        services.invitation_accept(token=token, supporter=sam)
    else:
        CircleInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    client = Client()
    client.force_login(rue)
    response = client.post(f"/circle/join/{token}/")
    assert response.status_code == 404 and "cannot be used" in response.content.decode()
    assert not CircleMember.objects.filter(supporter=rue).exists()


def test_the_circle_page_says_in_plain_words_what_each_supporter_sees(pat_client, plan_grant):
    body = pat_client.get("/circle/").content.decode()
    assert "Sam" in body and "Peer supporter" in body and "See my recovery plan" in body


def test_signing_a_consent_through_the_page(pat_client, pat, sam, sams_membership):
    response = pat_client.post(f"/circle/members/{sams_membership.public_id}/share/",
                               grant_post(share_plan="suggest", share_safety_plan="view"))
    grant = Grant.objects.get()
    assert response["Location"] == f"/circle/grants/{grant.public_id}/"
    assert dict(grant.items.values_list("category", "access")) == {"plan": "suggest", "safety_plan": "view"}


@pytest.mark.parametrize("data,message", [
    (grant_post(signature=""), "This field is required"),
    (grant_post(share_plan=""), "Choose at least one thing to share"),
    ({**grant_post(share_plan=""), "share_diary": "view"}, "Choose at least one thing to share"),
    (grant_post(share_checkins="write"), "Select a valid choice"),
    (grant_post(until="date", expires_on=""), "Choose the end date"),
    (grant_post(until="date", expires_on="2001-01-01"), "Choose a date after today"),
])
def test_bad_consents_are_explained_and_nothing_is_signed(pat_client, sams_membership, data, message):
    response = pat_client.post(f"/circle/members/{sams_membership.public_id}/share/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert "Weekly support" in response.content.decode() or not data.get("purpose")
    assert not Grant.objects.exists()


def test_only_the_person_can_share_to_their_own_member(sam_client, rue, sams_membership):
    client = Client()
    client.force_login(rue)
    assert client.post(f"/circle/members/{sams_membership.public_id}/share/", grant_post()).status_code == 404
    assert sam_client.post(f"/circle/members/{sams_membership.public_id}/share/", grant_post()).status_code == 404
    assert not Grant.objects.exists()


def test_forged_grant_ids_answer_404(pat_client, sam_client, rue, plan_grant):
    assert pat_client.get(f"/circle/grants/{uuid.uuid4()}/").status_code == 404
    client = Client()
    client.force_login(rue)
    assert client.get(f"/circle/grants/{plan_grant.public_id}/").status_code == 404
    assert client.post(f"/circle/grants/{plan_grant.public_id}/revoke/").status_code == 404
    assert Grant.objects.get().revoked_at is None


def test_the_recipient_reads_the_grant_with_the_protection_notice_but_cannot_revoke(sam_client, plan_grant):
    body = sam_client.get(f"/circle/grants/{plan_grant.public_id}/").content.decode()
    assert "Protected information" in body and "To support me" in body
    download = sam_client.get(f"/circle/grants/{plan_grant.public_id}/download/")
    assert download["Content-Disposition"].startswith("attachment") and "Pat Example" in download.content.decode()
    assert sam_client.post(f"/circle/grants/{plan_grant.public_id}/revoke/").status_code == 404
    assert Grant.objects.get().revoked_at is None


def test_the_person_downloads_a_copy_holding_every_element_of_the_consent(pat_client, plan_grant):
    text = pat_client.get(f"/circle/grants/{plan_grant.public_id}/download/").content.decode()
    for part in ("Person disclosing", "Shared with: Sam Rivera", "my recovery plan: see", "Purpose: To support me",
                 "Ends: when the person revokes it", "Right to revoke", "Signed (typed name): Pat Example",
                 "Date signed"):
        assert part in text, part


def test_revocation_takes_effect_in_a_session_already_open(pat_client, sam_client, pat, plan_grant):
    plan_url = f"/plan/of/{pat.public_id}/"
    assert sam_client.get(plan_url).status_code == 200
    pat_client.post(f"/circle/grants/{plan_grant.public_id}/revoke/")
    assert sam_client.get(plan_url).status_code == 404


def test_removing_a_supporter_ends_their_access_at_once(pat_client, sam_client, pat, sams_membership, plan_grant):
    pat_client.post(f"/circle/members/{sams_membership.public_id}/remove/")
    assert sam_client.get(f"/plan/of/{pat.public_id}/").status_code == 404
    assert pat_client.get("/circle/").context["members"] == []


def test_the_shared_plan_carries_the_protection_notice(sam_client, pat, plan_grant):
    plan_services.recovery_meaning_update(plan=pat.plan, actor=pat, text="Calm mornings")
    body = sam_client.get(f"/plan/of/{pat.public_id}/").content.decode()
    assert "Calm mornings" in body and "may not be passed on" in body
    assert "Suggest this goal" not in body  # a view grant allows no suggestions


class TestSuggestions:
    @pytest.fixture
    def suggest_grant(self, sams_membership):
        return services.grant_create(member=sams_membership, items={"plan": "suggest"}, purpose="Support",
                                     signature="Pat")

    def test_a_suggestion_waits_until_the_person_accepts_it_in_their_words(self, sam_client, pat_client, pat,
                                                                           suggest_grant):
        goal = plan_services.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Sleep")
        sam_client.post(f"/plan/of/{pat.public_id}/suggest/step/", {"step-goal": goal.pk, "step-text": "Herbal tea"})
        suggestion = Suggestion.objects.get()
        assert goal.steps.count() == 0
        assert "Herbal tea" in pat_client.get("/plan/").content.decode()
        pat_client.post(f"/plan/suggestions/{suggestion.pk}/", {"answer": "accept", "text": "Chamomile tea at 9"})
        assert [s.text for s in goal.steps.all()] == ["Chamomile tea at 9"]
        assert pat.plan.changes.filter(action="suggestion_accepted").exists()

    def test_a_declined_suggestion_changes_nothing(self, sam_client, pat_client, pat, suggest_grant):
        sam_client.post(f"/plan/of/{pat.public_id}/suggest/goal/",
                        {"goal-dimension": "community", "goal-text": "Join a choir"})
        suggestion = Suggestion.objects.get()
        pat_client.post(f"/plan/suggestions/{suggestion.pk}/", {"answer": "decline"})
        assert not Goal.objects.exists()
        suggestion.refresh_from_db()
        assert suggestion.status == "declined"

    def test_the_supporter_cannot_answer_their_own_suggestion(self, sam_client, pat, suggest_grant):
        sam_client.post(f"/plan/of/{pat.public_id}/suggest/goal/", {"goal-dimension": "home", "goal-text": "Paint"})
        suggestion = Suggestion.objects.get()
        assert sam_client.post(f"/plan/suggestions/{suggestion.pk}/", {"answer": "accept", "text": "Paint"}).status_code == 404
        assert not Goal.objects.exists()

    def test_a_view_grant_cannot_suggest(self, sam_client, pat, plan_grant):
        response = sam_client.post(f"/plan/of/{pat.public_id}/suggest/goal/",
                                   {"goal-dimension": "home", "goal-text": "Paint"})
        assert response.status_code == 404 and not Suggestion.objects.exists()

    def test_a_step_for_another_persons_goal_is_refused(self, sam_client, pat, rue, suggest_grant):
        rues_goal = plan_services.goal_create(plan=rue.plan, actor=rue, dimension="home", title="Rue's goal")
        sam_client.post(f"/plan/of/{pat.public_id}/suggest/step/", {"step-goal": rues_goal.pk, "step-text": "X"})
        assert not Suggestion.objects.exists() and not Step.objects.exists()


def test_the_caseload_shows_only_people_who_share_and_what(sam_client, pat, rue, plan_grant):
    body = sam_client.get("/people/").content.decode()
    assert "Pat" in body and "My recovery plan (see)" in body
    assert not re.search(r"\bRue\b", body)  # a whole word: the page's random CSRF token may hold "Rue"


def test_emergency_access_opens_the_safety_plan_first_and_says_honestly_what_it_is(client, pat, lee, organisation):
    from pathways.circle.models import EmergencyAccess
    from pathways.people.models import Membership, Role

    pat.home_organisation = organisation
    pat.save()
    Membership.objects.create(user=pat, organisation=organisation, role=Role.PERSON)
    client.force_login(lee)
    assert f"/circle/emergency/{pat.public_id}/" in client.get("/people/").content.decode()
    assert client.get(f"/safety/of/{pat.public_id}/").status_code == 404
    response = client.post(f"/circle/emergency/{pat.public_id}/", {"reason": "No contact for a week"})
    assert response["Location"] == f"/safety/of/{pat.public_id}/"
    ends = timezone.localtime(EmergencyAccess.objects.get(person=pat).ends_at)
    for page in (f"/safety/of/{pat.public_id}/", f"/plan/of/{pat.public_id}/"):
        body = client.get(page).content.decode()
        assert "Emergency access." in body
        assert ends.strftime("%H:%M") in body and "by the person's consent" not in body
        assert f'href="/plan/of/{pat.public_id}/"' in body and f'href="/safety/of/{pat.public_id}/"' in body


def test_a_page_shown_under_a_consent_says_so_not_emergency(sam_client, pat, plan_grant):
    body = sam_client.get(f"/plan/of/{pat.public_id}/").content.decode()
    assert "by the person's consent" in body and "Emergency access." not in body


def test_emergency_access_pages_do_not_reveal_people_to_others(client, pat, rue, ada):
    for who in (rue, ada):
        client.force_login(who)
        assert client.get(f"/circle/emergency/{pat.public_id}/").status_code == 404
        assert client.post(f"/circle/emergency/{pat.public_id}/", {"reason": "x"}).status_code == 404


def test_an_empty_emergency_reason_is_explained(client, pat, lee, organisation):
    pat.home_organisation = organisation
    pat.save()
    client.force_login(lee)
    response = client.post(f"/circle/emergency/{pat.public_id}/", {"reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
