"""Check-in pages: skip what you like, decline what you like, bad input explained, others see nothing."""
from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
from pathways.plans import services as plan_services


def test_the_form_asks_use_questions_that_fit_the_pathways(pat_client, pat):
    plan_services.pathways_set(plan=pat.plan, actor=pat, chosen={"harm_reduction": ""})
    body = pat_client.get("/checkin/").content.decode()
    assert "Naloxone was at hand" in body and "Medication doses" not in body


def test_a_check_in_with_skips_and_a_declined_item(pat_client, pat):
    response = pat_client.post("/checkin/", {"mood": "4", "cravings": "prefer_not", "lonely": "yes",
                                             "used": "no", "note": "Good walk"}, follow=True)
    # An ordinary day calls for nothing more than thanks, on the progress page.
    assert response.redirect_chain[-1][0] == "/people/progress/"
    assert "Saved. Thank you for checking in." in response.content.decode()
    checkin = DailyCheckIn.objects.get(person=pat)
    assert (checkin.mood, checkin.cravings, checkin.lonely, checkin.note) == (4, None, "yes", "Good walk")
    assert checkin.declined == ["cravings"] and checkin.use.used == "no"


def test_an_empty_check_in_is_fine(pat_client, pat):
    assert pat_client.post("/checkin/", {}).status_code == 302
    assert DailyCheckIn.objects.filter(person=pat).exists()


def test_editing_today_shows_what_was_saved(pat_client, pat):
    pat_client.post("/checkin/", {"mood": "2", "sleep_hours": "7", "hungry": "prefer_not"})
    form = pat_client.get("/checkin/").context["form"]
    assert form.initial["mood"] == "2" and form.initial["sleep_hours"] == "7" and form.initial["hungry"] == "prefer_not"


def test_back_filling_a_missed_day(pat_client, pat):
    yesterday = timezone.localdate() - timedelta(days=1)
    pat.date_joined = timezone.now() - timedelta(days=5)
    pat.save()
    assert yesterday.isoformat() in pat_client.get("/checkin/").content.decode()
    pat_client.post(f"/checkin/?day={yesterday.isoformat()}", {"day": yesterday.isoformat(), "mood": "3"})
    assert DailyCheckIn.objects.get(person=pat, day=yesterday).backfilled


@pytest.mark.parametrize("data,message", [
    ({"mood": "9"}, "Select a valid choice"),
    ({"note": "x" * 4001}, "at most 4000 characters"),
])
def test_bad_input_is_explained_and_kept(pat_client, pat, data, message):
    response = pat_client.post("/checkin/", {**data, "tired": "yes"})
    assert response.status_code == 200 and message in response.content.decode()
    assert response.context["form"]["tired"].value() == "yes"
    assert not DailyCheckIn.objects.exists()


@pytest.mark.parametrize("day", ["2999-01-01", "not-a-day"])
def test_impossible_days_go_back_to_today(pat_client, day):
    response = pat_client.get(f"/checkin/?day={day}")
    assert response.status_code == 302 and response["Location"] == "/checkin/"


def test_a_day_too_long_ago_is_explained(pat_client, pat):
    old = (timezone.localdate() - timedelta(days=60)).isoformat()
    response = pat_client.post(f"/checkin/?day={old}", {"day": old, "mood": "3"})
    assert "up to 30 days back" in response.content.decode()
    assert not DailyCheckIn.objects.exists()


def test_a_recovery_check_in_through_the_page(pat_client, pat):
    response = pat_client.post("/checkin/recovery/", {"c1": "4", "c2": "2", "h1": "prefer_not", "rate_health": "6"})
    assert response.status_code == 302
    checkin = RecoveryCheckIn.objects.get(person=pat)
    assert checkin.answers == {"c1": 4, "c2": 2} and checkin.dimension_ratings == {"health": 6}
    assert checkin.process_scores == {"connectedness": 75.0} and checkin.declined == ["h1"]


def test_staff_without_a_plan_cannot_check_in(client, lee):
    client.force_login(lee)
    assert client.get("/checkin/").status_code == 404
