"""A writer process for the durability test: saves daily check-ins through the real service, forever.

Run as `python checkin_writer.py` with DJANGO_SETTINGS_MODULE and DATABASE_URL set. It prints `ready`, then
one line per check-in the service has saved — `ack <id> <email> <day> <revision> <checksum>` — flushed only
after the service call returned, so after its transaction committed. The test kills it at random moments.

The answers for a (person, day, revision) are a pure function, so the test can tell a whole check-in from
a torn one without trusting anything the killed process said.
"""
import hashlib
import json
import sys
from datetime import timedelta

PEOPLE = [f"writer{n}@example.org" for n in range(12)]
PAST_DAYS = 30  # the service accepts missed days up to 30 days back


def answers_for(email: str, day: str, revision: int) -> tuple[dict, dict]:
    """The daily answers and use log written for this person, day and revision."""
    seed = int(hashlib.sha256(f"{email}|{day}|{revision}".encode()).hexdigest()[:8], 16)
    daily = {"mood": 1 + seed % 5, "cravings": seed % 11, "energy": 1 + (seed >> 4) % 5,
             "hungry": ("yes", "no", "prefer_not", "")[(seed >> 8) % 4], "lonely": ("yes", "no", "")[(seed >> 10) % 3],
             "note": f"rev {revision} " + "x" * ((seed >> 12) % 300)}
    use = {"used": ("yes", "no")[(seed >> 14) % 2], "what": f"item {seed % 97}"}
    return daily, use


def checksum(values: list) -> str:
    """Over the fields in a fixed order: mood, cravings, energy, hungry, lonely, note, used, what."""
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]


def expected_checksum(email: str, day: str, revision: int) -> str:
    daily, use = answers_for(email, day, revision)
    return checksum([daily["mood"], daily["cravings"], daily["energy"], daily["hungry"], daily["lonely"],
                     daily["note"], use["used"], use["what"]])


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from pathways.checkins.models import DailyCheckIn
    from pathways.checkins.services import daily_checkin_save
    from pathways.people.models import User

    people = {}
    for email in PEOPLE:
        people[email] = User.objects.filter(email=email).first() or User.objects.create_user(email=email)
    today = timezone.localdate()
    pending = [(email, today - timedelta(days=back)) for back in range(1, PAST_DAYS + 1) for email in PEOPLE]
    done = set(DailyCheckIn.objects.filter(person__email__in=PEOPLE).values_list("person__email", "day"))
    pending = [pair for pair in pending if pair not in done]
    revisions = {email: 0 for email in PEOPLE}
    for email, note in DailyCheckIn.objects.filter(day=today, person__email__in=PEOPLE).values_list(
            "person__email", "note"):
        revisions[email] = int(note.split()[1])
    print("ready", flush=True)

    turn = 0
    while True:
        turn += 1
        if pending and turn % 2:
            email, day = pending.pop(0)  # a missed day, filled in once
            revision = 0
        else:
            email, day = PEOPLE[turn % len(PEOPLE)], today  # today's, changed again and again
            revisions[email] += 1
            revision = revisions[email]
        daily, use = answers_for(email, day.isoformat(), revision)
        checkin = daily_checkin_save(person=people[email], day=day, answers=daily, use=use)
        sys.stdout.write(f"ack {checkin.pk} {email} {day.isoformat()} {revision} "
                         f"{expected_checksum(email, day.isoformat(), revision)}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
