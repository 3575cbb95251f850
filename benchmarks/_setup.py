"""Shared start-up for benchmark scripts: a throwaway SQLite database, migrated, in a temp folder."""
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_with_fresh_database() -> None:
    """Point Django at an empty database in a temporary folder and migrate it."""
    sys.path.insert(0, str(ROOT / "src"))
    data_dir = tempfile.mkdtemp(prefix="pathways-bench-")
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
        "PATHWAYS_DATA_DIR": data_dir,
        "PATHWAYS_ALLOWED_HOSTS": "testserver",
        "PATHWAYS_SECURE_COOKIES": "0",
    })
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
