"""The directory's forms: the search a person narrows, and the admin's CSV upload."""
from django import forms

from .models import DIMENSIONS, Category, Cost

ANY = [("", "Any")]


class SearchForm(forms.Form):
    """Every part is optional: an empty search lists the whole directory."""

    q = forms.CharField(label="Search by name, place or words", required=False, max_length=200)
    dimension = forms.ChoiceField(label="Part of life", required=False, choices=ANY + list(DIMENSIONS.items()))
    category = forms.ChoiceField(label="Kind of service", required=False, choices=ANY + Category.choices)
    cost = forms.ChoiceField(label="Cost", required=False, choices=ANY + Cost.choices)
    online = forms.ChoiceField(label="Online or in person", required=False,
                               choices=ANY + [("online", "Online"), ("in_person", "In person")])
    language = forms.ChoiceField(label="Language", required=False)

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = ANY + [(language, language) for language in languages]

    def search_terms(self) -> dict:
        """The parts that were understood; a part that was not (an old link's category, say) is left out."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"text": cleaned.get("q", ""), **{name: cleaned.get(name, "") for name in
                                                 ("dimension", "category", "cost", "online", "language")}}


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="One service per line, the column names on the first line.")
