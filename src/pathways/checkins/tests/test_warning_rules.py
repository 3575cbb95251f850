"""Early-warning rules over synthetic check-in histories: each fires on its pattern, stays quiet otherwise,
and its explanation names the answers that raised it. No database."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.checkins import warning_rules as rules
from pathways.checkins.warning_rules import Day, Evidence

TODAY = date(2026, 3, 20)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def history(n_days: int, *, start_ago: int = 0, **answers) -> list[Day]:
    """One check-in a day for `n_days` days, ending `start_ago` days ago, all with the same answers."""
    return [Day(day=ago(start_ago + n), **answers) for n in range(n_days)]


def answers_in(finding, item):
    return [(e.day, e.answer) for e in finding.evidence if e.item == item]


class TestSleepBelowUsual:
    def usual_weeks(self, hours=8):
        return history(20, start_ago=3, sleep_hours=hours)  # 20 answers in the 28 days before the run

    def test_it_fires_after_three_short_nights_in_a_row(self):
        short = [Day(ago(2), sleep_hours=6), Day(ago(1), sleep_hours=5.5), Day(ago(0), sleep_hours=7)]
        finding = rules.sleep_below_usual(self.usual_weeks() + short, TODAY)
        assert finding.rule == "sleep_below_usual"
        assert answers_in(finding, "sleep_hours") == [(ago(2), "6"), (ago(1), "5.5"), (ago(0), "7")]
        assert finding.facts["usual_hours"] == "8"
        assert "6, 5.5, 7 hours" in finding.summary and "about 8 hours" in finding.summary

    def test_it_fires_when_the_last_short_night_was_yesterday(self):
        short = [Day(ago(3), sleep_hours=5), Day(ago(2), sleep_hours=5), Day(ago(1), sleep_hours=5)]
        assert rules.sleep_below_usual(history(20, start_ago=4, sleep_hours=8) + short, TODAY)

    def test_less_than_an_hour_under_is_not_a_sign(self):
        short = [Day(ago(2), sleep_hours=6), Day(ago(1), sleep_hours=7.5), Day(ago(0), sleep_hours=6)]
        assert rules.sleep_below_usual(self.usual_weeks() + short, TODAY) is None

    def test_two_short_nights_are_not_three(self):
        short = [Day(ago(2), sleep_hours=8), Day(ago(1), sleep_hours=5), Day(ago(0), sleep_hours=5)]
        assert rules.sleep_below_usual(self.usual_weeks() + short, TODAY) is None

    def test_the_short_nights_must_be_in_a_row(self):
        short = [Day(ago(3), sleep_hours=5), Day(ago(1), sleep_hours=5), Day(ago(0), sleep_hours=5)]
        assert rules.sleep_below_usual(history(20, start_ago=4, sleep_hours=8) + short, TODAY) is None

    def test_an_old_run_of_short_nights_is_not_noticed_now(self):
        short = [Day(ago(6), sleep_hours=5), Day(ago(5), sleep_hours=5), Day(ago(4), sleep_hours=5)]
        assert rules.sleep_below_usual(history(20, start_ago=7, sleep_hours=8) + short, TODAY) is None

    def test_without_seven_answers_there_is_no_usual_to_compare_with(self):
        short = [Day(ago(2), sleep_hours=4), Day(ago(1), sleep_hours=4), Day(ago(0), sleep_hours=4)]
        assert rules.sleep_below_usual(history(6, start_ago=3, sleep_hours=8) + short, TODAY) is None
        assert rules.sleep_below_usual(history(7, start_ago=3, sleep_hours=8) + short, TODAY)

    def test_usual_is_the_median_of_the_four_weeks_before(self):
        before = history(10, start_ago=3, sleep_hours=9) + history(9, start_ago=13, sleep_hours=6)
        far_back = history(20, start_ago=40, sleep_hours=3)  # outside the 28 days: ignored
        short = [Day(ago(2), sleep_hours=7.5), Day(ago(1), sleep_hours=7), Day(ago(0), sleep_hours=7)]
        finding = rules.sleep_below_usual(far_back + before + short, TODAY)
        assert finding.facts == {"usual_hours": "9", "usual_from_answers": 19}

    def test_skipped_and_declined_sleep_answers_never_count(self):
        # Declined nights reach the rules as "not answered"; they neither make a run nor break one.
        short = [Day(ago(4), sleep_hours=5), Day(ago(3), sleep_hours=5), Day(ago(2)), Day(ago(1)), Day(ago(0))]
        assert rules.sleep_below_usual(history(20, start_ago=5, sleep_hours=8) + short, TODAY) is None


class TestCravingsRising:
    def test_it_fires_when_cravings_climb_over_the_week(self):
        week = [Day(ago(6), cravings=2), Day(ago(4), cravings=3), Day(ago(2), cravings=3), Day(ago(0), cravings=6)]
        finding = rules.cravings_rising(week, TODAY)
        assert answers_in(finding, "cravings") == [(ago(6), "2"), (ago(4), "3"), (ago(2), "3"), (ago(0), "6")]
        assert "from 2 to 6" in finding.summary and finding.facts["slope_per_day"] > 0

    def test_a_rise_of_one_is_not_enough(self):
        week = [Day(ago(3), cravings=2), Day(ago(2), cravings=2), Day(ago(1), cravings=3), Day(ago(0), cravings=3)]
        assert rules.cravings_rising(week, TODAY) is None

    def test_falling_or_flat_cravings_stay_quiet(self):
        assert rules.cravings_rising(history(7, cravings=5), TODAY) is None
        falling = [Day(ago(6 - n), cravings=8 - n) for n in range(7)]
        assert rules.cravings_rising(falling, TODAY) is None

    def test_a_spike_at_the_end_of_a_falling_week_is_not_a_rising_week(self):
        week = [Day(ago(6), cravings=9), Day(ago(5), cravings=8), Day(ago(4), cravings=2), Day(ago(3), cravings=1),
                Day(ago(2), cravings=1), Day(ago(0), cravings=4)]
        assert rules.cravings_rising(week, TODAY) is None  # last ≥ first + 2 fails

    def test_fewer_than_four_answers_are_too_few(self):
        week = [Day(ago(2), cravings=1), Day(ago(1), cravings=4), Day(ago(0), cravings=8),
                Day(ago(3)), Day(ago(4))]  # skipped or declined on the other days
        assert rules.cravings_rising(week, TODAY) is None

    def test_only_the_last_seven_days_count(self):
        week = [Day(ago(9), cravings=0), Day(ago(8), cravings=1), Day(ago(2), cravings=4), Day(ago(0), cravings=5)]
        assert rules.cravings_rising(week, TODAY) is None


class TestLonelyMostDays:
    def test_it_fires_on_four_of_seven_answered_days(self):
        days = [Day(ago(n), lonely=answer) for n, answer in enumerate(["yes", "no", "yes", "no", "yes", "no", "yes"])]
        finding = rules.lonely_most_days(days, TODAY)
        assert sorted(answers_in(finding, "lonely")) == sorted((d.day, d.lonely) for d in days)
        assert "4 of the last 7 days" in finding.summary

    def test_three_of_seven_stay_quiet(self):
        days = [Day(ago(n), lonely=answer) for n, answer in enumerate(["yes", "no", "yes", "no", "yes", "no", "no"])]
        assert rules.lonely_most_days(days, TODAY) is None

    def test_only_the_last_seven_answered_days_count(self):
        recent = [Day(ago(n), lonely=answer) for n, answer in enumerate(["no", "no", "no", "no", "yes", "yes", "yes"])]
        older = [Day(ago(8), lonely="yes"), Day(ago(9), lonely="yes")]
        assert rules.lonely_most_days(recent + older, TODAY) is None

    def test_prefer_not_to_say_and_skipped_days_never_count(self):
        days = [Day(ago(0), lonely="prefer_not"), Day(ago(1), lonely="prefer_not"), Day(ago(2), lonely="yes"),
                Day(ago(3), lonely="yes"), Day(ago(4), lonely="yes"), Day(ago(5), lonely=""), Day(ago(6))]
        assert rules.lonely_most_days(days, TODAY) is None

    def test_answers_older_than_two_weeks_are_not_used(self):
        days = [Day(ago(n), lonely="yes") for n in range(14, 21)]
        assert rules.lonely_most_days(days, TODAY) is None


class TestNoContact:
    def test_it_fires_after_five_answered_days_of_no(self):
        days = [Day(ago(n * 2), connected="no") for n in range(5)]  # every other day over nine days
        finding = rules.no_contact(days, TODAY)
        assert len(answers_in(finding, "connected")) == 5
        assert all(answer == "no" for _, answer in answers_in(finding, "connected"))

    def test_it_fires_on_four_answers_in_a_week_none_of_them_yes(self):
        days = [Day(ago(n), connected="no") for n in (0, 2, 4, 6)] + [Day(ago(1), connected="prefer_not")]
        finding = rules.no_contact(days, TODAY)
        assert answers_in(finding, "connected") == [(ago(6), "no"), (ago(4), "no"), (ago(2), "no"), (ago(0), "no")]
        assert "4 times" in finding.summary

    def test_one_yes_keeps_it_quiet(self):
        days = [Day(ago(n), connected="no") for n in range(6)] + [Day(ago(2), connected="yes")]
        days = [d for d in days if not (d.day == ago(2) and d.connected == "no")]
        assert rules.no_contact(days, TODAY) is None

    def test_three_answers_are_too_few(self):
        days = [Day(ago(n), connected="no") for n in range(3)] + [Day(ago(n)) for n in range(3, 7)]
        assert rules.no_contact(days, TODAY) is None

    def test_prefer_not_to_say_never_counts_as_no(self):
        days = [Day(ago(n), connected="prefer_not") for n in range(7)] + [Day(ago(n), connected="no") for n in (8, 9)]
        assert rules.no_contact(days, TODAY) is None


class TestCheckinsStopping:
    def test_it_fires_when_regular_check_ins_stop_for_three_days(self):
        days = history(6, start_ago=4)  # check-ins on days 4..9 ago, none since
        finding = rules.checkins_stopping(days, TODAY)
        assert answers_in(finding, "checked_in") == [(ago(n), "yes") for n in range(9, 3, -1)]
        assert f"{ago(4):%A %d %B}" in finding.summary

    def test_a_check_in_in_the_last_three_days_or_today_keeps_it_quiet(self):
        for recent in range(4):
            assert rules.checkins_stopping(history(6, start_ago=4) + [Day(ago(recent))], TODAY) is None

    def test_two_quiet_days_are_not_three(self):
        assert rules.checkins_stopping(history(6, start_ago=3), TODAY) is None

    def test_someone_who_rarely_checks_in_gets_no_gentle_note(self):
        assert rules.checkins_stopping([Day(ago(n)) for n in (4, 8, 12, 16)], TODAY) is None

    def test_a_check_in_with_every_item_declined_still_counts_as_checking_in(self):
        declined_everything = Day(ago(1), lonely="prefer_not", connected="prefer_not")
        assert rules.checkins_stopping(history(6, start_ago=4) + [declined_everything], TODAY) is None

    def test_check_ins_long_ago_do_not_count(self):
        assert rules.checkins_stopping(history(10, start_ago=18), TODAY) is None


def test_evaluate_runs_only_the_rules_asked_for():
    lonely_then_quiet = history(6, start_ago=4, lonely="yes")
    assert {f.rule for f in rules.evaluate(lonely_then_quiet, today=TODAY)} == {"lonely_most_days", "checkins_stopping"}
    assert [f.rule for f in rules.evaluate(lonely_then_quiet, today=TODAY, rules=["lonely_most_days"])] == [
        "lonely_most_days"]
    assert rules.evaluate(lonely_then_quiet, today=TODAY, rules=["no_contact", "cravings_rising"]) == []


def test_an_explanation_is_plain_data_naming_each_answer():
    finding = rules.lonely_most_days(history(5, lonely="yes"), TODAY)
    explanation = finding.explanation()
    assert explanation["answers"][0] == {"day": ago(4).isoformat(), "item": "lonely", "answer": "yes"}
    assert explanation["summary"] == finding.summary


def test_every_rule_has_a_gentle_title_and_an_example_sign():
    for key, rule in rules.RULES.items():
        assert rule.key == key and rule.title and rule.example_sign and rule.stage in {"emotional", "mental"}
        assert "warning" not in rule.title.lower()


def test_daily_check_ins_with_every_item_skipped_raise_nothing():
    assert rules.evaluate(history(30), today=TODAY) == []


DECLINED = st.sampled_from(["", "prefer_not"])


@given(st.lists(st.tuples(st.integers(0, 40), DECLINED, DECLINED), max_size=60))
def test_declined_or_skipped_answers_alone_never_raise_an_answer_based_sign(entries):
    days = {ago(n): Day(ago(n), lonely=lonely, connected=connected) for n, lonely, connected in entries}
    found = {f.rule for f in rules.evaluate(days.values(), today=TODAY)}
    assert found <= {"checkins_stopping"}


@given(st.lists(st.tuples(st.integers(0, 40), st.one_of(st.none(), st.integers(0, 10)),
                          st.one_of(st.none(), st.integers(3, 12)), st.sampled_from(["", "yes", "no", "prefer_not"])),
                max_size=60))
def test_every_finding_names_answers_the_person_actually_gave(entries):
    days = {ago(n): Day(ago(n), cravings=c, sleep_hours=s, lonely=a, connected=a) for n, c, s, a in entries}
    for finding in rules.evaluate(days.values(), today=TODAY):
        assert finding.evidence
        for evidence in finding.evidence:
            assert isinstance(evidence, Evidence)
            day = days[evidence.day]
            given_answer = {"sleep_hours": day.sleep_hours, "cravings": day.cravings, "lonely": day.lonely,
                            "connected": day.connected, "checked_in": "yes"}[evidence.item]
            assert evidence.answer == (rules.hours(given_answer) if evidence.item == "sleep_hours"
                                       else str(given_answer))
            assert evidence.answer not in ("", "None", "prefer_not")


@pytest.mark.parametrize("rule", list(rules.RULES))
def test_an_empty_history_is_quiet(rule):
    assert rules.RULES[rule].check([], TODAY) is None
