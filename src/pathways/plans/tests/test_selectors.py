"""Reading a plan: only through the access policy, and hope first."""
from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from pathways.circle.policy import Access
from pathways.plans import selectors, services
from pathways.plans.models import Dimension, GoalStatus


def test_the_person_sees_their_own_plan(pat):
    assert selectors.plan_get(person=pat, viewer=pat) == pat.plan


@pytest.mark.parametrize("who", ["rue", "lee", "ada"])
def test_nobody_else_sees_the_plan_without_a_grant(pat, request, who):
    viewer = request.getfixturevalue(who)
    with pytest.raises(Http404):
        selectors.plan_get(person=pat, viewer=viewer)
    with pytest.raises(Http404):
        selectors.plan_overview(person=pat, viewer=viewer)


def test_anonymous_visitors_see_nothing(pat):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        selectors.plan_get(person=pat, viewer=AnonymousUser())


def test_a_deactivated_account_sees_nothing_even_of_its_own(pat):
    pat.is_active = False
    pat.save()
    with pytest.raises(Http404):
        selectors.plan_get(person=pat, viewer=pat)


def test_another_persons_goal_and_step_answer_404_like_a_missing_one(pat, rue):
    goal = services.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Rest", first_steps=["Nap"])
    step = goal.steps.get()
    for action in (Access.VIEW, Access.WRITE):
        with pytest.raises(Http404):
            selectors.goal_get(goal_id=goal.pk, viewer=rue, action=action)
        with pytest.raises(Http404):
            selectors.step_get(step_id=step.pk, viewer=rue, action=action)
    with pytest.raises(Http404):
        selectors.goal_get(goal_id=goal.pk + 1000, viewer=pat)


def test_overview_shows_recent_wins_and_steps_due_soon_first(pat):
    plan = pat.plan
    today = timezone.localdate()
    goal = services.goal_create(plan=plan, actor=pat, dimension="home", title="Move")
    later = services.step_create(goal=goal, actor=pat, text="Pack books", due_on=today + timedelta(days=10))
    sooner = services.step_create(goal=goal, actor=pat, text="Call landlord", due_on=today + timedelta(days=1))
    services.step_create(goal=goal, actor=pat, text="Someday", due_on=today + timedelta(days=60))
    services.step_create(goal=goal, actor=pat, text="No date")
    done = services.step_create(goal=goal, actor=pat, text="Get boxes", due_on=today)
    services.step_complete(step=done, actor=pat)

    overview = selectors.plan_overview(person=pat, viewer=pat)

    assert [step.text for step in overview.steps_due_soon] == [sooner.text, later.text]
    assert [win.text for win in overview.recent_wins] == ["Get boxes"]
    assert overview.wins_total == 1
    home = next(group for group in overview.dimensions if group.dimension == Dimension.HOME)
    assert [g.title for g in home.goals] == ["Move"]
    assert [group.dimension for group in overview.dimensions] == list(Dimension)


def test_steps_of_paused_goals_are_not_pressed_on_the_person(pat):
    today = timezone.localdate()
    goal = services.goal_create(plan=pat.plan, actor=pat, dimension="purpose", title="Course")
    services.step_create(goal=goal, actor=pat, text="Essay", due_on=today)
    services.goal_set_status(goal=goal, actor=pat, status=GoalStatus.PAUSED)
    assert selectors.plan_overview(person=pat, viewer=pat).steps_due_soon == []


def test_history_lists_newest_first(pat):
    services.recovery_meaning_update(plan=pat.plan, actor=pat, text="Calm")
    history = selectors.plan_history(person=pat, viewer=pat)
    assert [change.action for change in history] == ["meaning_updated", "plan_started"]


def test_the_overview_needs_a_bounded_number_of_queries(pat, django_assert_max_num_queries):
    for dimension in Dimension:
        services.goal_create(plan=pat.plan, actor=pat, dimension=dimension, title=f"Goal {dimension}",
                             first_steps=["One", "Two", "Three"])
    # 8, and two for the directory: the saved services, and how many services each dimension has.
    with django_assert_max_num_queries(10):
        overview = selectors.plan_overview(person=pat, viewer=pat)
        [list(goal.steps.all()) for group in overview.dimensions for goal in group.goals]
