"""A crisis alert goes out once per rise of the answer within the person's day, whatever saves come between.

The rule: the day's first answer showing some risk alerts; a strong answer later that day alerts again;
nothing else does — not a re-save with the same answer (to add a lapse note, say), not a drop and a return
to the same level, not the same answer in a questionnaire. Hypothesis draws any sequence of saves.
"""
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.checkins import questionnaires as engine
from pathways.checkins import services as checkins
from pathways.checkins.models import DailyCheckIn
from pathways.circle import services as circle_services
from pathways.circle.models import SupporterRole
from pathways.notifications.models import Notification
from pathways.safety.models import CrisisAlert

SELF_HARM_ANSWERS = ["", "no", "prefer_not", "some", "yes"]
RANK = {"some": 1, "yes": 2}


@pytest.fixture
def sam_told(pat, sam):
    """Sam holds Pat's crisis-alert grant, so every alert is a notification to Sam."""
    _, token = circle_services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle_services.invitation_accept(token=token, supporter=sam)
    circle_services.grant_create(member=member, items={"crisis_alerts": "view"}, purpose="x", signature="Pat")
    return sam


def rises(answers: list[str]) -> list[str]:
    """The reference rule: the answers at which the day's highest level so far goes up."""
    highest, alerted = 0, []
    for answer in answers:
        if RANK.get(answer, 0) > highest:
            highest = RANK[answer]
            alerted.append({"some": "some", "yes": "strong"}[answer])
    return alerted


def save(pat, answer: str, **more):
    return checkins.daily_checkin_save(person=pat, day=timezone.localdate(),
                                       answers={"self_harm_thoughts": answer, **more}, use={"is_lapse": True})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(st.sampled_from(SELF_HARM_ANSWERS), min_size=1, max_size=8))
def test_any_sequence_of_saves_in_a_day_alerts_once_per_rise(pat, sam_told, answers):
    # Hypothesis runs many examples in one test transaction: start each from an empty day.
    CrisisAlert.objects.all().delete()
    DailyCheckIn.objects.all().delete()
    Notification.objects.all().delete()
    for answer in answers:
        save(pat, answer, note="adding a line")
    expected = rises(answers)
    assert list(CrisisAlert.objects.order_by("raised_at", "pk").values_list("level", flat=True)) == expected
    assert Notification.objects.filter(recipient=sam_told, kind="crisis_alert").count() == len(expected)


def test_a_re_save_to_add_a_lapse_note_tells_nobody_again(pat, sam_told):
    save(pat, "some")
    save(pat, "some", note="Had a drink at the wake")
    assert CrisisAlert.objects.count() == 1
    assert Notification.objects.filter(recipient=sam_told).count() == 1


def test_the_next_day_starts_afresh(pat, sam_told):
    save(pat, "yes")
    CrisisAlert.objects.update(day=timezone.localdate() - timedelta(days=1))
    save(pat, "some")
    assert list(CrisisAlert.objects.order_by("pk").values_list("level", flat=True)) == ["strong", "some"]


def test_a_questionnaire_risk_answer_shares_the_days_rule(pat, sam_told):
    questionnaire = checkins.questionnaire_load(resource=risky_questionnaire())
    save(pat, "some")
    checkins.questionnaire_response_record(person=pat, questionnaire=questionnaire, answers={"mood": 1, "harm": 1})
    assert CrisisAlert.objects.count() == 1  # some risk was already told today
    checkins.questionnaire_response_record(person=pat, questionnaire=questionnaire, answers={"mood": 1, "harm": 3})
    alert = CrisisAlert.objects.order_by("-pk").first()
    assert (CrisisAlert.objects.count(), alert.level, alert.source) == (2, "strong", "Risk-aware snapshot")
    assert Notification.objects.filter(recipient=sam_told, kind="crisis_alert").count() == 2


def test_an_answer_outside_the_risk_answers_raises_nothing(pat, sam_told):
    questionnaire = checkins.questionnaire_load(resource=risky_questionnaire())
    checkins.questionnaire_response_record(person=pat, questionnaire=questionnaire, answers={"mood": 0, "harm": 0})
    checkins.questionnaire_response_record(person=pat, questionnaire=questionnaire, answers={"mood": 3})
    assert not CrisisAlert.objects.exists()


def risky_questionnaire() -> dict:
    """Two 0–3 questions (placeholder wording); "harm" marks 1–2 as some risk and 3 as strong risk."""
    harm = {"linkId": "harm", "type": "choice", "text": "Placeholder risk question",
            "answerOption": [{"valueInteger": value} for value in range(4)],
            "extension": [{"url": engine.RISK_URL, "extension": [
                {"url": "some", "valueInteger": 1}, {"url": "some", "valueInteger": 2},
                {"url": "strong", "valueInteger": 3}]}]}
    mood = {"linkId": "mood", "type": "choice", "text": "Placeholder question",
            "answerOption": [{"valueInteger": value} for value in range(4)]}
    return {"resourceType": "Questionnaire", "url": "https://example.org/q/risk-aware", "version": "1",
            "title": "Risk-aware snapshot", "status": "active", "item": [mood, harm],
            "extension": [{"url": engine.SCORING_URL, "extension": [
                {"url": "itemMin", "valueInteger": 0}, {"url": "itemMax", "valueInteger": 3},
                {"url": "minAnswered", "valueInteger": 1}]}]}
