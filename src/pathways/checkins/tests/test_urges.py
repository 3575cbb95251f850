"""The urge log: every answer skippable, a double tap saves once, only its person changes or removes an entry,
supporters read it only with the check-ins grant, and strong urges raise the gentle note that names them."""
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pathways.checkins import services
from pathways.checkins import warning_rules as rules
from pathways.checkins.models import DailyCheckIn, GentleNote, UrgeEntry
from pathways.checkins.warning_rules import Day
from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry

TODAY = date(2026, 3, 20)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def hours_ago(n: float):
    return timezone.now() - timedelta(hours=n)


def watch_urges(person):
    return services.warning_sign_add(person=person, stage="mental", sign="Strong urges coming often",
                                     watch="urges_strong")


# The rule, over synthetic days: no database ----------------------------------------------------------------

class TestUrgesStrongRule:
    def test_three_strong_urges_in_seven_days_raise_it_naming_each_one(self):
        days = [Day(ago(6), urges=(7,), checked_in=False), Day(ago(3), urges=(2, 9)), Day(ago(0), urges=(10,),
                                                                                          checked_in=False)]
        finding = rules.urges_strong(days, TODAY)
        assert finding.rule == "urges_strong" and finding.title == "Strong urges this week"
        assert [(e.day, e.item, e.answer) for e in finding.evidence] == [
            (ago(6), "urge_strength", "7"), (ago(3), "urge_strength", "9"), (ago(0), "urge_strength", "10")]
        assert "3 urges of strength 7 or more" in finding.summary
        assert rules.ITEM_LABELS["urge_strength"] == "urge strength (0 to 10)"

    def test_two_strong_urges_are_not_enough(self):
        assert rules.urges_strong([Day(ago(1), urges=(8, 6, 6, 6)), Day(ago(0), urges=(9,))], TODAY) is None

    def test_a_strength_just_below_the_threshold_does_not_count(self):
        below = rules.URGES_STRONG_AT - 1
        assert rules.urges_strong([Day(ago(0), urges=(below,) * 5)], TODAY) is None
        assert rules.urges_strong([Day(ago(0), urges=(rules.URGES_STRONG_AT,) * rules.URGES_STRONG_MIN)],
                                  TODAY) is not None

    def test_an_urge_eight_days_ago_is_outside_the_week(self):
        days = [Day(ago(rules.URGES_WINDOW_DAYS), urges=(9,)), Day(ago(2), urges=(9,)), Day(ago(0), urges=(9,))]
        assert rules.urges_strong(days, TODAY) is None
        days[0] = Day(ago(rules.URGES_WINDOW_DAYS - 1), urges=(9,))
        assert rules.urges_strong(days, TODAY) is not None

    def test_urges_with_their_strength_skipped_never_count(self):
        assert rules.urges_strong([Day(ago(0), urges=(None, None, None, 8, 8))], TODAY) is None

    def test_urges_after_today_are_not_looked_at(self):
        assert rules.urges_strong([Day(ago(0), urges=(8, 8)), Day(ago(-1), urges=(8,))], TODAY) is None

    def test_a_day_with_only_urges_is_not_a_check_in(self):
        """Five earlier check-ins, then three quiet days in which urges were logged: check-ins have still paused."""
        checkins = [Day(ago(n)) for n in range(4, 9)]
        urges_only = [Day(ago(n), urges=(3,), checked_in=False) for n in range(0, 3)]
        assert rules.checkins_stopping(checkins + urges_only, TODAY) is not None
        assert rules.checkins_stopping(checkins + [Day(ago(1))], TODAY) is None

    def test_it_is_in_the_rules_with_a_gentle_title_in_the_mental_stage(self):
        rule = rules.RULES["urges_strong"]
        assert rule.stage == "mental" and rule.example_sign and "warning" not in rule.title.lower()
        assert [f.rule for f in rules.evaluate([Day(ago(0), urges=(9, 9, 9))], today=TODAY)] == ["urges_strong"]


# The log itself --------------------------------------------------------------------------------------------

