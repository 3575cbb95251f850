"""Who must use two-step sign-in: every account that can see much of other people's data.

That is staff of an organisation (peer supporters, professionals, admins), Django staff and superusers, and
anyone a person has granted more than their recovery plan and safety plan (check-ins, use log, measures, notes,
alerts, about me, how to reach me). A family member or friend granted only those two may choose it, like a
person in recovery: the plan and the safety plan are what the person writes to be read by the people helping
them, and a set-up step before an ally can read them keeps allies away (docs/security.md, "Two-step sign-in").
PATHWAYS_MFA_REQUIRED_FOR_STAFF=0 turns the requirement off (two-step sign-in stays available to all).
"""
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pathways.people.selectors import is_programme_staff


def second_factor_required(user) -> bool:
    if not settings.PATHWAYS_MFA_REQUIRED_FOR_STAFF or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if is_programme_staff(user):
        return True
    return bool(set(_categories_granted(user)) - OPTIONAL_WITH)


# Category values as circle stores them (verification sits below circle in the floor plan, so it names them).
OPTIONAL_WITH = {"plan", "safety_plan"}


def _categories_granted(user) -> list[str]:
    """Every category of every live consent the account holds, through the reverse relation of circle.Grant."""
    now = timezone.now()
    return [category for category in user.grants_held.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True,
        member__removed_at__isnull=True).values_list("items__category", flat=True) if category]


def has_second_factor(user) -> bool:
    """An authenticator app confirmed with a code. Recovery codes alone do not count: they come with it."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
