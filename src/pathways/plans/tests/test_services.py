"""The plan rules: history of every change, pathways that change with history kept, rulers, wins."""
import uuid

import pytest
from django.core.exceptions import ValidationError

from pathways.plans import services
from pathways.plans.models import Goal, GoalStatus, Pathway, PlanChange, PlanPathway, Step, StepStatus, Win


@pytest.fixture
def plan(pat):
    return pat.plan


def actions(plan) -> list[str]:
    return list(PlanChange.objects.filter(plan=plan).order_by("at", "pk").values_list("action", flat=True))


def test_sign_up_starts_a_plan_and_records_it(plan):
    assert actions(plan) == ["plan_started"]


def test_every_change_is_recorded_with_who_and_what(pat, plan):
    services.recovery_meaning_update(plan=plan, actor=pat, text="Being present for my friends")
    goal = services.goal_create(plan=plan, actor=pat, dimension="health", title="Walk each morning")
    step = services.step_create(goal=goal, actor=pat, text="Walk to the corner")
    services.step_complete(step=step, actor=pat)
    assert actions(plan) == ["plan_started", "meaning_updated", "goal_added", "step_added", "step_done"]
    meaning_change = PlanChange.objects.get(plan=plan, action="meaning_updated")
    assert meaning_change.actor == pat
    assert meaning_change.details == {"before": "", "after": "Being present for my friends"}


def test_saving_the_same_meaning_again_records_nothing(pat, plan):
    services.recovery_meaning_update(plan=plan, actor=pat, text="Peace")
    services.recovery_meaning_update(plan=plan, actor=pat, text="Peace")
    assert actions(plan).count("meaning_updated") == 1


def test_goal_update_keeps_before_and_after(pat, plan):
    goal = services.goal_create(plan=plan, actor=pat, dimension="home", title="Find a flat", importance=5)
    services.goal_update(goal=goal, actor=pat, title="Find a flat near my sister", importance=8)
    change = PlanChange.objects.get(plan=plan, action="goal_changed")
    assert change.details["changes"] == {
        "title": {"before": "Find a flat", "after": "Find a flat near my sister"},
        "importance": {"before": 5, "after": 8},
    }


class TestPathways:
    def test_choosing_two_pathways_makes_both_current(self, pat, plan):
        services.pathways_set(plan=plan, actor=pat, chosen={Pathway.MODERATION: "", Pathway.MUTUAL_AID_SMART: ""})
        current = set(plan.pathways.filter(ended_at__isnull=True).values_list("pathway", flat=True))
        assert current == {"moderation", "mutual_aid_smart"}

    def test_changing_pathways_keeps_the_earlier_choice_in_history(self, pat, plan):
        services.pathways_set(plan=plan, actor=pat, chosen={Pathway.ABSTINENCE: ""})
        services.pathways_set(plan=plan, actor=pat, chosen={Pathway.HARM_REDUCTION: "", Pathway.MEDICATION: ""})
        abstinence = PlanPathway.objects.get(plan=plan, pathway="abstinence")
        assert abstinence.ended_at is not None
        current = set(plan.pathways.filter(ended_at__isnull=True).values_list("pathway", flat=True))
        assert current == {"harm_reduction", "medication"}
        change = PlanChange.objects.filter(plan=plan, action="pathways_changed").first()
        assert change.details["ended"] == ["abstinence"]
        assert sorted(change.details["started"]) == ["harm_reduction", "medication"]

    def test_rewording_a_pathway_keeps_the_old_words(self, pat, plan):
        services.pathways_set(plan=plan, actor=pat, chosen={Pathway.OTHER: "Running club"})
        services.pathways_set(plan=plan, actor=pat, chosen={Pathway.OTHER: "Running and swimming"})
        words = list(PlanPathway.objects.filter(plan=plan).order_by("started_at", "pk").values_list("in_my_words", "ended_at"))
        assert words[0][0] == "Running club" and words[0][1] is not None
        assert words[1] == ("Running and swimming", None)

    def test_choosing_no_pathway_at_all_is_allowed(self, pat, plan):
        services.pathways_set(plan=plan, actor=pat, chosen={Pathway.NATURAL: ""})
        services.pathways_set(plan=plan, actor=pat, chosen={})
        assert not plan.pathways.filter(ended_at__isnull=True).exists()

    def test_an_unknown_pathway_is_refused_and_nothing_changes(self, pat, plan):
        with pytest.raises(ValidationError):
            services.pathways_set(plan=plan, actor=pat, chosen={"detox_only": ""})
        assert not plan.pathways.exists()


class TestRulers:
    @pytest.mark.parametrize("value", [0, 5, 10, None])
    def test_rulers_accept_0_to_10_or_nothing(self, pat, plan, value):
        goal = services.goal_create(plan=plan, actor=pat, dimension="purpose", title="Volunteer",
                                    importance=value, confidence=value)
        goal.refresh_from_db()
        assert goal.importance == value and goal.confidence == value

    @pytest.mark.parametrize("field,value", [("importance", 11), ("confidence", 11), ("importance", -1)])
    def test_rulers_out_of_range_are_refused_and_nothing_is_saved(self, pat, plan, field, value):
        with pytest.raises(ValidationError) as error:
            services.goal_create(plan=plan, actor=pat, dimension="purpose", title="Volunteer", **{field: value})
        assert field in error.value.message_dict
        assert not Goal.objects.exists()
        assert "goal_added" not in actions(plan)


