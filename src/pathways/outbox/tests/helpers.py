"""For tests of any app: send what waits in the outbox, as a worker round would, and mail servers that are down."""
import socket

from django.utils import timezone

from pathways.outbox import services
from pathways.outbox.models import OutgoingEmail, Status


def send_queued_mail(*, retries_due: bool = False) -> int:
    """Send every due email in the outbox (to whatever EMAIL_BACKEND the test set), one worker round's worth.
    With retries_due, emails waiting to be retried are due now, as if their pause had passed."""
    if retries_due:
        OutgoingEmail.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())
    return services.emails_send_due(worker="test")


def closed_port() -> int:
    """A loopback port nobody listens on: connecting to it is refused, like a mail server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def point_mail_at(settings, port: int) -> None:
    """Send with Django's SMTP backend to 127.0.0.1:port (pytest-django's `settings` fixture)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT, settings.EMAIL_USE_TLS = "127.0.0.1", port, 2, False
