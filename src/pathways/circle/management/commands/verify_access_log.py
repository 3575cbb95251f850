"""Check the access log's hash chain from the first entry to the last."""
from django.core.management.base import BaseCommand, CommandError

from pathways.circle.access_log import ChainBroken, verify


class Command(BaseCommand):
    help = "Verify that no access-log entry was changed, removed or reordered. Exits non-zero if one was."

    def handle(self, *args, **options):
        try:
            checked = verify()
        except ChainBroken as broken:
            raise CommandError(f"The access log is broken at entry {broken.sequence}: {broken.reason}.") from None
        self.stdout.write(f"The access log holds: {checked} entries checked.")
