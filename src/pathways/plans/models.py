"""The recovery plan a person owns, and every part of it."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from pathways.vault.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField

LONG_TEXT = 4000
SHORT_TEXT = 200


class Dimension(models.TextChoices):
    """SAMHSA's four dimensions of recovery."""

    HEALTH = "health", "Health"
    HOME = "home", "Home"
    PURPOSE = "purpose", "Purpose"
    COMMUNITY = "community", "Community"


class Pathway(models.TextChoices):
    """Ways people recover; a person may combine several and change them at any time."""

    ABSTINENCE = "abstinence", "Abstinence"
    MODERATION = "moderation", "Moderation"
    HARM_REDUCTION = "harm_reduction", "Harm reduction"
    MEDICATION = "medication", "Medication-supported recovery"
    MUTUAL_AID_12_STEP = "mutual_aid_12_step", "Mutual aid: 12-step"
    MUTUAL_AID_SMART = "mutual_aid_smart", "Mutual aid: SMART Recovery"
    MUTUAL_AID_OTHER = "mutual_aid_other", "Mutual aid: another group"
    FAITH_BASED = "faith_based", "Faith-based recovery"
    NATURAL = "natural", "Natural recovery (on my own terms)"
    OTHER = "other", "Something else, in my own words"


class Plan(models.Model):
    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan")
    recovery_meaning = EncryptedTextField("What recovery means to me", blank=True, max_length=LONG_TEXT)
    # The person's own plan for the moment after a lapse, shown back to them when they note one.
    lapse_what_i_will_do = EncryptedTextField("If I use or lapse, what I'll do", blank=True, max_length=LONG_TEXT)
    lapse_who_i_will_tell = EncryptedTextField("Who I'll tell", blank=True, max_length=LONG_TEXT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Plan of {self.person}"


class PlanPathway(models.Model):
    """One pathway the person chose, with when it started and (if changed) when it ended."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pathways")
    pathway = models.CharField(max_length=30, choices=Pathway.choices)
    in_my_words = EncryptedCharField(max_length=SHORT_TEXT, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "pathway"], condition=models.Q(ended_at__isnull=True),
                                    name="one_current_choice_per_pathway"),
        ]


class StrengthKind(models.TextChoices):
    MINE = "mine", "My strengths"
    FAMILY = "family", "Strengths of my family"
    COMMUNITY = "community", "Strengths of my community"


class Strength(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strengths")
    kind = models.CharField(max_length=20, choices=StrengthKind.choices, default=StrengthKind.MINE)
    text = EncryptedCharField(max_length=SHORT_TEXT)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Working on it"
    PAUSED = "paused", "Paused for now"
    ACHIEVED = "achieved", "Achieved"
    LET_GO = "let_go", "Let go"


RULER = [MinValueValidator(0), MaxValueValidator(10)]


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    title = EncryptedCharField(max_length=SHORT_TEXT)
    why_it_matters = EncryptedTextField("Why this matters to me", blank=True, max_length=LONG_TEXT)
    importance = models.PositiveSmallIntegerField(null=True, blank=True, validators=RULER)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True, validators=RULER)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    # When the goal was marked achieved, while it is; the programme's outcomes count achieved goals by month by it
    # (`updated_at` moves with any later edit, and the history's details are encrypted).
    achieved_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(importance__lte=10), name="importance_at_most_10"),
            models.CheckConstraint(condition=models.Q(confidence__lte=10), name="confidence_at_most_10"),
        ]

    def __str__(self) -> str:
        return self.title


class StepStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class Step(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = EncryptedCharField(max_length=SHORT_TEXT)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=StepStatus.choices, default=StepStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Win(models.Model):
    """Something that went well: a completed step, or anything the person wants to remember."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="wins")
    text = EncryptedCharField(max_length=SHORT_TEXT)
    step = models.OneToOneField(Step, on_delete=models.SET_NULL, null=True, blank=True, related_name="win")
    occurred_on = models.DateField(default=timezone.localdate)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-created_at", "-pk"]


class PlanChange(models.Model):
    """One entry in the plan's history: who changed what, and when. Written with the change itself."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    summary = EncryptedCharField(max_length=400)
    details = EncryptedJSONField(default=dict, blank=True)
    # Who suggested an accepted or declined change, by reference: when that account is deleted the suggestion
    # names "someone who has left", and the history follows without its text being rewritten.
    suggestion = models.ForeignKey("Suggestion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]

    @property
    def described(self) -> str:
        """The summary as the history shows it, with who suggested the change where someone did."""
        if self.suggestion_id is None:
            return self.summary
        return f"{self.summary} (suggested by {self.suggestion.author_name})"


class SuggestionKind(models.TextChoices):
    GOAL = "goal", "a goal"
    STEP = "step", "a step"


class SuggestionStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for the person"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Suggestion(models.Model):
    """A goal or step a supporter proposes. It changes nothing until the person accepts it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="suggestions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = EncryptedCharField(max_length=150)
    kind = models.CharField(max_length=10, choices=SuggestionKind.choices)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions")
    dimension = models.CharField(max_length=20, choices=Dimension.choices, blank=True)
    text = EncryptedCharField(max_length=SHORT_TEXT)
    why = EncryptedTextField(blank=True, max_length=LONG_TEXT)
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.WAITING)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class SavedService(models.Model):
    """A service from the organisation's directory that the person keeps in their plan, with a note if they like."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="saved_services")
    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    note = EncryptedCharField(max_length=SHORT_TEXT, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "service"], name="save_a_service_once")]
