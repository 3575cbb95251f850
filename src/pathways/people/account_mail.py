"""Account emails (finish signing up, this address already has an account, choose a new password), sent through
the one outbox (pathways.outbox) with their words written when they are sent.

Why written then: a request must take as long, and answer the same, whether or not the address has an account.
So the request only queues a row (the same row either way) and, when the worker sends it, the builders below
decide what the email says, or that there is nothing to send. The links' tokens are made at that moment, never
stored in full. The builders are registered with the outbox by register_builders (PeopleConfig.ready).
"""
import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pathways.outbox import services as outbox
from pathways.outbox.models import OutgoingEmail

from .models import PendingSignUp, User, new_token, token_digest

logger = logging.getLogger(__name__)

LIMIT_WINDOW = timedelta(hours=1)
LIMIT_PER_ADDRESS = 3  # per purpose and hour: enough to retry a lost email, too few to flood someone's inbox
LIMIT_PER_IP = 20
SIGN_UP_LINK_LIFETIME = timedelta(hours=24)


class AccountEmailKind(models.TextChoices):
    """The outbox kinds of account emails."""

    SIGN_UP = "sign_up", "finish signing up (or: this address already has an account)"
    PASSWORD_RESET = "password_reset", "choose a new password"


def _ip_digest(ip: str | None) -> str:
    """Keyed, so the digest of an address cannot be found by hashing all four billion of them."""
    return salted_hmac("pathways.account-email.ip", ip or "", algorithm="sha256").hexdigest() if ip else ""


def _over_limit(*, purpose: str, email: str, ip_digest: str, now: datetime) -> bool:
    since = now - LIMIT_WINDOW
    if outbox.emails_count_recent(kind=purpose, since=since, to=email) >= LIMIT_PER_ADDRESS:
        return True
    return bool(ip_digest) and outbox.emails_count_recent(kind=purpose, since=since,
                                                          requested_from=ip_digest) >= LIMIT_PER_IP


def queue(*, purpose: str, email: str, ip: str | None, sign_up: PendingSignUp | None = None) -> bool:
    """Queue one account email, unless the address or the IP address reached its hourly limit.

    Returns whether it was queued; callers answer the same either way, so a limit reveals nothing.
    Call inside the caller's transaction.
    """
    now = timezone.now()
    email = email.strip().lower()
    digest = _ip_digest(ip)
    if _over_limit(purpose=purpose, email=email, ip_digest=digest, now=now):
        logger.info("account email (%s) not queued: hourly limit reached", purpose)
        return False
    outbox.email_queue_built_later(kind=purpose, to=email, reference=sign_up.pk if sign_up else None,
                                   requested_from=digest)
    return True


@transaction.atomic
def password_reset_request(*, email: str, ip: str | None) -> bool:
    """Someone asked for a password reset link: the worker looks the account up when it sends."""
    return queue(purpose=AccountEmailKind.PASSWORD_RESET, email=email, ip=ip)


# --- written when sent (the outbox calls these) ----------------------------------------------------------

def _site() -> str:
    return settings.PATHWAYS_SITE_URL


def _message(subject: str, template: str, context: dict, to: str) -> EmailMessage:
    return EmailMessage(subject=subject, body=render_to_string(template, context),
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def _sign_up_message(row: OutgoingEmail) -> EmailMessage | None:
    """The link to finish signing up, or, when the address already has an account, a notice to it instead
    (the pending sign-up, with the typed password's hash, is deleted once that notice is sent)."""
    pending = PendingSignUp.objects.filter(pk=row.reference).first() if row.reference else None
    if pending is None or pending.expires_at <= timezone.now():
        return None
    if User.objects.filter(email__iexact=row.to).exists():
        pending.token_digest = None  # no link goes out for it; _forget_sign_up_after_notice then deletes it
        pending.save(update_fields=["token_digest"])
        return _message("Someone tried to sign up to Pathways with your address", "people/email/sign_up_taken.txt",
                        {"login_url": _site() + reverse("login"),
                         "reset_url": _site() + reverse("password_reset")}, row.to)
    token = new_token()
    pending.token_digest = token_digest(token)
    pending.save(update_fields=["token_digest"])  # a retried email gets a fresh link; the earlier one stops working
    return _message("Finish signing up to Pathways", "people/email/sign_up_link.txt",
                    {"link": _site() + reverse("people:sign_up_confirm", args=[token]),
                     "hours": int(SIGN_UP_LINK_LIFETIME.total_seconds() // 3600)}, row.to)


def _forget_sign_up_after_notice(row: OutgoingEmail) -> None:
    """The notice went out instead of a link: nobody needs what was typed, the password's hash least of all."""
    if row.reference:
        PendingSignUp.objects.filter(pk=row.reference, token_digest__isnull=True).delete()


def _password_reset_message(row: OutgoingEmail) -> EmailMessage | None:
    """Django's reset link (its token generator and confirm views), only for an active account that can log in."""
    user = User.objects.filter(email__iexact=row.to, is_active=True).first()
    if user is None or not user.has_usable_password():
        return None
    site = urlsplit(_site())
    context = {"protocol": site.scheme, "domain": site.netloc, "user": user,
               "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    return _message(subject, "registration/password_reset_email.html", context, user.email)


def register_builders() -> None:
    """Tell the outbox how to write account emails when it sends them (called from PeopleConfig.ready)."""
    outbox.builder_register(AccountEmailKind.SIGN_UP, _sign_up_message, after_sent=_forget_sign_up_after_notice)
    outbox.builder_register(AccountEmailKind.PASSWORD_RESET, _password_reset_message)


def sign_ups_sweep(*, now: datetime | None = None) -> int:
    """Forget expired sign-ups, their password hashes with them (the worker runs this every round; the outbox
    sweeps its own rows)."""
    expired, _ = PendingSignUp.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return expired
