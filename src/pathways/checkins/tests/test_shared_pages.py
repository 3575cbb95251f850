"""What supporters read of check-ins and the early-warning plan: the day-by-day page (answers in words, the use
part only with the use-log grant, reflections only where shared), the read-only warning plan, and the daily
form's choice to share a lapse reflection."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.checkins import services
from pathways.checkins.days import day_by_day
from pathways.checkins.models import UseLog
from pathways.circle import services as circle
from pathways.circle.models import AccessLogEntry, Category


def _grant(sams_membership, *categories):
    return circle.grant_create(member=sams_membership, items={c: "view" for c in categories}, purpose="To support me",
                               signature="Pat")


def _logged(viewer, category) -> list[bool]:
    return list(AccessLogEntry.objects.reads().filter(viewer_ref=str(viewer.public_id), category=category)
                .values_list("allowed", flat=True))


def _url(name, person):
    return reverse(name, kwargs={"person_id": person.public_id})


@pytest.fixture
def pats_days(pat):
    """Today answered in part (one item declined, the rest skipped), a lapse two days ago, nothing yesterday."""
    today = timezone.localdate()
    pat.date_joined = timezone.now() - timedelta(days=60)
    pat.save(update_fields=["date_joined"])
    services.daily_checkin_save(person=pat, day=today, answers={"mood": 4, "cravings": 6, "sleep_hours": Decimal("7"),
                                                                "lonely": "yes", "self_harm_thoughts": "no"},
                                declined=["energy"], use={"used": "no"})
    services.daily_checkin_save(person=pat, day=today - timedelta(days=2), answers={"angry": "prefer_not"},
                                use={"used": "yes", "is_lapse": True, "what_was_happening": "PRIVATE-evening",
                                     "what_i_learned": "LEARNED-call-first", "reflection_shared": False})
    return pat


def _words(entry) -> dict[str, str]:
    return {answer.label: answer.words for answer in entry.answers}


class TestDayByDay:
    def test_each_answer_is_in_words_skipped_and_declined_shown_as_such(self, pats_days, sam, sams_membership):
        _grant(sams_membership, Category.CHECKINS)
        found = day_by_day(person=pats_days, viewer=sam)
        assert len(found.days) == 28 and found.days[0].day == timezone.localdate()
        today = _words(found.days[0])
        assert today["Mood"] == "good" and today["Cravings (0 none, 10 very strong)"] == "6"
        assert today["Hours slept"] == "7 hours" and today["Lonely"] == "yes"
        assert today["Thoughts of self-harm"] == "no"
        assert today["Energy"] == "prefer not to say" and today["Hungry"] == "skipped"
        assert found.days[1].checkin is None  # yesterday: no check-in
        assert _words(found.days[2])["Angry or on edge"] == "prefer not to say"
        assert _logged(sam, Category.CHECKINS) == [True]

    def test_the_page_shows_no_check_in_days_and_is_logged(self, client, pats_days, sam, sams_membership):
        _grant(sams_membership, Category.CHECKINS)
        client.force_login(sam)
        body = client.get(_url("checkins:shared_daily", pats_days)).content.decode()
        assert "No check-in." in body and "skipped" in body and "prefer not to say" in body
        assert _url("reports:shared_progress", pats_days) in body  # the weekly trends

    def test_the_use_part_needs_the_use_log_grant(self, client, pats_days, sam, sams_membership):
        _grant(sams_membership, Category.CHECKINS)
        client.force_login(sam)
        body = client.get(_url("checkins:shared_daily", pats_days)).content.decode()
        assert "Noted as a lapse" not in body and "<h3>Use</h3>" not in body
        assert _logged(sam, Category.USE_LOG) == [False]
        assert not day_by_day(person=pats_days, viewer=sam).days[2].use

    def test_reflections_are_shown_only_when_the_person_shared_them(self, client, pats_days, sam, sams_membership):
        _grant(sams_membership, Category.CHECKINS, Category.USE_LOG)
        client.force_login(sam)
        body = client.get(_url("checkins:shared_daily", pats_days)).content.decode()
        assert "Noted as a lapse" in body and "<h3>Use</h3>" in body
        assert "LEARNED-call-first" not in body and "PRIVATE-evening" not in body
        lapse_day = day_by_day(person=pats_days, viewer=sam).days[2]
        assert lapse_day.lapse and {a.label: a.words for a in lapse_day.use} == {"Used": "yes"}
        UseLog.objects.filter(checkin__person=pats_days, is_lapse=True).update(reflection_shared=True)
        body = client.get(_url("checkins:shared_daily", pats_days)).content.decode()
        assert "LEARNED-call-first" in body and "PRIVATE-evening" in body

    def test_the_person_is_sent_to_their_own_progress(self, client, pats_days):
        client.force_login(pats_days)
        response = client.get(_url("checkins:shared_daily", pats_days))
        assert response.status_code == 302 and response["Location"] == reverse("reports:progress")

    def test_days_before_the_person_joined_are_left_out(self, pat, sam, sams_membership):
        _grant(sams_membership, Category.CHECKINS)
        assert [entry.day for entry in day_by_day(person=pat, viewer=sam).days] == [timezone.localdate()]

    def test_404_without_the_check_ins_grant_and_after_a_revoke(self, client, pats_days, sam, sams_membership):
        client.force_login(sam)
        assert client.get(_url("checkins:shared_daily", pats_days)).status_code == 404
        use_only = _grant(sams_membership, Category.USE_LOG)
        assert client.get(_url("checkins:shared_daily", pats_days)).status_code == 404
        circle.grant_revoke(grant=use_only)
        grant = _grant(sams_membership, Category.CHECKINS)
        assert client.get(_url("checkins:shared_daily", pats_days)).status_code == 200
        circle.grant_revoke(grant=grant)
        assert client.get(_url("checkins:shared_daily", pats_days)).status_code == 404
        assert _logged(sam, Category.CHECKINS)[-1] is False


class TestSharedWarningPlan:
    @pytest.fixture
    def pats_plan(self, pat):
        services.warning_sign_add(person=pat, stage="emotional", sign="SIGN-keeping to myself",
                                  what_i_will_do="DO-call Jo", who_i_will_contact="Jo")
        services.trigger_add(person=pat, trigger="TRIGGER-payday", what_helps="HELPS-bills first")
        return pat

    def test_the_plan_is_shown_read_only_when_the_person_tells_which_sign(self, client, pats_plan, sam,
                                                                           sams_membership):
        _grant(sams_membership, Category.EARLY_WARNING)
        services.early_warning_setting_update(person=pats_plan, share_which_sign_with_supporters=True)
        client.force_login(sam)
        body = client.get(_url("warning_signs:shared_plan", pats_plan)).content.decode()
        for words in ("SIGN-keeping to myself", "DO-call Jo", "TRIGGER-payday", "HELPS-bills first"):
            assert words in body
        assert "<form" not in body.split("<main")[-1] and "Change" not in body
        assert _logged(sam, Category.EARLY_WARNING) == [True]

    def test_told_only_that_a_sign_was_noticed_means_no_plan(self, client, pats_plan, sam, sams_membership):
        _grant(sams_membership, Category.EARLY_WARNING)
        client.force_login(sam)
        response = client.get(_url("warning_signs:shared_plan", pats_plan))
        body = response.content.decode()
        assert response.status_code == 200 and "SIGN-" not in body and "TRIGGER-" not in body
        assert "nothing more" in body

    def test_404_without_the_grant_and_after_a_revoke(self, client, pats_plan, sam, sams_membership):
        services.early_warning_setting_update(person=pats_plan, share_which_sign_with_supporters=True)
        client.force_login(sam)
        _grant(sams_membership, Category.CHECKINS)
        assert client.get(_url("warning_signs:shared_plan", pats_plan)).status_code == 404
        grant = _grant(sams_membership, Category.EARLY_WARNING)
        assert client.get(_url("warning_signs:shared_plan", pats_plan)).status_code == 200
        circle.grant_revoke(grant=grant)
        response = client.get(_url("warning_signs:shared_plan", pats_plan))
        assert response.status_code == 404 and "SIGN-" not in response.content.decode()
        assert _logged(sam, Category.EARLY_WARNING) == [False, True, False]

    def test_the_person_is_sent_to_their_own_plan(self, client, pats_plan):
        client.force_login(pats_plan)
        response = client.get(_url("warning_signs:shared_plan", pats_plan))
        assert response.status_code == 302 and response["Location"] == reverse("warning_signs:plan")


class TestReflectionChoice:
    def test_the_daily_form_saves_the_choice_to_share_a_reflection(self, pat_client, pat):
        pat_client.post(reverse("checkins:daily"), {"used": "yes", "is_lapse": "on", "what_i_learned": "Call first",
                                                    "reflection_shared": "on"})
        assert UseLog.objects.get(checkin__person=pat).reflection_shared

    def test_left_unticked_the_reflection_stays_private(self, pat_client, pat):
        page = pat_client.get(reverse("checkins:daily")).content.decode()
        assert 'name="reflection_shared"' in page
        pat_client.post(reverse("checkins:daily"), {"used": "yes", "what_i_learned": "Call first"})
        assert UseLog.objects.get(checkin__person=pat).reflection_shared is False


def test_pages_for_supporters_speak_of_the_person_in_her_own_pronouns(client, pat, sam, sams_membership, pats_days):
    """Pat is she/her: the day-by-day page and the early-warning page never call her "they"."""
    import re

    _grant(sams_membership, Category.CHECKINS, Category.EARLY_WARNING)
    client.force_login(sam)
    for name in ("checkins:shared_daily", "warning_signs:shared_plan"):
        body = client.get(_url(name, pat)).content.decode()
        main = body[body.index("<main"):body.index("</main>")]
        assert not re.search(r"\b(they|their|them|themselves)\b", main, re.IGNORECASE), name
    assert "Pat has not shared her use log with you" in client.get(_url("checkins:shared_daily", pat)).content.decode()