class TestUrgeLog:
    def test_every_answer_can_be_left_out(self, pat):
        urge = services.urge_log(person=pat)
        urge.refresh_from_db()
        assert urge.strength is None and urge.where == urge.what_i_did == urge.how_it_went == urge.note == ""
        assert abs(urge.occurred_at - timezone.now()) < timedelta(minutes=1)
        assert isinstance(urge.public_id, uuid.UUID)

    def test_the_words_are_kept_as_written_and_the_time_can_be_earlier(self, pat):
        when = hours_ago(5)
        urge = services.urge_log(person=pat, occurred_at=when, where=" The bus stop ", strength=8,
                                 what_i_did="Rang Jo", how_it_went="passed", note="Payday")
        urge.refresh_from_db()
        assert (urge.occurred_at, urge.where, urge.strength, urge.what_i_did, urge.how_it_went, urge.note) == (
            when, "The bus stop", 8, "Rang Jo", "passed", "Payday")

    def test_a_time_still_to_come_or_a_strength_off_the_scale_is_refused(self, pat):
        with pytest.raises(ValidationError) as error:
            services.urge_log(person=pat, occurred_at=timezone.now() + timedelta(hours=2))
        assert "occurred_at" in error.value.message_dict
        with pytest.raises(ValidationError):
            services.urge_log(person=pat, strength=11)
        assert not UrgeEntry.objects.exists()

    def test_a_double_tap_saves_once(self, pat):
        key = uuid.uuid4()
        first = services.urge_log(person=pat, strength=6, submission_key=key)
        second = services.urge_log(person=pat, strength=6, submission_key=key)
        assert first.pk == second.pk and UrgeEntry.objects.filter(person=pat).count() == 1

    def test_the_free_text_is_encrypted_at_rest(self, pat):
        from django.db import connection

        services.urge_log(person=pat, where="Near the old pub", what_i_did="Walked it off", note="Hard evening")
        with connection.cursor() as cursor:
            cursor.execute("SELECT \"where\", what_i_did, note FROM checkins_urgeentry")
            stored = " ".join(str(value) for value in cursor.fetchone())
        assert "old pub" not in stored and "Walked" not in stored and "Hard evening" not in stored

    def test_an_update_changes_what_the_person_changed(self, pat):
        urge = services.urge_log(person=pat, strength=4, where="Home")
        services.urge_update(urge=urge, occurred_at=urge.occurred_at, strength=None, where="",
                             how_it_went="not_sure")
        urge.refresh_from_db()
        assert (urge.strength, urge.where, urge.how_it_went) == (None, "", "not_sure")


# Early warning from the log -----------------------------------------------------------------------------

class TestStrongUrgesRaiseAGentleNote:
    def test_the_third_strong_urge_raises_a_note_naming_the_urges(self, pat):
        watch_urges(pat)
        services.urge_log(person=pat, strength=8, occurred_at=timezone.now() - timedelta(days=2))
        services.urge_log(person=pat, strength=3, occurred_at=timezone.now() - timedelta(days=1))
        services.urge_log(person=pat, strength=9, occurred_at=timezone.now() - timedelta(days=1))
        assert not GentleNote.objects.filter(person=pat).exists()
        services.urge_log(person=pat, strength=7)
        gentle_note = GentleNote.objects.get(person=pat)
        assert gentle_note.rule == "urges_strong"
        assert [(a["item"], a["answer"]) for a in gentle_note.explanation["answers"]] == [
            ("urge_strength", "8"), ("urge_strength", "9"), ("urge_strength", "7")]
        assert gentle_note.explanation["answers"][-1]["day"] == timezone.localdate().isoformat()

    def test_raising_a_strength_when_changing_an_urge_is_matched_too(self, pat):
        watch_urges(pat)
        services.urge_log(person=pat, strength=8, occurred_at=hours_ago(30))
        services.urge_log(person=pat, strength=8, occurred_at=hours_ago(2))
        urge = services.urge_log(person=pat, strength=2)
        assert not GentleNote.objects.exists()
        services.urge_update(urge=urge, occurred_at=urge.occurred_at, strength=9)
        assert GentleNote.objects.get(person=pat).rule == "urges_strong"

    def test_urges_are_passed_with_check_ins_so_a_check_in_save_sees_them(self, pat):
        watch_urges(pat)
        for strength in (9, 9, 9):  # logged before the sign existed... then a check-in runs the rules again
            UrgeEntry.objects.create(person=pat, strength=strength, occurred_at=hours_ago(1))
        services.daily_checkin_save(person=pat, day=timezone.localdate(), answers={"mood": 3})
        assert GentleNote.objects.get(person=pat).rule == "urges_strong"

    def test_nobody_who_does_not_watch_for_it_gets_a_note(self, pat):
        for _ in range(4):
            services.urge_log(person=pat, strength=10)
        assert not GentleNote.objects.exists()

    def test_days_with_only_urges_do_not_stop_the_pause_from_being_noticed(self, pat):
        """With both rules watching, the urge log is read alongside the check-ins; an urge is not a check-in."""
        watch_urges(pat)
        services.warning_sign_add(person=pat, stage="emotional", sign="Dropping what helps",
                                  watch="checkins_stopping")
        today = timezone.localdate()
        for n in range(4, 10):
            DailyCheckIn.objects.create(person=pat, day=today - timedelta(days=n))
        UrgeEntry.objects.create(person=pat, strength=2, occurred_at=hours_ago(1))
        assert [note.rule for note in services.early_warning_check(person=pat)] == ["checkins_stopping"]


# The pages ------------------------------------------------------------------------------------------------

