"""Every write of listening feedback: keeping a transcript on purpose, and letting it go.

A saved transcript is the supporter's own record of a conversation they had, not the person's data held
in Pathways, so it does not go through the circle's access policy: only its owner ever reads or changes it
(see selectors.py), and the access matrix proves nobody else can.
"""
import uuid

from django.db import IntegrityError, transaction

from pathways.mi.transcript import parse_transcript

from .models import SavedTranscript


@transaction.atomic
def save_transcript(owner, title: str, text: str, *, submission_key: uuid.UUID | None = None) -> SavedTranscript:
    """Keep `text` for `owner`. Raises TranscriptError if it is not a transcript the analyzer can read.

    The text comes back from the browser in a hidden field, so it is checked again rather than trusted.
    """
    if submission_key and (existing := _already_saved(owner, submission_key)):
        return existing
    parse_transcript(text)
    transcript = SavedTranscript(owner=owner, title=title.strip(), text=text, submission_key=submission_key)
    transcript.full_clean()
    try:
        with transaction.atomic():
            transcript.save()
    except IntegrityError:  # the same form posted twice at once: the other request saved it
        if submission_key and (existing := _already_saved(owner, submission_key)):
            return existing
        raise
    return transcript


def _already_saved(owner, submission_key: uuid.UUID) -> SavedTranscript | None:
    return SavedTranscript.objects.filter(owner=owner, submission_key=submission_key).first()


@transaction.atomic
def delete_transcript(*, transcript: SavedTranscript) -> None:
    transcript.delete()
