"""The access log: every read by someone else is written, chained, and any tampering is found."""
import csv
import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from pathways.circle import access_log, consent_log, policy, services
from pathways.circle.models import AccessLogEntry, Change, EmergencyAccess, Grant
from pathways.people.models import Membership, Role
from pathways.plans import selectors as plan_selectors
from pathways.vault import keys

ROOT = Path(__file__).resolve().parents[4]


def test_the_person_reading_their_own_plan_is_not_logged(pat):
    plan_selectors.plan_get(person=pat, viewer=pat)
    assert not AccessLogEntry.objects.exists()


def test_an_allowed_read_is_logged_with_who_what_which_grant_and_why(pat, sam, plan_grant):
    plan_selectors.plan_get(person=pat, viewer=sam)
    entry = AccessLogEntry.objects.reads().get()
    assert (entry.person_ref, entry.viewer_ref) == (str(pat.public_id), str(sam.public_id))
    assert (entry.viewer_name, entry.viewer_role, entry.category, entry.action) == ("Sam Rivera", "peer_supporter",
                                                                                    "plan", "view")
    assert entry.allowed and entry.grant_ref == str(plan_grant.public_id) and entry.purpose == "To support me"
    assert entry.at.utcoffset() == timedelta(0)


def test_a_refused_read_is_logged_too(pat, rue):
    with pytest.raises(Http404):
        plan_selectors.plan_get(person=pat, viewer=rue)
    entry = AccessLogEntry.objects.get()
    assert not entry.allowed and entry.grant_ref == "" and entry.viewer_role == "person"


def test_the_log_shows_times_on_the_persons_own_clock(client, pat, sam, plan_grant):
    pat.time_zone = "Asia/Kolkata"  # UTC+5:30 all year: no summer time to make the expected hour drift
    pat.save()
    plan_selectors.plan_get(person=pat, viewer=sam)
    at = AccessLogEntry.objects.reads().get().at
    client.force_login(pat)
    body = client.get("/circle/access-log/").content.decode()
    assert (at + timedelta(hours=5, minutes=30)).strftime("%Y-%m-%d %H:%M") in body
    assert "Asia/Kolkata" in body and "UTC" not in body


def test_where_from_is_the_requesting_address(client, pat, sam, plan_grant):
    client.force_login(sam)
    client.get(f"/plan/of/{pat.public_id}/", REMOTE_ADDR="203.0.113.9")
    assert AccessLogEntry.objects.reads().get().source == "203.0.113.9"


def test_entries_are_never_changed_or_deleted_by_the_application(pat, rue):
    with pytest.raises(Http404):
        policy.require_and_log(rue, pat, "plan", "view")
    entry = AccessLogEntry.objects.get()
    entry.allowed = True
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def make_entries(pat, rue, count=5):
    for _ in range(count):
        with pytest.raises(Http404):
            policy.require_and_log(rue, pat, "plan", "view")


def test_verify_counts_an_intact_chain(pat, rue, capsys):
    make_entries(pat, rue)
    call_command("verify_access_log")
    assert "5 entries checked" in capsys.readouterr().out


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


TABLE = AccessLogEntry._meta.db_table


