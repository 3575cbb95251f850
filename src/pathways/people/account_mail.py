"""Account emails (finish signing up, this address already has an account, choose a new password) through a
small outbox the notification worker sends from.

Why an outbox: a request must take as long, and answer the same, whether or not the address has an account.
So the request only stores a row (the same row either way) and the worker decides what the email says, or
that there is nothing to send. The links' tokens are made when the email is sent, never stored in full.
"""
import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pathways.notifications.services import MAX_ATTEMPTS, retry_delay

from .models import (
    AccountEmail,
    AccountEmailPurpose,
    AccountEmailStatus,
    PendingSignUp,
    User,
    new_token,
    token_digest,
)

logger = logging.getLogger(__name__)

LIMIT_WINDOW = timedelta(hours=1)
LIMIT_PER_ADDRESS = 3  # per purpose and hour: enough to retry a lost email, too few to flood someone's inbox
LIMIT_PER_IP = 20
KEEP_ROWS = timedelta(days=1)  # longer than the limit window and the retries (about three hours)
LEASE = timedelta(seconds=120)
SIGN_UP_LINK_LIFETIME = timedelta(hours=24)


def _ip_digest(ip: str | None) -> str:
    """Keyed, so the digest of an address cannot be found by hashing all four billion of them."""
    return salted_hmac("pathways.account-email.ip", ip or "", algorithm="sha256").hexdigest() if ip else ""


def _over_limit(*, purpose: str, email: str, ip_digest: str, now: datetime) -> bool:
    recent = AccountEmail.objects.filter(purpose=purpose, created_at__gt=now - LIMIT_WINDOW)
    if recent.filter(email=email).count() >= LIMIT_PER_ADDRESS:
        return True
    return bool(ip_digest) and recent.filter(requested_from=ip_digest).count() >= LIMIT_PER_IP


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
    AccountEmail.objects.create(purpose=purpose, email=email, sign_up=sign_up, requested_from=digest,
                                created_at=now, next_attempt_at=now)
    return True


@transaction.atomic
def password_reset_request(*, email: str, ip: str | None) -> bool:
    """Someone asked for a password reset link: the worker looks the account up when it sends."""
    return queue(purpose=AccountEmailPurpose.PASSWORD_RESET, email=email, ip=ip)


# --- the worker's side ---------------------------------------------------------------------------------------

def _claimable(now: datetime) -> Q:
    return (Q(status=AccountEmailStatus.PENDING, next_attempt_at__lte=now)
            & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)))


def _claim(now: datetime) -> AccountEmail | None:
    """Lease the next due row with a conditional UPDATE, so two workers never send one email twice at once."""
    for candidate in AccountEmail.objects.filter(_claimable(now)).order_by("next_attempt_at", "pk")[:10]:
        if AccountEmail.objects.filter(_claimable(now), pk=candidate.pk).update(
                claimed_until=now + LEASE, attempts=F("attempts") + 1):
            return AccountEmail.objects.select_related("sign_up").get(pk=candidate.pk)
    return None


def _site() -> str:
    return settings.PATHWAYS_SITE_URL


def _message(subject: str, template: str, context: dict, to: str) -> EmailMessage:
    return EmailMessage(subject=subject, body=render_to_string(template, context),
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def _sign_up_message(row: AccountEmail) -> EmailMessage | None:
    """The link to finish signing up, or, when the address already has an account, a notice to it instead
    (the pending sign-up, with the typed password's hash, is deleted once that notice is sent)."""
    pending = row.sign_up
    if pending is None or pending.expires_at <= timezone.now():
        return None
    if User.objects.filter(email__iexact=row.email).exists():
        return _message("Someone tried to sign up to Pathways with your address", "people/email/sign_up_taken.txt",
                        {"login_url": _site() + reverse("login"),
                         "reset_url": _site() + reverse("password_reset")}, row.email)
    token = new_token()
    pending.token_digest = token_digest(token)
    pending.save(update_fields=["token_digest"])  # a retried email gets a fresh link; the earlier one stops working
    return _message("Finish signing up to Pathways", "people/email/sign_up_link.txt",
                    {"link": _site() + reverse("people:sign_up_confirm", args=[token]),
                     "hours": int(SIGN_UP_LINK_LIFETIME.total_seconds() // 3600)}, row.email)


def _password_reset_message(row: AccountEmail) -> EmailMessage | None:
    """Django's reset link (its token generator and confirm views), only for an active account that can log in."""
    user = User.objects.filter(email__iexact=row.email, is_active=True).first()
    if user is None or not user.has_usable_password():
        return None
    site = urlsplit(_site())
    context = {"protocol": site.scheme, "domain": site.netloc, "user": user,
               "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    return _message(subject, "registration/password_reset_email.html", context, user.email)


BUILDERS = {AccountEmailPurpose.SIGN_UP: _sign_up_message, AccountEmailPurpose.PASSWORD_RESET: _password_reset_message}


def _send_one(row: AccountEmail) -> None:
    now = timezone.now()
    try:
        message = BUILDERS[row.purpose](row)
        if message is None:
            AccountEmail.objects.filter(pk=row.pk).update(status=AccountEmailStatus.SKIPPED, claimed_until=None)
            return
        message.send(fail_silently=False)
    except Exception as error:  # retried with growing pauses; only the error's class name is kept
        given_up = row.attempts >= MAX_ATTEMPTS
        AccountEmail.objects.filter(pk=row.pk).update(
            status=AccountEmailStatus.FAILED if given_up else AccountEmailStatus.PENDING,
            next_attempt_at=now + retry_delay(row.attempts), claimed_until=None, last_error=type(error).__name__[:100])
        logger.warning("account email %s attempt %s failed (%s)", row.pk, row.attempts, type(error).__name__)
        return
    AccountEmail.objects.filter(pk=row.pk).update(status=AccountEmailStatus.SENT, sent_at=timezone.now(),
                                                  claimed_until=None)
    if row.sign_up_id and row.sign_up.token_digest is None:  # the notice went out: nobody needs what was typed
        PendingSignUp.objects.filter(pk=row.sign_up_id).delete()


def account_emails_send(*, limit: int = 100) -> int:
    """Send what is due (the worker runs this every round); returns how many rows were handled."""
    handled = 0
    while handled < limit:
        row = _claim(timezone.now())
        if row is None:
            break
        _send_one(row)
        handled += 1
    return handled


def account_mail_sweep(*, now: datetime | None = None) -> int:
    """Forget expired sign-ups (their password hashes with them) and outbox rows older than a day."""
    now = now or timezone.now()
    expired, _ = PendingSignUp.objects.filter(expires_at__lte=now).delete()
    old, _ = AccountEmail.objects.filter(created_at__lte=now - KEEP_ROWS).delete()
    return expired + old
