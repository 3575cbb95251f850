"""A query built once per process still answers afresh, for whichever id it is given."""
import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from pathways.lib.built_once import BuiltOnce
from pathways.people.models import Membership, User

ROLES = BuiltOnce(lambda user_id: User.objects.filter(pk=user_id).annotate(roles=Count("memberships"))
                  .values("email", "roles"))


def test_each_run_asks_the_database_afresh_for_the_id_given(pat, lee):
    assert ROLES.first_row(pat.pk) == {"email": "pat@example.org", "roles": 1}
    assert ROLES.first_row(lee.pk) == {"email": "lee@example.org", "roles": 1}
    Membership.objects.filter(user=pat).delete()
    with CaptureQueriesContext(connection) as queries:
        assert ROLES.first_row(pat.pk) == {"email": "pat@example.org", "roles": 0}
    assert len(queries) == 1


def test_an_id_with_no_row_gives_none(db):
    assert ROLES.first_row(10**9) is None


def test_a_query_that_ignores_its_id_is_refused(db):
    with pytest.raises(ValueError, match="does not use the id"):
        BuiltOnce(lambda user_id: User.objects.values("email")).first_row(1)
