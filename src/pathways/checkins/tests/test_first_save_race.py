"""Two first saves of the same day at once (a double tap on a slow connection) both succeed, into one check-in."""
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from pathways.checkins import services
from pathways.checkins.models import DailyCheckIn


@pytest.mark.django_db(transaction=True)
def test_a_save_that_meets_another_first_save_of_the_day_updates_it(pat):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes the write lock at BEGIN, so two saves never meet inside their transactions")
    today = timezone.localdate()
    inserted, finished = threading.Event(), []

    def first_save_holding_its_row():
        # Stored but not committed for a moment: the other save cannot see it yet, and its insert waits on it.
        with transaction.atomic():
            DailyCheckIn.objects.create(person=pat, day=today, mood=2)
            inserted.set()
            threading.Event().wait(0.5)
        connection.close()

    holder = threading.Thread(target=first_save_holding_its_row)
    holder.start()
    inserted.wait(5)
    try:
        finished.append(services.daily_checkin_save(person=pat, day=today, answers={"mood": 4}))
    finally:
        holder.join()

    assert DailyCheckIn.objects.filter(person=pat, day=today).count() == 1
    assert DailyCheckIn.objects.get(person=pat, day=today).mood == 4  # the later save's answers, none lost
