"""Every read of saved transcripts: always filtered by owner, so another account's transcript is a 404.

These are the supporter's own records, not another person's data, so there is no grant to ask about
(services.py says why); the owner filter is the whole rule.
"""
from django.http import Http404

from .models import SavedTranscript


def saved_transcripts(*, viewer) -> list[SavedTranscript]:
    return list(SavedTranscript.objects.filter(owner_id=viewer.pk).defer("text"))


def saved_transcript_get(*, public_id, viewer) -> SavedTranscript:
    transcript = SavedTranscript.objects.filter(public_id=public_id, owner_id=viewer.pk).first()
    if transcript is None:
        raise Http404
    return transcript
