"""Issue 25: the person stops sharing one category on its own, is asked once before anything ends, reads each
consent by what it covers, and reads a part merely left out of a page as exactly that in the access log."""
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from pathways.circle import services, wording
from pathways.circle.models import AccessLogEntry, Change, Grant

THREE = {"plan": "suggest", "checkins": "view", "safety_plan": "view"}


@pytest.fixture
def sam_client(sam):
    client = Client()
    client.force_login(sam)
    return client


@pytest.fixture
def three_grant(sams_membership):
    """Pat shares her plan (to suggest), her check-ins and her safety plan with Sam, for 30 days."""
    return services.grant_create(member=sams_membership, items=THREE, purpose="Weekly support", signature="Pat Example",
                                 expires_at=timezone.now() + timedelta(days=30), expiry_event="when I leave the programme")


def stop_url(member, category: str) -> str:
    return reverse("circle:category_revoke", kwargs={"member_id": member.public_id, "category": category})


def page_text(response) -> str:
    """What the page says, as one line of plain text."""
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def changes_of(pat) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.changes().filter(person_ref=str(pat.public_id)).order_by("sequence"))


class TestCategoryRevoke:
    def test_the_rest_carries_on_under_a_new_consent_that_names_the_one_it_replaces(self, pat, sams_membership,
                                                                                      three_grant):
        [new] = services.category_revoke(member=sams_membership, category="checkins")
        old = Grant.objects.get(pk=three_grant.pk)
        assert old.revoked_at is not None and old.revoked_because == "stopped sharing check-ins"
        assert dict(new.items.values_list("category", "access")) == {"plan": "suggest", "safety_plan": "view"}
        assert new.replaces == old and new.is_live()
        assert (new.purpose, new.expires_at, new.expiry_event, new.signature, new.recipient, new.member) == (
            old.purpose, old.expires_at, old.expiry_event, old.signature, old.recipient, old.member)
        assert Grant.objects.filter(person=pat).count() == 2  # the history keeps both
        log = changes_of(pat)[-2:]
        assert [(e.action, e.grant_ref, e.allowed) for e in log] == [
            (Change.GRANT_REVOKED, str(old.public_id), False), (Change.GRANT_SIGNED, str(new.public_id), True)]

    def test_the_last_category_of_a_consent_just_revokes_it(self, pat, sams_membership, plan_grant):
        assert services.category_revoke(member=sams_membership, category="plan") == []
        assert Grant.objects.get().revoked_at is not None  # and no empty consent is signed
        assert [e.action for e in changes_of(pat)] == [Change.GRANT_SIGNED, Change.GRANT_REVOKED]

    def test_every_live_consent_covering_it_ends_and_nothing_else_changes(self, pat, rue, sam, sams_membership,
                                                                          three_grant):
        checkins_only = services.grant_create(member=sams_membership, items={"checkins": "view"}, purpose="Nights",
                                              signature="Pat Example")
        ended = services.grant_create(member=sams_membership, items={"checkins": "view", "plan": "view"},
                                      purpose="Old", signature="Pat Example")
        Grant.objects.filter(pk=ended.pk).update(expires_at=timezone.now() - timedelta(days=1))
        other = services.grant_create(member=_member(rue, sam), items={"checkins": "view"}, purpose="Rue's",
                                      signature="Rue")
        replacements = services.category_revoke(member=sams_membership, category="checkins")
        assert [grant.replaces_id for grant in replacements] == [three_grant.pk]
        assert Grant.objects.get(pk=checkins_only.pk).revoked_at is not None
        assert Grant.objects.get(pk=ended.pk).revoked_at is None  # already over: its history stays as it was
        assert Grant.objects.get(pk=other.pk).is_live()  # Rue's consent to Sam is Rue's


def _member(person, supporter):
    _, token = services.invitation_create(person=person, role="ally", name=supporter.display_name)
    return services.invitation_accept(token=token, supporter=supporter)


