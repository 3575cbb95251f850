from django import forms


class VisibilityForm(forms.Form):
    """The admin's Hide / Show button: which piece, and which way. A form, so a slug that is not one (a stray
    NUL byte, say) is refused here in words instead of reaching the database."""

    slug = forms.SlugField(max_length=100)
    action = forms.ChoiceField(choices=[("hide", "Hide"), ("show", "Show")])
