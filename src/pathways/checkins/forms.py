"""Check-in forms: every item is a tap, every item can be skipped or answered "prefer not to say"."""
from decimal import Decimal

from django import forms
from django.utils import timezone

from pathways.plans.forms import SubmissionKeyMixin
from pathways.plans.models import Dimension, Pathway

from .models import Answer, HowItWent, SelfHarmAnswer, Stage, Trigger, UrgeEntry, WarningSign
from .recovery_items import AGREEMENT, PROCESSES
from .warning_rules import RULES

PREFER_NOT = "prefer_not"
PREFER_NOT_CHOICE = (PREFER_NOT, "Prefer not to say")


class TapField(forms.ChoiceField):
    """A row of radio buttons that may be left alone, with "prefer not to say" always offered."""

    widget = forms.RadioSelect

    def __init__(self, *, label: str, choices, help_text: str = "", decline: bool = True, **kwargs):
        choices = list(choices) + ([PREFER_NOT_CHOICE] if decline else [])
        super().__init__(label=label, choices=choices, required=False, help_text=help_text, **kwargs)


def yes_no(label: str, help_text: str = "") -> TapField:
    return TapField(label=label, choices=[(Answer.YES, "Yes"), (Answer.NO, "No")], help_text=help_text)


SLEEP_CHOICES = [("3", "3 or less")] + [(str(h), str(h)) for h in range(4, 12)] + [("12", "12 or more")]


class DeclinableForm(forms.Form):
    """Turns the raw answers into values for the services, and a list of the items declined."""

    number_fields: dict[str, type] = {}
    text_fields: tuple[str, ...] = ()

    def values(self, names) -> dict:
        result = {}
        for name in names:
            value = self.cleaned_data.get(name)
            if name in self.text_fields:
                result[name] = value or ""
            elif name in self.number_fields:
                result[name] = self.number_fields[name](value) if value not in ("", None, PREFER_NOT) else None
            elif isinstance(value, bool):
                result[name] = value
            else:
                result[name] = "" if value in ("", None) else value
        return result

    def declined(self) -> list[str]:
        return [name for name, value in self.cleaned_data.items() if value == PREFER_NOT]


