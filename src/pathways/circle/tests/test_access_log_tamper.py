"""Tampering that the chain alone cannot catch, caught by the key and by checkpoints kept outside the database.

Each case edits the real database the way someone with database access (and, where said, the access-log
key) could, then runs `verify_access_log` as an auditor would.
"""
import hashlib
import io
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import Http404

from pathways.circle import access_log, checkpoints, policy
from pathways.circle.models import AccessLogCheckpoint, AccessLogEntry, AccessLogHead
from pathways.outbox.tests.helpers import closed_port, point_mail_at, send_queued_mail

ROOT = Path(__file__).resolve().parents[4]
TABLE = AccessLogEntry._meta.db_table
HEAD = AccessLogHead._meta.db_table


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def make_entries(pat, rue, count=5):
    for _ in range(count):
        with pytest.raises(Http404):
            policy.require_and_log(rue, pat, "plan", "view")


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_access_log", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    with pytest.raises(CommandError) as error:
        call_command("verify_access_log", *args, stdout=io.StringIO())
    message = str(error.value)
    assert "\n" not in message  # one clear line
    return message


@pytest.fixture
def checkpoint_file(tmp_path, settings):
    path = tmp_path / "checkpoints.txt"
    settings.PATHWAYS_ACCESS_LOG_CHECKPOINT = f"file:{path}"
    settings.PATHWAYS_ACCESS_LOG_CHECKPOINT_SECONDS = 0
    return path


def rewrite_from(sequence: int, *, change: dict, digest=access_log.entry_digest, key_id=None) -> None:
    """Change entry `sequence`, then rebuild every later link with `digest` and move the head to the new end."""
    previous = AccessLogEntry.objects.get(sequence=sequence - 1).digest if sequence > 1 else access_log.GENESIS
    for entry in AccessLogEntry.objects.filter(sequence__gte=sequence).order_by("sequence"):
        if entry.sequence == sequence:
            for name, value in change.items():
                setattr(entry, name, value)
        entry.previous_digest = previous
        if key_id is not None:
            entry.key_id = key_id
        entry.digest = digest(entry)
        raw(f"UPDATE {TABLE} SET allowed = %s, previous_digest = %s, digest = %s, key_id = %s WHERE sequence = %s",
            [entry.allowed, entry.previous_digest, entry.digest, entry.key_id, entry.sequence])
        previous = entry.digest
    raw(f"UPDATE {HEAD} SET digest = %s", [previous])


class TestTheTailAndTheWhole:
    def test_a_truncated_tail_with_the_head_moved_back_is_found_through_the_checkpoint(self, pat, rue,
                                                                                       checkpoint_file):
        make_entries(pat, rue)
        assert checkpoints.access_log_checkpoint_write()
        third = AccessLogEntry.objects.get(sequence=3)
        raw(f"DELETE FROM {TABLE} WHERE sequence > 3")
        raw(f"UPDATE {HEAD} SET sequence = 3, digest = %s", [third.digest])
        assert "3 entries checked" in verify()  # the chain alone still holds together: why checkpoints exist
        message = broken("--checkpoint", str(checkpoint_file))
        assert "broken at entry 4" in message and "reached entry 5, but it now ends at entry 3" in message

    def test_a_full_wipe_is_found_through_the_checkpoint(self, pat, rue, checkpoint_file):
        make_entries(pat, rue)
        checkpoints.access_log_checkpoint_write()
        raw(f"DELETE FROM {TABLE}")
        raw(f"DELETE FROM {HEAD}")
        assert "0 entries checked" in verify()
        message = broken("--checkpoint", str(checkpoint_file))
        assert "broken at entry 1" in message and "it now ends at entry 0" in message

    def test_an_intact_log_matches_every_checkpoint(self, pat, rue, checkpoint_file):
        make_entries(pat, rue, 2)
        checkpoints.access_log_checkpoint_write()
        make_entries(pat, rue, 2)
        checkpoints.access_log_checkpoint_write()
        make_entries(pat, rue, 1)  # written after the newest checkpoint: fine
        assert "5 entries checked, and all 2 checkpoints match (the newest at entry 4" in verify(
            "--checkpoint", str(checkpoint_file))

    def test_the_head_row_removed_alone_is_found(self, pat, rue):
        make_entries(pat, rue, 2)
        raw(f"DELETE FROM {HEAD}")
        assert "the head row that ends the chain is missing" in broken()


