"""Tools for the hard hour, each the person's own: cost-benefit worksheets, the wellness toolbox and its lists,
the daily ticks, and the optional day counter. Everything the person writes is encrypted at rest."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from pathways.vault.fields import EncryptedCharField, EncryptedTextField

BOX_TEXT = 4000
ITEM_TEXT = 300


class CostBenefitWorksheet(models.Model):
    """Four boxes weighing using against changing, in the person's words; kept over time, newest first."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="cost_benefit_worksheets")
    # The id in the worksheet's address, so addresses reveal neither counts nor neighbours.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    using_gives = EncryptedTextField("What I get from using", blank=True, max_length=BOX_TEXT)
    using_costs = EncryptedTextField("What using costs me", blank=True, max_length=BOX_TEXT)
    changing_gives = EncryptedTextField("What I get from changing", blank=True, max_length=BOX_TEXT)
    changing_costs = EncryptedTextField("What changing costs me", blank=True, max_length=BOX_TEXT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    BOXES = ("using_gives", "using_costs", "changing_gives", "changing_costs")

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def boxes(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) for each box in order; an empty box gives an empty list."""
        return [(self._meta.get_field(name).verbose_name,
                 [line.strip() for line in getattr(self, name).splitlines() if line.strip()])
                for name in self.BOXES]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.BOXES)


class WellnessList(models.TextChoices):
    """The person's three lists: what keeps them well, what they do every day, and what helps when triggered."""

    TOOLBOX = "toolbox", "Things that keep me well"
    DAILY = "daily", "Every day"
    TRIGGERED = "triggered", "When I'm triggered"


class WellnessItem(models.Model):
    """One line on one of the person's lists, in the order they chose."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellness_items")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("list", max_length=12, choices=WellnessList.choices)
    text = EncryptedCharField(max_length=ITEM_TEXT)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["kind", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class DailyTick(models.Model):
    """The person ticked an "every day" item for one day. Only that: no streak, no count is kept or shown."""

    item = models.ForeignKey(WellnessItem, on_delete=models.CASCADE, related_name="ticks")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "day"], name="one_tick_per_item_and_day")]


class DayCounter(models.Model):
    """A count of days the person turned on, naming what it counts. Only the person changes it: nothing
    recorded elsewhere (a lapse in a check-in included) ever resets it."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_counter")
    what_it_counts = EncryptedCharField("What it counts", max_length=200)
    started_on = models.DateField("Counting from")
    show_on_plan = models.BooleanField("Show it on my plan too", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def days_on(self, today) -> int:
        return max((today - self.started_on).days, 0)
