"""Forms for standard instruments: a questionnaire built from its definition, and the admin's upload."""
from django import forms

from pathways.plans.forms import SubmissionKeyMixin

from . import questionnaires
from .questionnaires import Definition, Display, Question

DECLINED = "declined"
MAX_UPLOAD_BYTES = 1024 * 1024


class QuestionnaireForm(SubmissionKeyMixin, forms.Form):
    """One row of radio buttons per question, each with "Prefer not to say"; leaving one empty skips it."""

    def __init__(self, *args, definition: Definition, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        # Field names are positions, not linkIds: a linkId may hold characters an HTML id cannot.
        self.link_ids: dict[str, str] = {}
        for index, question in enumerate(definition.questions):
            name = f"item_{index}"
            self.link_ids[name] = question.link_id
            choices = [(str(option.value), option.label) for option in question.options]
            self.fields[name] = forms.ChoiceField(label=question.text, choices=choices + [(DECLINED, "Prefer not to say")],
                                                  widget=forms.RadioSelect, required=False)

    def sections(self) -> list[dict]:
        """Questions and text in order, grouped under the headings of the groups they sit in."""
        names = {link_id: name for name, link_id in self.link_ids.items()}
        sections: list[dict] = []
        noted = False  # a content note goes before the first question whose answers can raise a crisis alert
        for entry in self.definition.entries:
            if not sections or sections[-1]["title"] != entry.section:
                sections.append({"title": entry.section, "entries": []})
            if isinstance(entry, Question):
                harm_note = bool(entry.risk) and not noted
                noted = noted or harm_note
                sections[-1]["entries"].append({"field": self[names[entry.link_id]], "harm_note": harm_note})
            elif isinstance(entry, Display) and entry.text:
                sections[-1]["entries"].append({"text": entry.text})
        return sections

    def answers(self) -> dict[str, int | None]:
        return {link_id: int(value) if (value := self.cleaned_data.get(name)) not in ("", None, DECLINED) else None
                for name, link_id in self.link_ids.items()}

    def declined(self) -> list[str]:
        return [link_id for name, link_id in self.link_ids.items() if self.cleaned_data.get(name) == DECLINED]


class QuestionnaireUploadForm(forms.Form):
    file = forms.FileField(label="Questionnaire file", help_text="A FHIR R4 Questionnaire in JSON, up to 1 MB, "
                                                                 "with the Pathways scoring rules in it.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB. A questionnaire file is usually a few "
                                        "kilobytes; check that this is the right file.")
        try:
            return questionnaires.load_json(upload.read())
        except questionnaires.QuestionnaireError as error:
            raise forms.ValidationError([str(problem) for problem in error.problems]) from None