class TestRewrittenChains:
    def test_a_chain_rebuilt_with_the_key_is_found_through_the_checkpoint(self, pat, rue, checkpoint_file):
        make_entries(pat, rue)
        checkpoints.access_log_checkpoint_write()
        rewrite_from(2, change={"allowed": True})  # someone who holds the key rebuilds every later link
        assert "5 entries checked" in verify()
        message = broken("--checkpoint", str(checkpoint_file))
        assert "broken at entry 5" in message and "differs from the checkpoint written at" in message

    def test_a_chain_rebuilt_as_plain_sha256_is_found_without_a_checkpoint(self, pat, rue):
        make_entries(pat, rue)

        def sha256(entry):
            return hashlib.sha256(access_log.entry_payload(entry).encode()).hexdigest()

        rewrite_from(2, change={"allowed": True}, digest=sha256, key_id="")
        assert "broken at entry 2: it is not signed with any access-log key" in broken()

    def test_a_chain_rebuilt_with_a_guessed_key_is_found_without_a_checkpoint(self, pat, rue):
        make_entries(pat, rue)

        def guessed(entry):  # claims the real key's id, signs with another
            return access_log.mac(b"a guess at the key", access_log.entry_payload(entry))

        rewrite_from(3, change={"allowed": True}, digest=guessed)
        assert "broken at entry 3: its contents were changed after it was written" in broken()

    def test_entries_signed_with_a_key_that_is_not_listed_are_found(self, pat, rue, settings):
        listed = list(settings.PATHWAYS_ACCESS_LOG_KEYS)
        make_entries(pat, rue, 2)
        settings.PATHWAYS_ACCESS_LOG_KEYS = ["an attacker's own key"]  # written as Pathways would, another key
        make_entries(pat, rue, 1)
        settings.PATHWAYS_ACCESS_LOG_KEYS = listed
        attacker = access_log.key_id("an attacker's own key")
        assert f"broken at entry 3: it names key {attacker}, which is not in PATHWAYS_ACCESS_LOG_KEYS" in broken()


class TestKeys:
    def test_rotation_keeps_old_entries_verifiable(self, pat, rue, settings):
        settings.PATHWAYS_ACCESS_LOG_KEYS = ["the first key, long and random enough for a test"]
        make_entries(pat, rue, 3)
        settings.PATHWAYS_ACCESS_LOG_KEYS = ["the second key, added in front at rotation time",
                                             "the first key, long and random enough for a test"]
        make_entries(pat, rue, 2)
        old, new = (access_log.key_id(key) for key in reversed(settings.PATHWAYS_ACCESS_LOG_KEYS))
        assert list(AccessLogEntry.objects.order_by("sequence").values_list("key_id", flat=True)) == [old] * 3 + [new] * 2
        assert "5 entries checked" in verify()
        # Dropping the old key too early is reported, not silently accepted.
        settings.PATHWAYS_ACCESS_LOG_KEYS = ["the second key, added in front at rotation time"]
        assert f"broken at entry 1: it names key {old}, which is not in PATHWAYS_ACCESS_LOG_KEYS" in broken()

    def test_no_key_is_a_clear_message(self, pat, rue, settings):
        make_entries(pat, rue, 1)
        settings.PATHWAYS_ACCESS_LOG_KEYS = []
        assert "No access-log key: set PATHWAYS_ACCESS_LOG_KEYS" in broken()
        with pytest.raises(ImproperlyConfigured):
            policy.permits_and_log(rue, pat, "plan", "view")

    def test_a_field_that_cannot_be_decrypted_names_its_entry(self, pat, rue):
        make_entries(pat, rue, 4)
        raw(f"UPDATE {TABLE} SET purpose = %s WHERE sequence = 3", ["not a token any key opens"])
        assert "broken at entry 3: its purpose cannot be decrypted" in broken()


