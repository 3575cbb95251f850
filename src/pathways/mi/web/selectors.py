"""Every read of saved transcripts: always filtered by owner, so another account's transcript is a 404.

These are the supporter's own records, not another person's data, so there is no grant to ask about
(services.py says why); the owner filter is the whole rule.
"""
from django.http import Http404

from pathways.people.selectors import is_programme_staff

from .models import SavedTranscript


def saved_transcripts(*, viewer) -> list[SavedTranscript]:
    return list(SavedTranscript.objects.filter(owner_id=viewer.pk).defer("text"))


def saved_transcript_get(*, public_id, viewer) -> SavedTranscript:
    transcript = SavedTranscript.objects.filter(public_id=public_id, owner_id=viewer.pk).first()
    if transcript is None:
        raise Http404
    return transcript


def supports_people(*, viewer) -> bool:
    """Whether the nav offers listening feedback: to staff of a programme (peer supporters, professionals,
    admins), whose work is conversations. A family member or friend in someone's circle is not offered a
    counselling tool. Anyone signed in may still open the pages; this only keeps the link out of menus that
    have no use for it. One query, as it runs on every page.
    """
    return is_programme_staff(viewer)
