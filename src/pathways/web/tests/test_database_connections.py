"""Connections to PostgreSQL are kept between requests in production; development, tests and SQLite open one per
request. Each case reads the settings in a fresh process (the helpers of test_settings)."""
import json

import pytest

from pathways.web.tests.test_settings import run_production

POSTGRES = "postgres://pathways@db.example.org:5432/pathways"  # only read, never connected to
PROBE = """
import json, django
django.setup()
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps([database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]]))
"""


def connection_settings(tmp_path, **env) -> list:
    result = run_production(tmp_path, ["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("env", "expected"), [
    ({"DATABASE_URL": POSTGRES}, [600, True]),  # kept ten minutes, checked before reuse
    ({"DATABASE_URL": POSTGRES, "PATHWAYS_DB_CONN_MAX_AGE": "30"}, [30, True]),
    ({"DATABASE_URL": POSTGRES, "PATHWAYS_DB_CONN_MAX_AGE": "0"}, [0, True]),
    ({}, [0, True]),  # SQLite: opening a file costs little
    ({"DATABASE_URL": POSTGRES, "PATHWAYS_ENV": "development"}, [0, True]),
])
def test_production_keeps_postgresql_connections_between_requests(tmp_path, env, expected):
    assert connection_settings(tmp_path, **env) == expected
