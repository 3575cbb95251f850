"""Forms for the safety plan and an organisation's own local services."""
from django import forms

from .models import LocalService, SafetyPlan

HELP = {
    "warning_signs": "Thoughts, feelings or situations that tell you things are getting hard. One per line.",
    "coping_on_my_own": "For example: a walk, music, a shower, breathing slowly. One per line.",
    "distractions": "Who you can be with, or where you can go, to take your mind off things.",
    "people_to_ask": "Names and numbers of people you can ask for help.",
    "professionals": "Your key worker, doctor, clinic or a crisis service, with their numbers.",
    "safer_surroundings": "What you can put away, hand to someone, or avoid, to keep yourself safer.",
    "reasons_for_living": "The people, hopes and things that matter most to you.",
}


class SafetyPlanForm(forms.ModelForm):
    class Meta:
        model = SafetyPlan
        fields = list(SafetyPlan.SECTIONS)
        help_texts = HELP
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in SafetyPlan.SECTIONS}


class LocalServiceForm(forms.ModelForm):
    country = forms.CharField(label="Country code (two letters, e.g. GB)", max_length=60)
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = LocalService
        fields = ["name", "country", "phone", "text", "website", "hours"]

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise forms.ValidationError("Use the two-letter country code, for example GB or US.")
        return code
