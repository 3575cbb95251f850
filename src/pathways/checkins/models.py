"""What a person records about their days: daily check-ins, the use log, recovery check-ins, questionnaires,
the urge log."""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from pathways.vault.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField

from . import questionnaires, warning_rules

NOTE_LENGTH = 4000


class Answer(models.TextChoices):
    """A yes/no item that can also be declined; an empty value means the item was skipped."""

    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class SelfHarmAnswer(models.TextChoices):
    NO = "no", "No"
    SOME = "some", "Some passing thoughts"
    YES = "yes", "Yes, strong thoughts"
    PREFER_NOT = "prefer_not", "Prefer not to say"


def scale(low: int, high: int):
    return [MinValueValidator(low), MaxValueValidator(high)]


class DailyCheckIn(models.Model):
    """One per person per day. Every item may be skipped (empty) or declined (listed in `declined`)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_checkins")
    day = models.DateField()
    backfilled = models.BooleanField(default=False, help_text="Filled in on a later day than the one it is about.")
    mood = models.PositiveSmallIntegerField(null=True, blank=True, validators=scale(1, 5))
    cravings = models.PositiveSmallIntegerField(null=True, blank=True, validators=scale(0, 10))
    sleep_hours = models.DecimalField(null=True, blank=True, max_digits=3, decimal_places=1,
                                      validators=[MinValueValidator(0), MaxValueValidator(24)])
    sleep_quality = models.PositiveSmallIntegerField(null=True, blank=True, validators=scale(1, 5))
    energy = models.PositiveSmallIntegerField(null=True, blank=True, validators=scale(1, 5))
    hungry = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    angry = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    lonely = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    tired = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    connected = models.CharField("talked with someone who supports me", max_length=12, choices=Answer.choices,
                                 blank=True)
    self_care = models.CharField("did something kind for myself", max_length=12, choices=Answer.choices, blank=True)
    self_harm_thoughts = models.CharField(max_length=12, choices=SelfHarmAnswer.choices, blank=True)
    note = EncryptedTextField(blank=True, max_length=NOTE_LENGTH)
    declined = models.JSONField(default=list, blank=True, help_text="Items answered “prefer not to say”.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="one_daily_checkin_per_day")]

    @property
    def raises_risk(self) -> bool:
        """Thoughts of self-harm were reported: the safety plan should be offered at once."""
        return self.self_harm_thoughts in (SelfHarmAnswer.SOME, SelfHarmAnswer.YES)

    @property
    def risk_level(self) -> str:
        """The answer as a crisis-alert level ("some", "strong"), or "" when it shows no risk."""
        return {SelfHarmAnswer.SOME: "some", SelfHarmAnswer.YES: "strong"}.get(self.self_harm_thoughts, "")

    @property
    def is_hard_day(self) -> bool:
        """Strong cravings, the lowest two moods, or three of hungry, angry, lonely and tired.

        Skipped and declined answers never count towards one.
        """
        halt = sum(getattr(self, name) == Answer.YES for name in ("hungry", "angry", "lonely", "tired"))
        return (self.cravings is not None and self.cravings >= 7) or self.mood in (1, 2) or halt >= 3


class UseLog(models.Model):
    """The use part of a day's check-in, shaped by the person's pathways and shared separately."""

    checkin = models.OneToOneField(DailyCheckIn, on_delete=models.CASCADE, related_name="use")
    used = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    what = EncryptedCharField(max_length=200, blank=True)
    how_much = EncryptedCharField(max_length=200, blank=True)
    not_alone = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    naloxone_at_hand = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    tested_supply = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    doses_taken = models.PositiveSmallIntegerField(null=True, blank=True, validators=scale(0, 20))
    is_lapse = models.BooleanField(default=False, help_text="The person counts this as a lapse on their own terms.")
    what_was_happening = EncryptedTextField(blank=True, max_length=NOTE_LENGTH)
    what_i_learned = EncryptedTextField(blank=True, max_length=NOTE_LENGTH)
    # The two reflections above reach supporters who see the use log only when the person says so.
    reflection_shared = models.BooleanField(default=False)


class RecoveryCheckIn(models.Model):
    """The periodic check-in: CHIME processes and a self-rating of each dimension, with stored scores."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_checkins")
    taken_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField(default=dict, help_text="item id → 0..4, for the items answered")
    dimension_ratings = models.JSONField(default=dict, help_text="dimension → 0..10, for those rated")
    declined = models.JSONField(default=list, blank=True)
    process_scores = models.JSONField(default=dict, help_text="CHIME process → 0..100, or absent")

    class Meta:
        ordering = ["-taken_at", "-pk"]


