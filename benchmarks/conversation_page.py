"""A conversation of 2,000 messages between a person and their supporter: median server time of the page the
supporter opens, and its queries (the same as for a short conversation, since the page shows the newest 50)."""
import statistics
import time
from datetime import timedelta

from _setup import client_past_the_second_step, django_with_fresh_database

django_with_fresh_database()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from pathways.circle import services as circle  # noqa: E402
from pathways.circle.models import Access, Category, SupporterRole  # noqa: E402
from pathways.conversations.models import Message  # noqa: E402
from pathways.conversations.services import conversation_for  # noqa: E402
from pathways.people.models import User  # noqa: E402
from pathways.people.services import person_sign_up  # noqa: E402

MESSAGES = 2000
RUNS = 30


def main():
    person = person_sign_up(email="pat@example.org", password="bench passphrase 2026", preferred_name="Pat")
    supporter = User.objects.create_user(email="sam@example.org", password="bench passphrase 2026",
                                         preferred_name="Sam")
    _, token = circle.invitation_create(person=person, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle.invitation_accept(token=token, supporter=supporter)
    circle.grant_create(member=member, items={Category.MESSAGES: Access.WRITE}, purpose="To talk",
                        signature="Pat")
    conversation = conversation_for(member)
    start = timezone.now() - timedelta(days=60)
    Message.objects.bulk_create(
        Message(conversation=conversation, author=(person, supporter)[n % 2], body=f"Message number {n}, a few words",
                sent_at=start + timedelta(minutes=n), read_at=start + timedelta(minutes=n + 1))
        for n in range(MESSAGES))
    client = client_past_the_second_step(supporter)
    url = f"/conversations/{conversation.public_id}/"
    client.get(url)
    timings = []
    for _ in range(RUNS):
        begun = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - begun) * 1000)
        assert response.status_code == 200 and response.content.count(b'class="chat-message') == 50
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    print(f"conversation_page_median_ms: {statistics.median(timings):.1f} ms")
    print(f"conversation_page_queries: {len(captured.captured_queries)} queries")


if __name__ == "__main__":
    main()
