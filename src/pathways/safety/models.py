"""The safety plan, an organisation's own local services, and crisis alerts (crisis lines ship as data)."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathways.vault.fields import EncryptedTextField

PLAN_TEXT = 4000


class SafetyPlan(models.Model):
    """A structured safety plan in the person's own words, one line per item."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan")
    warning_signs = EncryptedTextField("Signs that a crisis may be coming", blank=True, max_length=PLAN_TEXT)
    coping_on_my_own = EncryptedTextField("Things I can do on my own to cope", blank=True, max_length=PLAN_TEXT)
    distractions = EncryptedTextField("People and places that take my mind off things", blank=True,
                                    max_length=PLAN_TEXT)
    people_to_ask = EncryptedTextField("People I can ask for help", blank=True, max_length=PLAN_TEXT)
    professionals = EncryptedTextField("Professionals and services I can contact", blank=True, max_length=PLAN_TEXT)
    safer_surroundings = EncryptedTextField("How I can make my surroundings safer", blank=True, max_length=PLAN_TEXT)
    reasons_for_living = EncryptedTextField("My reasons for living", blank=True, max_length=PLAN_TEXT)
    updated_at = models.DateTimeField(default=timezone.now)

    SECTIONS = ("warning_signs", "coping_on_my_own", "distractions", "people_to_ask", "professionals",
                "safer_surroundings", "reasons_for_living")

    def sections(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) for each part, in order; empty parts give an empty list."""
        return [(self._meta.get_field(name).verbose_name, [line.strip() for line in getattr(self, name).splitlines()
                                                           if line.strip()]) for name in self.SECTIONS]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.SECTIONS)


class LocalService(models.Model):
    """A line an organisation adds for its own people, shown after the emergency number, in the order it chose."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, related_name="local_services")
    country = models.CharField(max_length=2, help_text="ISO 3166 country code, e.g. GB")
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    text = models.CharField("text message number", max_length=40, blank=True)
    website = models.URLField(blank=True)
    hours = models.CharField(max_length=120, blank=True)
    last_checked = models.DateField(default=timezone.localdate)
    position = models.PositiveIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "pk"]


class RiskLevel(models.TextChoices):
    """How strongly an answer suggests risk; an alert goes out each time a day's answers rise a level."""

    SOME = "some", "some signs of risk"
    STRONG = "strong", "strong signs of risk"


RISK_RANK = {"": 0, RiskLevel.SOME: 1, RiskLevel.STRONG: 2}


class CrisisAlert(models.Model):
    """An answer showed risk at a higher level than earlier that day: who was told, so the person can see it."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crisis_alerts")
    raised_at = models.DateTimeField(default=timezone.now)
    day = models.DateField(default=timezone.localdate, help_text="The person's own date when it was raised.")
    level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.SOME)
    source = models.CharField(max_length=200, default="daily check-in")
    notified = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    # The id in the alert's page address, so addresses reveal neither counts nor neighbours.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Escalation (safety/escalation.py): the last round of the circle told, and when the next is due if nobody
    # has answered by then. Empty once somebody answers or nobody is left to tell.
    round = models.PositiveSmallIntegerField(default=1)
    next_round_at = models.DateTimeField(null=True, blank=True, db_index=True)
    on_duty_told = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["person", "day"], name="crisis_alert_day")]


class AlertResponse(models.Model):
    """A supporter told about an alert said "I'm reaching out"; the person sees who, as it happens."""

    alert = models.ForeignKey(CrisisAlert, on_delete=models.CASCADE, related_name="responses")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_responses")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["alert", "supporter"], name="one_response_per_supporter")]