class Questionnaire(models.Model):
    """A standard instrument an organisation loaded as a FHIR R4 Questionnaire, with its scoring rules."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="questionnaires", help_text="Empty: offered to everyone.")
    url = models.CharField(max_length=300)
    version = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200)
    resource = models.JSONField(help_text="The Questionnaire resource as loaded.")
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        # Two organisations may each load the same licensed instrument; each loads a version once.
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url", "version"], name="one_questionnaire_per_version",
                                    condition=models.Q(organisation__isnull=False)),
            models.UniqueConstraint(fields=["url", "version"], name="one_shared_questionnaire_per_version",
                                    condition=models.Q(organisation__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def definition(self) -> questionnaires.Definition:
        """The parsed questions and scoring rules (checked when loaded, so parsing again cannot fail)."""
        return questionnaires.parse(self.resource)


class QuestionnaireResponse(models.Model):
    """A person's answers, stored in the shape of a FHIR QuestionnaireResponse, with its score."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questionnaire_responses")
    authored_at = models.DateTimeField(default=timezone.now)
    resource = models.JSONField()
    score = models.JSONField(default=dict, help_text="total, subscales and label, as the questionnaire's rules give")
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-authored_at", "-pk"]


# The urge log: one entry each time the person notes an urge, in the moment or afterwards -----------------

class HowItWent(models.TextChoices):
    """How an urge turned out, in the person's own terms; none of them is a failure."""

    PASSED = "passed", "It passed"
    USED = "used", "I used"
    NOT_SURE = "not_sure", "Not sure yet"


class UrgeEntry(models.Model):
    """An urge the person noted. Every field but the person and the time can be left out."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="urge_entries")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField("when", default=timezone.now)
    where = EncryptedCharField(max_length=200, blank=True)
    strength = models.PositiveSmallIntegerField(null=True, blank=True, validators=scale(0, 10))
    what_i_did = EncryptedTextField(blank=True, max_length=NOTE_LENGTH)
    how_it_went = models.CharField(max_length=12, choices=HowItWent.choices, blank=True)
    note = EncryptedTextField(blank=True, max_length=NOTE_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["person", "occurred_at"], name="urge_entry_recent")]


# Early warning: the person's own signs by stage, their triggers, and the gentle notes rules raise -----

class Stage(models.TextChoices):
    """The stages relapse develops through (DESIGN.md §1), in the order they usually come."""

    EMOTIONAL = "emotional", "Emotional"
    MENTAL = "mental", "Mental"
    PHYSICAL = "physical", "Physical"


# The check-in patterns Pathways can watch for; `warning_rules.RULES` says what each one means.
WARNING_RULE_CHOICES = [(key, rule.title) for key, rule in warning_rules.RULES.items()]


class WarningSign(models.Model):
    """A sign the person knows in themselves, in their words, and what they will do when they notice it.

    A rule applies to the person only while one of their signs is watched by it (`watch`).
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warning_signs")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    sign = EncryptedCharField(max_length=200)
    what_i_will_do = EncryptedTextField(blank=True, max_length=NOTE_LENGTH)
    who_i_will_contact = EncryptedCharField(max_length=200, blank=True)
    watch = models.CharField("check-in pattern that watches for it", max_length=30, choices=WARNING_RULE_CHOICES,
                             blank=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.sign


class Trigger(models.Model):
    """Something that makes things harder for the person, and what helps them with it."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="triggers")
    trigger = EncryptedCharField(max_length=200)
    what_helps = EncryptedTextField(blank=True, max_length=NOTE_LENGTH)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.trigger


class EarlyWarningSetting(models.Model):
    """The person's choices about early warning that are not tied to one sign.

    Its row is also what a check and the sweep lock, so two of them never raise the same note twice.
    """

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="early_warning_setting")
    share_which_sign_with_supporters = models.BooleanField(
        default=False, help_text="Off: supporters with the early-warning grant are told only that a sign was noticed.")
    answer_hard_days = models.BooleanField(
        default=True, help_text="After a hard day's check-in, show my own coping steps and people to reach.")
    updated_at = models.DateTimeField(default=timezone.now)


class GentleNote(models.Model):
    """A gentle note raised when a rule noticed a pattern, with the answers that raised it."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gentle_notes")
    rule = models.CharField(max_length=30, choices=WARNING_RULE_CHOICES)
    fired_at = models.DateTimeField(default=timezone.now)
    explanation = EncryptedJSONField(default=dict, help_text="summary, the answers with their days, and facts")
    supporters_told = EncryptedJSONField(default=list, blank=True,
                                       help_text="Names of the supporters told that a sign was noticed, as they were.")
    sign_named_to_supporters = models.BooleanField(default=False)
    seen_at = models.DateTimeField(null=True, blank=True)
    # The notification that told the person, so seeing the note marks exactly that one read.
    notification = models.OneToOneField("notifications.Notification", on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="gentle_note")

    class Meta:
        ordering = ["-fired_at", "-pk"]
        indexes = [models.Index(fields=["person", "seen_at"], name="gentle_note_unseen"),
                   models.Index(fields=["person", "rule", "fired_at"], name="gentle_note_recent")]
