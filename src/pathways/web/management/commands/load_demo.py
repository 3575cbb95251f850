"""Load the fictional demo programme, once."""
from django.core.management.base import BaseCommand

from pathways.web.demo import (
    DEMO_PASSWORD,
    demo_accounts,
    demo_authenticator_secret,
    demo_exists,
    demo_recovery_codes,
    load_demo,
)


class Command(BaseCommand):
    help = "Load a fictional demo organisation with staff and people (skipped if it is already there)."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("Loaded the demo organisation."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, role in demo_accounts():
            self.stdout.write(f"  {email:32} {role}")
        self.stdout.write("Staff accounts sign in with two steps. Add this key to any authenticator app "
                          f"(time-based, 6 digits): {demo_authenticator_secret()}")
        self.stdout.write("Or, without a phone, type one of these recovery codes (each works once; new ones "
                          "are printed every time this runs):")
        for email, codes in demo_recovery_codes():
            self.stdout.write(f"  {email:32} {'  '.join(codes)}")
