"""Forms for signing up, joining by invitation, the person's profile, and the organisation admin's pages."""
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from .countries import country_choices
from .models import Organisation, PersonProfile, Role, User
from .selectors import professionals_of
from .time_zones import UNKNOWN_TIME_ZONE, organisation_time_zone_name, time_zone_choices


class EmailAuthenticationForm(AuthenticationForm):
    """Email addresses are stored in lower case, so match them that way whatever was typed."""

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class NewPasswordMixin(forms.Form):
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters. A few unrelated words make a strong, memorable password.",
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        candidate = User(email=self.data.get("email", ""), name=self.data.get("name", ""))
        password_validation.validate_password(password, candidate)
        return password


class AboutMeFields(forms.Form):
    name = forms.CharField(label="Full name (optional)", max_length=150, required=False,
                           help_text="Used when you sign something, like a consent.")
    preferred_name = forms.CharField(label="What should we call you? (optional)", max_length=80, required=False)
    pronouns = forms.CharField(label="Pronouns (optional)", max_length=40, required=False,
                               help_text="For example she/her, he/him, they/them.")


UNKNOWN_COUNTRY = "Choose a country from the list, or leave it blank."


class CountryQuestion(forms.Form):
    """Asked when an account is made, so the first safety plan someone opens already has lines they can call."""

    country = forms.ChoiceField(label="The country you live in (optional)", required=False, choices=country_choices,
                                help_text="So your safety plan shows crisis lines you can call there.",
                                error_messages={"invalid_choice": UNKNOWN_COUNTRY})


