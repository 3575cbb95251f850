"""The daily check-in: one a day, editable that day, back-filled days marked, a use log that fits."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pathways.checkins import services
from pathways.checkins.forms import use_items_for
from pathways.checkins.models import DailyCheckIn, UseLog
from pathways.plans import services as plan_services
from pathways.plans.models import Pathway, Win


def today():
    return timezone.localdate()


def test_todays_check_in_can_be_changed_all_day(pat):
    services.daily_checkin_save(person=pat, day=today(), answers={"mood": 2, "cravings": 7})
    services.daily_checkin_save(person=pat, day=today(), answers={"mood": 4})
    checkin = DailyCheckIn.objects.get(person=pat)
    assert (checkin.mood, checkin.cravings, checkin.backfilled) == (4, None, False)


def test_a_missed_day_can_be_filled_in_once_and_is_marked(pat):
    yesterday = today() - timedelta(days=1)
    services.daily_checkin_save(person=pat, day=yesterday, answers={"sleep_hours": Decimal("6")})
    assert DailyCheckIn.objects.get(person=pat, day=yesterday).backfilled
    with pytest.raises(ValidationError):
        services.daily_checkin_save(person=pat, day=yesterday, answers={"sleep_hours": Decimal("9")})
    assert DailyCheckIn.objects.get(person=pat, day=yesterday).sleep_hours == Decimal("6")


@pytest.mark.parametrize("offset", [1, -31])
def test_future_days_and_days_long_past_are_refused(pat, offset):
    with pytest.raises(ValidationError):
        services.daily_checkin_save(person=pat, day=today() + timedelta(days=offset), answers={"mood": 3})
    assert not DailyCheckIn.objects.exists()


def test_every_item_can_be_skipped_or_declined(pat):
    checkin = services.daily_checkin_save(person=pat, day=today(), answers={}, declined=["mood", "lonely", "bogus"])
    assert checkin.mood is None and checkin.lonely == "" and checkin.declined == ["lonely", "mood"]


@pytest.mark.parametrize("answers", [{"mood": 6}, {"cravings": 11}, {"sleep_hours": Decimal("25")},
                                     {"lonely": "sometimes"}, {"self_harm_thoughts": "maybe"}])
def test_out_of_range_answers_are_refused_and_nothing_is_saved(pat, answers):
    with pytest.raises(ValidationError):
        services.daily_checkin_save(person=pat, day=today(), answers=answers)
    assert not DailyCheckIn.objects.exists()


def test_a_bad_use_log_leaves_no_half_written_check_in(pat):
    with pytest.raises(ValidationError):
        services.daily_checkin_save(person=pat, day=today(), answers={"mood": 3}, use={"doses_taken": 99})
    assert not DailyCheckIn.objects.exists() and not UseLog.objects.exists()


def test_a_self_harm_answer_is_stored_and_flags_risk(pat):
    checkin = services.daily_checkin_save(person=pat, day=today(), answers={"self_harm_thoughts": "some"})
    assert checkin.raises_risk
    skipped = services.daily_checkin_save(person=pat, day=today(), answers={"mood": 3})
    assert not skipped.raises_risk


def test_a_lapse_with_a_reflection_never_erases_progress(pat):
    goal = plan_services.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Steady", first_steps=["Walk"])
    plan_services.step_complete(step=goal.steps.get(), actor=pat)
    services.daily_checkin_save(person=pat, day=today(), answers={"mood": 2}, use={
        "used": "yes", "is_lapse": True, "what_was_happening": "A hard phone call", "what_i_learned": "Call Sam first"})
    log = UseLog.objects.get()
    assert log.is_lapse and log.what_i_learned == "Call Sam first"
    assert Win.objects.filter(plan=pat.plan).count() == 1
    assert pat.plan.goals.get().status == "active"


class TestUseItemsFollowPathways:
    def test_abstinence_asks_only_whether_i_used(self):
        assert use_items_for({Pathway.ABSTINENCE})[:1] == ("used",) and "how_much" not in use_items_for(
            {Pathway.ABSTINENCE})

    def test_moderation_asks_what_and_how_much(self):
        assert {"what", "how_much"} <= set(use_items_for({Pathway.MODERATION}))

    def test_harm_reduction_asks_about_safer_use(self):
        assert {"not_alone", "naloxone_at_hand", "tested_supply"} <= set(use_items_for({Pathway.HARM_REDUCTION}))

    def test_medication_asks_about_doses(self):
        assert "doses_taken" in use_items_for({Pathway.MEDICATION})

    def test_every_pathway_can_note_a_lapse_and_reflect(self):
        for pathway in Pathway.values:
            assert {"is_lapse", "what_was_happening", "what_i_learned"} <= set(use_items_for({pathway}))
