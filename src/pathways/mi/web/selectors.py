"""Every read of saved transcripts: always filtered by owner, so another account's transcript is a 404.

These are the supporter's own records, not another person's data, so there is no grant to ask about
(services.py says why); the owner filter is the whole rule.
"""
from django.db.models import Q
from django.http import Http404

from pathways.people.models import STAFF_ROLES, User

from .models import SavedTranscript


def saved_transcripts(*, viewer) -> list[SavedTranscript]:
    return list(SavedTranscript.objects.filter(owner_id=viewer.pk).defer("text"))


def saved_transcript_get(*, public_id, viewer) -> SavedTranscript:
    transcript = SavedTranscript.objects.filter(public_id=public_id, owner_id=viewer.pk).first()
    if transcript is None:
        raise Http404
    return transcript


def supports_people(*, viewer) -> bool:
    """Whether the nav offers listening feedback: staff of a programme, or someone in a person's circle now.

    Anyone signed in may still open the pages; this only keeps the link out of menus that have no use for it.
    One query, as it runs on every page.
    """
    if not viewer.is_authenticated:
        return False
    staff = Q(memberships__role__in=STAFF_ROLES)
    in_a_circle = Q(supporting__isnull=False, supporting__removed_at__isnull=True)
    return User.objects.filter(Q(pk=viewer.pk) & (staff | in_a_circle)).exists()
