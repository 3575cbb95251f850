"""Scoring of the recovery check-in: CHIME processes and the four dimensions."""
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from pathways.checkins import services
from pathways.checkins.recovery_items import ITEM_IDS, ITEM_MAX, PROCESSES, process_scores


def test_a_process_score_is_the_mean_of_its_answers_scaled_to_100():
    assert process_scores({"c1": 4, "c2": 4, "c3": 4})["connectedness"] == 100
    assert process_scores({"h1": 0, "h2": 0, "h3": 0})["hope"] == 0
    assert process_scores({"i1": 1, "i2": 2, "i3": 3})["identity"] == 50


def test_skipped_items_are_left_out_not_counted_as_zero():
    assert process_scores({"m1": 4, "m2": 2})["meaning"] == 75


def test_a_process_with_fewer_than_two_answers_has_no_score():
    scores = process_scores({"e1": 3, "c1": 2, "c2": 2})
    assert "empowerment" not in scores and scores["connectedness"] == 50


def test_every_process_has_three_items_of_our_own():
    assert [p.key for p in PROCESSES] == ["connectedness", "hope", "identity", "meaning", "empowerment"]
    assert all(len(p.items) == 3 for p in PROCESSES) and len(ITEM_IDS) == 15


@given(st.dictionaries(st.sampled_from(sorted(ITEM_IDS)), st.integers(0, ITEM_MAX)))
def test_process_scores_stay_within_0_and_100(answers):
    for score in process_scores(answers).values():
        assert 0 <= score <= 100


def test_recording_stores_answers_ratings_and_scores(pat):
    checkin = services.recovery_checkin_record(
        person=pat, answers={"c1": 3, "c2": 1, "c3": None, "h1": 4}, dimension_ratings={"health": 7, "home": None},
        declined=["c3"])
    assert checkin.answers == {"c1": 3, "c2": 1, "h1": 4}
    assert checkin.dimension_ratings == {"health": 7}
    assert checkin.process_scores == {"connectedness": 50.0}
    assert checkin.declined == ["c3"]


@pytest.mark.parametrize("answers,ratings", [
    ({"c1": 5}, {}),
    ({"c1": -1}, {}),
    ({"zz": 1}, {}),
    ({}, {"health": 11}),
    ({}, {"wealth": 5}),
    ({"c1": "3"}, {}),
])
def test_out_of_range_or_unknown_answers_are_refused(pat, answers, ratings):
    with pytest.raises(ValidationError):
        services.recovery_checkin_record(person=pat, answers=answers, dimension_ratings=ratings)
    assert not pat.recovery_checkins.exists()
