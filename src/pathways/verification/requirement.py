"""Who must use two-step sign-in: every account that can see other people's data.

That is staff of an organisation (peer supporters, professionals, admins), Django staff and superusers,
and anyone who is in a person's circle now. A person in recovery may turn it on for themselves.
PATHWAYS_MFA_REQUIRED_FOR_STAFF=0 turns the requirement off (two-step sign-in stays available to all).
"""
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from pathways.people.selectors import is_programme_staff


def second_factor_required(user) -> bool:
    if not settings.PATHWAYS_MFA_REQUIRED_FOR_STAFF or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if is_programme_staff(user):
        return True
    # Through the reverse relation of circle.CircleMember.supporter: verification sits below circle in the
    # floor plan, so it asks the account rather than importing circle's models.
    return user.supporting.filter(removed_at__isnull=True).exists()


def has_second_factor(user) -> bool:
    """An authenticator app confirmed with a code. Recovery codes alone do not count: they come with it."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
