"""Plan pages under bad input: nothing lost, nothing changed that should not be, no stack traces."""
import uuid

import pytest
from django.urls import reverse

from pathways.plans import services
from pathways.plans.models import Goal, PlanChange, Step, StepStatus, Win


@pytest.fixture
def pats_goal(pat):
    return services.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Sleep better",
                                first_steps=["Phone out of the bedroom"])


def goal_post(**overrides):
    data = {"dimension": "home", "title": "Find a quiet flat", "why_it_matters": "I sleep badly where I am",
            "importance": "8", "confidence": "", "first_steps": "Look at listings\nCall the housing office",
            "submission_key": str(uuid.uuid4())}
    data.update(overrides)
    return data


def test_the_plan_page_needs_a_login(client, db):
    response = client.get(reverse("plans:plan"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_adding_a_goal_with_first_steps(pat_client, pat):
    response = pat_client.post(reverse("plans:goal_add"), goal_post())
    assert response.status_code == 302
    goal = Goal.objects.get(plan=pat.plan)
    assert (goal.title, goal.importance, goal.confidence) == ("Find a quiet flat", 8, None)
    assert [s.text for s in goal.steps.all()] == ["Look at listings", "Call the housing office"]


def test_a_goal_form_posted_twice_creates_one_goal(pat_client, pat):
    data = goal_post()
    pat_client.post(reverse("plans:goal_add"), data)
    pat_client.post(reverse("plans:goal_add"), data)
    assert Goal.objects.filter(plan=pat.plan).count() == 1
    assert Step.objects.filter(goal__plan=pat.plan).count() == 2


@pytest.mark.parametrize("field,value,message", [
    ("title", "", "This field is required."),
    ("title", "x" * 201, "at most 200 characters"),
    ("importance", "11", "Select a valid choice"),
    ("confidence", "-3", "Select a valid choice"),
    ("why_it_matters", "y" * 4001, "at most 4000 characters"),
    ("dimension", "wealth", "Select a valid choice"),
    ("first_steps", "ok\n" + "z" * 201, "under 200 characters"),
])
def test_bad_goal_input_is_explained_and_what_was_typed_is_kept(pat_client, pat, field, value, message):
    data = goal_post(**{field: value})
    response = pat_client.post(reverse("plans:goal_add"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Nothing you typed was lost" in body
    assert "I sleep badly where I am" in body or field == "why_it_matters"
    assert "Look at listings" in body or field == "first_steps"
    assert not Goal.objects.exists()


def test_over_long_meaning_is_refused_and_kept_on_the_page(pat_client, pat):
    text = "Being well. " * 400
    response = pat_client.post(reverse("plans:meaning"), {"recovery_meaning": text})
    assert response.status_code == 200
    assert "at most 4000 characters" in response.content.decode()
    assert "Being well. Being well." in response.content.decode()
    pat.plan.refresh_from_db()
    assert pat.plan.recovery_meaning == ""


def test_choosing_other_pathway_needs_own_words(pat_client, pat):
    response = pat_client.post(reverse("plans:pathways"), {"other": "on", "other_words": ""})
    assert response.status_code == 200
    assert "Say in a few words" in response.content.decode()
    assert not pat.plan.pathways.exists()


def test_choosing_two_pathways_through_the_page(pat_client, pat):
    pat_client.post(reverse("plans:pathways"), {"moderation": "on", "moderation_words": "Weekends only",
                                                "mutual_aid_smart": "on"})
    current = dict(pat.plan.pathways.filter(ended_at__isnull=True).values_list("pathway", "in_my_words"))
    assert current == {"moderation": "Weekends only", "mutual_aid_smart": ""}


class TestAnotherPersonsIds:
    """Rue guesses ids of Pat's goal and step: every page answers 404 and nothing changes."""

    @pytest.fixture
    def rue_client(self, client, rue):
        client.force_login(rue)
        return client

    def test_reading(self, rue_client, pats_goal):
        step = pats_goal.steps.get()
        assert rue_client.get(reverse("plans:goal", args=[pats_goal.pk])).status_code == 404
        assert rue_client.get(reverse("plans:goal_edit", args=[pats_goal.pk])).status_code == 404
        assert rue_client.get(reverse("plans:step_edit", args=[step.pk])).status_code == 404

    def test_writing(self, rue_client, pat, pats_goal):
        step = pats_goal.steps.get()
        before = PlanChange.objects.filter(plan=pat.plan).count()
        posts = [
            (reverse("plans:goal_edit", args=[pats_goal.pk]), {"dimension": "home", "title": "Hijacked"}),
            (reverse("plans:goal_status", args=[pats_goal.pk]), {"status": "let_go"}),
            (reverse("plans:step_add", args=[pats_goal.pk]), {"text": "Injected step"}),
            (reverse("plans:step_edit", args=[step.pk]), {"text": "Changed"}),
            (reverse("plans:step_action", args=[step.pk]), {"action": "done"}),
            (reverse("plans:step_action", args=[step.pk]), {"action": "skip"}),
        ]
        for url, data in posts:
            assert rue_client.post(url, data).status_code == 404, url
        pats_goal.refresh_from_db()
        step.refresh_from_db()
        assert (pats_goal.title, pats_goal.status) == ("Sleep better", "active")
        assert (step.text, step.status) == ("Phone out of the bedroom", StepStatus.OPEN)
        assert pats_goal.steps.count() == 1
        assert not Win.objects.exists()
        assert PlanChange.objects.filter(plan=pat.plan).count() == before

    def test_ids_that_do_not_exist_answer_the_same_404(self, rue_client, pats_goal):
        assert rue_client.get(reverse("plans:goal", args=[pats_goal.pk + 1000])).status_code == 404


def test_marking_a_step_done_without_javascript_returns_to_the_page(pat_client, pats_goal):
    step = pats_goal.steps.get()
    response = pat_client.post(reverse("plans:step_action", args=[step.pk]), {"action": "done", "next": "/plan/"})
    assert response.status_code == 302 and response["Location"] == "/plan/"
    assert Win.objects.filter(step=step).exists()


def test_marking_a_step_done_with_htmx_returns_the_step_in_place(pat_client, pats_goal):
    step = pats_goal.steps.get()
    response = pat_client.post(reverse("plans:step_action", args=[step.pk]), {"action": "done", "next": "/plan/"},
                               HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="step-{step.pk}"' in body and "that is a win" in body
    assert "<html" not in body


def test_next_cannot_send_the_person_to_another_site(pat_client, pats_goal):
    step = pats_goal.steps.get()
    response = pat_client.post(reverse("plans:step_action", args=[step.pk]),
                               {"action": "skip", "next": "https://evil.example/"})
    assert response["Location"] == reverse("plans:goal", args=[pats_goal.pk])


def test_an_unknown_goal_status_changes_nothing(pat_client, pats_goal):
    response = pat_client.post(reverse("plans:goal_status", args=[pats_goal.pk]), {"status": "failed"}, follow=True)
    assert "nothing changed" in response.content.decode()
    pats_goal.refresh_from_db()
    assert pats_goal.status == "active"


def test_step_actions_only_answer_post(pat_client, pats_goal):
    step = pats_goal.steps.get()
    assert pat_client.get(reverse("plans:step_action", args=[step.pk])).status_code == 405


def test_an_unknown_step_action_changes_nothing(pat_client, pats_goal):
    step = pats_goal.steps.get()
    response = pat_client.post(reverse("plans:step_action", args=[step.pk]), {"action": "delete"}, follow=True)
    assert "step is unchanged" in response.content.decode()
    step.refresh_from_db()
    assert step.status == StepStatus.OPEN


def test_staff_without_a_plan_get_404_on_plan_pages(client, lee):
    client.force_login(lee)
    assert client.get(reverse("plans:plan")).status_code == 404
    assert client.get(reverse("plans:wins")).status_code == 404
