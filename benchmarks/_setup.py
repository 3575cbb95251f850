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


def client_past_the_second_step(user):
    """A test client signed in as `user` whose session has passed the second step, as a real staff sign-in would:
    supporters must use two-step sign-in, and a benchmark measures the page, not the set-up page."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
