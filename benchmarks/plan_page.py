"""How fast the plan page renders for a person with a full plan: median server time and queries."""
import statistics
import time

from _history import full_plan
from _setup import django_with_fresh_database

django_with_fresh_database()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from pathways.people.services import person_sign_up  # noqa: E402

GOALS_PER_DIMENSION = 5
STEPS_PER_GOAL = 8
WINS = 300
RUNS = 60


def build_plan():
    person = person_sign_up(email="bench@example.org", password="bench passphrase 2026")
    full_plan(person, goals_per_dimension=GOALS_PER_DIMENSION, steps_per_goal=STEPS_PER_GOAL, wins=WINS)
    return person


def main():
    person = build_plan()
    client = Client()
    client.force_login(person)
    client.get("/plan/")  # warm caches and templates
    timings = []
    for _ in range(RUNS):
        reset_queries()
        start = time.perf_counter()
        response = client.get("/plan/")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/plan/")
    print(f"plan_page_median_ms: {statistics.median(timings):.1f} ms")
    print(f"plan_page_queries: {len(queries.captured_queries)}")


if __name__ == "__main__":
    main()
