"""Forms for the plan pages. They only parse and validate; the services do the writing."""
import uuid

from django import forms

from .models import Dimension, Goal, GoalStatus, Pathway, Plan, Step, Strength, Win

RULER_CHOICES = [("", "Not now")] + [(str(n), str(n)) for n in range(11)]


class SubmissionKeyMixin(forms.Form):
    """A hidden key that lets the services recognise a form posted twice."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


class RulerField(forms.TypedChoiceField):
    """A 0–10 ruler as a row of radio buttons; leaving it empty is always fine."""

    widget = forms.RadioSelect

    def __init__(self, *, label: str, help_text: str = "", **kwargs):
        super().__init__(
            label=label, help_text=help_text, choices=RULER_CHOICES, coerce=int, empty_value=None,
            required=False, **kwargs,
        )


class MeaningForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["recovery_meaning"]
        labels = {"recovery_meaning": "What recovery means to me"}
        help_texts = {"recovery_meaning": "In your own words. There is no right answer, and you can change it any time."}
        widgets = {"recovery_meaning": forms.Textarea(attrs={"rows": 5})}


class LapsePlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["lapse_what_i_will_do", "lapse_who_i_will_tell"]
        labels = {"lapse_what_i_will_do": "If I use or lapse, what I'll do (optional)",
                  "lapse_who_i_will_tell": "Who I'll tell (optional)"}
        help_texts = {
            "lapse_what_i_will_do": "For example: get somewhere safe, eat something, go to a meeting tomorrow, "
                                    "be kind to myself. One thing per line.",
            "lapse_who_i_will_tell": "Names, and numbers if you like. They become tap-to-call links.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class PathwaysForm(forms.Form):
    """One checkbox per pathway, each with an optional line in the person's own words."""

    def __init__(self, *args, current: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for code, label in Pathway.choices:
            self.fields[code] = forms.BooleanField(label=label, required=False, initial=code in current)
            self.fields[f"{code}_words"] = forms.CharField(
                label=f"{label}: in my own words", required=False, max_length=200,
                initial=current.get(code, ""),
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(Pathway.OTHER) and not cleaned.get(f"{Pathway.OTHER}_words", "").strip():
            self.add_error(f"{Pathway.OTHER}_words", "Say in a few words what your own pathway is.")
        return cleaned

    def chosen(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"{code}_words"].strip()
            for code in Pathway.values
            if self.cleaned_data.get(code)
        }

    def rows(self):
        """Pairs of (checkbox, own-words field) for the template."""
        return [(self[code], self[f"{code}_words"]) for code in Pathway.values]


class StrengthForm(SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = Strength
        fields = ["kind", "text"]
        labels = {"kind": "Whose strength", "text": "The strength"}


class GoalForm(SubmissionKeyMixin, forms.ModelForm):
    importance = RulerField(label="How important is this to me? (0–10)",
                            help_text="0 is not important at all, 10 is the most important thing right now.")
    confidence = RulerField(label="How confident am I that I can do it? (0–10)",
                            help_text="0 is not confident at all, 10 is completely sure.")

    class Meta:
        model = Goal
        fields = ["dimension", "title", "why_it_matters", "importance", "confidence"]
        labels = {"dimension": "Part of my life", "title": "My goal", "why_it_matters": "Why this matters to me"}
        help_texts = {"title": "In your own words. This is the only thing you need to fill in."}
        widgets = {"why_it_matters": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Always one dimension selected, so the title is the only thing a person must type.
        self.fields["dimension"].choices = Dimension.choices
        self.fields["dimension"].initial = self.initial.get("dimension") or Dimension.HEALTH


class GoalEditForm(GoalForm):
    """Changing a goal carries the version of the goal it started from, so a save made meanwhile is noticed."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class NewGoalForm(GoalForm):
    """Creating a goal can name its first small steps straight away."""

    first_steps = forms.CharField(
        label="First small steps (optional, one per line)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Small and doable this week works best.",
    )

    def clean_first_steps(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["first_steps"].splitlines() if line.strip()]
        too_long = [line for line in lines if len(line) > 200]
        if too_long:
            raise forms.ValidationError("Keep each step under 200 characters.")
        if len(lines) > 10:
            raise forms.ValidationError("Start with up to 10 steps; you can add more later.")
        return lines


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices)


class StepForm(SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = Step
        fields = ["text", "due_on"]
        labels = {"text": "Next small step", "due_on": "By when (optional)"}
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}


class WinForm(SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = Win
        fields = ["text", "occurred_on"]
        labels = {"text": "What went well", "occurred_on": "When"}
        widgets = {"occurred_on": forms.DateInput(attrs={"type": "date"})}


class SuggestGoalForm(SubmissionKeyMixin, forms.Form):
    dimension = forms.ChoiceField(label="Part of life", choices=Dimension.choices)
    text = forms.CharField(label="Goal you would suggest", max_length=200)
    why = forms.CharField(label="Why you think it could help (optional)", required=False, max_length=4000,
                          widget=forms.Textarea(attrs={"rows": 2}))


class SuggestStepForm(SubmissionKeyMixin, forms.Form):
    goal = forms.TypedChoiceField(label="For which goal", coerce=int)
    text = forms.CharField(label="Step you would suggest", max_length=200)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(goal.pk, goal.title) for goal in goals]


class AcceptSuggestionForm(forms.Form):
    """The person may reword a suggestion before taking it into their plan."""

    text = forms.CharField(label="In my words", max_length=200)
    why = forms.CharField(label="Why this matters to me (optional)", required=False, max_length=4000,
                          widget=forms.Textarea(attrs={"rows": 2}))
    dimension = forms.ChoiceField(label="Part of my life", choices=Dimension.choices, required=False)
