"""Two tabs editing one goal: the later save does not silently overwrite the earlier one."""
import re

import pytest
from django.urls import reverse

from pathways.plans import services
from pathways.plans.models import Goal, PlanChange


@pytest.fixture
def pats_goal(pat):
    return services.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Sleep better",
                                why_it_matters="I feel steadier when rested")


def opened_form(client, goal) -> dict:
    """What the edit page's form would send back unchanged, hidden version included."""
    page = client.get(reverse("plans:goal_edit", args=[goal.pk])).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    return {"dimension": goal.dimension, "title": goal.title, "why_it_matters": goal.why_it_matters,
            "importance": "", "confidence": "", "version": version}


def test_the_second_tab_is_told_and_keeps_what_it_typed(client, pat, pats_goal):
    client.force_login(pat)
    first_tab, second_tab = opened_form(client, pats_goal), opened_form(client, pats_goal)
    url = reverse("plans:goal_edit", args=[pats_goal.pk])
    assert client.post(url, first_tab | {"title": "Sleep by eleven"}).status_code == 302

    response = client.post(url, second_tab | {"title": "Sleep eight hours", "why_it_matters": "Mornings matter"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "saved somewhere else" in body and "Sleep by eleven" in body  # the newer saved text, shown
    assert 'value="Sleep eight hours"' in body and "Mornings matter" in body  # what they typed, kept
    pats_goal.refresh_from_db()
    assert pats_goal.title == "Sleep by eleven"  # nothing overwritten
    assert PlanChange.objects.filter(plan=pat.plan, action="goal_changed").count() == 1

    # Saving again from that page is a choice made knowing the newer text: it keeps theirs.
    version = re.search(r'name="version" value="([^"]+)"', body).group(1)
    again = client.post(url, second_tab | {"title": "Sleep eight hours", "version": version})
    assert again.status_code == 302
    assert Goal.objects.get(pk=pats_goal.pk).title == "Sleep eight hours"


def test_a_save_without_anything_in_between_just_saves(client, pat, pats_goal):
    client.force_login(pat)
    form = opened_form(client, pats_goal)
    response = client.post(reverse("plans:goal_edit", args=[pats_goal.pk]), form | {"title": "Rest well"})
    assert response.status_code == 302 and Goal.objects.get(pk=pats_goal.pk).title == "Rest well"


def test_a_status_change_in_between_is_noticed_too(client, pat, pats_goal):
    client.force_login(pat)
    form = opened_form(client, pats_goal)
    services.goal_set_status(goal=pats_goal, actor=pat, status="paused")
    response = client.post(reverse("plans:goal_edit", args=[pats_goal.pk]), form | {"title": "Rest well"})
    assert response.status_code == 409 and Goal.objects.get(pk=pats_goal.pk).title == "Sleep better"


def test_a_made_up_version_is_a_conflict_not_an_error(client, pat, pats_goal):
    client.force_login(pat)
    form = opened_form(client, pats_goal) | {"version": "not-a-date", "title": "Rest well"}
    response = client.post(reverse("plans:goal_edit", args=[pats_goal.pk]), form)
    assert response.status_code == 409 and 'value="Rest well"' in response.content.decode()


def test_the_service_refuses_a_stale_version(pat, pats_goal):
    stale = services.goal_version(pats_goal)
    services.goal_update(goal=pats_goal, actor=pat, title="Sleep by eleven")
    with pytest.raises(services.GoalChangedElsewhere) as conflict:
        services.goal_update(goal=pats_goal, actor=pat, expected_version=stale, title="Sleep eight hours")
    assert conflict.value.current.title == "Sleep by eleven"
