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
