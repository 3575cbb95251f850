"""Check the access log's signed chain from the first entry to the last, and against checkpoints kept outside."""
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from pathways.circle.access_log import ChainBroken, verify
from pathways.circle.checkpoints import CheckpointUnreadable, read_checkpoints


class Command(BaseCommand):
    help = (
        "Verify that no access-log entry was changed, removed or reordered; exits non-zero, with one line saying "
        "where, if one was. Each entry is signed (HMAC-SHA256) with a key from PATHWAYS_ACCESS_LOG_KEYS, which "
        "lives outside the database; an entry signed with a key no longer listed, or with none, fails. Entries "
        "written before the keyed chain were checked and signed again by migration circle 0005; any from a "
        "break the old chain already had stay unsigned and are reported. The chain alone cannot show that the "
        "newest entries (or all of them) were deleted: give --checkpoint with the lines the worker wrote "
        "(PATHWAYS_ACCESS_LOG_CHECKPOINT) to check that too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", metavar="FILE", action="append", default=[],
                            help="A file holding checkpoint lines (a checkpoint file, a syslog file or saved "
                                 "emails; other lines are skipped). Every checkpoint must match its entry, and "
                                 "the log must reach the newest. May be given more than once.")

    def handle(self, *args, checkpoint: list[str], **options):
        checkpoints = []
        try:
            for path in checkpoint:
                try:
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        found = read_checkpoints(handle)
                except OSError as error:
                    raise CommandError(f"Cannot read the checkpoint file {path}: {error.strerror or error}.") from None
                except CheckpointUnreadable as problem:
                    raise CommandError(f"The checkpoint file {path} cannot be trusted: {problem}.") from None
                if not found:
                    raise CommandError(f"The checkpoint file {path} holds no checkpoint lines; is it the right file?")
                checkpoints.extend(found)
            checked = verify(checkpoints)
        except ChainBroken as broken:
            raise CommandError(f"The access log is broken at entry {broken.sequence}: {broken.reason}.") from None
        except ImproperlyConfigured as problem:
            raise CommandError(str(problem)) from None
        if checkpoints:
            newest = max(checkpoints, key=lambda found: found.sequence)
            self.stdout.write(f"The access log holds: {checked} entries checked, and all {len(checkpoints)} "
                              f"checkpoints match (the newest at entry {newest.sequence}, written at {newest.at}).")
        else:
            self.stdout.write(f"The access log holds: {checked} entries checked.")
