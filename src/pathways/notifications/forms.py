"""The reminder settings form: every field optional; a reminder that is on needs a time."""
from django import forms

from pathways.people.time_zones import time_zone_name_of

from .models import Kind, ReminderSetting


class ReminderSettingsForm(forms.Form):
    checkin_reminder_on = forms.BooleanField(label="Remind me to check in each day", required=False)
    checkin_reminder_time = forms.TimeField(
        label="At what time", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time such as 19:30."})
    early_warning_on = forms.BooleanField(
        label="Tell me when check-ins show an early warning sign", required=False,
        help_text="Your own signs, with your plan for them; or, if someone you support chose to share them, theirs.")
    email_on = forms.BooleanField(
        label="Also tell me by email", required=False,
        help_text="An email only says there is something new on Pathways, with a link. It never says what it is "
                  "about.")

    def __init__(self, *args, setting: ReminderSetting, **kwargs):
        initial = {"checkin_reminder_on": setting.checkin_reminder_on,
                   "checkin_reminder_time": setting.checkin_reminder_time,
                   "early_warning_on": setting.early_warning_on, "email_on": setting.email_on}
        for kind in Kind:
            initial[self.email_field(kind)] = kind not in setting.email_muted_kinds
        super().__init__(*args, initial=initial, **kwargs)
        self.time_zone_name = time_zone_name_of(setting.person)
        self.fields["checkin_reminder_time"].help_text = (
            f"For example 19:30, in your time zone ({self.time_zone_name}). You are reminded only on days you have "
            "not checked in yet.")
        for kind in Kind:
            self.fields[self.email_field(kind)] = forms.BooleanField(label=kind.label, required=False)

    @staticmethod
    def email_field(kind: Kind) -> str:
        return f"email_{kind.value}"

    def reminder_fields(self):
        return [self[name] for name in ("checkin_reminder_on", "checkin_reminder_time", "early_warning_on")]

    def email_kind_fields(self):
        return [self[self.email_field(kind)] for kind in Kind]

    def clean(self):
        data = super().clean()
        if data.get("checkin_reminder_on") and not data.get("checkin_reminder_time") \
                and "checkin_reminder_time" not in self.errors:
            self.add_error("checkin_reminder_time", "Choose a time for your reminder, or leave reminders off.")
        return data

    def changes(self) -> dict:
        """The form's answers as arguments for services.reminder_settings_update."""
        data = self.cleaned_data
        return {"checkin_reminder_on": data["checkin_reminder_on"],
                "checkin_reminder_time": data["checkin_reminder_time"],
                "early_warning_on": data["early_warning_on"], "email_on": data["email_on"],
                "email_muted_kinds": [kind.value for kind in Kind if not data[self.email_field(kind)]]}
