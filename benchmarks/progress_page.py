"""The progress page with three years of daily check-ins for one person: median server time and queries."""
import random
import statistics
import time
from datetime import timedelta

from _setup import django_with_fresh_database

django_with_fresh_database()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from pathways.checkins import services as checkin_services  # noqa: E402
from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn  # noqa: E402
from pathways.checkins.recovery_items import ITEM_IDS  # noqa: E402
from pathways.people.services import person_sign_up  # noqa: E402
from pathways.plans import services as plan_services  # noqa: E402
from pathways.plans.models import Dimension  # noqa: E402

DAYS = 3 * 365
RUNS = 60


def build_history():
    rng = random.Random(2026)
    person = person_sign_up(email="bench@example.org", password="bench passphrase 2026")
    today = timezone.localdate()
    DailyCheckIn.objects.bulk_create(
        DailyCheckIn(person=person, day=today - timedelta(days=n), mood=rng.randint(1, 5), cravings=rng.randint(0, 10),
                     sleep_hours=rng.randint(4, 10), sleep_quality=rng.randint(1, 5), energy=rng.randint(1, 5),
                     lonely=rng.choice(["yes", "no", ""]))
        for n in range(DAYS))
    for month in range(36):
        checkin = checkin_services.recovery_checkin_record(
            person=person, answers={item: rng.randint(0, 4) for item in ITEM_IDS},
            dimension_ratings={d.value: rng.randint(0, 10) for d in Dimension})
        RecoveryCheckIn.objects.filter(pk=checkin.pk).update(taken_at=timezone.now() - timedelta(days=30 * month))
    for dimension in Dimension:
        goal = plan_services.goal_create(plan=person.plan, actor=person, dimension=dimension, title=f"{dimension} goal",
                                         first_steps=[f"Step {n}" for n in range(6)])
        for step in list(goal.steps.all())[:3]:
            plan_services.step_complete(step=step, actor=person)
    return person


def main():
    person = build_history()
    client = Client()
    client.force_login(person)
    client.get("/people/progress/")
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get("/people/progress/")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and response.content.count(b"<svg") == 6
    with CaptureQueriesContext(connection) as queries:
        client.get("/people/progress/")
    print(f"progress_page_median_ms: {statistics.median(timings):.1f} ms")
    print(f"progress_page_queries: {len(queries.captured_queries)}")


if __name__ == "__main__":
    main()