class TestConfirmations:
    def test_stopping_one_category_asks_once_naming_exactly_what_ends(self, pat_client, sams_membership, three_grant):
        response = pat_client.get(stop_url(sams_membership, "checkins"))
        assert response.status_code == 200
        assert ("Sam will no longer see your check-ins. They keep seeing: your plan, your safety plan."
                in page_text(response))
        assert Grant.objects.get().is_live()  # asking changes nothing

    def test_confirming_stops_it_and_says_so(self, pat_client, sams_membership, three_grant):
        response = pat_client.post(stop_url(sams_membership, "checkins"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("circle:circle")
        assert "Done. Sam no longer sees your check-ins." in page_text(response)
        live = Grant.objects.get(revoked_at__isnull=True)
        assert set(live.items.values_list("category", flat=True)) == {"plan", "safety_plan"}

    def test_the_last_thing_shared_says_they_will_see_nothing(self, pat_client, sams_membership, plan_grant):
        text = page_text(pat_client.get(stop_url(sams_membership, "plan")))
        assert "Sam will no longer see your plan. They will see nothing of yours." in text

    def test_revoking_a_whole_consent_asks_once_too(self, pat_client, sams_membership, three_grant):
        nights = services.grant_create(member=sams_membership, items={"checkins": "view", "use_log": "view"},
                                       purpose="Nights", signature="Pat Example")
        url = reverse("circle:grant_revoke", kwargs={"grant_id": nights.public_id})
        text = page_text(pat_client.get(url))
        assert f"{wording.grant_title(nights)}, for Sam Rivera, ends now." in text
        # Check-ins stay shared under the other consent, so only the use log ends.
        assert "Sam will no longer see your use log." in text
        assert "they keep seeing: your plan, your check-ins, your safety plan." in text
        assert Grant.objects.get(pk=nights.pk).is_live()
        assert pat_client.post(url).status_code == 302 and not Grant.objects.get(pk=nights.pk).is_live()

    @pytest.mark.parametrize("category", ["use_log", "diary", "plan-x"])
    def test_a_category_not_shared_or_unknown_is_404(self, pat_client, sams_membership, three_grant, category):
        assert pat_client.get(stop_url(sams_membership, category)).status_code == 404
        assert pat_client.post(stop_url(sams_membership, category)).status_code == 404
        assert Grant.objects.get().is_live()

    @pytest.mark.parametrize("who", ["sam", "rue"])
    def test_nobody_else_can_stop_pats_sharing(self, request, sams_membership, three_grant, who):
        client = Client()
        client.force_login(request.getfixturevalue(who))
        assert client.get(stop_url(sams_membership, "checkins")).status_code == 404
        assert client.post(stop_url(sams_membership, "checkins")).status_code == 404
        grant_url = reverse("circle:grant_revoke", kwargs={"grant_id": three_grant.public_id})
        assert client.get(grant_url).status_code == 404
        assert Grant.objects.get().is_live()


def test_the_supporters_very_next_request_is_refused_and_the_rest_still_opens(pat, pat_client, sam_client,
                                                                              sams_membership, three_grant):
    safety_plan, plan = f"/safety/of/{pat.public_id}/", f"/plan/of/{pat.public_id}/"
    assert sam_client.get(safety_plan).status_code == 200
    pat_client.post(stop_url(sams_membership, "safety_plan"))
    assert sam_client.get(safety_plan).status_code == 404
    assert sam_client.get(plan).status_code == 200


def test_the_circle_page_lists_what_each_supporter_sees_and_titles_each_consent(pat_client, sams_membership,
                                                                                 three_grant):
    nights = services.grant_create(member=sams_membership, items={"use_log": "view"}, purpose="Nights",
                                   signature="Pat Example")
    text = page_text(pat_client.get("/circle/"))
    signed = timezone.localtime(three_grant.signed_at).strftime("%-d %b %Y")
    assert f"Plan, check-ins and safety plan — signed {signed}" in text
    assert f"Use log — signed {signed}" in text
    for category in ("plan", "checkins", "use_log", "safety_plan"):
        assert f'href="{stop_url(sams_membership, category)}"' in pat_client.get("/circle/").content.decode()
    assert "Stop sharing check-ins with Sam" in text
    assert f'href="{reverse("circle:grant_revoke", kwargs={"grant_id": nights.public_id})}"' in \
        pat_client.get("/circle/").content.decode()
    services.category_revoke(member=sams_membership, category="checkins")
    history = page_text(pat_client.get("/circle/grants/"))
    assert f"Plan and safety plan — signed {signed}" in history
    assert f"Plan, check-ins and safety plan — signed {signed}, for Sam Rivera — revoked" in history


class TestFairWording:
    def test_a_part_left_out_of_the_progress_page_reads_as_what_happened(self, pat, pat_client, sam_client,
                                                                         plan_grant):
        assert sam_client.get(f"/people/{pat.public_id}/progress/").status_code == 200
        text = page_text(pat_client.get("/circle/access-log/"))
        assert ("Sam Rivera opened your progress page; your recovery measures are not shared with Sam Rivera, "
                "so they were not shown.") in text
        assert ("Sam Rivera opened your progress page; your use log is not shared with Sam Rivera, "
                "so it was not shown.") in text

    def test_other_refusals_keep_their_wording(self, pat, pat_client, sam_client, plan_grant):
        assert sam_client.get(f"/safety/of/{pat.public_id}/").status_code == 404
        body = pat_client.get("/circle/access-log/").content.decode()
        assert "<dd>Refused</dd>" in body and "<dd>Not shown</dd>" not in body
        assert "not shared with" not in body
