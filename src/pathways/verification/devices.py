"""Every write about the second step: the authenticator app, the recovery codes, and checking a code.

Built on django-otp: one TOTPDevice per account (the authenticator app) and one StaticDevice holding the
recovery codes. A recovery code is shown once and stored only as a digest in the StaticToken row, so a copy
of the database does not hand out working codes; django-otp deletes the row when the code is used.
Both devices are throttled by django-otp: after each wrong code the next try waits 1, 2, 4, 8... seconds.
"""
import hashlib
import re
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
CODES_NAME = "Recovery codes"


@dataclass(frozen=True)
class CodeCheck:
    """What became of a typed code: the device that accepted it, or how long to wait before trying again."""

    device: Device | None = None
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def _squeeze(code: str) -> str:
    """People type codes with spaces or dashes, as they are shown; neither matters."""
    return re.sub(r"[\s-]", "", code or "").lower()


def recovery_code_digest(code: str) -> str:
    """What is stored for a recovery code (StaticToken.token holds 16 characters)."""
    return hashlib.sha256(f"pathways-recovery-code:{_squeeze(code)}".encode()).hexdigest()[:16]


def _new_recovery_code() -> str:
    letters = b32encode(secrets.token_bytes(5)).decode().lower()  # 40 random bits, 8 characters
    return f"{letters[:4]}-{letters[4:]}"


def _wait(device: Device, now: datetime) -> int:
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    return max(1, int((details["locked_until"] - now).total_seconds() + 0.999))


def authenticator_being_set_up(*, user) -> TOTPDevice | None:
    """The app being set up, if the set-up page was opened; None otherwise."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


@transaction.atomic
def authenticator_pending(*, user) -> TOTPDevice:
    """The app being set up: the same secret on every visit until it is confirmed with a code."""
    return authenticator_being_set_up(user=user) or TOTPDevice.objects.create(user=user, name=APP_NAME,
                                                                              confirmed=False)


def authenticator_confirm(*, user, code: str) -> tuple[CodeCheck, list[str]]:
    """Confirm the app being set up with a code from it; on success it replaces any earlier app and
    fresh recovery codes are made. Returns the check and the recovery codes (empty unless confirmed)."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    squeezed = _squeeze(code)
    if pending is None or not squeezed.isdigit():
        return CodeCheck(), []
    wait = _wait(pending, timezone.now())
    if wait:
        return CodeCheck(wait_seconds=wait), []
    if verify_token(user, pending.persistent_id, squeezed) is None:
        return CodeCheck(), []
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=pending.pk).delete()
        TOTPDevice.objects.filter(pk=pending.pk).update(confirmed=True)
        codes = recovery_codes_replace(user=user)
    pending.refresh_from_db()
    return CodeCheck(device=pending), codes


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """Ten new single-use recovery codes; every earlier one stops working. Only their digests are kept."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": CODES_NAME, "confirmed": True})
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_digest(code)) for code in codes)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Turn two-step sign-in off: the app and every recovery code are deleted."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def code_check(*, user, code: str) -> CodeCheck:
    """Check a code from the app (six digits) or a recovery code (used up when accepted).

    A device that is still waiting after wrong codes is not asked at all, so even the right code waits."""
    squeezed = _squeeze(code)
    if not squeezed:
        return CodeCheck()
    if squeezed.isdigit() and len(squeezed) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        token = squeezed
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        token = recovery_code_digest(squeezed)
    if device is None:
        return CodeCheck()
    wait = _wait(device, timezone.now())
    if wait:
        return CodeCheck(wait_seconds=wait)
    accepted = verify_token(user, device.persistent_id, token)
    return CodeCheck(device=accepted)
