"""Fixtures shared by every test: fast password hashing, the named people of our stories, and the real browser."""
import os
from pathlib import Path

import pytest

# Tests talk to the live server over plain http on localhost.
os.environ.setdefault("PATHWAYS_SECURE_COOKIES", "0")
os.environ.setdefault("PATHWAYS_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Access-log checkpoints stay out of var/ during tests; the tests of checkpoints give each its own file.
os.environ.setdefault("PATHWAYS_ACCESS_LOG_CHECKPOINT", "off")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a long enough test passphrase"
# Argon2 is slow on purpose, and nearly every test makes accounts: the suite hashes with MD5 instead. Only the
# tests change; the app, the demo and the benchmarks keep the settings' hashers. A test about hashing itself
# asks for `real_password_hashers`.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Every test, in every xdist worker, hashes passwords quickly (see FAST_PASSWORD_HASHERS)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(scope="session", autouse=True)
def access_log_checkpoints_kept_out_of_var():
    """The environment variables above come too late for the settings (pytest-django reads them before this file
    is imported), so the checkpoint destination is applied here too: `run_worker --once` in a test must not
    append to the var/ folder that every xdist worker, and `make run`, share."""
    from django.test import override_settings

    with override_settings(PATHWAYS_ACCESS_LOG_CHECKPOINT=os.environ.get("PATHWAYS_ACCESS_LOG_CHECKPOINT", "off")):
        yield


@pytest.hookimpl(tryfirst=True)  # before pytest-django's own reordering, which keeps this order within its groups
def pytest_collection_modifyitems(items):
    """The suites under tests/ (attacks, browser, reliability) hold the longest tests: they go first, so that
    under pytest-xdist the many short tests in src/ fill in at the end rather than one worker running a
    minute-long attack while the other waits. The order inside each module is unchanged."""
    suites = Path(__file__).resolve().parent / "tests"
    items.sort(key=lambda item: not item.path.is_relative_to(suites))


@pytest.fixture
def real_password_hashers(settings):
    """The settings' own hashers (Argon2 first), for a test about how passwords are hashed."""
    from pathways.config import settings as configured

    settings.PASSWORD_HASHERS = list(configured.PASSWORD_HASHERS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; test tools cannot download their own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


def give_authenticator(user):
    """A confirmed authenticator app for `user` (the device whose codes `totp_code` computes)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True)


def totp_code(device) -> str:
    """The code the person's app would show now, as a browser test types it. A code works once, so after a
    code of this time step was used, the next step's (accepted within the tolerance) is given instead."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture(scope="session", autouse=True)
def force_login_includes_the_second_step():
    """`client.force_login(user)` means "signed in, fully": for an account that must have two-step sign-in
    (or has it) that includes the code, so the session is also marked as verified by the account's
    authenticator app, which is created for it when it has none. Without this, every test that signs in a
    supporter, professional or admin would first be sent to set up two-step sign-in. An account that is not a
    person in recovery (Sam, before a test puts them in a circle) is treated as a supporter-to-be, since it
    has no use of its own. Tests of two-step sign-in itself post the login form, or call
    `client.force_login_password_only(user)`."""
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    from pathways.people.models import Role
    from pathways.verification.requirement import has_second_factor, second_factor_required

    password_only = ClientMixin._login

    def _login(self, user, backend=None):
        password_only(self, user, backend)
        supporter_to_be = not user.memberships.filter(role=Role.PERSON).exists()
        if has_second_factor(user) or second_factor_required(user) or supporter_to_be:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = give_authenticator(user).persistent_id
            session.save()

    ClientMixin._login = _login
    ClientMixin.force_login_password_only = lambda self, user: password_only(
        self, user, "django.contrib.auth.backends.ModelBackend")
    yield
    ClientMixin._login = password_only
    del ClientMixin.force_login_password_only


@pytest.fixture
def pat(db):
    """Pat, a person in recovery who signed up on her own."""
    from pathways.people.services import person_sign_up

    return person_sign_up(email="pat@example.org", password=PASSWORD, preferred_name="Pat", pronouns="she/her")


@pytest.fixture
def rue(db):
    """Rue, another person in recovery: never allowed to see Pat's plan."""
    from pathways.people.services import person_sign_up

    return person_sign_up(email="rue@example.org", password=PASSWORD, preferred_name="Rue")


@pytest.fixture
def sam(db):
    """Sam, a peer supporter; in Pat's circle only where a test puts them there."""
    from pathways.people.models import User

    return User.objects.create_user(email="sam@example.org", password=PASSWORD, name="Sam Rivera",
                                    preferred_name="Sam")


@pytest.fixture
def organisation(db):
    from pathways.people.services import organisation_create

    return organisation_create(name="Harbour Lights Programme")


@pytest.fixture
def ada(organisation):
    """Ada, the organisation's admin: manages accounts, sees no individual record."""
    from pathways.people.models import Membership, Role, User

    user = User.objects.create_user(email="ada@example.org", password=PASSWORD, preferred_name="Ada",
                                    home_organisation=organisation)
    Membership.objects.create(organisation=organisation, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def lee(organisation):
    """Lee, a professional at the organisation, with no grant from anyone."""
    from pathways.people.models import Membership, Role, User

    user = User.objects.create_user(email="lee@example.org", password=PASSWORD, preferred_name="Lee",
                                    home_organisation=organisation)
    Membership.objects.create(organisation=organisation, user=user, role=Role.PROFESSIONAL)
    return user


@pytest.fixture
def pat_client(client, pat):
    """The test's client, signed in as Pat."""
    client.force_login(pat)
    return client


@pytest.fixture
def sams_membership(pat, sam):
    """Sam, invited by Pat into her circle as a peer supporter, has joined (no grant yet)."""
    from pathways.circle import services
    from pathways.circle.models import SupporterRole

    _, token = services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    return services.invitation_accept(token=token, supporter=sam)
