"""Fixtures shared by every test: the named people of our stories, and the real browser."""
import os

import pytest

# Tests talk to the live server over plain http on localhost.
os.environ.setdefault("PATHWAYS_SECURE_COOKIES", "0")
os.environ.setdefault("PATHWAYS_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a long enough test passphrase"


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