class DailyCheckInForm(DeclinableForm):
    number_fields = {"mood": int, "cravings": int, "sleep_hours": Decimal, "sleep_quality": int, "energy": int,
                     "doses_taken": int}
    text_fields = ("note", "what", "how_much", "what_was_happening", "what_i_learned")

    mood = TapField(label="How is my mood today?", choices=[
        ("1", "Very low"), ("2", "Low"), ("3", "Okay"), ("4", "Good"), ("5", "Very good")])
    cravings = TapField(label="Cravings today (0 none, 10 very strong)", choices=[(str(n), str(n)) for n in range(11)])
    sleep_hours = TapField(label="Hours I slept last night", choices=SLEEP_CHOICES)
    sleep_quality = TapField(label="How well I slept", choices=[
        ("1", "Very badly"), ("2", "Badly"), ("3", "Okay"), ("4", "Well"), ("5", "Very well")])
    energy = TapField(label="My energy", choices=[
        ("1", "Very low"), ("2", "Low"), ("3", "Okay"), ("4", "Good"), ("5", "High")])
    hungry = yes_no("Hungry")
    angry = yes_no("Angry or on edge")
    lonely = yes_no("Lonely")
    tired = yes_no("Tired")
    connected = yes_no("Did I talk with someone who supports me?")
    self_care = yes_no("Did I do something kind for myself?")
    self_harm_thoughts = TapField(label="Have I had thoughts of harming myself?", choices=[
        (SelfHarmAnswer.NO, "No"), (SelfHarmAnswer.SOME, "Some passing thoughts"),
        (SelfHarmAnswer.YES, "Yes, strong thoughts")],
        help_text="If yes, you will see your safety plan and people you can reach straight away.")
    note = forms.CharField(label="Anything else about today (optional)", required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    # The use log: which questions appear depends on the person's pathways.
    used = yes_no("Did I use today?")
    what = forms.CharField(label="What I used (optional)", required=False, max_length=200)
    how_much = forms.CharField(label="About how much (optional)", required=False, max_length=200)
    not_alone = yes_no("I was not alone")
    naloxone_at_hand = yes_no("Naloxone was at hand")
    tested_supply = yes_no("I tested my supply")
    doses_taken = TapField(label="Medication doses I took today", choices=[(str(n), str(n)) for n in range(5)])
    is_lapse = forms.BooleanField(label="Today included a lapse I want to note", required=False)
    what_was_happening = forms.CharField(label="What was happening (optional)", required=False, max_length=4000,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    what_i_learned = forms.CharField(label="What I learned, or might try next time (optional)", required=False,
                                     max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    reflection_shared = forms.BooleanField(
        label="Let supporters who see my use log read what I wrote about this lapse", required=False,
        help_text="Left unticked, these two answers stay with you, even for people you share your use log with.")

    DAY_ITEMS = ("mood", "cravings", "sleep_hours", "sleep_quality", "energy")
    HALT_ITEMS = ("hungry", "angry", "lonely", "tired")
    CARE_ITEMS = ("connected", "self_care", "self_harm_thoughts", "note")
    USE_ITEMS = ("used", "what", "how_much", "not_alone", "naloxone_at_hand", "tested_supply", "doses_taken",
                 "is_lapse", "what_was_happening", "what_i_learned", "reflection_shared")

    def __init__(self, *args, pathways: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.use_items = use_items_for(pathways)
        for name in set(self.USE_ITEMS) - set(self.use_items):
            del self.fields[name]

    def group(self, names):
        return [self[name] for name in names if name in self.fields]

    def day_fields(self):
        return self.group(self.DAY_ITEMS)

    def halt_fields(self):
        return self.group(self.HALT_ITEMS)

    def care_fields(self):
        return self.group(self.CARE_ITEMS)

    def use_fields(self):
        return self.group(self.USE_ITEMS)

    def answers(self) -> dict:
        return self.values(self.DAY_ITEMS + self.HALT_ITEMS + self.CARE_ITEMS)

    def use(self) -> dict:
        return self.values(self.use_items)


AMOUNT_PATHWAYS = {Pathway.MODERATION, Pathway.HARM_REDUCTION}


def use_items_for(pathways: set[str]) -> tuple[str, ...]:
    """The use-log questions that fit the person's pathways; nothing assumes abstinence."""
    items = ["used"]
    if pathways & AMOUNT_PATHWAYS:
        items += ["what", "how_much"]
    if Pathway.HARM_REDUCTION in pathways:
        items += ["not_alone", "naloxone_at_hand", "tested_supply"]
    if Pathway.MEDICATION in pathways:
        items += ["doses_taken"]
    return tuple(items) + ("is_lapse", "what_was_happening", "what_i_learned", "reflection_shared")


class RecoveryCheckInForm(DeclinableForm):
    """Fifteen CHIME items (0–4) and a 0–10 self-rating for each of the four dimensions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.number_fields = {}
        for process in PROCESSES:
            for item_id, wording in process.items:
                self.fields[item_id] = TapField(label=wording, choices=[(str(v), label) for v, label in AGREEMENT])
                self.number_fields[item_id] = int
        for dimension in Dimension:
            name = f"rate_{dimension.value}"
            self.fields[name] = TapField(label=f"{dimension.label}: how are things? (0 very hard, 10 very good)",
                                         choices=[(str(n), str(n)) for n in range(11)])
            self.number_fields[name] = int

    def sections(self):
        return [(process.name, [self[item_id] for item_id, _ in process.items]) for process in PROCESSES]

    def rating_fields(self):
        return [self[f"rate_{dimension.value}"] for dimension in Dimension]

    def answers(self) -> dict:
        return self.values([item_id for process in PROCESSES for item_id, _ in process.items])

    def dimension_ratings(self) -> dict:
        return {d.value: v for d in Dimension if (v := self.values([f"rate_{d.value}"])[f"rate_{d.value}"]) is not None}


# The urge log -------------------------------------------------------------------------------------------

TIME_INPUT = "%Y-%m-%dT%H:%M"  # what a datetime-local input sends and shows
URGE_FIELD_NAMES = ("occurred_at", "where", "strength", "what_i_did", "how_it_went", "note")


class UrgeForm(SubmissionKeyMixin, forms.Form):
    """Short enough for a hard moment: one tap for the strength, and everything else can wait or be left out."""

    strength = forms.TypedChoiceField(
        label="How strong is it (0 none, 10 very strong)", choices=[(str(n), str(n)) for n in range(11)],
        coerce=int, empty_value=None, required=False, widget=forms.RadioSelect)
    where = forms.CharField(label="Where I am, or was (optional)", required=False,
                            max_length=UrgeEntry._meta.get_field("where").max_length)
    what_i_did = forms.CharField(label="What I did, or am doing (optional)", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    how_it_went = forms.ChoiceField(label="How it went (optional)", choices=HowItWent.choices, required=False,
                                    widget=forms.RadioSelect,
                                    help_text="You can come back and add this later. Any answer is fine.")
    occurred_at = forms.DateTimeField(
        label="When", required=False, input_formats=[TIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=TIME_INPUT),
        help_text="Leave it as it is for now, or change it to when the urge came.",
        error_messages={"invalid": "Enter a date and time, or leave it as it is."})
    note = forms.CharField(label="Anything else (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, urge: UrgeEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if urge is not None:
            self.initial.update({name: getattr(urge, name) for name in URGE_FIELD_NAMES})
            self.initial["occurred_at"] = timezone.localtime(urge.occurred_at)
        elif not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))

    def urge_fields(self) -> dict:
        """The answers as the services take them: a skipped strength is None, skipped words are empty."""
        return {name: self.cleaned_data[name] for name in URGE_FIELD_NAMES}


# Early warning: the person's own plan ----------------------------------------------------------------

WATCH_CHOICES = [("", "No, just keep it in my plan")] + [(key, rule.title) for key, rule in RULES.items()]


class WarningSignForm(SubmissionKeyMixin, forms.ModelForm):
    stage = forms.ChoiceField(
        label="Stage", choices=Stage.choices, widget=forms.RadioSelect,
        help_text="Emotional: feelings and self-care slipping. Mental: part of me thinks about using. "
                  "Physical: moving towards using, or a lapse.",
        error_messages={"required": "Choose the stage this sign belongs to."})
    watch = forms.ChoiceField(
        label="Let my check-ins watch for this (optional)", choices=WATCH_CHOICES, required=False,
        help_text="If your daily check-ins show this pattern, you will see a gentle note with your own plan.")

    class Meta:
        model = WarningSign
        fields = ["stage", "sign", "what_i_will_do", "who_i_will_contact", "watch"]
        labels = {"sign": "The sign, in my own words", "what_i_will_do": "What I will do when I notice it (optional)",
                  "who_i_will_contact": "Whom I will contact (optional)"}
        help_texts = {"who_i_will_contact": "A name, and how to reach them if you like."}
        widgets = {"what_i_will_do": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"sign": {"required": "Write the sign in a few words, in any way that makes sense to you."}}

    def sign_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TriggerForm(SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = Trigger
        fields = ["trigger", "what_helps"]
        labels = {"trigger": "What makes things harder, in my own words", "what_helps": "What helps me with it (optional)"}
        widgets = {"what_helps": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"trigger": {"required": "Write the trigger in a few words."}}


class WatchForm(forms.Form):
    """Let a check-in pattern watch for one of the person's own signs."""

    sign = forms.TypedChoiceField(label="Which of my signs", coerce=int)

    def __init__(self, *args, signs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sign"].choices = [(sign.pk, sign.sign) for sign in signs]


class SharingForm(forms.Form):
    share_which_sign = forms.BooleanField(
        label="Tell them which sign it was", required=False,
        help_text="For example “sleeping less than usual”. They can then also read this plan, without changing it. "
                  "Your check-in answers are never shared this way.")