class TestTampering:
    """Direct database edits (as an attacker with database access would make) break the chain."""

    def assert_broken_at(self, sequence):
        with pytest.raises(CommandError) as error:
            call_command("verify_access_log")
        assert f"broken at entry {sequence}" in str(error.value)

    def test_an_edited_entry(self, pat, rue):
        make_entries(pat, rue)
        raw(f"UPDATE {TABLE} SET allowed = %s WHERE sequence = 3", [True])
        self.assert_broken_at(3)

    def test_an_edited_time(self, pat, rue):
        make_entries(pat, rue)
        raw(f"UPDATE {TABLE} SET at = %s WHERE sequence = 2", [timezone.now() - timedelta(days=400)])
        self.assert_broken_at(2)

    def test_a_deleted_entry(self, pat, rue):
        make_entries(pat, rue)
        raw(f"DELETE FROM {TABLE} WHERE sequence = 2")
        self.assert_broken_at(2)

    def test_a_deleted_last_entry(self, pat, rue):
        make_entries(pat, rue)
        raw(f"DELETE FROM {TABLE} WHERE sequence = 5")
        self.assert_broken_at(5)

    def test_reordered_entries(self, pat, rue):
        make_entries(pat, rue)
        raw(f"UPDATE {TABLE} SET sequence = 100 WHERE sequence = 2")
        raw(f"UPDATE {TABLE} SET sequence = 2 WHERE sequence = 3")
        raw(f"UPDATE {TABLE} SET sequence = 3 WHERE sequence = 100")
        self.assert_broken_at(2)

    def test_a_rewritten_digest_still_breaks_the_next_link(self, pat, rue):
        make_entries(pat, rue)
        entry = AccessLogEntry.objects.get(sequence=2)
        entry.viewer_name = "Someone else"
        # Written as Pathways would write it (encrypted), by someone who also holds the field keys.
        raw(f"UPDATE {TABLE} SET viewer_name = %s, digest = %s WHERE sequence = 2",
            [keys.encrypt("Someone else"), access_log.entry_digest(entry)])
        self.assert_broken_at(3)


