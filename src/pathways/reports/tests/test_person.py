"""The person's page for a supporter: exactly the parts granted, About me and How to reach me shown (and logged),
404 when nothing is shared; and lapse reflections on the progress page only where the person shared them."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.checkins import services as checkins
from pathways.circle import services as circle
from pathways.circle.models import AccessLogEntry, Category
from pathways.people import services as people
from pathways.people.models import Membership, Role


def _grant(sams_membership, *categories):
    return circle.grant_create(member=sams_membership, items={c: "view" for c in categories}, purpose="To support me",
                               signature="Pat")


def _logged(viewer, category) -> list[bool]:
    return list(AccessLogEntry.objects.reads().filter(viewer_ref=str(viewer.public_id), category=category)
                .values_list("allowed", flat=True))


@pytest.fixture
def pats_profile(pat):
    people.profile_update(user=pat, preferred_name="Pat", pronouns="she/her", name="Pat Example",
                          culture="Grew up by the sea", language="Welsh, English", faith="", what_helps="Quiet walks",
                          how_to_reach_me="Text first, then call")
    return pat


def _page(client, person):
    return client.get(reverse("reports:person", kwargs={"person_id": person.public_id}))


def test_the_page_lists_only_the_parts_granted_with_their_links(client, pats_profile, sam, sams_membership):
    grant = _grant(sams_membership, Category.PLAN, Category.CHECKINS)
    client.force_login(sam)
    response = _page(client, pats_profile)
    body = response.content.decode()
    assert response.status_code == 200
    person_id = {"person_id": pats_profile.public_id}
    assert reverse("plans:shared_plan", kwargs=person_id) in body
    assert reverse("checkins:shared_daily", kwargs=person_id) in body
    assert reverse("circle:grant", kwargs={"grant_id": grant.public_id}) in body
    for not_granted in ("safety:shared_plan", "questionnaires:shared", "warning_signs:shared_plan"):
        assert reverse(not_granted, kwargs=person_id) not in body
    # About me and How to reach me were not granted: not shown, and the refusals are logged as a page opened.
    assert "Quiet walks" not in body and "Text first" not in body
    assert _logged(sam, Category.ABOUT_ME) == [False] and _logged(sam, Category.REACH_ME) == [False]
    purposes = set(AccessLogEntry.objects.filter(category=Category.ABOUT_ME).values_list("purpose", flat=True))
    assert purposes == {"opened your page for supporters"}


def test_about_me_and_how_to_reach_me_are_shown_when_granted_and_logged(client, pats_profile, sam, sams_membership):
    _grant(sams_membership, Category.ABOUT_ME, Category.REACH_ME)
    client.force_login(sam)
    body = _page(client, pats_profile).content.decode()
    assert "Grew up by the sea" in body and "Welsh, English" in body and "Quiet walks" in body
    assert "she/her" in body and "Text first, then call" in body
    assert _logged(sam, Category.ABOUT_ME) == [True] and _logged(sam, Category.REACH_ME) == [True]
    assert reverse("plans:shared_plan", kwargs={"person_id": pats_profile.public_id}) not in body


def test_the_page_is_404_when_nothing_is_shared_and_after_a_revoke(client, pats_profile, sam, sams_membership, rue):
    client.force_login(sam)
    assert _page(client, pats_profile).status_code == 404  # in the circle, no grant
    grant = _grant(sams_membership, Category.SAFETY_PLAN)
    assert _page(client, pats_profile).status_code == 200
    circle.grant_revoke(grant=grant)
    assert _page(client, pats_profile).status_code == 404
    client.force_login(rue)
    assert _page(client, pats_profile).status_code == 404


def test_the_person_is_sent_to_their_own_home(client, pats_profile):
    client.force_login(pats_profile)
    response = _page(client, pats_profile)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_emergency_access_opens_every_part_and_says_so(client, pats_profile, organisation, ada, lee):
    _, token = people.invitation_create(organisation=organisation, invited_by=ada, email=pats_profile.email,
                                        role=Role.PERSON)
    people.invitation_accept_existing_account(token=token, user=pats_profile)
    assert Membership.objects.filter(user=lee, role=Role.PROFESSIONAL).exists()
    client.force_login(lee)
    assert _page(client, pats_profile).status_code == 404
    circle.emergency_access_start(professional=lee, person=pats_profile, reason="No answer for days")
    body = _page(client, pats_profile).content.decode()
    assert "Emergency access" in body and "Text first, then call" in body and "Quiet walks" in body
    person_id = {"person_id": pats_profile.public_id}
    for name in ("plans:shared_plan", "safety:shared_plan", "checkins:shared_daily", "questionnaires:shared",
                 "warning_signs:shared_plan"):
        assert reverse(name, kwargs=person_id) in body
    # A private conversation is never opened by emergency access, so it is not offered either.
    assert reverse("conversations:with_person", kwargs=person_id) not in body


# --- lapse reflections on the progress page -------------------------------------------------------------------

@pytest.fixture
def two_lapses(pat):
    """Two lapses with reflections: yesterday's kept private, today's shared."""
    today = timezone.localdate()
    checkins.daily_checkin_save(person=pat, day=today - timedelta(days=1), answers={},
                                use={"used": "yes", "is_lapse": True, "what_was_happening": "PRIVATE-happening",
                                     "what_i_learned": "PRIVATE-learned"})
    checkins.daily_checkin_save(person=pat, day=today, answers={},
                                use={"used": "yes", "is_lapse": True, "what_i_learned": "SHARED-learned",
                                     "reflection_shared": True})
    return pat


def test_a_supporter_reads_only_the_reflections_the_person_shared(client, two_lapses, sam, sams_membership):
    _grant(sams_membership, Category.USE_LOG)
    client.force_login(sam)
    body = client.get(reverse("reports:shared_progress", kwargs={"person_id": two_lapses.public_id})).content.decode()
    assert "SHARED-learned" in body
    assert "PRIVATE" not in body
    assert body.count("noted as a lapse") == 2  # the private day's lapse is still there, without its words


def test_the_person_always_reads_their_own_reflections(client, two_lapses):
    client.force_login(two_lapses)
    body = client.get(reverse("reports:progress")).content.decode()
    assert "SHARED-learned" in body and "PRIVATE-happening" in body and "PRIVATE-learned" in body
