import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def test_healthz_answers_200_with_the_database_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    """A real process pointed at a database server that is not there."""
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "print(Client().get('/healthz').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
             "PATHWAYS_DATA_DIR": str(tmp_path), "PATHWAYS_ALLOWED_HOSTS": "testserver",
             "DATABASE_URL": "postgres://nobody@127.0.0.1:1/absent"},
    )
    assert result.stdout.strip().splitlines()[-1] == "503", result.stderr
