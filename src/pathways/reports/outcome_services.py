"""Publishing an organisation's monthly outcomes report: made once the month has ended, the first time it is asked
for (an admin opening the outcomes page, or the worker's round), protected against the report before it, and
never changed after. A person's changed answer about being counted therefore shows from the next report on."""
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from pathways.people.models import Organisation
from pathways.people.time_zones import organisation_time_zone_name

from .models import OutcomeReport
from .outcome_selectors import programme_figures
from .outcomes import publish, threshold


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return first_of_month(month + timedelta(days=31))


def previous_month(month: date) -> date:
    return first_of_month(month - timedelta(days=1))


def last_ended_month(organisation: Organisation, *, today: date | None = None) -> date | None:
    """The month the organisation's newest report covers: the one before today's, on its clock. None while its
    own first month is still running."""
    zone = ZoneInfo(organisation_time_zone_name(organisation))
    today = today or timezone.localdate(timezone=zone)
    month = previous_month(first_of_month(today))
    return month if month >= first_of_month(timezone.localtime(organisation.created_at, zone).date()) else None


def outcome_report_publish_due(*, organisation: Organisation, today: date | None = None) -> OutcomeReport | None:
    """The organisation's newest report, made now if its month has ended and nobody asked for it before."""
    month = last_ended_month(organisation, today=today)
    if month is None:
        return None
    return (OutcomeReport.objects.filter(organisation=organisation, month=month).first()
            or _publish(organisation, month))


def _publish(organisation: Organisation, month: date) -> OutcomeReport:
    # The figures are counted before the transaction: on SQLite a write transaction holds the database's one
    # write lock, and counting a large programme takes a moment.
    previous = OutcomeReport.objects.filter(organisation=organisation, month__lt=month).order_by("-month").first()
    figures = programme_figures(organisation=organisation, as_of=next_month(month))
    min_count = threshold()
    publication = publish(figures, min_count=min_count, previous_cells=previous.cells if previous else None,
                          previous_counts=previous.counts if previous else None)
    try:
        with transaction.atomic():
            return OutcomeReport.objects.create(
                organisation=organisation, month=month, cells=publication.cells, counts=publication.counts,
                measures=publication.measures, threshold=min_count,
                counted_by_default=organisation.statistics_by_default)
    except IntegrityError:  # made by another request a moment ago: that one stands
        return OutcomeReport.objects.get(organisation=organisation, month=month)


def outcome_reports_publish_due() -> int:
    """The worker's round: each programme's report for the month just ended, if not made yet; how many were made.

    Only programmes without a report for the month that ended on the site's clock are looked at one by one, so
    the round costs one query once every report is made. A programme whose clock is ahead of the site's gets its
    report when its admin opens the page, or a few hours later here."""
    site_month = previous_month(first_of_month(timezone.localdate()))
    waiting = (Organisation.objects.filter(is_personal=False, created_at__date__lt=first_of_month(timezone.localdate()))
               .exclude(pk__in=OutcomeReport.objects.filter(month__gte=site_month).values("organisation")))
    made = 0
    for organisation in waiting:
        month = last_ended_month(organisation)
        if month is not None and not OutcomeReport.objects.filter(organisation=organisation, month=month).exists():
            _publish(organisation, month)
            made += 1
    return made
