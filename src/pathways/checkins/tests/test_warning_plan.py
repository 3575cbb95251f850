"""The early-warning plan: Pat's own signs, triggers and choices; gentle notes when her check-ins match them;
supporters told only what she allowed, only with a grant; and no second note for the same episode."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.checkins import services
from pathways.checkins.models import DailyCheckIn, EarlyWarningSetting, GentleNote, Trigger, WarningSign
from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry
from pathways.notifications.models import Notification
from pathways.notifications.services import reminder_settings_update


def today():
    return timezone.localdate()


def days_ago(n: int):
    return today() - timedelta(days=n)


def earlier_checkins(person, *offsets, **answers):
    """Check-ins already on record for the given days back (history the service no longer lets us write)."""
    for n in offsets:
        DailyCheckIn.objects.create(person=person, day=days_ago(n), **answers)


def watch(person, rule, sign="A sign of mine", stage="emotional", **fields):
    return services.warning_sign_add(person=person, stage=stage, sign=sign, watch=rule, **fields)


def lonely_week(person):
    """Lonely on three earlier days; one more "yes" today completes four of the last seven answered days."""
    earlier_checkins(person, 1, 3, 5, lonely="yes")
    earlier_checkins(person, 2, 4, lonely="no")


def early_warning_notes(recipient):
    return list(Notification.objects.filter(recipient=recipient, kind="early_warning"))


@pytest.fixture
def early_warning_grant(sams_membership):
    return circle_services.grant_create(member=sams_membership, items={"early_warning": "view"},
                                        purpose="To check in with me when things slip", signature="Pat Example")


class TestNotesRaisedByCheckIns:
    def test_a_check_in_that_completes_a_pattern_raises_one_gentle_note(self, pat):
        watch(pat, "lonely_most_days", sign="Keeping to myself")
        lonely_week(pat)
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "yes"})
        gentle_note = GentleNote.objects.get(person=pat)
        assert gentle_note.rule == "lonely_most_days" and gentle_note.seen_at is None
        named = {(a["day"], a["answer"]) for a in gentle_note.explanation["answers"]}
        assert named == {(days_ago(n).isoformat(), "yes" if n in (0, 1, 3, 5) else "no") for n in range(6)}
        [note] = early_warning_notes(pat)
        assert note.title == "A gentle note from your check-ins"
        assert note.link == reverse("warning_signs:note", args=[gentle_note.pk])

    def test_a_pattern_no_sign_is_tied_to_stays_quiet(self, pat):
        services.warning_sign_add(person=pat, stage="emotional", sign="Keeping to myself")  # not watched
        lonely_week(pat)
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "yes"})
        assert not GentleNote.objects.exists() and not early_warning_notes(pat)

    def test_prefer_not_to_say_never_raises_a_note(self, pat):
        watch(pat, "lonely_most_days")
        earlier_checkins(pat, 1, 2, 3, 4, 5, lonely="prefer_not", declined=["lonely"])
        earlier_checkins(pat, 6, 7, 8, lonely="yes")
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "prefer_not"}, declined=["lonely"])
        assert not GentleNote.objects.exists()

    def test_a_declined_sleep_answer_is_not_read_as_short_sleep(self, pat):
        watch(pat, "sleep_below_usual")
        earlier_checkins(pat, *range(3, 20), sleep_hours=8)
        earlier_checkins(pat, 2, 1, sleep_hours=4)
        services.daily_checkin_save(person=pat, day=today(), answers={}, declined=["sleep_hours"])
        assert not GentleNote.objects.exists()
        DailyCheckIn.objects.filter(person=pat, day=today()).delete()
        services.daily_checkin_save(person=pat, day=today(), answers={"sleep_hours": 4})
        assert GentleNote.objects.get().rule == "sleep_below_usual"

    def test_the_same_episode_raises_no_second_note(self, pat):
        watch(pat, "lonely_most_days")
        lonely_week(pat)
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "yes"})
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "yes", "mood": 2})  # changed today
        assert GentleNote.objects.count() == 1
        DailyCheckIn.objects.create(person=pat, day=today() + timedelta(days=1), lonely="yes")
        assert services.early_warning_check(person=pat, today=today() + timedelta(days=1)) == []
        assert GentleNote.objects.count() == 1 and len(early_warning_notes(pat)) == 1

    def test_after_a_quiet_week_new_answers_can_raise_a_new_note(self, pat):
        watch(pat, "lonely_most_days")
        lonely_week(pat)
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "yes"})
        GentleNote.objects.update(fired_at=timezone.now() - timedelta(days=8))
        DailyCheckIn.objects.create(person=pat, day=today() + timedelta(days=1), lonely="yes")
        assert len(services.early_warning_check(person=pat, today=today() + timedelta(days=1))) == 1

    def test_a_week_later_the_same_answers_raise_nothing_new(self, pat):
        watch(pat, "lonely_most_days")
        lonely_week(pat)
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "yes"})
        GentleNote.objects.update(fired_at=timezone.now() - timedelta(days=8))
        assert services.early_warning_check(person=pat) == []


class TestWhatSupportersAreTold:
    def raise_a_note(self, pat):
        watch(pat, "lonely_most_days", sign="Keeping to myself", what_i_will_do="Call my sister")
        lonely_week(pat)
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "yes", "note": "A hard week"})
        return GentleNote.objects.get(person=pat)

    def test_a_supporter_with_the_grant_is_told_only_that_a_sign_was_noticed(self, pat, sam, early_warning_grant):
        gentle_note = self.raise_a_note(pat)
        [told] = early_warning_notes(sam)
        assert told.title == "A sign was noticed for Pat" and told.about == pat
        assert "in her own plan, and she has been shown her plan" in told.body  # Pat's own pronouns, she/her
        text = f"{told.title} {told.body}".lower()
        for private in ("lonely", "keeping to myself", "call my sister", "a hard week", "yes"):
            assert private not in text
        assert gentle_note.supporters_told == ["Sam"] and not gentle_note.sign_named_to_supporters
        entry = AccessLogEntry.objects.get(category="early_warning")
        assert entry.allowed and entry.viewer_ref == str(sam.public_id)

    def test_which_sign_is_named_only_when_the_person_allowed_it(self, pat, sam, early_warning_grant):
        services.early_warning_setting_update(person=pat, share_which_sign_with_supporters=True)
        gentle_note = self.raise_a_note(pat)
        [told] = early_warning_notes(sam)
        assert "The sign: feeling lonely on most days." in told.body
        assert "keeping to myself" not in told.body.lower() and "call my sister" not in told.body.lower()
        assert gentle_note.sign_named_to_supporters

    def test_a_supporter_without_the_grant_is_told_nothing(self, pat, sam, sams_membership, lee):
        circle_services.grant_create(member=sams_membership, items={"plan": "view", "checkins": "view"},
                                     purpose="To support me", signature="Pat Example")
        gentle_note = self.raise_a_note(pat)
        assert early_warning_notes(sam) == [] and early_warning_notes(lee) == []
        assert gentle_note.supporters_told == []
        assert not AccessLogEntry.objects.filter(category="early_warning").exists()

    def test_a_supporter_who_turned_these_off_is_not_told_and_not_listed(self, pat, sam, early_warning_grant):
        reminder_settings_update(person=sam, early_warning_on=False)
        gentle_note = self.raise_a_note(pat)
        assert early_warning_notes(sam) == [] and gentle_note.supporters_told == []
        assert not AccessLogEntry.objects.filter(category="early_warning").exists()

    def test_a_revoked_grant_tells_nobody(self, pat, sam, early_warning_grant):
        circle_services.grant_revoke(grant=early_warning_grant)
        self.raise_a_note(pat)
        assert early_warning_notes(sam) == []

    def test_a_supporter_who_left_the_circle_is_told_nothing(self, pat, sam, sams_membership, early_warning_grant):
        circle_services.member_remove(member=sams_membership)
        self.raise_a_note(pat)
        assert early_warning_notes(sam) == []


class TestTheSweepForPausedCheckIns:
    def test_it_notes_a_pause_once(self, pat, rue):
        watch(pat, "checkins_stopping", sign="Letting check-ins slide")
        earlier_checkins(pat, *range(4, 11))
        earlier_checkins(rue, *range(4, 11))  # Rue's check-ins paused too, but she did not ask for this
        assert services.early_warning_sweep() == 1
        gentle_note = GentleNote.objects.get()
        assert gentle_note.person == pat and gentle_note.rule == "checkins_stopping"
        assert gentle_note.explanation["facts"]["last_checkin"] == days_ago(4).isoformat()
        assert services.early_warning_sweep() == 0
        GentleNote.objects.update(fired_at=timezone.now() - timedelta(days=8))
        assert services.early_warning_sweep() == 0  # still the same pause
        assert services.early_warning_sweep(today=today() + timedelta(days=3)) == 0

    def test_it_leaves_people_who_checked_in_lately_alone(self, pat):
        watch(pat, "checkins_stopping")
        earlier_checkins(pat, 2, *range(4, 11))
        assert services.early_warning_sweep() == 0

    def test_a_new_pause_after_coming_back_gets_its_own_note(self, pat):
        watch(pat, "checkins_stopping")
        earlier_checkins(pat, *range(19, 26))
        assert services.early_warning_sweep(today=days_ago(15)) == 1  # the first pause, noted 15 days ago
        GentleNote.objects.update(fired_at=timezone.now() - timedelta(days=15))
        earlier_checkins(pat, *range(5, 15))  # came back, then paused again
        assert services.early_warning_sweep() == 1
        assert GentleNote.objects.order_by("fired_at").last().explanation["facts"]["last_checkin"] == (
            days_ago(5).isoformat())

    def test_saving_a_check_in_never_raises_the_pause_note(self, pat):
        watch(pat, "checkins_stopping")
        earlier_checkins(pat, *range(10, 20))
        services.daily_checkin_save(person=pat, day=days_ago(8), answers={"mood": 3})
        assert not GentleNote.objects.exists()


class TestPlanPages:
    def test_the_plan_shows_every_stage_with_examples_to_take_or_leave(self, pat_client):
        response = pat_client.get(reverse("warning_signs:plan"))
        page = response.content.decode()
        assert response.status_code == 200 and page.count("<h1") == 1
        for heading in ("Emotional stage", "Mental stage", "Physical stage", "Triggers and what helps",
                        "What my check-ins watch for", "What supporters are told"):
            assert heading in page
        assert "Skipping meals" in page and "Thinking about old places" in page
        assert "Add “Sleeping less than I usually do” and watch for it" in page
        assert "warning!" not in page.lower()

    def test_the_nav_links_to_the_plan(self, pat_client):
        assert reverse("warning_signs:plan") in pat_client.get(reverse("plans:plan")).content.decode()

    def test_adding_a_sign_in_my_own_words(self, pat_client, pat):
        response = pat_client.post(reverse("warning_signs:sign_add"), {
            "stage": "mental", "sign": "Scrolling old photos", "what_i_will_do": "Put the phone down and walk",
            "who_i_will_contact": "Jo, 0700 000 000", "watch": ""})
        assert response.status_code == 302 and response.url.endswith("#mental")
        sign = WarningSign.objects.get(person=pat)
        assert (sign.stage, sign.sign, sign.who_i_will_contact, sign.watch) == (
            "mental", "Scrolling old photos", "Jo, 0700 000 000", "")

    def test_only_the_sign_itself_is_needed(self, pat_client, pat):
        pat_client.post(reverse("warning_signs:sign_add"), {"stage": "emotional", "sign": "Skipping showers"})
        assert WarningSign.objects.get(person=pat).what_i_will_do == ""

    def test_a_sign_without_words_keeps_what_was_typed(self, pat_client, pat):
        response = pat_client.post(reverse("warning_signs:sign_add"), {
            "stage": "emotional", "sign": "  ", "what_i_will_do": "Text Sam before bed"})
        page = response.content.decode()
        assert response.status_code == 200 and "Something needs a second look" in page
        assert "Text Sam before bed" in page and "Write the sign in a few words" in page
        assert not WarningSign.objects.exists()

    def test_a_form_posted_twice_adds_one_sign(self, pat_client, pat):
        data = {"stage": "emotional", "sign": "Skipping showers",
                "submission_key": "8d3c1f0e-3a5b-4f0e-9a53-2b1c9d7e6f10"}
        pat_client.post(reverse("warning_signs:sign_add"), data)
        pat_client.post(reverse("warning_signs:sign_add"), data)
        assert WarningSign.objects.filter(person=pat).count() == 1

    def test_an_example_is_one_tap_and_tapping_twice_keeps_one(self, pat_client, pat):
        for _ in range(2):
            response = pat_client.post(reverse("warning_signs:sign_add_example"),
                                       {"stage": "emotional", "example": "skipping-meals"})
        sign = WarningSign.objects.get(person=pat)
        assert sign.sign == "Skipping meals" and response.url == reverse("warning_signs:sign_edit", args=[sign.pk])
        assert "Skipping meals</button>" not in pat_client.get(reverse("warning_signs:plan")).content.decode()

    def test_a_rules_example_sign_is_added_already_watched(self, pat_client, pat):
        pat_client.post(reverse("warning_signs:sign_add_example"),
                        {"stage": "mental", "example": "cravings_rising"})
        assert WarningSign.objects.get(person=pat).watch == "cravings_rising"

    def test_an_unknown_example_adds_nothing(self, pat_client, pat):
        response = pat_client.post(reverse("warning_signs:sign_add_example"),
                                   {"stage": "emotional", "example": "nonsense"}, follow=True)
        assert not WarningSign.objects.exists() and "not offered any more" in response.content.decode()

    def test_changing_and_removing_a_sign(self, pat_client, pat):
        sign = services.warning_sign_add(person=pat, stage="emotional", sign="Skipping meals")
        pat_client.post(reverse("warning_signs:sign_edit", args=[sign.pk]), {
            "stage": "emotional", "sign": "Skipping lunch", "what_i_will_do": "Eat something small",
            "watch": "sleep_below_usual"})
        sign.refresh_from_db()
        assert (sign.sign, sign.what_i_will_do, sign.watch) == ("Skipping lunch", "Eat something small",
                                                               "sleep_below_usual")
        pat_client.post(reverse("warning_signs:sign_remove", args=[sign.pk]))
        assert not WarningSign.objects.exists()

    def test_a_failed_change_keeps_what_was_typed_and_changes_nothing(self, pat_client, pat):
        sign = services.warning_sign_add(person=pat, stage="emotional", sign="Skipping meals")
        response = pat_client.post(reverse("warning_signs:sign_edit", args=[sign.pk]), {
            "stage": "nowhere", "sign": "Skipping lunch"})
        assert response.status_code == 200 and "Skipping lunch" in response.content.decode()
        sign.refresh_from_db()
        assert (sign.stage, sign.sign) == ("emotional", "Skipping meals")

    def test_triggers_with_what_helps(self, pat_client, pat):
        pat_client.post(reverse("warning_signs:trigger_add"), {"trigger": "Sunday evenings",
                                                               "what_helps": "Plan a film with Jo"})
        pat_client.post(reverse("warning_signs:trigger_add_example"), {"example": "payday"})
        assert list(Trigger.objects.filter(person=pat).values_list("trigger", "what_helps")) == [
            ("Sunday evenings", "Plan a film with Jo"), ("Payday", "")]
        trigger = Trigger.objects.filter(person=pat).last()
        pat_client.post(reverse("warning_signs:trigger_edit", args=[trigger.pk]),
                        {"trigger": "Payday", "what_helps": "Pay the bills first"})
        trigger.refresh_from_db()
        assert trigger.what_helps == "Pay the bills first"
        response = pat_client.post(reverse("warning_signs:trigger_add"), {"trigger": "", "what_helps": "Walk"})
        assert response.status_code == 200 and "Walk" in response.content.decode()
        pat_client.post(reverse("warning_signs:trigger_remove", args=[trigger.pk]))
        assert Trigger.objects.count() == 1

    def test_choosing_what_check_ins_watch_for(self, pat_client, pat):
        sign = services.warning_sign_add(person=pat, stage="emotional", sign="Going quiet")
        pat_client.post(reverse("warning_signs:watch_set", args=["no_contact"]), {"sign": sign.pk})
        sign.refresh_from_db()
        assert sign.watch == "no_contact"
        page = pat_client.get(reverse("warning_signs:plan")).content.decode()
        assert "Watching for “Going quiet”" in page
        pat_client.post(reverse("warning_signs:watch_stop", args=["no_contact"]))
        sign.refresh_from_db()
        assert sign.watch == ""

    def test_the_sharing_switch_starts_off_and_the_person_turns_it_on(self, pat_client, pat):
        assert not EarlyWarningSetting.objects.filter(person=pat, share_which_sign_with_supporters=True).exists()
        pat_client.post(reverse("warning_signs:sharing"), {"share_which_sign": "on"})
        assert EarlyWarningSetting.objects.get(person=pat).share_which_sign_with_supporters
        pat_client.post(reverse("warning_signs:sharing"), {})
        assert not EarlyWarningSetting.objects.get(person=pat).share_which_sign_with_supporters


class TestTheGentleNote:
    def test_after_the_check_in_the_next_page_shows_a_gentle_note(self, pat_client, pat):
        watch(pat, "lonely_most_days", sign="Keeping to myself")
        lonely_week(pat)
        response = pat_client.post(reverse("checkins:daily"), {"lonely": "yes"}, follow=True)
        page = response.content.decode()
        gentle_note = GentleNote.objects.get()
        assert "<strong>A gentle note:</strong> feeling lonely on most days" in page
        assert reverse("warning_signs:note", args=[gentle_note.pk]) in page

    def test_the_note_shows_the_answers_and_my_own_plan_and_is_then_set_aside(self, pat_client, pat, sam,
                                                                              early_warning_grant):
        watch(pat, "lonely_most_days", sign="Keeping to myself", what_i_will_do="Call my sister",
              who_i_will_contact="Jo")
        services.warning_sign_add(person=pat, stage="emotional", sign="Skipping meals")
        services.warning_sign_add(person=pat, stage="physical", sign="Going to the old bar")
        services.trigger_add(person=pat, trigger="Payday", what_helps="Pay the bills first")
        lonely_week(pat)
        services.daily_checkin_save(person=pat, day=today(), answers={"lonely": "yes"})
        gentle_note = GentleNote.objects.get()
        page = pat_client.get(reverse("warning_signs:note", args=[gentle_note.pk])).content.decode()
        assert page.count("<h1") == 1 and "A gentle note: feeling lonely on most days" in page
        assert "4 of the last 6 days" in page
        assert f"{days_ago(3):%A} {days_ago(3).day} {days_ago(3):%B}</time>: lonely, yes" in page
        for own_words in ("Keeping to myself", "Call my sister", "Jo", "Skipping meals", "Payday",
                          "Pay the bills first"):
            assert own_words in page
        assert "Going to the old bar" not in page  # the plan for this stage, not every stage
        assert "Sam was told only that a sign was noticed" in page
        gentle_note.refresh_from_db()
        assert gentle_note.seen_at is not None
        assert "gentle-note" not in pat_client.get(reverse("plans:plan")).content.decode()
        told = Notification.objects.get(recipient=pat, kind="early_warning")
        assert told.read_at is not None and gentle_note.notification == told  # by reference, not by its link

    def test_not_now_sets_the_note_aside_and_returns(self, pat_client, pat):
        gentle_note = GentleNote.objects.create(person=pat, rule="no_contact", explanation={"summary": "s", "answers": []})
        response = pat_client.post(reverse("warning_signs:note_not_now", args=[gentle_note.pk]), {"next": "/plan/"})
        assert response.url == "/plan/"
        gentle_note.refresh_from_db()
        assert gentle_note.seen_at is not None

    def test_not_now_never_sends_anyone_to_another_site(self, pat_client, pat):
        gentle_note = GentleNote.objects.create(person=pat, rule="no_contact", explanation={})
        response = pat_client.post(reverse("warning_signs:note_not_now", args=[gentle_note.pk]),
                                   {"next": "https://elsewhere.example/"})
        assert response.url == reverse("warning_signs:plan")


class TestOnlyThePersonSeesTheirPlan:
    @pytest.fixture
    def pats_things(self, pat):
        sign = services.warning_sign_add(person=pat, stage="emotional", sign="Skipping meals")
        trigger = services.trigger_add(person=pat, trigger="Payday")
        gentle_note = GentleNote.objects.create(person=pat, rule="lonely_most_days",
                                            explanation={"summary": "You answered", "answers": []})
        return sign, trigger, gentle_note

    @pytest.mark.parametrize("who", ["rue", "sam"])
    def test_someone_else_gets_404_for_each_of_pats_things(self, client, request, pats_things, who,
                                                           early_warning_grant):
        sign, trigger, gentle_note = pats_things
        client.force_login(request.getfixturevalue(who))
        for name, arg in [("sign_edit", sign.pk), ("trigger_edit", trigger.pk), ("note", gentle_note.pk)]:
            assert client.get(reverse(f"warning_signs:{name}", args=[arg])).status_code == 404
        for name, arg in [("sign_edit", sign.pk), ("sign_remove", sign.pk), ("trigger_edit", trigger.pk),
                          ("trigger_remove", trigger.pk), ("note_not_now", gentle_note.pk)]:
            assert client.post(reverse(f"warning_signs:{name}", args=[arg]), {"sign": "Mine now",
                                                                             "stage": "mental"}).status_code == 404
        assert client.post(reverse("warning_signs:watch_set", args=["no_contact"]), {"sign": sign.pk}).status_code == 302
        sign.refresh_from_db()
        gentle_note.refresh_from_db()
        assert (sign.sign, sign.watch, gentle_note.seen_at) == ("Skipping meals", "", None)
        assert Trigger.objects.filter(pk=trigger.pk).exists()
        their_plan = client.get(reverse("warning_signs:plan")).content.decode()
        assert "Skipping meals</strong>" not in their_plan and "Payday</strong>" not in their_plan

    def test_signed_out_visitors_are_sent_to_sign_in(self, client, pats_things):
        assert client.get(reverse("warning_signs:plan")).status_code == 302
