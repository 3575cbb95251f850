"""The smallest count an outcomes report publishes: 11 unless set, and never below 11 in production. Each case
starts Django in a fresh process, as the settings are read once."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
PRODUCTION = {"PATHWAYS_ENV": "production", "PATHWAYS_SECRET_KEY": "kX9v-q2Lr8ZtW3mNb7YcP1sHf6JdG4aKe0UoRiTlVyXwQzB5nCgM_",
              "PATHWAYS_ALLOWED_HOSTS": "pathways.example.org",
              "PATHWAYS_FIELD_KEYS": "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",  # well-formed, not a secret
              "PATHWAYS_ACCESS_LOG_KEYS": "a-test-access-log-key-not-a-secret-" + "x" * 20,
              "PATHWAYS_ACCESS_LOG_CHECKPOINT": "off"}


def threshold_in(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
            "PATHWAYS_DATA_DIR": str(tmp_path)}
    probe = "import django; django.setup(); from django.conf import settings; print(settings.PATHWAYS_OUTCOMES_MIN_COUNT)"
    return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**base, **env})


def test_eleven_unless_set(tmp_path):
    assert threshold_in(tmp_path).stdout.strip() == "11"
    assert threshold_in(tmp_path, PATHWAYS_OUTCOMES_MIN_COUNT="5").stdout.strip() == "5"  # development, tests


def test_production_may_raise_it(tmp_path):
    assert threshold_in(tmp_path, **PRODUCTION, PATHWAYS_OUTCOMES_MIN_COUNT="20").stdout.strip() == "20"


def test_production_refuses_to_start_below_eleven_and_says_why(tmp_path):
    result = threshold_in(tmp_path, **PRODUCTION, PATHWAYS_OUTCOMES_MIN_COUNT="10")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: Pathways cannot start with PATHWAYS_ENV=")
    assert "PATHWAYS_OUTCOMES_MIN_COUNT is 10; outcomes reports must withhold every count below at least 11" in last
