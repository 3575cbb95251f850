"""The resource directory: services an organisation curates (housing, work, money, mutual aid, treatment,
harm reduction, counselling, family support), searched by the people it supports and saved to their plans.

A service is the organisation's public information, not anyone's personal data, so nothing here is encrypted.
"""
import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

NAME_LENGTH = 200
DESCRIPTION_LENGTH = 2000
SHORT_LENGTH = 200
PHONE_LENGTH = 40

# The four dimensions of recovery, by the same codes the plan uses (pathways.plans.models.Dimension, a layer
# above: a test keeps the two lists equal). Each is a column, so one query counts the services of every dimension.
DIMENSIONS = {"health": "Health", "home": "Home", "purpose": "Purpose", "community": "Community"}


class Category(models.TextChoices):
    HOUSING = "housing", "Housing"
    WORK_AND_TRAINING = "work_and_training", "Work and training"
    BENEFITS_AND_MONEY = "benefits_and_money", "Benefits and money"
    MUTUAL_AID = "mutual_aid", "Mutual-aid meetings"
    TREATMENT_AND_CLINICS = "treatment_and_clinics", "Treatment and clinics"
    NALOXONE_AND_HARM_REDUCTION = "naloxone_and_harm_reduction", "Naloxone and harm reduction"
    COUNSELLING = "counselling", "Counselling"
    FAMILY_SUPPORT = "family_support", "Family support"
    OTHER = "other", "Other"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    LOW_COST = "low_cost", "Low cost"
    PAID = "paid", "Paid"
    VARIES = "varies", "Cost varies"


class Service(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, related_name="directory")
    name = models.CharField(max_length=NAME_LENGTH)
    description = models.TextField(max_length=DESCRIPTION_LENGTH, blank=True)
    category = models.CharField(max_length=40, choices=Category.choices)
    serves_health = models.BooleanField(default=False)
    serves_home = models.BooleanField(default=False)
    serves_purpose = models.BooleanField(default=False)
    serves_community = models.BooleanField(default=False)
    languages = models.CharField(max_length=SHORT_LENGTH, blank=True, help_text="e.g. English, Spanish")
    cost = models.CharField(max_length=20, choices=Cost.choices, default=Cost.VARIES)
    online = models.BooleanField(default=False)
    phone = models.CharField(max_length=PHONE_LENGTH, blank=True)
    website = models.URLField(max_length=SHORT_LENGTH, blank=True)
    area = models.CharField("address or area", max_length=SHORT_LENGTH, blank=True)
    # For mutual aid above all: "12-step", "SMART Recovery", "secular", "women only".
    tradition = models.CharField("tradition or notes", max_length=SHORT_LENGTH, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # An import adds or updates by name, so a name means one service in its organisation.
            models.UniqueConstraint(Lower("name"), "organisation", name="one_service_per_name"),
            models.CheckConstraint(
                condition=models.Q(serves_health=True) | models.Q(serves_home=True) | models.Q(serves_purpose=True)
                | models.Q(serves_community=True),
                name="service_serves_a_dimension"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dimensions(self) -> list[str]:
        return [code for code in DIMENSIONS if getattr(self, f"serves_{code}")]

    @property
    def dimension_labels(self) -> list[str]:
        return [DIMENSIONS[code] for code in self.dimensions]

