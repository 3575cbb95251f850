"""The forms of session notes: the supporter's note (and its correction), and the person's response."""
from django import forms
from django.utils import timezone

from pathways.plans.models import SHORT_TEXT, Dimension

from .models import NOTE_LENGTH, NoteKind
from .note_services import EMPTY_NOTE, FUTURE_DATE, next_step_lines

KEEP_IN_NOTE = ""
GOAL_PREFIX, DIMENSION_PREFIX = "goal-", "new-"


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=NOTE_LENGTH, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    happened_on = forms.DateField(label="Date of the conversation", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="What kind of contact", choices=NoteKind.choices, initial=NoteKind.PEER,
                             error_messages={"invalid_choice": "Choose one of the kinds of contact listed."})
    talked_about = _text("What we talked about")
    person_wants_next = _text("What {name} wants to happen next")
    next_steps = _text("Agreed next steps", "One per line.")

    def __init__(self, *args, person, kinds, goals=None, **kwargs):
        """`kinds`: the kinds of note the writer may write (`note_categories.writable_kinds`); a kind whose
        category is not granted to them is not offered, and a posted one is refused. `goals` (the person's,
        when the writer may suggest to their plan) adds the choice of offering the next steps to the plan;
        without it they stay in the note."""
        kwargs.setdefault("initial", {}).setdefault("happened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["person_wants_next"].label = self.fields["person_wants_next"].label.format(
            name=person.display_name)
        if goals is not None:
            self.fields["offer_as"] = forms.ChoiceField(
                label=f"Offer the next steps to {person.display_name}'s plan", required=False,
                help_text=f"Each step waits on the plan until {person.display_name} accepts, rewords or declines it.",
                choices=[(KEEP_IN_NOTE, "No, keep them in the note only"),
                         ("As steps of the goal", [(f"{GOAL_PREFIX}{goal.pk}", goal.title) for goal in goals]),
                         ("As new goals, for", [(f"{DIMENSION_PREFIX}{value}", label)
                                                for value, label in Dimension.choices])])

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE)
        return day

    def clean(self):
        data = super().clean()
        if not any(data.get(name, "").strip() for name in ("talked_about", "person_wants_next", "next_steps")):
            raise forms.ValidationError(EMPTY_NOTE)
        if data.get("offer_as") and any(len(line) > SHORT_TEXT for line in next_step_lines(data["next_steps"])):
            self.add_error("next_steps", f"To offer them to the plan, keep each step within {SHORT_TEXT} characters.")
        return data

    def offer(self) -> dict | None:
        """Where the next steps go in the plan: {"goal_id": …} or {"dimension": …}; None to keep them here."""
        choice = self.cleaned_data.get("offer_as") or KEEP_IN_NOTE
        if choice.startswith(GOAL_PREFIX):
            return {"goal_id": int(choice.removeprefix(GOAL_PREFIX))}
        if choice.startswith(DIMENSION_PREFIX):
            return {"dimension": choice.removeprefix(DIMENSION_PREFIX)}
        return None


class ResponseForm(forms.Form):
    text = forms.CharField(label="Your response or correction", max_length=NOTE_LENGTH,
                           help_text="It is kept beside the note. The note itself stays as it was written.",
                           widget=forms.Textarea(attrs={"rows": 4}))
