"""The forms of whole-record work: deleting an account, and bringing a record in from another Pathways."""
from django import forms

from .fhir_import import MAX_BYTES, BundleRefused, read_bundle

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


class RecordImportForm(forms.Form):
    """A FHIR bundle from another Pathways; `cleaned_data["file"]` is the bundle, read and validated."""

    file = forms.FileField(label="Your record file", help_text=f"The .json file from “Download my record for other "
                           f"health software”, up to {MAX_BYTES // (1024 * 1024)} MB.",
                           widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json,application/fhir+json"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB, more than any "
                                        "Pathways record. Check that it is the file you downloaded from Pathways.")
        try:
            return read_bundle(upload.read())
        except BundleRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
