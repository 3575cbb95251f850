"""Who must use two-step sign-in: every account that can see much of other people's data.

That is staff of an organisation (peer supporters, professionals, admins), Django staff and superusers, and
anyone a person has granted more than their recovery plan and safety plan (check-ins, use log, measures, notes,
alerts, about me, how to reach me). A family member or friend granted only those two may choose it, like a
person in recovery: the plan and the safety plan are what the person writes to be read by the people helping
them, and a set-up step before an ally can read them keeps allies away (docs/security.md, "Two-step sign-in").
PATHWAYS_MFA_REQUIRED_FOR_STAFF=0 turns the requirement off (two-step sign-in stays available to all).
"""
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, F, Q
from django.db.models.functions import Now
from django_otp.plugins.otp_totp.models import TOTPDevice

from pathways.lib.built_once import BuiltOnce
from pathways.people.models import User
from pathways.people.selectors import staff_memberships

# Category values as circle stores them (verification sits below circle in the floor plan, so it names them).
OPTIONAL_WITH = {"plan", "safety_plan"}


class SecondStep(NamedTuple):
    has_app: bool  # see has_second_factor
    required: bool  # see second_factor_required


def second_step_of(user) -> SecondStep:
    """Both answers, in one query. The middleware asks on every request of a session not verified with a code,
    and asks the database each time rather than remembering: a grant signed a moment ago, or an app added on
    another device, must count on the very next request."""
    if not user.is_authenticated:
        return SecondStep(has_app=False, required=False)
    answers = _SECOND_STEP_QUERY.first_row(user.pk) or {"has_app": 0, "programme_staff": 0, "granted_more": 0}
    required = settings.PATHWAYS_MFA_REQUIRED_FOR_STAFF and (
        user.is_staff or user.is_superuser or answers["programme_staff"] or answers["granted_more"])
    return SecondStep(has_app=bool(answers["has_app"]), required=bool(required))


def second_factor_required(user) -> bool:
    return second_step_of(user).required


def has_second_factor(user) -> bool:
    """An authenticator app confirmed with a code. Recovery codes alone do not count: they come with it."""
    return user.is_authenticated and _confirmed_apps(user.pk).exists()


def _confirmed_apps(user_id: int):
    return TOTPDevice.objects.filter(user_id=user_id, confirmed=True)


def _live_grants_beyond_the_plans(user_id: int):
    """The account's live consents covering any category but the two in OPTIONAL_WITH, through the reverse
    relation of circle.Grant. The category is named once (alias) so that both conditions are about the same
    item of a grant, not "some item is, some item is not"."""
    return (User(pk=user_id).grants_held.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=Now()),
                                                revoked_at__isnull=True, member__removed_at__isnull=True)
            .alias(category=F("items__category")).filter(category__isnull=False).exclude(category__in=OPTIONAL_WITH))


_SECOND_STEP_QUERY = BuiltOnce(lambda user_id: User.objects.filter(pk=user_id).values(
    has_app=Exists(_confirmed_apps(user_id)),
    programme_staff=Exists(staff_memberships(user_id)),
    granted_more=Exists(_live_grants_beyond_the_plans(user_id)),
))
