"""Forms for the second step at sign-in, confirming it is you again, setting up the app, and a new email."""
from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied

from pathways.people.models import User

from . import devices
from .requirement import has_second_factor

CODE_HELP = "The 6-digit code your authenticator app shows now, or one of your recovery codes."


def _code_field(label: str = "Code", help_text: str = CODE_HELP) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, help_text=help_text, error_messages={
        "required": "Type the code from your app, or one of your recovery codes."}, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false", "autocapitalize": "off"}))


def _wait_message(seconds: int) -> str:
    return (f"That was several wrong codes in a row, so please wait {seconds} second{'s' if seconds != 1 else ''} "
            "before trying again. Nothing is wrong with your account.")


class CodeForm(forms.Form):
    """The second step at sign-in: a code from the app or a recovery code, checked for `user`."""

    code = _code_field()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None
        self.wrong_code = False  # a code was checked and refused (not: empty, or asked to wait)

    def clean_code(self):
        check = devices.code_check(user=self.user, code=self.cleaned_data["code"])
        if check.wait_seconds:
            raise forms.ValidationError(_wait_message(check.wait_seconds))
        if not check.ok:
            self.wrong_code = True
            raise forms.ValidationError("That code did not work. Codes from the app change every 30 seconds: "
                                        "type the one showing now, or use a recovery code.")
        self.device = check.device
        return self.cleaned_data["code"]


class ConfirmItsYouForm(forms.Form):
    """The password again, and a code when the account has two-step sign-in, before a sensitive change.

    The password goes through authenticate(), so wrong ones count towards the same lockout as the login's;
    `locked_out` tells the view to answer with the lockout page."""

    password = forms.CharField(label="Your password", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.locked_out = False
        self.device = None
        if has_second_factor(self.user):
            self.fields["code"] = _code_field()

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password is None:
            return cleaned
        try:
            confirmed = authenticate(self.request, username=self.user.email, password=password)
        except PermissionDenied:
            confirmed = None
            self.locked_out = True
        if getattr(self.request, "axes_locked_out", False):
            self.locked_out = True
        if self.locked_out:
            raise forms.ValidationError("Too many wrong passwords.")
        if confirmed is None or confirmed.pk != self.user.pk:
            self.add_error("password", "That is not your current password.")
            return cleaned
        if "code" in self.fields and cleaned.get("code"):
            check = devices.code_check(user=self.user, code=cleaned["code"])
            if check.wait_seconds:
                self.add_error("code", _wait_message(check.wait_seconds))
            elif not check.ok:
                self.add_error("code", "That code did not work. Type the one your app shows now, or a recovery code.")
            else:
                self.device = check.device
        return cleaned


class AuthenticatorConfirmForm(forms.Form):
    code = _code_field(label="The 6-digit code from your app",
                       help_text="After adding Pathways to the app, type the code it shows for Pathways.")


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label="New email address", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email == self.user.email.lower():
            raise forms.ValidationError("That is already the address of your account.")
        return email
