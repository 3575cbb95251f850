"""Load the fictional demo programme, once."""
from django.core.management.base import BaseCommand

from pathways.web.demo import DEMO_PASSWORD, demo_accounts, demo_exists, load_demo


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