class TestCheckpointFiles:
    def test_a_line_altered_in_the_file_is_not_trusted(self, pat, rue, checkpoint_file):
        make_entries(pat, rue, 2)
        checkpoints.access_log_checkpoint_write()
        text = checkpoint_file.read_text()
        checkpoint_file.write_text(text.replace("sequence=2", "sequence=1"))
        assert "cannot be trusted: line 1's signature does not match it" in broken("--checkpoint",
                                                                                  str(checkpoint_file))

    def test_lines_collected_from_syslog_or_mail_are_read_and_other_lines_skipped(self, pat, rue, checkpoint_file,
                                                                                   tmp_path):
        make_entries(pat, rue, 2)
        line = checkpoints.access_log_checkpoint_write()
        collected = tmp_path / "collected.txt"
        collected.write_text(f"Subject: Pathways access log checkpoint\n\nDec  5 04:30:01 host pathways[12]: {line}\n")
        assert "all 1 checkpoints match" in verify("--checkpoint", str(collected))

    def test_a_missing_or_empty_file_is_a_clear_message(self, pat, tmp_path):
        assert "Cannot read the checkpoint file" in broken("--checkpoint", str(tmp_path / "nowhere.txt"))
        (tmp_path / "empty.txt").write_text("")
        assert "holds no checkpoint lines" in broken("--checkpoint", str(tmp_path / "empty.txt"))


class TestWritingCheckpoints:
    def test_the_workers_round_writes_a_checkpoint_only_when_the_log_moved(self, pat, rue, checkpoint_file):
        def worker_round():
            call_command("run_worker", "--once", stdout=io.StringIO())
            return checkpoint_file.read_text().splitlines() if checkpoint_file.exists() else []

        assert worker_round() == []  # an empty log: nothing to record
        make_entries(pat, rue, 2)
        first = worker_round()
        assert len(first) == 1 and " sequence=2 " in first[0]
        assert worker_round() == first  # nothing new: no new line
        make_entries(pat, rue, 1)
        second = worker_round()
        assert len(second) == 2 and " sequence=3 " in second[1] and second[0] == first[0]
        assert AccessLogCheckpoint.objects.get().sequence == 3

    def test_checkpoints_are_spaced_out_when_asked(self, pat, rue, checkpoint_file, settings):
        settings.PATHWAYS_ACCESS_LOG_CHECKPOINT_SECONDS = 3600
        make_entries(pat, rue, 1)
        assert checkpoints.access_log_checkpoint_write()
        make_entries(pat, rue, 1)
        assert checkpoints.access_log_checkpoint_write() is None

    def test_off_writes_nothing(self, pat, rue, settings):
        settings.PATHWAYS_ACCESS_LOG_CHECKPOINT = "off"
        make_entries(pat, rue, 1)
        assert checkpoints.access_log_checkpoint_write() is None
        assert not AccessLogCheckpoint.objects.exists()

    def test_a_setting_in_an_unknown_form_is_refused(self, settings):
        settings.PATHWAYS_ACCESS_LOG_CHECKPOINT = "ftp:somewhere"
        with pytest.raises(ImproperlyConfigured, match="use file:/path, syslog"):
            checkpoints.access_log_checkpoint_write()

    def test_by_email_through_the_outbox_and_nothing_is_lost_while_smtp_is_down(self, pat, rue, settings):
        settings.PATHWAYS_ACCESS_LOG_CHECKPOINT = "email:auditor@example.org"
        settings.PATHWAYS_ACCESS_LOG_CHECKPOINT_SECONDS = 0
        make_entries(pat, rue, 2)
        point_mail_at(settings, closed_port())
        line = checkpoints.access_log_checkpoint_write()
        assert AccessLogCheckpoint.objects.get().sequence == 2  # queued with the checkpoint, in one transaction
        assert send_queued_mail() == 1 and mail.outbox == []  # the server is down: it waits for a retry
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        send_queued_mail(retries_due=True)
        assert mail.outbox[0].to == ["auditor@example.org"] and line in mail.outbox[0].body
        assert checkpoints.read_checkpoints(mail.outbox[0].body.splitlines())[0].sequence == 2

    def test_to_a_syslog_server(self, pat, rue, settings):
        server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        try:
            settings.PATHWAYS_ACCESS_LOG_CHECKPOINT = f"syslog:127.0.0.1:{server.getsockname()[1]}"
            make_entries(pat, rue, 1)
            line = checkpoints.access_log_checkpoint_write()
            received = server.recv(4096).decode()
        finally:
            server.close()
        assert received.startswith("<") and line in received  # a syslog priority, then the line


