"""Reliability tests run real Pathways processes against a real SQLite file, never the test database.

One migrated database is made per session and copied for each test, like the notification worker tests.
On PostgreSQL these tests are skipped: they prove SQLite's settings (WAL, busy timeout, IMMEDIATE).
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def environment(data_dir: Path) -> dict[str, str]:
    """A fresh process's environment: the real settings, with the database a file in `data_dir`."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "pathways.config.settings", "PATHWAYS_DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite:///{data_dir / 'pathways.sqlite3'}",
            "PATHWAYS_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost", "PATHWAYS_SECURE_COOKIES": "0",
            "PATHWAYS_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "PATHWAYS_LOG_LEVEL": "WARNING"}


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite's durability and locking; PostgreSQL is not this test's subject")
    folder = tmp_path_factory.mktemp("reliability-template")
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], cwd=ROOT,
                            env=environment(folder), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def site(tmp_path, migrated_template) -> Path:
    """A data folder holding its own copy of the migrated database."""
    for name in ("pathways.sqlite3", "secret_key"):
        shutil.copy(migrated_template / name, tmp_path / name)
    return tmp_path
