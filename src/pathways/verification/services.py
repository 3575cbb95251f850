"""Every write about changing an account's email address.

The link to confirm goes to the NEW address, and a notice to the OLD one. Whether or not the new address
already belongs to another account, the person asking sees the same answer and two emails go out: when it
is taken, the new address gets a notice that nothing can change instead of a link, so nobody can use this
page to find out who has an account. A link expires after LINK_LIFETIME and works once; confirming ends
every other session of the account. Both emails wait in the outbox (pathways.outbox) and the worker sends them
once the request's transaction has committed, so a mail server that is down delays them instead of losing them.
"""
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pathways.outbox.services import email_queue
from pathways.people.models import User, new_token, token_digest
from pathways.signins.services import sessions_end

from .models import EmailChange

LINK_LIFETIME = timedelta(hours=24)
REQUESTS_PER_HOUR = 5  # enough for a typo or two, too few to flood anyone's inbox
EMAIL_CHANGE_EMAIL = "email_change"  # the outbox kind of both emails


class EmailChangeRefused(Exception):
    """Too many requests in the last hour; the message says what to do."""


class EmailChangeUnavailable(Exception):
    """The link is unknown, used, expired, or the address was taken meanwhile; the message says which kindly."""


def _address_taken(email: str, *, other_than: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=other_than.pk).exists()


@transaction.atomic
def email_change_request(*, user: User, new_email: str) -> EmailChange:
    now = timezone.now()
    new_email = new_email.strip().lower()
    recent = EmailChange.objects.filter(user=user, created_at__gt=now - timedelta(hours=1)).count()
    if recent >= REQUESTS_PER_HOUR:
        raise EmailChangeRefused("You have asked several times in the last hour. Please wait a while, then try "
                                 "again; the links already sent still work.")
    # Only the newest link works; the older rows stay (closed) to count towards the hourly limit.
    EmailChange.objects.filter(user=user, confirmed_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = new_token()
    change = EmailChange.objects.create(user=user, new_email=new_email, token_digest=token_digest(token),
                                        created_at=now, expires_at=now + LINK_LIFETIME)
    old_email, site, hours = user.email, settings.PATHWAYS_SITE_URL, int(LINK_LIFETIME.total_seconds() // 3600)
    if _address_taken(new_email, other_than=user):
        to_new = ("Someone asked to use this address on Pathways", "verification/email/address_taken.txt",
                  {"login_url": site + reverse("login")})
    else:
        to_new = ("Confirm your new email address for Pathways", "verification/email/confirm_new_address.txt",
                  {"link": site + reverse("verification:email_confirm", args=[token]), "hours": hours})
    to_old = ("Your Pathways email address is being changed", "verification/email/old_address_notice.txt",
              {"login_url": site + reverse("login"), "hours": hours})
    for (subject, template, context), address in ((to_new, new_email), (to_old, old_email)):
        email_queue(kind=EMAIL_CHANGE_EMAIL, to=address, subject=subject, body=render_to_string(template, context),
                    person=user, reference=change.pk)
    return change


def email_change_find(*, token: str, lock: bool = False) -> EmailChange:
    rows = EmailChange.objects.select_related("user")
    change = (rows.select_for_update() if lock else rows).filter(token_digest=token_digest(token)).first()
    if change is None or not change.is_open() or not change.user.is_active:
        raise EmailChangeUnavailable("This link does not work any more: it was used already, it expired, or a "
                                     "newer one was sent. Ask for a new one from your account page.")
    return change


def email_change_confirm(*, token: str, keep_session_key: str | None = None) -> User:
    """Move the account to its new address and end its other sessions (all of them, unless the confirming
    browser is signed in to this account: that one session stays)."""
    try:
        with transaction.atomic():
            change = email_change_find(token=token, lock=True)  # a second click waits, then finds it used
            user = change.user
            if _address_taken(change.new_email, other_than=user):
                raise EmailChangeUnavailable("This address belongs to another Pathways account, so your account "
                                             "keeps its current address. Nothing was changed.")
            user.email = change.new_email
            user.save(update_fields=["email"])
            EmailChange.objects.filter(pk=change.pk).update(confirmed_at=timezone.now())
            EmailChange.objects.filter(user=user, confirmed_at__isnull=True).delete()
            sessions_end(user=user, keep_key=keep_session_key)
    except IntegrityError:  # taken between the check and the save
        raise EmailChangeUnavailable("This address belongs to another Pathways account, so your account keeps "
                                     "its current address. Nothing was changed.") from None
    return user
