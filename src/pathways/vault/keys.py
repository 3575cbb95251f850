"""The field keys: read from settings (never from the database), turned into one MultiFernet."""
import base64
import binascii
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UndecryptableValue(Exception):
    """A stored value that none of the configured keys opens: a key is missing, wrong, or the data was altered."""


def key_problem(key: str) -> str:
    """Why KEY is not a usable Fernet key, or "" when it is. Never includes the key itself."""
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        return "is not URL-safe base64"
    if len(raw) != 32:
        return f"decodes to {len(raw)} bytes, not 32"
    return ""


def configured_keys() -> tuple[str, ...]:
    return tuple(settings.PATHWAYS_FIELD_KEYS)


@functools.lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("No field encryption keys: set PATHWAYS_FIELD_KEYS (or PATHWAYS_FIELD_KEYS_FILE).")
    for position, key in enumerate(keys, start=1):
        problem = key_problem(key)
        if problem:
            raise ImproperlyConfigured(f"PATHWAYS_FIELD_KEYS: key {position} {problem}; make one with "
                                       "`manage.py rotate_field_keys --generate`.")
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    """The first key encrypts; every key decrypts. Cached per key list, so changed settings take effect."""
    return _fernet_for(configured_keys())


def current_fernet() -> Fernet:
    """The first (newest) key alone: what rotation checks a token against."""
    fernet()  # validates the whole list first, with its clear message
    return Fernet(configured_keys()[0])


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str, *, where: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UndecryptableValue(
            f"{where}: no key in PATHWAYS_FIELD_KEYS opens the stored value. The key it was written with is "
            "missing (add it back, see docs/operating.md in the Pathways source), or the value was not written by Pathways."
        ) from error


def is_token(value: str) -> bool:
    """Whether VALUE is a token one of the configured keys opens (so it is already encrypted)."""
    try:
        fernet().decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True
