"""The programme outcomes an organisation published, one report a month, frozen once made.

A report holds de-identified numbers only: counts of people or events and means over people, each under a stable
key (pathways.reports.outcomes), with the words that name its measures, and the counts as they were before any was
withheld, kept for the next report's protection and never shown. Nothing in it refers to a person, so
records that are exported or deleted with an account never need to look here.
"""
from django.db import models
from django.utils import timezone

from pathways.people.models import Organisation


class OutcomeReport(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the last month the report covers.")
    # key -> the number published, or None where it is withheld (a small count, or one that would reveal it)
    cells = models.JSONField(default=dict)
    # key -> the count before anything was withheld. Never shown: the next month's report is checked against
    # this one with it, since only the counts say which withheld cells kept their value from one month to the
    # next (pathways.reports.suppression). Counts of people and events only, like the cells.
    counts = models.JSONField(default=dict)
    # The measures of change in the order shown: key, words, unit, and what "about the same" means.
    measures = models.JSONField(default=list)
    threshold = models.PositiveSmallIntegerField(help_text="Counts below this were withheld.")
    # Whether people who had not said either way were counted, as the organisation had chosen when it was made.
    counted_by_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="one_outcome_report_a_month")]
        ordering = ["organisation", "month"]

    def __str__(self) -> str:
        return f"Outcomes of {self.organisation} to {self.month:%B %Y}"
