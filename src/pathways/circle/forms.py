"""Forms for the circle pages: invitations, consents, emergency access and the access-log filters."""
from datetime import datetime, time

from django import forms
from django.utils import timezone

from pathways.people.forms import AboutMeFields, NewPasswordMixin
from pathways.people.selectors import keeps_counselling_notes_apart

from .models import ALLOWED_ACCESS, Access, Category, SupporterRole

NOT_SHARED = ""
NOT_OFFERED = ("Notes about counselling are not a separate choice for you: they are shared with your other "
               "session notes. Choose from the list on this page.")

HELP = {Category.COUNSELLING_NOTES: "Notes from your counselling. Sharing your other session notes does not "
                                    "include these."}


def offered_categories(person) -> list[Category]:
    """What the person may share: every category, except "notes about counselling" unless their organisation
    keeps counselling notes apart (elsewhere those notes are session notes like any other)."""
    apart = keeps_counselling_notes_apart(person)
    return [category for category in Category if apart or category != Category.COUNSELLING_NOTES]


class CircleInviteForm(forms.Form):
    name = forms.CharField(label="Their name", max_length=150)
    role = forms.ChoiceField(label="They are my", choices=SupporterRole.choices, widget=forms.RadioSelect)
    relationship = forms.CharField(label="How I describe them (optional)", max_length=120, required=False,
                                   help_text="For example: my sister, my sponsor, my key worker.")
    email = forms.EmailField(label="Their email address (optional)", required=False, max_length=254,
                             help_text="If you give one we email the link; either way you can copy it yourself.")


class StaffChoiceForm(forms.Form):
    staff = forms.TypedChoiceField(label="Someone from my organisation", coerce=int)

    def __init__(self, *args, staff_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [(user.pk, f"{user.display_name} ({user.email})") for user in staff_choices]


class SupporterJoinForm(AboutMeFields, NewPasswordMixin):
    email = forms.EmailField(label="Email address", max_length=254)
    field_order = ["email", "password", "name", "preferred_name", "pronouns"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].label = "Your full name"
        self.fields["name"].help_text = "The person sees this name on every consent they give you."


class GrantForm(forms.Form):
    """A consent: what to share, why, until when, signed with a typed name."""

    purpose = forms.CharField(label="What is the sharing for?", max_length=300,
                              initial="To support me in my recovery")
    until = forms.ChoiceField(label="How long", widget=forms.RadioSelect, initial="revoked", choices=[
        ("revoked", "Until I revoke it"), ("date", "Until a date"),
    ])
    expires_on = forms.DateField(label="End date (if until a date)", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    expiry_event = forms.CharField(label="Or until something happens (optional)", max_length=200, required=False,
                                   help_text="For example: when I leave the programme.")
    signature = forms.CharField(label="Type your full name to sign", max_length=150)

    field_order = ["purpose", "until", "expires_on", "expiry_event", "signature"]

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = offered_categories(person)
        for category in self.categories:
            options = [(NOT_SHARED, "Not shared")] + [
                (access.value, access.label.capitalize()) for access in Access if access in ALLOWED_ACCESS[category]]
            self.fields[f"share_{category.value}"] = forms.ChoiceField(
                label=category.label.capitalize(), choices=options, required=False, initial=NOT_SHARED,
                widget=forms.RadioSelect, help_text=HELP.get(category, ""))

    def share_fields(self):
        return [self[f"share_{category.value}"] for category in self.categories]

    def other_fields(self):
        return [self[name] for name in self.field_order]

    def clean(self):
        cleaned = super().clean()
        if any(self.data.get(f"share_{category.value}") for category in set(Category) - set(self.categories)):
            raise forms.ValidationError(NOT_OFFERED)
        if not self.items():
            raise forms.ValidationError("Choose at least one thing to share.")
        if cleaned.get("until") == "date":
            expires_on = cleaned.get("expires_on")
            if expires_on is None:
                self.add_error("expires_on", "Choose the end date, or pick “Until I revoke it”.")
            elif expires_on <= timezone.localdate():
                self.add_error("expires_on", "Choose a date after today.")
        return cleaned

    def items(self) -> dict[str, str]:
        return {category.value: self.cleaned_data[f"share_{category.value}"] for category in self.categories
                if self.cleaned_data.get(f"share_{category.value}")}

    def expires_at(self):
        if self.cleaned_data.get("until") != "date" or not self.cleaned_data.get("expires_on"):
            return None
        return timezone.make_aware(datetime.combine(self.cleaned_data["expires_on"], time.max))


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(label="Why do you need to open this record now?", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="The person will see this reason, your name and the time.")


class LogFilterForm(forms.Form):
    viewer = forms.ChoiceField(label="Who", required=False)
    category = forms.ChoiceField(label="What", required=False,
                                 choices=[("", "Everything")] + [(c.value, c.label) for c in Category])
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=[
        ("", "Seen or refused"), ("allowed", "Seen"), ("refused", "Refused")])
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, viewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["viewer"].choices = [("", "Anyone")] + list(viewers)