def test_the_command_reports_a_truncated_tail_in_one_line_with_no_traceback(tmp_path):
    """The real command in a fresh process against a file database, as an auditor would run it."""
    checkpoint_path = tmp_path / "checkpoints.txt"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "PATHWAYS_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
           "PATHWAYS_ACCESS_LOG_CHECKPOINT": f"file:{checkpoint_path}"}

    def manage(*args):
        return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=180)

    assert manage("migrate", "-v0").returncode == 0
    seed = ("from pathways.people.services import person_sign_up as s;from pathways.circle import access_log;"
            "a=s(email='a@example.org',password='long enough pass');b=s(email='b@example.org',password='long enough pass');"
            "[access_log.append(person=a,viewer=b,viewer_role='x',category='plan',action='view',allowed=False) "
            "for _ in range(4)];from pathways.circle.checkpoints import access_log_checkpoint_write as w;w()")
    assert manage("shell", "-c", seed).returncode == 0
    ok = manage("verify_access_log", "--checkpoint", str(checkpoint_path))
    assert ok.returncode == 0 and "4 entries checked, and all 1 checkpoints match" in ok.stdout, ok.stderr
    with sqlite3.connect(tmp_path / "pathways.sqlite3") as db:
        third = db.execute(f"SELECT digest FROM {TABLE} WHERE sequence = 3").fetchone()[0]
        db.execute(f"DELETE FROM {TABLE} WHERE sequence = 4")
        db.execute(f"UPDATE {HEAD} SET sequence = 3, digest = ?", [third])
    result = manage("verify_access_log", "--checkpoint", str(checkpoint_path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and len(lines) == 1 and "Traceback" not in result.stderr
    assert "broken at entry 4: missing: the checkpoint written at" in lines[0]


BEFORE_KEYS = ("circle", "0004_keep_grants_of_deleted_supporters")


def _old_chain(apps, *, altered: int | None = None) -> None:
    """Four entries chained the way Pathways chained them before the key (plain SHA-256); `altered` is an entry
    whose contents were changed afterwards, a break the old chain already had."""
    import json

    from django.utils import timezone

    entry_model, head_model = apps.get_model("circle", "AccessLogEntry"), apps.get_model("circle", "AccessLogHead")
    previous = access_log.GENESIS
    for sequence in range(1, 5):
        entry = entry_model(sequence=sequence, at=timezone.now(), person_ref="p", viewer_ref="v", viewer_name="Sam",
                            viewer_role="ally", category="plan", action="view", allowed=False, grant_ref="",
                            emergency=False, purpose="", source="", previous_digest=previous)
        values = {name: getattr(entry, name) for name in ("sequence", "person_ref", "viewer_ref", "viewer_name",
                                                          "viewer_role", "category", "action", "allowed", "grant_ref",
                                                          "emergency", "purpose", "source", "previous_digest")}
        values["at"] = entry.at.isoformat(timespec="microseconds")
        entry.digest = hashlib.sha256(json.dumps(values, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        entry.allowed = sequence == altered  # changed after its digest was taken
        entry.save()
        previous = entry.digest
    head_model.objects.create(pk=1, sequence=4, digest=previous)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("altered", [None, 3], ids=["intact", "already-broken"])
def test_the_upgrade_signs_the_old_chain_and_keeps_an_old_break_visible(altered):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    # Every app's latest, not only circle's: going back to BEFORE_KEYS also unapplies the apps that depend on a
    # later circle migration (conversations), and only migrating all of them forward brings their tables back.
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE_KEYS])
    try:
        _old_chain(MigrationExecutor(connection).loader.project_state([BEFORE_KEYS]).apps, altered=altered)
        upgrade = MigrationExecutor(connection)
        upgrade.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
    signer = access_log.current_key()[0]
    key_ids = list(AccessLogEntry.objects.order_by("sequence").values_list("key_id", flat=True))
    if altered is None:
        assert key_ids == [signer] * 4 and access_log.verify() == 4
    else:
        assert key_ids == [signer, signer, "", ""]  # the run up to the old break is signed; the rest left as it was
        assert "broken at entry 3:" in broken()
