"""The caseload of a supporter with 50 people who share everything, each with check-ins, a crisis alert and an
early-warning sign: median server time, and queries at 10 and at 50 people (the same when the page is batched)."""
import statistics
import time
from datetime import timedelta

from _setup import client_past_the_second_step, django_with_fresh_database

django_with_fresh_database()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from pathways.checkins.models import DailyCheckIn, GentleNote  # noqa: E402
from pathways.circle import services as circle  # noqa: E402
from pathways.circle.models import ALLOWED_ACCESS, Access, Category, SupporterRole  # noqa: E402
from pathways.people.models import User  # noqa: E402
from pathways.people.services import person_sign_up  # noqa: E402
from pathways.safety.models import AlertResponse, CrisisAlert  # noqa: E402

PEOPLE = 50
FEW = 10
RUNS = 30
EVERYTHING = {category: Access.VIEW for category in Category if Access.VIEW in ALLOWED_ACCESS[category]}


def add_people(supporter, first: int, last: int) -> None:
    today = timezone.localdate()
    for n in range(first, last):
        person = person_sign_up(email=f"person{n}@example.org", password="bench passphrase 2026",
                                preferred_name=f"Person {n:02}")
        _, token = circle.invitation_create(person=person, role=SupporterRole.PEER_SUPPORTER, name="Sam")
        member = circle.invitation_accept(token=token, supporter=supporter)
        circle.grant_create(member=member, items=EVERYTHING, purpose="To support me", signature=f"Person {n:02}")
        DailyCheckIn.objects.bulk_create(DailyCheckIn(person=person, day=today - timedelta(days=n % 12 + day),
                                                      mood=3) for day in range(30))
        alert = CrisisAlert.objects.create(person=person, raised_at=timezone.now() - timedelta(hours=n % 20))
        alert.notified.add(supporter)
        if n % 2:
            AlertResponse.objects.create(alert=alert, supporter=supporter)
        GentleNote.objects.create(person=person, rule="sleep_below_usual", supporters_told=["Sam"],
                                  fired_at=timezone.now() - timedelta(days=n % 6))


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/people/").status_code == 200
    return len(captured.captured_queries)


def main():
    supporter = User.objects.create_user(email="sam@example.org", password="bench passphrase 2026",
                                         preferred_name="Sam")
    client = client_past_the_second_step(supporter)
    add_people(supporter, 0, FEW)
    client.get("/people/")
    few_queries = queries(client)
    add_people(supporter, FEW, PEOPLE)
    client.get("/people/")
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get("/people/")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and response.content.count(b'<section class="card"') == PEOPLE
    print(f"caseload_page_median_ms: {statistics.median(timings):.1f} ms")
    print(f"caseload_page_queries: {queries(client)} queries")
    print(f"caseload_page_queries_at_{FEW}_people: {few_queries} queries")


if __name__ == "__main__":
    main()
