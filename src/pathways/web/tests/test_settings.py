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


# --- PATHWAYS_ENV=production -------------------------------------------------------------------------------

PROD_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
plain = Client(SERVER_NAME="pathways.example.org")
names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
         "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SECURE_CONTENT_TYPE_NOSNIFF",
         "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS"]
found = {name: getattr(settings, name) for name in names}
found["http_plan"] = [plain.get("/plan/").status_code, plain.get("/plan/").get("Location")]
found["http_health"] = plain.get("/healthz").status_code
found["proxied_https_plan"] = plain.get("/plan/", headers={"X-Forwarded-Proto": "https"}).status_code
found["hsts"] = plain.get("/account/login/", secure=True).get("Strict-Transport-Security")
print(json.dumps(found))
"""
STRONG_SECRET = "kX9v-" + "q2Lr8ZtW3mNb7YcP1sHf6JdG4aKe0UoRiTlVyXwQzB5nCgM_" * 2
FIELD_KEY = "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="  # a well-formed test key, not a secret
ACCESS_LOG_KEY = "a-test-access-log-key-not-a-secret-" + "x" * 20


def run_production(tmp_path, args, **env):
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
            "PATHWAYS_DATA_DIR": str(tmp_path), "PATHWAYS_ENV": "production",
            "PATHWAYS_SECRET_KEY": STRONG_SECRET, "PATHWAYS_ALLOWED_HOSTS": "pathways.example.org",
            "PATHWAYS_FIELD_KEYS": FIELD_KEY, "PATHWAYS_ACCESS_LOG_KEYS": ACCESS_LOG_KEY,
            "PATHWAYS_ACCESS_LOG_CHECKPOINT": f"file:{tmp_path / 'checkpoints.txt'}"}
    merged = {key: value for key, value in {**base, **env}.items() if value is not None}
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=merged)


def production_settings(tmp_path, **env) -> dict:
    result = run_production(tmp_path, ["-c", PROD_PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_passes_djangos_deployment_checks_without_a_warning(tmp_path):
    result = run_production(tmp_path, ["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert not (tmp_path / "secret_key").exists()  # the given key is used; none is generated


def test_production_settings_are_https_only(tmp_path):
    found = production_settings(tmp_path)
    assert found["DEBUG"] is False
    assert found["SECURE_SSL_REDIRECT"] is True and found["SECURE_PROXY_SSL_HEADER"] is None
    assert found["SECURE_HSTS_SECONDS"] == 31536000 and found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert found["SECURE_HSTS_PRELOAD"] is False
    assert found["SESSION_COOKIE_SECURE"] is True and found["CSRF_COOKIE_SECURE"] is True
    assert found["SESSION_COOKIE_HTTPONLY"] is True and found["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert found["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert found["SECURE_REFERRER_POLICY"] == "same-origin" and found["X_FRAME_OPTIONS"] == "DENY"
    assert found["http_plan"] == [301, "https://pathways.example.org/plan/"]
    assert found["http_health"] == 200  # a load balancer's plain-HTTP probe is not redirected
    assert found["proxied_https_plan"] == 301  # X-Forwarded-Proto is not believed unless configured
    assert found["hsts"] == "max-age=31536000; includeSubDomains"


def test_behind_a_tls_proxy_its_header_is_believed_and_the_redirect_can_be_left_to_it(tmp_path):
    found = production_settings(tmp_path, PATHWAYS_PROXY_SSL_HEADER="X-Forwarded-Proto", PATHWAYS_SSL_REDIRECT="0",
                                PATHWAYS_HSTS_PRELOAD="1")
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["proxied_https_plan"] == 302  # treated as HTTPS: on to the login page
    assert found["SECURE_HSTS_PRELOAD"] is True


def refusal(tmp_path, **env) -> str:
    result = run_production(tmp_path, ["manage.py", "check", "--deploy"], **env)
    assert result.returncode != 0
    assert result.stdout == ""
    # Django's own traceback, once, ending in our message: nothing chained, nothing else of ours.
    assert result.stderr.count("Traceback") == 1 and "During handling" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: Pathways cannot start with PATHWAYS_ENV=")
    return last


def test_production_refuses_to_start_without_a_secret_key_or_host_names(tmp_path):
    message = refusal(tmp_path, PATHWAYS_SECRET_KEY=None, PATHWAYS_ALLOWED_HOSTS=None)
    assert "PATHWAYS_SECRET_KEY (or PATHWAYS_SECRET_KEY_FILE) is not set" in message
    assert "PATHWAYS_ALLOWED_HOSTS is not set" in message
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_without_field_encryption_keys(tmp_path):
    message = refusal(tmp_path, PATHWAYS_FIELD_KEYS=None)
    assert "PATHWAYS_FIELD_KEYS (or PATHWAYS_FIELD_KEYS_FILE) is not set" in message
    assert not (tmp_path / "field_keys").exists()  # nothing generated in production


def test_production_refuses_to_start_without_an_access_log_key_or_checkpoint_choice(tmp_path):
    message = refusal(tmp_path, PATHWAYS_ACCESS_LOG_KEYS=None, PATHWAYS_ACCESS_LOG_CHECKPOINT=None)
    assert "PATHWAYS_ACCESS_LOG_KEYS (or PATHWAYS_ACCESS_LOG_KEYS_FILE) is not set" in message
    assert "PATHWAYS_ACCESS_LOG_CHECKPOINT is not set" in message
    assert not (tmp_path / "access_log_keys").exists()  # nothing generated in production


def test_production_refuses_a_weak_secret_key(tmp_path):
    assert "PATHWAYS_SECRET_KEY is too weak" in refusal(tmp_path, PATHWAYS_SECRET_KEY="short-secret")


def test_production_refuses_debug_and_insecure_cookies(tmp_path):
    message = refusal(tmp_path, PATHWAYS_DEBUG="1", PATHWAYS_SECURE_COOKIES="0")
    assert "PATHWAYS_DEBUG is set" in message and "PATHWAYS_SECURE_COOKIES is off" in message


def test_an_unknown_environment_name_is_refused_rather_than_guessed(tmp_path):
    result = run_production(tmp_path, ["manage.py", "check"], PATHWAYS_ENV="prod")
    assert result.returncode != 0
    assert "PATHWAYS_ENV is 'prod'; it must be 'production' or 'development'" in result.stderr
