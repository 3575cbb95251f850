"""A person with a plan and years of check-ins, for the benchmarks that load their pages."""
import random
from datetime import timedelta

from django.utils import timezone

PASSWORD = "bench passphrase 2026"
GOALS_PER_DIMENSION = 4
STEPS_PER_GOAL = 6


def person_with_history(*, email: str, years: int, seed: int = 2026):
    """A person with a full plan (goals in every dimension, steps, some done), a daily check-in for every day of
    `years` years and a recovery check-in each month."""
    from pathways.checkins import services as checkin_services
    from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
    from pathways.checkins.recovery_items import ITEM_IDS
    from pathways.people.services import person_sign_up
    from pathways.plans import services as plan_services
    from pathways.plans.models import Dimension

    rng = random.Random(seed)
    person = person_sign_up(email=email, password=PASSWORD)
    for dimension in Dimension:
        for g in range(GOALS_PER_DIMENSION):
            goal = plan_services.goal_create(plan=person.plan, actor=person, dimension=dimension,
                                             title=f"{dimension.label} goal {g}",
                                             first_steps=[f"Step {s}" for s in range(STEPS_PER_GOAL)])
            plan_services.step_complete(step=goal.steps.first(), actor=person)
    today = timezone.localdate()
    DailyCheckIn.objects.bulk_create(
        DailyCheckIn(person=person, day=today - timedelta(days=n), mood=rng.randint(1, 5),
                     cravings=rng.randint(0, 10), sleep_hours=rng.randint(4, 10), sleep_quality=rng.randint(1, 5),
                     energy=rng.randint(1, 5))
        for n in range(1, 365 * years))  # today is left for the check-in the benchmark posts
    for month in range(12 * years):
        checkin = checkin_services.recovery_checkin_record(
            person=person, answers={item: rng.randint(0, 4) for item in ITEM_IDS},
            dimension_ratings={d.value: rng.randint(0, 10) for d in Dimension})
        RecoveryCheckIn.objects.filter(pk=checkin.pk).update(taken_at=timezone.now() - timedelta(days=30 * month))
    return person
