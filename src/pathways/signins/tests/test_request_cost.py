"""The time limits are checked from the session itself: a request costs them no query, and at most one write a
minute keeps "last active" true."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from pathways.signins.receivers import SEEN_AT
from pathways.signins.services import SEEN_EVERY
from pathways.signins.tests.test_sessions import log_in, move_back


def session_work(client) -> list[str]:
    """The queries of one page that touch the stored sessions: the session's own row, and the account's list
    of sessions (signins)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("plans:plan")).status_code == 200
    return [query["sql"] for query in queries if "django_session" in query["sql"] or "signins_" in query["sql"]]


def test_a_request_within_a_minute_of_the_last_costs_the_limits_no_query(pat):
    client = log_in(pat.email, password=PASSWORD)
    client.get(reverse("plans:plan"))
    touched = session_work(client)
    assert len(touched) == 1 and touched[0].startswith("SELECT")  # loading the session, which Django does anyway


def test_after_a_minute_one_request_moves_last_active_on(pat):
    client = log_in(pat.email, password=PASSWORD)
    move_back(client, SEEN_AT, SEEN_EVERY)
    writes = [sql for sql in session_work(client) if not sql.startswith("SELECT")]
    assert [sql.split()[0] for sql in writes] == ["UPDATE", "UPDATE"]  # the account's session row, and the session
    assert not [sql for sql in session_work(client) if not sql.startswith("SELECT")]
