"""Forms for the analyzer: a transcript pasted or uploaded, keeping one, and a practice reply.

Every check here ends in words a supporter can act on, and a form that fails keeps what they typed.
"""
from pathlib import PurePath

from django import forms

from pathways.mi.transcript import MAX_BYTES, TranscriptError, parse_transcript
from pathways.plans.forms import SubmissionKeyMixin

UPLOAD_SUFFIXES = (".csv", ".txt")
MAX_MB = MAX_BYTES // 1024 // 1024
TITLE_MAX = 200


def normalise_newlines(text: str) -> str:
    """Browsers send line breaks as CRLF; keep one form so sizes and saved text match what was pasted."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class AnalyzeForm(forms.Form):
    """A transcript, pasted or as a file. `clean()` leaves its text and utterances in cleaned_data."""

    text = forms.CharField(
        label="Paste a transcript", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="One turn per line, starting with who spoke: “Counsellor: …” (you, the supporter) or "
                  "“Person: …”. A line without a label carries on the turn above it.",
    )
    upload = forms.FileField(
        label="Or choose a file (.csv or .txt)", required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(UPLOAD_SUFFIXES)}),
        help_text=f"A CSV with the columns “interlocutor” and “utterance_text” (one row per turn), or a text "
                  f"file in the format above. Up to {MAX_MB} MB, saved as UTF-8.",
    )

    def clean_text(self) -> str:
        text = normalise_newlines(self.cleaned_data["text"])
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            raise forms.ValidationError(
                f"What you pasted is {_megabytes(size)}; a transcript can be at most {MAX_MB} MB. Paste part of "
                "the session, or split it into smaller files and analyse each one.")
        return text

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload is None:
            return None
        if PurePath(upload.name or "").suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError("Choose a .csv or .txt file. Other kinds of file cannot be read here.")
        if upload.size > MAX_BYTES:  # known from the request before a byte of the file is read
            raise forms.ValidationError(
                f"This file is {_megabytes(upload.size)}; a transcript can be at most {MAX_MB} MB. Split the "
                "session into smaller files and analyse each one.")
        return upload

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        text, upload = data.get("text", ""), data.get("upload")
        if upload is not None and text.strip():
            raise forms.ValidationError(
                "You pasted a transcript and chose a file, so we did not know which to use. What you pasted is "
                "still in the box: analyse it now, or empty the box and choose the file again.")
        if upload is None and not text.strip():
            self.add_error("text", "Paste a transcript here, or choose a file below.")
            return data
        try:
            if upload is not None:
                raw = upload.read()
                data["utterances"] = parse_transcript(raw)
                data["text"] = normalise_newlines(raw.decode("utf-8-sig"))  # parse_transcript proved it is UTF-8
            else:
                data["utterances"] = parse_transcript(text)
        except TranscriptError as error:
            self.add_error("upload" if upload is not None else "text", str(error))
        return data


class SaveTranscriptForm(SubmissionKeyMixin):
    """Keep a transcript that was just analysed. The text rides along in a hidden field and is checked again."""

    title = forms.CharField(label="Title (optional)", max_length=TITLE_MAX, required=False,
                            help_text="Something to help you find it again, such as “Tuesday drop-in, role play”. "
                                      "Leave out names and anything that could identify the person.")
    text = forms.CharField(widget=forms.HiddenInput, strip=False)

    def clean_text(self) -> str:
        text = normalise_newlines(self.cleaned_data["text"])
        try:
            parse_transcript(text)
        except TranscriptError as error:
            raise forms.ValidationError(str(error)) from None
        return text


class PracticeForm(forms.Form):
    reply = forms.CharField(label="What would you say back?", max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            error_messages={"required": "Write what you would say back, then ask for feedback."})
