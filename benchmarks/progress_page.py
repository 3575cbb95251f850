"""The progress page with one year and with ten years of history, in one database: does its cost grow with time?

Two people: one with a year of daily check-ins and monthly recovery check-ins, one with ten years of both. Each
page is timed RUNS times, the two interleaved so that a busy machine slows both alike; the figures are medians.
CPU time (time.process_time) is this process's: on SQLite that includes the database's own work, since SQLite runs
inside the process. `progress_page_median_ms` is the ten-year page's wall time, the worst case.
"""
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

RUNS = 40
CHARTS = 6  # the radar, recovery processes, mood, cravings, sleep, and wins and steps


def person_with_history(*, years: int, rng: random.Random):
    person = person_sign_up(email=f"bench.{years}y@example.org", password="bench passphrase 2026")
    today = timezone.localdate()
    DailyCheckIn.objects.bulk_create(
        DailyCheckIn(person=person, day=today - timedelta(days=n), mood=rng.randint(1, 5), cravings=rng.randint(0, 10),
                     sleep_hours=rng.randint(4, 10), sleep_quality=rng.randint(1, 5), energy=rng.randint(1, 5),
                     lonely=rng.choice(["yes", "no", ""]))
        for n in range(365 * years))
    for month in range(12 * years):
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


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    assert client.get("/people/progress/").content.count(b"<svg") == CHARTS  # warms templates and caches too
    return client


def timed_get(client: Client) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get("/people/progress/")
    assert response.status_code == 200
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def query_count(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get("/people/progress/")
    return len(queries.captured_queries)


def main():
    rng = random.Random(2026)
    clients = {years: signed_in(person_with_history(years=years, rng=rng)) for years in (1, 10)}
    walls: dict[int, list[float]] = {1: [], 10: []}
    cpus: dict[int, list[float]] = {1: [], 10: []}
    for _ in range(RUNS):
        for years, client in clients.items():
            wall, cpu = timed_get(client)
            walls[years].append(wall)
            cpus[years].append(cpu)
    cpu_1y, cpu_10y = statistics.median(cpus[1]), statistics.median(cpus[10])
    print(f"progress_page_median_ms: {statistics.median(walls[10]):.1f} ms")
    print(f"progress_page_queries: {query_count(clients[10])}")
    print(f"progress_page_1y_queries: {query_count(clients[1])}")
    print(f"progress_page_1y_cpu_ms: {cpu_1y:.1f} ms")
    print(f"progress_page_10y_cpu_ms: {cpu_10y:.1f} ms")
    print(f"progress_page_10y_vs_1y_cpu_ratio: {cpu_10y / cpu_1y:.2f}")


if __name__ == "__main__":
    main()
