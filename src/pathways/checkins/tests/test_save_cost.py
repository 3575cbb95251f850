"""Saving a daily check-in asks the database only what it needs: each row read once, and the same queries for the
first check-in of the day as for a change to it, but for the savepoint around the day's first insert (where a
double tap's two saves can meet: test_first_save_race.py)."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pathways.checkins import services
from pathways.checkins.models import DailyCheckIn, UseLog

USE = {"used": "no"}


def save_queries(person, **answers) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        services.daily_checkin_save(person=person, day=timezone.localdate(), answers=answers, use=USE)
    return [query["sql"] for query in queries]


def test_a_check_in_and_its_use_log_are_read_once_and_written_once(pat):
    """Read the day's row with its use log, write both, ask which signs are watched (none here: the rules stop).
    The test runs inside a transaction, so the save's own shows as one savepoint; nothing inside adds another."""
    first = save_queries(pat, mood=3)
    again = save_queries(pat, mood=4, note="Better after a walk")
    assert [sql.split()[0] for sql in first] == ["SAVEPOINT", "SELECT", "SAVEPOINT", "INSERT", "RELEASE", "INSERT",
                                                 "SELECT", "RELEASE"]
    assert [sql.split()[0] for sql in again] == ["SAVEPOINT", "SELECT", "UPDATE", "UPDATE", "SELECT", "RELEASE"]
    assert '"checkins_uselog"' in again[1]  # read with the check-in
    checkin = DailyCheckIn.objects.get(person=pat)
    assert (checkin.mood, checkin.note, UseLog.objects.get(checkin=checkin).used) == (4, "Better after a walk", "no")


def test_an_answer_showing_risk_still_raises_its_alert(pat):
    services.daily_checkin_save(person=pat, day=timezone.localdate(), answers={"self_harm_thoughts": "yes"})
    assert pat.crisis_alerts.filter(level="strong").exists()


def test_watching_for_signs_reads_the_recent_days_in_the_same_transaction(pat):
    sign = services.warning_sign_add(person=pat, stage="emotional", sign="I stop sleeping well")
    services.warning_watch_set(warning_sign=sign, rule="sleep_below_usual")
    queries = save_queries(pat, mood=3)
    assert [sql.split()[0] for sql in queries] == ["SAVEPOINT", "SELECT", "SAVEPOINT", "INSERT", "RELEASE", "INSERT",
                                                   "SELECT", "SELECT", "RELEASE"]
