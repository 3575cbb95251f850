"""The form that deletes an account."""
from django import forms

DELETE_CONFIRMATION = "delete my account"


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for the password again and a typed confirmation."""

    password = forms.CharField(label="Your current password", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirmation = forms.CharField(label=f"Type “{DELETE_CONFIRMATION}” to confirm", max_length=40,
                                   widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def clean_confirmation(self):
        typed = " ".join(self.cleaned_data["confirmation"].split()).lower()
        if typed != DELETE_CONFIRMATION:
            raise forms.ValidationError(f"Type “{DELETE_CONFIRMATION}” exactly, so we know you mean it.")
        return typed
