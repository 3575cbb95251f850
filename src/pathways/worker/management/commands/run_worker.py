"""The worker: every app's periodic jobs (crisis alerts to their next round, check-in reminders, the early-warning
sweep, sweeps of what has expired, the access log's endings and checkpoint), then every email waiting in the one
outbox (pathways.outbox), of every kind, until told to stop."""
import logging
import os
import secrets
import signal
import socket
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from pathways.checkins.reminders import checkin_reminders_create_due
from pathways.checkins.services import early_warning_sweep
from pathways.circle.checkpoints import access_log_checkpoint_write
from pathways.circle.consent_log import endings_sweep
from pathways.outbox import services
from pathways.people.account_mail import sign_ups_sweep
from pathways.reports.outcome_services import outcome_reports_publish_due
from pathways.safety.escalation import crisis_alerts_escalate_due
from pathways.signins.held_forms import held_forms_sweep
from pathways.signins.services import sessions_end_expired

logger = logging.getLogger("pathways.worker")


def periodic_jobs():
    """What runs every round besides sending, most urgent first. The worker sits above every app in the floor
    plan, so it names each app's job here."""
    return [
        crisis_alerts_escalate_due,  # alerts nobody answered in time, to the next people the person chose
        checkin_reminders_create_due,
        early_warning_sweep,  # the early-warning look for paused check-ins
        sessions_end_expired,
        sign_ups_sweep,
        services.emails_sweep,
        held_forms_sweep,
        endings_sweep,  # ended consents and emergency accesses into the access log,
        access_log_checkpoint_write,  # then its checkpoint outside the database
        outcome_reports_publish_due,  # each programme's report for the month just ended
    ]


class Command(BaseCommand):
    help = ("Run every periodic job (crisis alerts to their next round, check-in reminders, the early-warning sweep and "
            "the rest), then send every email waiting in the outbox. "
            "Stops cleanly on SIGTERM or Ctrl-C, after finishing the email it is sending.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=5.0,
                            help="Seconds to wait when nothing is due (default 5).")
        parser.add_argument("--lease", type=float, default=services.LEASE.total_seconds(),
                            help="Seconds a claimed email stays this worker's before another may retry it "
                                 f"(default {services.LEASE.total_seconds():.0f}).")

    def handle(self, *args, once: bool, interval: float, lease: float, **options):
        self.stopping = False
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:100]
        self.lease = timedelta(seconds=lease)
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.stdout.write(f"Notification worker {self.worker} started.")
            if once:
                self.work()
            else:
                self.loop(interval)
            self.stdout.write(f"Notification worker {self.worker} stopped.")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self, signum, frame) -> None:
        # Only note the wish: the email being sent is finished and recorded before the worker exits.
        self.stopping = True

    def loop(self, interval: float) -> None:
        while not self.stopping:
            try:
                self.work()
            except Exception:  # a database hiccup must not end the worker; log it and try again shortly
                logger.exception("notification worker: this round failed; trying again")
            self.pause(interval)
            close_old_connections()  # drop a connection the database closed while we waited

    def work(self) -> None:
        """Everything due now: the periodic jobs first (they may queue emails), then every due email, one at a time."""
        for job in periodic_jobs():
            try:
                job()
            except Exception:  # one failing job must not hold back the emails or the other jobs
                logger.exception("notification worker: %s failed; it runs again next round", job.__qualname__)
        services.emails_send_due(worker=self.worker, lease=self.lease, stopping=lambda: self.stopping)

    def pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, max(deadline - time.monotonic(), 0)))
