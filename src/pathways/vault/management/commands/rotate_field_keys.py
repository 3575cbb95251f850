"""manage.py rotate_field_keys [--generate] [--batch-size N]"""
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from pathways.lib.env import new_fernet_key
from pathways.vault import keys, rotation


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted field with the first key in PATHWAYS_FIELD_KEYS, in small batches while "
            "Pathways serves; --generate prints a new key instead.")

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="print a new key and change nothing")
        parser.add_argument("--batch-size", type=int, default=200, help="rows per transaction (default 200)")

    def handle(self, *args, generate=False, batch_size=200, **options):
        if generate:
            self.stdout.write(new_fernet_key())
            return
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            tally = rotation.rotate(batch_size=batch_size,
                                    report=lambda label: self.stdout.write(f"done: {label}", self.style.NOTICE))
        except (keys.UndecryptableValue, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Re-encrypted {tally.rewritten} values with the first key; {tally.already_current} already used it; "
            f"{tally.changed_meanwhile} were changed by Pathways meanwhile (and so already use it)."))
        self.stdout.write("Every value now opens with the first key alone; older keys can be removed.")