class TestSteps:
    def test_completing_a_step_records_a_win(self, pat, plan):
        goal = services.goal_create(plan=plan, actor=pat, dimension="community", title="Meet people",
                                    first_steps=["Go to the Thursday group"])
        step = goal.steps.get()
        win = services.step_complete(step=step, actor=pat)
        step.refresh_from_db()
        assert step.status == StepStatus.DONE and step.completed_at is not None
        assert win.step == step and win.text == "Go to the Thursday group" and win.plan == plan

    def test_completing_a_step_twice_records_one_win(self, pat, plan):
        goal = services.goal_create(plan=plan, actor=pat, dimension="health", title="Rest", first_steps=["Nap"])
        step = goal.steps.get()
        first = services.step_complete(step=step, actor=pat)
        second = services.step_complete(step=step, actor=pat)
        assert first == second
        assert Win.objects.filter(plan=plan).count() == 1
        assert actions(plan).count("step_done") == 1

    def test_a_step_can_be_skipped_changed_and_brought_back(self, pat, plan):
        goal = services.goal_create(plan=plan, actor=pat, dimension="home", title="Tidy up", first_steps=["Kitchen"])
        step = goal.steps.get()
        services.step_skip(step=step, actor=pat)
        assert Step.objects.get(pk=step.pk).status == StepStatus.SKIPPED
        services.step_update(step=step, actor=pat, text="Kitchen counter only", due_on=None)
        services.step_reopen(step=step, actor=pat)
        step.refresh_from_db()
        assert (step.status, step.text) == (StepStatus.OPEN, "Kitchen counter only")
        assert actions(plan)[-3:] == ["step_skipped", "step_changed", "step_open"]

    def test_bringing_back_a_done_step_keeps_its_win(self, pat, plan):
        goal = services.goal_create(plan=plan, actor=pat, dimension="health", title="Rest", first_steps=["Nap"])
        step = goal.steps.get()
        services.step_complete(step=step, actor=pat)
        services.step_reopen(step=step, actor=pat)
        assert Win.objects.filter(step=step).exists()


class TestGoalStatus:
    @pytest.mark.parametrize("status", [GoalStatus.PAUSED, GoalStatus.LET_GO, GoalStatus.ACHIEVED])
    def test_a_goal_can_be_paused_achieved_or_let_go_and_keeps_its_steps(self, pat, plan, status):
        goal = services.goal_create(plan=plan, actor=pat, dimension="purpose", title="Course", first_steps=["Enrol"])
        services.goal_set_status(goal=goal, actor=pat, status=status)
        goal.refresh_from_db()
        assert goal.status == status and goal.steps.count() == 1

    def test_achieving_a_goal_is_a_win(self, pat, plan):
        goal = services.goal_create(plan=plan, actor=pat, dimension="purpose", title="Pass the test")
        services.goal_set_status(goal=goal, actor=pat, status=GoalStatus.ACHIEVED)
        assert "Achieved: Pass the test" in [win.text for win in Win.objects.filter(plan=plan)]

    def test_an_unknown_status_is_refused(self, pat, plan):
        goal = services.goal_create(plan=plan, actor=pat, dimension="purpose", title="Course")
        with pytest.raises(ValueError):
            services.goal_set_status(goal=goal, actor=pat, status="failed")
        goal.refresh_from_db()
        assert goal.status == GoalStatus.ACTIVE


class TestPostedTwice:
    def test_the_same_goal_submission_creates_one_goal(self, pat, plan):
        key = uuid.uuid4()
        first = services.goal_create(plan=plan, actor=pat, dimension="health", title="Swim", submission_key=key,
                                     first_steps=["Find the pool times"])
        second = services.goal_create(plan=plan, actor=pat, dimension="health", title="Swim", submission_key=key,
                                      first_steps=["Find the pool times"])
        assert first == second
        assert Goal.objects.count() == 1 and Step.objects.count() == 1

    def test_the_same_win_submission_creates_one_win(self, pat, plan):
        key = uuid.uuid4()
        services.win_add(plan=plan, actor=pat, text="Called my brother", submission_key=key)
        services.win_add(plan=plan, actor=pat, text="Called my brother", submission_key=key)
        assert Win.objects.count() == 1


def test_a_failure_half_way_leaves_nothing_behind(pat, plan):
    """A goal whose second first-step is invalid is not saved at all, nor is its history."""
    with pytest.raises(ValidationError):
        services.goal_create(plan=plan, actor=pat, dimension="health", title="Swim",
                             first_steps=["Find the pool times", "x" * 201])
    assert not Goal.objects.exists() and not Step.objects.exists()
    assert actions(plan) == ["plan_started"]


def test_a_goal_title_is_the_only_required_field(pat, plan):
    with pytest.raises(ValidationError) as error:
        services.goal_create(plan=plan, actor=pat, dimension="health", title="")
    assert list(error.value.message_dict) == ["title"]


def test_history_names_who_suggested_a_change_by_reference_not_in_its_text(pat, sam, plan):
    """The entry refers to the suggestion; the name shown follows the suggestion (and its author's deletion)."""
    from pathways.plans.models import Suggestion

    taken = services.suggestion_create(plan=plan, author=sam, kind="goal", text="Walk on Sundays", dimension="health")
    left = services.suggestion_create(plan=plan, author=sam, kind="goal", text="Join a choir", dimension="community")
    services.suggestion_accept(suggestion=taken, actor=pat, text="Walk on Sunday mornings")
    services.suggestion_decline(suggestion=left, actor=pat)
    accepted, declined = PlanChange.objects.filter(plan=plan, suggestion__isnull=False).order_by("at", "pk")
    assert sam.name not in accepted.summary and sam.name not in declined.summary
    assert accepted.described == f"Accepted a goal: Walk on Sunday mornings (suggested by {sam.name})"
    assert declined.described == f"Declined a goal: Join a choir (suggested by {sam.name})"
    Suggestion.objects.filter(author=sam).update(author_name="someone who has left Pathways")
    accepted.refresh_from_db()
    assert accepted.described.endswith("(suggested by someone who has left Pathways)")
