"""The caseload: each state only under a grant, who needs attention first, every state shown logged once, and a
number of queries that does not grow with the number of people."""
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways.checkins import warning_rules
from pathways.circle import access_log, policy
from pathways.circle.models import AccessLogEntry, Category
from pathways.safety.services import alert_answer

from .caseload_world import (
    STATE_WORDS,
    alert_told_to,
    every_state,
    grant,
    person_in_circle_of,
    quiet_checkins,
    sign_noticed,
)

CASELOAD = "/people/"


def cards(body: str) -> dict[str, str]:
    """Each person's card, by the name in its heading."""
    found = {}
    for card in body.split('<section class="card"')[1:]:
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", card, re.S).group(1)
        found[re.sub(r"<[^>]+>|\s*\(.*\)", "", heading).strip()] = card.split("</section>")[0]
    return found


def reads_since(sequence: int) -> list[tuple[str, str, bool, str]]:
    return sorted(AccessLogEntry.objects.reads().filter(sequence__gt=sequence)
                  .values_list("person_ref", "category", "allowed", "grant_ref"))


def last_sequence() -> int:
    return AccessLogEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


@pytest.fixture
def sam_client(client, sam):
    client.force_login(sam)
    return client


def test_every_state_shows_under_a_grant_and_each_is_logged_once(sam_client, sam):
    pat, member = person_in_circle_of(sam, "Pat")
    consent = grant(member)
    every_state(pat, sam)
    before = last_sequence()
    body = cards(sam_client.get(CASELOAD).content.decode())["Pat"]
    assert "No check-in for 10 days" in body
    assert "A crisis alert" in body and "nobody has answered yet" in body
    assert "An early-warning sign was noticed on" in body
    assert warning_rules.RULES["sleep_below_usual"].title.lower() not in body.lower()  # which sign: not allowed
    assert "You last reached out" not in body  # no contact yet
    assert "Read the consent signed" in body and "My daily check-ins (see)" in body
    assert f'href="{reverse("reports:person", args=[pat.public_id])}"' in body
    shown = {Category.PLAN, Category.CHECKINS, Category.CRISIS_ALERTS, Category.EARLY_WARNING}
    assert reads_since(before) == sorted((str(pat.public_id), str(c), True, str(consent.public_id)) for c in shown)
    assert access_log.verify() == AccessLogEntry.objects.count()
    call_command("verify_access_log")


def test_an_answered_alert_says_who_is_reaching_out_and_when_you_last_did(sam_client, sam, lee):
    pat, member = person_in_circle_of(sam, "Pat")
    grant(member)
    person_in_circle_of(lee, "Pat2")  # Lee answering alerts elsewhere changes nothing here
    alert = alert_told_to(pat, sam, answered_by=[lee])
    alert_answer(alert=alert, supporter=sam)
    body = cards(sam_client.get(CASELOAD).content.decode())["Pat"]
    assert "reaching out: Lee, you." in body and "nobody has answered yet" not in body
    assert "You last reached out today." in body
    assert f'href="{reverse("safety:alert", args=[alert.public_id])}"' in body


def test_the_sign_is_named_only_when_the_person_allowed_it(sam_client, sam):
    pat, member = person_in_circle_of(sam, "Pat")
    grant(member)
    sign_noticed(pat, named=True)
    body = cards(sam_client.get(CASELOAD).content.decode())["Pat"]
    assert warning_rules.RULES["sleep_below_usual"].title.lower() in body.lower()


def test_what_was_not_told_or_is_old_stays_off_the_caseload(sam_client, sam, lee):
    pat, member = person_in_circle_of(sam, "Pat")
    grant(member)
    alert_told_to(pat, lee)  # told to someone else
    alert_told_to(pat, sam, hours_ago=25)  # over a day ago
    sign_noticed(pat, told=())  # nobody was told
    sign_noticed(pat, days_ago=8)  # over a week ago
    quiet_checkins(pat, days_ago=6)
    body = cards(sam_client.get(CASELOAD).content.decode())["Pat"]
    for words in ("A crisis alert", "An early-warning sign", "No check-in for"):
        assert words not in body
    assert "Last check-in:" in body


def test_states_show_only_for_the_categories_granted(sam_client, sam):
    pat, member = person_in_circle_of(sam, "Pat")
    grant(member, {Category.SAFETY_PLAN: "view"})
    every_state(pat, sam)
    before = last_sequence()
    body = cards(sam_client.get(CASELOAD).content.decode())["Pat"]
    assert not any(words in body for words in STATE_WORDS.values())
    assert "Last check-in" not in body
    assert reads_since(before) == []  # nothing shown, nothing read


def test_who_needs_attention_comes_first_then_everyone_by_name(sam_client, sam, lee):
    people = {}
    for name in ("Ada", "Bo", "Cy", "Di", "Ed"):
        people[name], member = person_in_circle_of(sam, name)
        grant(member)
    quiet_checkins(people["Ada"], days_ago=1)
    quiet_checkins(people["Bo"], days_ago=9)
    sign_noticed(people["Cy"])
    alert_told_to(people["Di"], sam, answered_by=[lee])
    alert_told_to(people["Ed"], sam)
    assert list(cards(sam_client.get(CASELOAD).content.decode())) == ["Ed", "Di", "Cy", "Bo", "Ada"]


def test_nobody_sharing_is_the_empty_state(sam_client, sam):
    person_in_circle_of(sam, "Pat")  # in her circle, but she shares nothing
    response = sam_client.get(CASELOAD)
    assert response.status_code == 200
    assert "Nobody shares anything with you" in response.content.decode()


def test_log_reads_refuses_to_write_a_refusal(sam):
    pat, _ = person_in_circle_of(sam, "Pat")
    with pytest.raises(ValueError):
        policy.log_reads(sam, [(pat, Category.PLAN, policy.REFUSED)])


def queries_for_caseload(client) -> list[str]:
    client.get(CASELOAD)  # the first visit may set things up once (the log's head row, the session)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CASELOAD).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_number_of_queries_does_not_grow_with_the_caseload(sam_client, sam, lee):
    def add_people(first: int, last: int):
        for n in range(first, last):
            person, member = person_in_circle_of(sam, f"Person{n:02}")
            grant(member)
            every_state(person, sam)
            if n % 2:
                alert_told_to(person, sam, answered_by=[lee, sam])

    add_people(0, 5)
    with_five = queries_for_caseload(sam_client)
    add_people(5, 25)
    with_twenty_five = queries_for_caseload(sam_client)
    assert len(cards(sam_client.get(CASELOAD).content.decode())) == 25
    assert len(with_twenty_five) == len(with_five), "\n".join(with_twenty_five)
