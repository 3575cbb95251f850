"""What the plan pages cost: the same queries for one goal or many, and step lists drawn once per list."""
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pathways.plans import services
from pathways.plans.models import Dimension


def plan_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("plans:plan")).status_code == 200
    return len(queries)


def fill_the_plan(person, goals_per_dimension: int, steps_per_goal: int) -> None:
    """Goals in every dimension; in each, a step done, a step due soon (listed twice: under "Coming up" too)
    and the rest open."""
    soon = timezone.localdate() + timedelta(days=1)
    for dimension in Dimension:
        for g in range(goals_per_dimension):
            goal = services.goal_create(plan=person.plan, actor=person, dimension=dimension, title=f"{dimension} {g}",
                                        first_steps=[f"Step {s}" for s in range(steps_per_goal - 1)])
            services.step_create(goal=goal, actor=person, text="Due soon", due_on=soon)
            services.step_complete(step=goal.steps.first(), actor=person)


def test_the_plan_page_costs_the_same_queries_with_one_goal_or_many(pat_client, pat):
    fill_the_plan(pat, goals_per_dimension=1, steps_per_goal=2)
    few = plan_page_queries(pat_client)
    fill_the_plan(pat, goals_per_dimension=5, steps_per_goal=7)
    many = plan_page_queries(pat_client)
    assert many == few


def test_a_goal_page_costs_the_same_queries_with_one_step_or_many(pat_client, pat):
    goal = services.goal_create(plan=pat.plan, actor=pat, dimension="home", title="A quiet flat",
                                first_steps=["Look at listings"])
    with CaptureQueriesContext(connection) as few:
        pat_client.get(reverse("plans:goal", args=[goal.pk]))
    for n in range(12):
        services.step_create(goal=goal, actor=pat, text=f"Call landlord {n}", due_on=timezone.localdate())
    with CaptureQueriesContext(connection) as many:
        pat_client.get(reverse("plans:goal", args=[goal.pk]))
    assert len(many) == len(few)


def test_every_step_posts_to_and_links_its_own_address(pat_client, pat):
    fill_the_plan(pat, goals_per_dimension=2, steps_per_goal=3)
    page = pat_client.get(reverse("plans:plan")).content.decode()
    for goal in pat.plan.goals.all():
        for step in goal.steps.all():
            action = reverse("plans:step_action", args=[step.pk])
            assert f'<form method="post" action="{action}" class="step-actions" hx-post="{action}" ' \
                   f'hx-target="#step-{step.pk}"' in page
            edit = f'href="{reverse("plans:step_edit", args=[step.pk])}"'
            assert (edit in page) == (step.status == "open")  # a step done or set aside is brought back, not changed


def test_a_step_listed_twice_has_unique_ids_and_its_htmx_answer_keeps_the_list_it_came_from(pat_client, pat):
    fill_the_plan(pat, goals_per_dimension=1, steps_per_goal=2)
    due = next(step for step in pat.plan.goals.get(dimension="home").steps.all() if step.due_on)
    page = pat_client.get(reverse("plans:plan")).content.decode()
    assert page.count(f'id="soon-step-{due.pk}"') == 1 and page.count(f'id="step-{due.pk}"') == 1
    assert '<span class="step-goal">— home 0</span>' in page  # "Coming up" names the goal; the goal's list does not
    answer = pat_client.post(reverse("plans:step_action", args=[due.pk]),
                             {"action": "done", "next": "/plan/", "id_prefix": "soon-step"}, HTTP_HX_REQUEST="true")
    body = answer.content.decode()
    assert body.strip().startswith(f'<li class="step step-done" id="soon-step-{due.pk}">')
    assert f'id="soon-step-{due.pk}-done" aria-describedby="soon-step-{due.pk}-message"' in body
    assert f'<p class="message message-success" role="status" id="soon-step-{due.pk}-message">' in body
    assert '<input type="hidden" name="next" value="/plan/">' in body
