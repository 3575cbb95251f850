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
from django.db import connection
from django.http import Http404
from django.utils import timezone

from pathways.circle import access_log, policy, services
from pathways.circle.models import AccessLogEntry
from pathways.plans import selectors as plan_selectors
from pathways.vault import keys

ROOT = Path(__file__).resolve().parents[4]


def test_the_person_reading_their_own_plan_is_not_logged(pat):
    plan_selectors.plan_get(person=pat, viewer=pat)
    assert not AccessLogEntry.objects.exists()


def test_an_allowed_read_is_logged_with_who_what_which_grant_and_why(pat, sam, plan_grant):
    plan_selectors.plan_get(person=pat, viewer=sam)
    entry = AccessLogEntry.objects.get()
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


def test_where_from_is_the_requesting_address(client, pat, sam, plan_grant):
    client.force_login(sam)
    client.get(f"/plan/of/{pat.public_id}/", REMOTE_ADDR="203.0.113.9")
    assert AccessLogEntry.objects.get().source == "203.0.113.9"


def test_entries_are_never_changed_or_deleted_by_the_application(pat, rue):
    with pytest.raises(Http404):
        policy.require(rue, pat, "plan", "view")
    entry = AccessLogEntry.objects.get()
    entry.allowed = True
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def make_entries(pat, rue, count=5):
    for _ in range(count):
        with pytest.raises(Http404):
            policy.require(rue, pat, "plan", "view")


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
        assert "Sam Rivera" in body and "Rue" in body and "<td>Refused</td>" in body
        only_sam = client.get("/circle/access-log/", {"viewer": str(sam.public_id)}).content.decode()
        assert "Sam Rivera" in only_sam and "<td>Refused</td>" not in only_sam
        only_refused = client.get("/circle/access-log/", {"outcome": "refused"}).content.decode()
        assert "<td>Refused</td>" in only_refused and "<td>Seen</td>" not in only_refused

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