def test_the_command_exits_non_zero_when_broken(tmp_path):
    """Run the real command in a fresh process against a file database, as an operator would."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "PATHWAYS_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "pathways.config.settings"}

    def manage(*args):
        return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    assert manage("migrate", "-v0").returncode == 0
    seed = ("from pathways.people.services import person_sign_up as s;from pathways.circle import policy;"
            "a=s(email='a@example.org',password='long enough pass');b=s(email='b@example.org',password='long enough pass');"
            "[policy.decide(b,a,'plan','view') for _ in range(3)];"
            "from pathways.circle import access_log;[access_log.append(person=a,viewer=b,viewer_role='x',"
            "category='plan',action='view',allowed=False) for _ in range(3)]")
    assert manage("shell", "-c", seed).returncode == 0
    ok = manage("verify_access_log")
    assert ok.returncode == 0 and "3 entries checked" in ok.stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "pathways.sqlite3") as db:
        db.execute(f"UPDATE {TABLE} SET category = 'notes' WHERE sequence = 2")
    broken = manage("verify_access_log")
    assert broken.returncode != 0 and "entry 2" in broken.stderr


class TestPages:
    def test_who_has_seen_my_information_lists_and_filters(self, client, pat, sam, rue, plan_grant):
        plan_selectors.plan_get(person=pat, viewer=sam)
        with pytest.raises(Http404):
            plan_selectors.plan_get(person=pat, viewer=rue)
        client.force_login(pat)
        body = client.get("/circle/access-log/").content.decode()
        assert "Sam Rivera" in body and "Rue" in body and "<dd>Refused</dd>" in body
        only_sam = client.get("/circle/access-log/", {"viewer": str(sam.public_id)}).content.decode()
        assert "Sam Rivera" in only_sam and "<dd>Refused</dd>" not in only_sam
        only_refused = client.get("/circle/access-log/", {"outcome": "refused"}).content.decode()
        assert "<dd>Refused</dd>" in only_refused and "<dd>Seen</dd>" not in only_refused

    def test_a_bad_filter_is_explained_not_crashed(self, client, pat):
        client.force_login(pat)
        response = client.get("/circle/access-log/", {"since": "not-a-date", "category": "diary"})
        assert response.status_code == 200 and "Enter a valid date" in response.content.decode()

    def test_nobody_else_can_read_the_persons_log(self, client, pat, sam, plan_grant):
        plan_selectors.plan_get(person=pat, viewer=sam)
        client.force_login(sam)
        assert str(pat.public_id) not in client.get("/circle/access-log/").content.decode()
        assert "Sam Rivera" not in client.get("/circle/access-log/").content.decode()

    def test_the_accounting_of_disclosures_covers_three_years_of_allowed_reads(self, client, pat, sam, rue,
                                                                                plan_grant):
        plan_selectors.plan_get(person=pat, viewer=sam)
        with pytest.raises(Http404):
            plan_selectors.plan_get(person=pat, viewer=rue)
        client.force_login(pat)
        response = client.get("/circle/access-log/disclosures.csv")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == ["date (UTC)", "recipient", "recipient role", "what", "purpose", "authority"]
        assert [row[1:] for row in rows[1:]] == [["Sam Rivera", "peer_supporter", "my recovery plan", "To support me",
                                                  "consent"]]

    def test_formula_like_text_is_made_harmless_in_the_csv(self, client, pat, sams_membership):
        services.grant_create(member=sams_membership, items={"plan": "view"}, purpose="=HYPERLINK(\"x\")",
                              signature="Pat")
        plan_selectors.plan_get(person=pat, viewer=sams_membership.supporter)
        client.force_login(pat)
        assert "'=HYPERLINK" in client.get("/circle/access-log/disclosures.csv").content.decode()


class TestConsentChanges:
    """Each change to what the person shares is an entry in the same chain, written with the change itself."""

    def changes(self, pat):
        return list(AccessLogEntry.objects.changes().filter(person_ref=str(pat.public_id)).order_by("sequence"))

    def test_a_signed_consent(self, pat, sam, plan_grant):
        [entry] = self.changes(pat)
        assert (entry.action, entry.viewer_ref, entry.viewer_name) == (Change.GRANT_SIGNED, str(sam.public_id),
                                                                       "Sam Rivera")
        assert entry.grant_ref == str(plan_grant.public_id) and entry.allowed and entry.purpose == "To support me"
        assert entry.viewer_role == "peer_supporter" and entry.category == ""

    def test_a_revoked_consent_once(self, pat, sam, plan_grant):
        services.grant_revoke(grant=plan_grant)
        services.grant_revoke(grant=plan_grant)  # already revoked: nothing more happens, nothing more is written
        assert [(e.action, e.allowed) for e in self.changes(pat)] == [(Change.GRANT_SIGNED, True),
                                                                      (Change.GRANT_REVOKED, False)]

    def test_an_expired_consent_is_written_once_when_first_noticed(self, pat, sam, plan_grant):
        Grant.objects.filter(pk=plan_grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        for _ in range(2):
            with pytest.raises(Http404):
                plan_selectors.plan_get(person=pat, viewer=sam)
        assert consent_log.endings_sweep() == 0  # the worker's round finds it already written
        recent = list(AccessLogEntry.objects.filter(person_ref=str(pat.public_id)).order_by("sequence"))
        assert [(e.action, e.allowed) for e in recent] == [
            (Change.GRANT_SIGNED, True), (Change.GRANT_EXPIRED, False), ("view", False), ("view", False)]
        assert recent[1].grant_ref == str(plan_grant.public_id)

    def test_an_expired_consent_is_noticed_by_the_workers_round(self, pat, sam, plan_grant):
        Grant.objects.filter(pk=plan_grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        call_command("run_worker", "--once", stdout=io.StringIO())
        call_command("run_worker", "--once", stdout=io.StringIO())
        assert [e.action for e in self.changes(pat)] == [Change.GRANT_SIGNED, Change.GRANT_EXPIRED]

    def test_a_member_removed(self, pat, sam, plan_grant):
        services.member_remove(member=plan_grant.member)
        changes = self.changes(pat)
        assert [(e.action, e.viewer_ref, e.allowed) for e in changes] == [
            (Change.GRANT_SIGNED, str(sam.public_id), True), (Change.MEMBER_REMOVED, str(sam.public_id), False)]

    def test_emergency_access_opened_and_closed(self, pat, lee, organisation):
        pat.home_organisation = organisation
        pat.save()
        Membership.objects.create(user=pat, organisation=organisation, role=Role.PERSON)
        access = services.emergency_access_start(professional=lee, person=pat, reason="No answer for days")
        plan_selectors.plan_get(person=pat, viewer=lee)
        EmergencyAccess.objects.filter(pk=access.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
        with pytest.raises(Http404):
            plan_selectors.plan_get(person=pat, viewer=lee)
        consent_log.endings_sweep()
        entries = list(AccessLogEntry.objects.filter(person_ref=str(pat.public_id)).order_by("sequence"))
        assert [(e.action, e.allowed, e.emergency) for e in entries] == [
            (Change.EMERGENCY_OPENED, True, True), ("view", True, True), (Change.EMERGENCY_CLOSED, False, True),
            ("view", False, False)]
        assert {e.viewer_ref for e in entries} == {str(lee.public_id)}
        assert entries[0].purpose == entries[2].purpose == "No answer for days"

    def test_a_change_rolled_back_leaves_no_entry(self, pat, sam, plan_grant):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.grant_revoke(grant=plan_grant)
            raise RuntimeError("the rest of the change failed")
        plan_grant.refresh_from_db()
        assert plan_grant.revoked_at is None and [e.action for e in self.changes(pat)] == [Change.GRANT_SIGNED]
        assert access_log.verify() == 1

    def test_changes_are_chained_like_reads(self, pat, sam, plan_grant):
        plan_selectors.plan_get(person=pat, viewer=sam)
        services.grant_revoke(grant=plan_grant)
        assert access_log.verify() == 3
        raw(f"UPDATE {TABLE} SET action = %s WHERE sequence = 3", [Change.GRANT_SIGNED.value])
        with pytest.raises(CommandError, match="broken at entry 3: its contents were changed"):
            call_command("verify_access_log")

    def test_the_persons_page_shows_changes_apart_from_reads(self, client, pat, sam, rue, plan_grant):
        plan_selectors.plan_get(person=pat, viewer=sam)
        services.grant_revoke(grant=plan_grant)
        with pytest.raises(Http404):
            plan_selectors.plan_get(person=pat, viewer=rue)
        client.force_login(pat)
        everything = client.get("/circle/access-log/").content.decode()
        assert "You signed a consent for them" in everything and "You revoked a consent" in everything
        assert "<dd>Seen</dd>" in everything and "<dd>Refused</dd>" in everything
        changes = client.get("/circle/access-log/", {"kind": "changes"}).content.decode()
        assert "You signed a consent for them" in changes and "You revoked a consent" in changes
        assert "<dd>Seen</dd>" not in changes
        assert "<dd>Refused</dd>" not in changes
        assert '<a href="/circle/access-log/?kind=changes" aria-current="page">' in changes
        reads = client.get("/circle/access-log/", {"kind": "reads"}).content.decode()
        assert "You signed a consent" not in reads and "You revoked a consent" not in reads
        assert "<dd>Seen</dd>" in reads and "<dd>Refused</dd>" in reads
        # A filter keeps to the tab, and "refused" is about reads, so a revoked consent is not among them.
        refused = client.get("/circle/access-log/", {"kind": "", "outcome": "refused"}).content.decode()
        assert "<dd>Refused</dd>" in refused and "You revoked a consent" not in refused
        assert 'name="kind" value="reads"' in reads
        nonsense = client.get("/circle/access-log/", {"kind": "everything-please"})
        assert nonsense.status_code == 200 and "You signed a consent for them" in nonsense.content.decode()

    def test_an_ending_shows_on_the_persons_page_as_soon_as_they_look(self, client, pat, sam, plan_grant):
        Grant.objects.filter(pk=plan_grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        client.force_login(pat)
        assert "A consent reached its end date" in client.get("/circle/access-log/",
                                                                {"kind": "changes"}).content.decode()

    def test_the_accounting_of_disclosures_lists_reads_only(self, client, pat, sam, plan_grant):
        plan_selectors.plan_get(person=pat, viewer=sam)
        client.force_login(pat)
        rows = list(csv.reader(io.StringIO(client.get("/circle/access-log/disclosures.csv").content.decode())))
        assert len(rows) == 2  # the header, and the one read (the signed consent is not a disclosure)