class SignUpForm(AboutMeFields, CountryQuestion, NewPasswordMixin):
    email = forms.EmailField(label="Email address", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    field_order = ["email", "password", "preferred_name", "pronouns", "name", "country"]

    def clean_email(self):
        # Whether the address has an account is never checked here: the answer would tell anyone who asks.
        return self.cleaned_data["email"].strip().lower()


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, except that saving queues the email for the worker (see people/account_mail.py)
    instead of looking the account up and sending in the request, which took longer when it existed."""

    def save(self, *, request=None, **unused_sending_options) -> None:
        from .account_mail import password_reset_request
        from .lockout import client_ip

        password_reset_request(email=self.cleaned_data["email"], ip=client_ip(request) if request else None)


class JoinForm(AboutMeFields, CountryQuestion, NewPasswordMixin):
    field_order = ["password", "preferred_name", "pronouns", "name", "country"]

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        if role != Role.PERSON:
            del self.fields["country"]  # staff have no safety plan of their own, so nothing would use the answer


def time_zone_field(**kwargs) -> forms.ChoiceField:
    """A select of every zone. Its blank choice is labelled by the form (`_with_blank`): what blank means differs."""
    return forms.ChoiceField(required=False, choices=time_zone_choices,
                             error_messages={"invalid_choice": UNKNOWN_TIME_ZONE}, **kwargs)


def _with_blank(field: forms.ChoiceField, label: str) -> None:
    field.choices = [("", label), *time_zone_choices()]


class ProfileForm(AboutMeFields):
    culture = forms.CharField(label="My culture and background", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.CharField(label="Languages I prefer", required=False, max_length=200)
    faith = forms.CharField(label="Faith or spirituality, if it matters to me", required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    what_helps = forms.CharField(label="What helps me, and what supporters should know", required=False,
                                 max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    how_to_reach_me = forms.CharField(
        label="How I want to be reached when I need support", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: text first, then call; or ask my sister to come round. Only people you choose see "
                  "this, when you share “how to reach me” with them in My circle.")
    country = forms.ChoiceField(label="The country I live in", required=False, choices=country_choices,
                                help_text="So your safety plan shows crisis lines you can call.")
    time_zone = time_zone_field(
        label="My time zone", help_text="Dates and times in Pathways, and your check-in reminder, follow it.",
        # The device's zone is offered beside it, one tap, by people/time_zone.js.
        widget=forms.Select(attrs={"data-offer-device-time-zone": ""}))

    @classmethod
    def for_user(cls, user: User, data=None) -> "ProfileForm":
        profile = PersonProfile.objects.filter(user=user).first() or PersonProfile(user=user)
        initial = {"name": user.name, "preferred_name": user.preferred_name, "pronouns": user.pronouns,
                   "culture": profile.culture, "language": profile.language, "faith": profile.faith,
                   "what_helps": profile.what_helps, "how_to_reach_me": profile.how_to_reach_me,
                   "country": profile.country, "time_zone": user.time_zone}
        form = cls(data, initial=initial)
        organisation = user.home_organisation if user.home_organisation_id else None
        if organisation is not None and organisation.time_zone:
            blank = f"My organisation's ({organisation_time_zone_name(organisation)})"
        else:
            blank = f"This site's ({settings.TIME_ZONE})"
        _with_blank(form.fields["time_zone"], blank)
        return form


# An organisation is somewhere: "I'd rather not say", right for a person, is no answer for a programme.
PROGRAMME_COUNTRIES = [("", "Not set"), *[(code, name) for code, name in country_choices() if code]]


class OrganisationSettingsForm(forms.Form):
    """Where the programme is: the defaults for its people until they choose their own."""

    country = forms.ChoiceField(
        label="Country", required=False, choices=PROGRAMME_COUNTRIES,
        help_text="People who have not chosen a country see this country's crisis lines.",
        error_messages={"invalid_choice": UNKNOWN_COUNTRY})
    time_zone = time_zone_field(
        label="Time zone",
        help_text="Dates, times and check-in reminders follow it for everyone who has not chosen their own.")
    on_duty_professional = forms.TypedChoiceField(
        label="On-duty professional", required=False, coerce=int, empty_value=None,
        help_text="Told of a person's crisis alert when nobody in their circle answered in time, only if that "
                  "person allowed it. They learn only that the person may need support now.")
    counselling_notes_apart = forms.BooleanField(
        label="Keep counselling notes apart", required=False,
        help_text="When on, each person chooses who may read notes about their counselling separately from "
                  "notes about their other conversations.")

    @classmethod
    def for_organisation(cls, organisation: Organisation, data=None) -> "OrganisationSettingsForm":
        form = cls(data, initial={"country": organisation.country, "time_zone": organisation.time_zone,
                                  "on_duty_professional": organisation.on_duty_professional_id,
                                  "counselling_notes_apart": organisation.counselling_notes_apart})
        _with_blank(form.fields["time_zone"], f"Not set: the site's ({settings.TIME_ZONE})")
        form.fields["on_duty_professional"].choices = [("", "Nobody"), *professional_choices(organisation)]
        return form


def professional_choices(organisation: Organisation) -> list[tuple[int, str]]:
    return [(user.pk, f"{user.display_name} ({user.email})")
            for user in professionals_of(organisation=organisation)]


class OrganisationAboutForm(forms.Form):
    """The programme's name, and whether people who have not said either way count in its statistics."""

    name = forms.CharField(label="Your programme's name", max_length=200,
                           error_messages={"required": "Give your programme a name: your people see it."})
    statistics_by_default = forms.BooleanField(
        label="Count people in programme statistics unless they say otherwise", required=False,
        help_text="Programme statistics are de-identified counts. Each person can say yes or no at any time; "
                  "this decides only for those who have not said either way.")
    statistics_notice = forms.CharField(
        label="Notice about programme statistics", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your words, shown to your people where they choose: tell them whether they are counted in "
                  "programme statistics unless they say otherwise, what is counted, and who sees the figures.")

    @classmethod
    def for_organisation(cls, organisation: Organisation, data=None) -> "OrganisationAboutForm":
        return cls(data, initial={"name": organisation.name,
                                  "statistics_by_default": organisation.statistics_by_default,
                                  "statistics_notice": organisation.statistics_notice})


class AccountSearchForm(forms.Form):
    q = forms.CharField(label="Name or email address", required=False, max_length=200)


class ProfessionalChoiceForm(forms.Form):
    professional = forms.TypedChoiceField(label="Their professional", coerce=int,
                                          error_messages={"required": "Choose one of your organisation's "
                                                                      "professionals.",
                                                          "invalid_choice": "Choose one of your organisation's "
                                                                            "professionals."})

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].choices = [("", "Choose a professional"), *professional_choices(organisation)]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Their email address", max_length=254)
    role = forms.ChoiceField(label="Joining as", choices=[
        (Role.PERSON.value, "A person we support"),
        (Role.PEER_SUPPORTER.value, "Peer supporter (expert by experience)"),
        (Role.PROFESSIONAL.value, "Professional (expert by profession)"),
        (Role.ADMIN.value, "Organisation admin"),
    ])
