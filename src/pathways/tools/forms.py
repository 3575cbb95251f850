"""Forms for the tools. They only parse and validate; the services do the writing."""
from django import forms
from django.utils import timezone

from pathways.plans.forms import SubmissionKeyMixin

from .models import CostBenefitWorksheet, DayCounter, WellnessItem, WellnessList

BOX_HELP = {
    "using_gives": "What using does for you, honestly: the relief, the company, the quiet. One thing per line.",
    "using_costs": "What it takes from you: money, sleep, people, time, health. One thing per line.",
    "changing_gives": "What might get better if things change. One thing per line.",
    "changing_costs": "What would be hard or lost if things change. One thing per line.",
}


class WorksheetForm(SubmissionKeyMixin, forms.ModelForm):
    """The four boxes. Every box may stay empty."""

    class Meta:
        model = CostBenefitWorksheet
        fields = list(CostBenefitWorksheet.BOXES)
        help_texts = BOX_HELP
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in CostBenefitWorksheet.BOXES}


class WellnessItemForm(SubmissionKeyMixin, forms.ModelForm):
    """A line on one of the lists. The toolbox page shows one of these per list, each with its own prefix."""

    class Meta:
        model = WellnessItem
        fields = ["text"]
        labels = {"text": "Add a line"}
        error_messages = {"text": {"required": "Write a few words to add, or leave this list for now."}}


class WellnessItemEditForm(forms.ModelForm):
    class Meta:
        model = WellnessItem
        fields = ["kind", "text"]
        labels = {"kind": "Which list", "text": "In your words"}
        error_messages = {"text": {"required": "Write a few words, or remove the line from your toolbox instead."}}


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class TickForm(forms.Form):
    done = forms.BooleanField(required=False)


class DayCounterForm(forms.ModelForm):
    class Meta:
        model = DayCounter
        fields = ["what_it_counts", "started_on", "show_on_plan"]
        help_texts = {
            "what_it_counts": "In your own words, for example \u201cdays since I last gambled\u201d, \u201cdays on my "
                              "medication\u201d or \u201cdays I went to the group\u201d.",
            "started_on": "The day to count from. You can change it whenever you like.",
            "show_on_plan": "Off: it shows only on your tools page.",
        }
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on > timezone.localdate():
            raise forms.ValidationError("The date it counts from cannot be after today. Today is fine.")
        return started_on


LIST_INTROS = {
    WellnessList.TOOLBOX: "Things that help you stay well, or feel better when things are hard: people, places, "
                          "music, food, a walk, a routine.",
    WellnessList.DAILY: "Small things you want to do each day to look after yourself. You can tick them for today "
                        "if that helps; nothing is counted.",
    WellnessList.TRIGGERED: "What you will do when something sets you off: the first thing, and the next.",
}
