"""Several reads written at once (`append_many`, `log_reads`): one lock and one insert, the same signed chain."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pathways.circle import access_log, policy
from pathways.circle.models import AccessLogEntry, Category
from pathways.circle.selectors import live_grants_held


def read_of(person, viewer, category: Category) -> dict:
    return dict(person=person, viewer=viewer, viewer_role="peer_supporter", category=category, action="view",
                allowed=True)


def test_entries_written_together_chain_and_sign_like_entries_written_one_by_one(pat, sam, plan_grant):
    access_log.append(**read_of(pat, sam, Category.PLAN))
    access_log.append_many([read_of(pat, sam, category) for category in (Category.CHECKINS, Category.MEASURES)])
    access_log.append(**read_of(pat, sam, Category.USE_LOG))
    access_log.append_many([dict(read_of(pat, sam, Category.PLAN), grant=plan_grant)])
    entries = list(AccessLogEntry.objects.order_by("sequence"))  # the first: the consent was signed
    assert [entry.sequence for entry in entries] == [1, 2, 3, 4, 5, 6]
    assert [entry.category for entry in entries[1:]] == ["plan", "checkins", "measures", "use_log", "plan"]
    for before, entry in zip(entries, entries[1:], strict=False):
        assert entry.previous_digest == before.digest
    assert (entries[-1].grant_ref, entries[-1].purpose) == (str(plan_grant.public_id), "To support me")
    assert access_log.verify() == 6
    call_command("verify_access_log")


def test_a_changed_entry_written_together_is_still_found(pat, sam):
    access_log.append_many([read_of(pat, sam, category) for category in (Category.PLAN, Category.CHECKINS)])
    AccessLogEntry.objects.filter(sequence=1).update(category="measures")
    with pytest.raises(CommandError, match="entry 1: its contents were changed"):
        call_command("verify_access_log")


def test_one_lock_and_one_insert_however_many_entries(pat, sam):
    access_log.append(**read_of(pat, sam, Category.PLAN))  # the head row exists from here on
    counts = []
    for how_many in (2, 200):
        with CaptureQueriesContext(connection) as queries:
            access_log.append_many([read_of(pat, sam, Category.CHECKINS)] * how_many)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert access_log.verify() == 203


def test_log_reads_writes_one_entry_per_read_with_its_grant(pat, sam, plan_grant):
    decisions = policy.decisions_from_grants(sam, live_grants_held(viewer=sam))
    assert set(decisions) == {(pat.pk, Category.PLAN)}
    assert decisions[pat.pk, Category.PLAN] == policy.decide(sam, pat, Category.PLAN, policy.Access.VIEW)
    policy.log_reads(sam, [(pat, Category.PLAN, decisions[pat.pk, Category.PLAN])])
    entry = AccessLogEntry.objects.reads().get()
    assert (entry.person_ref, entry.viewer_ref, entry.category, entry.viewer_role) == (
        str(pat.public_id), str(sam.public_id), "plan", "peer_supporter")
    assert entry.allowed and entry.grant_ref == str(plan_grant.public_id)


def test_no_decision_comes_from_a_grant_that_has_ended(pat, sam, plan_grant):
    grants = live_grants_held(viewer=sam)
    plan_grant.revoked_at = plan_grant.signed_at
    grants[0].revoked_at = plan_grant.signed_at  # loaded before it was revoked, checked again when deciding
    assert policy.decisions_from_grants(sam, grants) == {}
    assert policy.decisions_from_grants(pat, grants) == {}  # grants held by someone else decide nothing
