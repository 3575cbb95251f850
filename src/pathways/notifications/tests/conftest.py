"""Notification test fixtures."""
import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Accounts are made in nearly every test here; Argon2 is slow on purpose, and passwords are not the subject."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