class TestUrgePages:
    def test_logging_an_urge_with_one_tap_thanks_the_person_and_offers_their_plan_and_tools(self, pat_client, pat):
        page = pat_client.get(reverse("checkins:urges"))
        assert page.status_code == 200
        key = page.context["form"].initial["submission_key"]
        response = pat_client.post(reverse("checkins:urges"), {"strength": "6", "submission_key": key})
        urge = UrgeEntry.objects.get(person=pat)
        assert response.status_code == 302 and response["Location"] == reverse("checkins:urge_saved",
                                                                                args=[urge.public_id])
        saved = pat_client.get(response["Location"]).content.decode()
        assert reverse("safety:plan") in saved and 'href="/tools/"' in saved
        pat_client.post(reverse("checkins:urges"), {"strength": "6", "submission_key": key})  # a second tap
        assert UrgeEntry.objects.filter(person=pat).count() == 1

    def test_an_empty_form_is_saved_too(self, pat_client, pat):
        response = pat_client.post(reverse("checkins:urges"), {"occurred_at": ""})
        assert response.status_code == 302 and UrgeEntry.objects.filter(person=pat, strength=None).count() == 1

    def test_a_time_still_to_come_keeps_what_was_typed(self, pat_client, pat):
        later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = pat_client.post(reverse("checkins:urges"), {"occurred_at": later, "what_i_did": "Rang Jo"})
        assert response.status_code == 200 and not UrgeEntry.objects.exists()
        assert "That time has not come yet" in response.content.decode()
        assert response.context["form"]["what_i_did"].value() == "Rang Jo"

    def test_the_list_is_newest_first(self, pat_client, pat):
        services.urge_log(person=pat, where="Older", occurred_at=hours_ago(20))
        services.urge_log(person=pat, where="Newer", occurred_at=hours_ago(1))
        page = pat_client.get(reverse("checkins:urges")).content.decode()
        assert page.index("Newer") < page.index("Older")

    def test_only_the_person_changes_or_removes_an_urge(self, client, pat, rue):
        urge = services.urge_log(person=pat, strength=5, where="Pats place")
        client.force_login(rue)
        assert client.get(reverse("checkins:urge_edit", args=[urge.public_id])).status_code == 404
        assert client.post(reverse("checkins:urge_edit", args=[urge.public_id]), {"strength": "1"}).status_code == 404
        assert client.post(reverse("checkins:urge_delete", args=[urge.public_id])).status_code == 404
        assert client.get(reverse("checkins:urge_saved", args=[urge.public_id])).status_code == 404
        urge.refresh_from_db()
        assert urge.strength == 5
        client.force_login(pat)
        response = client.post(reverse("checkins:urge_edit", args=[urge.public_id]), {
            "strength": "7", "occurred_at": timezone.localtime(urge.occurred_at).strftime("%Y-%m-%dT%H:%M")})
        assert response.status_code == 302
        urge.refresh_from_db()
        assert urge.strength == 7 and urge.where == ""
        assert client.post(reverse("checkins:urge_delete", args=[urge.public_id])).status_code == 302
        assert not UrgeEntry.objects.exists()


class TestSharedUrges:
    def test_a_supporter_reads_urges_only_with_the_check_ins_grant(self, client, pat, sam, sams_membership):
        services.urge_log(person=pat, strength=8, where="The old pub", how_it_went="used")
        url = reverse("checkins:shared_urges", args=[pat.public_id])
        client.force_login(sam)
        assert client.get(url).status_code == 404
        circle_services.grant_create(member=sams_membership, items={"checkins": "view"}, purpose="Support",
                                     signature="Pat Example")
        page = client.get(url).content.decode()
        assert "8 out of 10" in page
        assert "The old pub" not in page and "I used" not in page  # her words; "how it went" needs the use log
        assert AccessLogEntry.objects.filter(category="checkins", allowed=True).exists()

    def test_with_the_use_log_grant_too_how_it_went_is_shown(self, client, pat, sam, sams_membership):
        services.urge_log(person=pat, strength=8, how_it_went="used")
        circle_services.grant_create(member=sams_membership, items={"checkins": "view", "use_log": "view"},
                                     purpose="Support", signature="Pat Example")
        client.force_login(sam)
        assert "I used" in client.get(reverse("checkins:shared_urges", args=[pat.public_id])).content.decode()

    def test_the_person_is_sent_to_their_own_log(self, pat_client, pat):
        response = pat_client.get(reverse("checkins:shared_urges", args=[pat.public_id]))
        assert response.status_code == 302 and response["Location"] == reverse("checkins:urges")


def test_the_urge_log_is_in_the_download(pat):
    from pathways.checkins.personal_data import export_checkins

    services.urge_log(person=pat, strength=4, where="Kitchen", note="Passed in ten minutes")
    [urge] = export_checkins(pat)["urges"]
    assert (urge["strength"], urge["where"], urge["note"]) == (4, "Kitchen", "Passed in ten minutes")
