"""People with a full plan and years of check-ins, for the benchmarks that load their pages."""
import random
from datetime import timedelta

from django.utils import timezone

PASSWORD = "bench passphrase 2026"
GOALS_PER_DIMENSION = 4
STEPS_PER_GOAL = 6


def full_plan(person, *, goals_per_dimension: int = GOALS_PER_DIMENSION, steps_per_goal: int = STEPS_PER_GOAL,
              wins: int = 0) -> None:
    """What they mean by recovery, two pathways, goals in every dimension with their first step done, and wins."""
    from pathways.plans import services as plans
    from pathways.plans.models import Dimension, Pathway

    plan = person.plan
    plans.recovery_meaning_update(plan=plan, actor=person, text="Steady days and good company.")
    plans.pathways_set(plan=plan, actor=person, chosen={Pathway.MODERATION: "", Pathway.MUTUAL_AID_SMART: ""})
    for dimension in Dimension:
        for g in range(goals_per_dimension):
            goal = plans.goal_create(plan=plan, actor=person, dimension=dimension, title=f"{dimension.label} goal {g}",
                                     first_steps=[f"Step {s} of {dimension.label} goal {g}" for s in range(steps_per_goal)])
            plans.step_complete(step=goal.steps.first(), actor=person)
    for w in range(wins):
        plans.win_add(plan=plan, actor=person, text=f"Win {w}")


def person_with_history(*, email: str, years: int, seed: int = 2026):
    """A person with a full plan, a daily check-in for every day of `years` years (but today, which the load
    benchmark posts) and a recovery check-in each month."""
    from pathways.checkins import services as checkin_services
    from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
    from pathways.checkins.recovery_items import ITEM_IDS
    from pathways.people.services import person_sign_up
    from pathways.plans.models import Dimension

    rng = random.Random(seed)
    person = person_sign_up(email=email, password=PASSWORD)
    full_plan(person)
    today = timezone.localdate()
    DailyCheckIn.objects.bulk_create(
        DailyCheckIn(person=person, day=today - timedelta(days=n), mood=rng.randint(1, 5),
                     cravings=rng.randint(0, 10), sleep_hours=rng.randint(4, 10), sleep_quality=rng.randint(1, 5),
                     energy=rng.randint(1, 5))
        for n in range(1, 365 * years))
    for month in range(12 * years):
        checkin = checkin_services.recovery_checkin_record(
            person=person, answers={item: rng.randint(0, 4) for item in ITEM_IDS},
            dimension_ratings={d.value: rng.randint(0, 10) for d in Dimension})
        RecoveryCheckIn.objects.filter(pk=checkin.pk).update(taken_at=timezone.now() - timedelta(days=30 * month))
    return person
