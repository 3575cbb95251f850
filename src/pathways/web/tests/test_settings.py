"""Settings come from the environment, with safe defaults; each case runs Django in a fresh process."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
print(json.dumps({"debug": settings.DEBUG, "secret": settings.SECRET_KEY, "journal": journal, "busy_ms": busy,
                  "transaction_mode": settings.DATABASES["default"]["OPTIONS"]["transaction_mode"],
                  "secure_cookies": settings.SESSION_COOKIE_SECURE}))
"""


def probe(tmp_path, **env) -> dict:
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "pathways.config.settings", "PATHWAYS_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**base, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_are_safe_for_production(tmp_path):
    found = probe(tmp_path)
    assert found["debug"] is False
    assert found["secure_cookies"] is True


def test_without_a_configured_secret_a_private_random_one_is_kept_on_disk(tmp_path):
    first = probe(tmp_path)["secret"]
    second = probe(tmp_path)["secret"]
    assert first == second and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secrets_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "mounted-secret"
    secret_file.write_text("from-a-file-0123456789\n")
    assert probe(tmp_path, PATHWAYS_SECRET_KEY_FILE=str(secret_file))["secret"] == "from-a-file-0123456789"


def test_debug_only_when_asked(tmp_path):
    assert probe(tmp_path, PATHWAYS_DEBUG="1")["debug"] is True


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_immediate_transactions(tmp_path):
    found = probe(tmp_path)
    assert found["journal"] == "wal"
    assert found["busy_ms"] == 20000
    assert found["transaction_mode"] == "IMMEDIATE"
