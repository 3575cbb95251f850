"""The progress page: the person sees everything; a supporter sees only the parts shared, and it is logged."""
from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.checkins import services as checkin_services
from pathways.checkins.models import DailyCheckIn
from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry, SupporterRole
from pathways.plans import services as plan_services
from pathways.reports.progress import progress


@pytest.fixture
def pats_history(pat):
    today = timezone.localdate()
    DailyCheckIn.objects.bulk_create(DailyCheckIn(person=pat, day=today - timedelta(days=n), mood=3 + n % 2,
                                                  cravings=n % 5, sleep_hours=7) for n in range(20))
    checkin_services.recovery_checkin_record(person=pat, answers={"c1": 1, "c2": 1},
                                             dimension_ratings={"health": 3, "home": 4, "purpose": 5, "community": 2})
    checkin_services.recovery_checkin_record(person=pat, answers={"c1": 3, "c2": 3},
                                             dimension_ratings={"health": 6, "home": 6, "purpose": 7, "community": 5})
    goal = plan_services.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Walk", first_steps=["Go"])
    plan_services.step_complete(step=goal.steps.get(), actor=pat)
    return pat


def titles(found):
    return [chart.title for chart in found.charts]


def test_the_person_sees_every_picture(pats_history):
    found = progress(person=pats_history, viewer=pats_history)
    assert titles(found) == [
        "The four parts of life, first and latest", "Recovery processes over time (monthly average, 0–100)",
        "Mood (weekly average, 1–5)", "Cravings (weekly average, 0–10)", "Sleep (weekly average, hours)",
        "Wins and steps done each week",
    ]
    assert dict(found.counts)["Days checked in"] == 20 and dict(found.counts)["Wins so far"] == 1
    radar = found.charts[0]
    assert radar.rows[0][1:] == ["3", "6"]  # Health: first 3, latest 6


def test_a_supporter_sees_only_the_shared_parts_and_each_read_is_logged(pats_history, sam):
    _, token = circle_services.invitation_create(person=pats_history, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle_services.invitation_accept(token=token, supporter=sam)
    circle_services.grant_create(member=member, items={"measures": "view"}, purpose="x", signature="Pat")
    found = progress(person=pats_history, viewer=sam)
    assert titles(found) == ["The four parts of life, first and latest",
                             "Recovery processes over time (monthly average, 0–100)"]
    assert found.counts == []
    logged = dict(AccessLogEntry.objects.reads().values_list("category", "allowed"))
    assert logged == {"measures": True, "checkins": False, "plan": False, "use_log": False}


def test_the_supporter_page_answers_404_when_nothing_is_shared(client, pats_history, rue):
    client.force_login(rue)
    assert client.get(f"/people/{pats_history.public_id}/progress/").status_code == 404


def test_the_progress_page_renders_charts_with_tables(client, pats_history):
    client.force_login(pats_history)
    body = client.get("/people/progress/").content.decode()
    assert body.count("<svg") == 6 and body.count("Show the numbers") == 6
    # Mood, cravings and sleep each lead to every week; the recovery processes to every check-in.
    assert body.count('<a href="/people/progress/numbers/#weeks">All the numbers, week by week</a>') == 3
    assert body.count('<a href="/people/progress/numbers/#recovery-checkins">Every recovery check-in</a>') == 1


def test_progress_after_a_lapse_is_still_shown(client, pats_history):
    checkin_services.daily_checkin_save(person=pats_history, day=timezone.localdate(), answers={"mood": 1},
                                        use={"used": "yes", "is_lapse": True, "what_i_learned": "Ask for help"})
    client.force_login(pats_history)
    body = client.get("/people/progress/").content.decode()
    assert "Wins so far" in body and "The four parts of life" in body
