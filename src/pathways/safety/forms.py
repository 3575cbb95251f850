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


ROUND_CHOICES = [(1, "Straight away"), (2, "If nobody answers"), (3, "If still nobody answers")]


class AlertSettingsForm(forms.Form):
    """How the person's crisis alerts travel: who is told straight away, who later, and after how long."""

    wait_minutes = forms.IntegerField(
        label="How long to wait for someone to answer before telling the next people (minutes)",
        min_value=1, max_value=240,
        help_text="Someone answers by pressing \u201cI\u2019m reaching out\u201d. Between 1 and 240 minutes.")
    on_duty_allowed = forms.BooleanField(
        label="If nobody in my circle answers, tell my organisation\u2019s on-duty professional", required=False,
        help_text="They are told only that you may need support now, never what you answered.")

    def __init__(self, data=None, *, alert_settings):
        preference = alert_settings.preference
        initial = {"wait_minutes": preference.wait_minutes, "on_duty_allowed": preference.on_duty_allowed}
        initial |= {self.round_field(member): member.alert_round for member in alert_settings.members}
        super().__init__(data, initial=initial)
        self.members = alert_settings.members
        for member in self.members:
            # Left out of a post (an old page, say): that supporter keeps their round.
            self.fields[self.round_field(member)] = forms.TypedChoiceField(
                label=f"When to tell {member.supporter.display_name}", choices=ROUND_CHOICES, coerce=int,
                required=False, empty_value=None, widget=forms.RadioSelect)
        if not alert_settings.organisation_has_on_duty:
            del self.fields["on_duty_allowed"]
        self.order_fields([self.round_field(member) for member in self.members])  # who first, then when

    @staticmethod
    def round_field(member) -> str:
        return f"round_{member.pk}"

    def rounds(self) -> dict[int, int]:
        chosen = {member.pk: self.cleaned_data.get(self.round_field(member)) for member in self.members}
        return {pk: alert_round for pk, alert_round in chosen.items() if alert_round is not None}
