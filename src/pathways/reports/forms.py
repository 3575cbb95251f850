"""The one form of the reports app: a person's answer about being counted in their programme's statistics."""
from django import forms

YES, NO, NOT_SAID = "yes", "no", "not_said"
ANSWERS = {YES: True, NO: False, NOT_SAID: None}
CHOOSE_ONE = "Choose one of the three answers. Nothing has changed yet."


class StatisticsChoiceForm(forms.Form):
    """Three answers, the person's current one already chosen, so nothing here is required of them: leaving the
    page changes nothing. What "not said" means depends on the programme's default, so its words do too."""

    answer = forms.ChoiceField(label="Count me in programme statistics?", widget=forms.RadioSelect,
                               error_messages={"required": CHOOSE_ONE, "invalid_choice": CHOOSE_ONE})

    def __init__(self, *args, counted_by_default: bool, **kwargs):
        super().__init__(*args, **kwargs)
        default = "you are counted" if counted_by_default else "you are not counted"
        self.fields["answer"].choices = [(YES, "Yes, count me"), (NO, "No, leave me out"),
                                         (NOT_SAID, f"I would rather not say ({default}, as the programme decides)")]

    @staticmethod
    def initial_for(answer: bool | None) -> dict:
        return {"answer": next(key for key, value in ANSWERS.items() if value is answer)}

    @property
    def chosen(self) -> bool | None:
        return ANSWERS[self.cleaned_data["answer"]]
