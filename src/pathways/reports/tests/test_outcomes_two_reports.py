"""A small programme in the database, two consecutive monthly reports, and an attacker who holds both: no withheld
count of either can be worked out, not from one report's totals, nor from the two side by side, even though one
person said no between them and so dropped out of every figure they were in."""
from datetime import date

import pytest

from pathways.people.models import Membership, Role
from pathways.people.statistics import statistics_choice_set
from pathways.reports.outcome_selectors import programme_figures
from pathways.reports.outcome_services import outcome_report_publish_due
from pathways.reports.outcomes import counts_and_sums
from pathways.reports.suppression import Sum, recoverable

from .outcome_world import check_in, people_join, programme_since, rate_health

AUG, SEP, OCT, NOV = (date(2026, month, 1) for month in (8, 9, 10, 11))


def published_counts(report) -> dict:
    return {key: report.cells[key] for key in report.counts}


def sums_of(report) -> list[Sum]:
    """The sums of the report, as the figures it was made from tie its keys (the attacker knows them: every key
    and how keys add up is the same from month to month)."""
    _, sums = counts_and_sums(programme_figures(organisation=report.organisation,
                                                as_of=date(report.month.year + report.month.month // 12,
                                                           report.month.month % 12 + 1, 1)))
    return sums


def both_reports(first, second, first_sums, second_sums, *, threshold):
    """Everything the two reports tell together. A count that kept its value is one unknown in both; one that
    moved by less than the threshold is taken to be known to have moved, and which way, so the move itself is an
    unknown of at least 1 (the strongest attacker the suppression promises to withstand)."""
    kept = {key for key, count in first.counts.items() if second.counts.get(key) == count}

    def name(which, key):
        return ("kept", key) if key in kept else (which, key)

    published, sums = {}, []
    for which, report, report_sums in (("first", first, first_sums), ("second", second, second_sums)):
        for key in report.counts:
            value = report.cells[key]
            assert published.get(name(which, key), value) == value, f"{key} kept its count but not how it is shown"
            published[name(which, key)] = value
        sums += [Sum(name(which, s.total), tuple(name(which, part) for part in s.parts)) for s in report_sums]
    for key in first.counts.keys() & second.counts.keys() - kept:
        before, after = first.counts[key], second.counts[key]
        if abs(after - before) < threshold:
            published[("moved", key)] = None
            higher, lower = (("second", key), ("first", key)) if after > before else (("first", key), ("second", key))
            sums.append(Sum(higher, (lower, ("moved", key))))
    return published, sums


@pytest.fixture
def programme(db):
    """Since August: 30 people joined then (4 more who have not said, and 2 who said no, are not counted), 13 in
    September and 3 in October. Most check in on and off, and most rate their health again a month on."""
    organisation = programme_since(AUG)
    august = people_join(organisation, on=date(2026, 8, 4), count=30)
    people_join(organisation, on=date(2026, 8, 5), count=4, consent=None, prefix="unsaid")
    people_join(organisation, on=date(2026, 8, 6), count=2, consent=False, prefix="no")
    september = people_join(organisation, on=date(2026, 9, 8), count=13)
    october = people_join(organisation, on=date(2026, 10, 2), count=3)
    check_in(august, date(2026, 8, 10))
    check_in(august[:20], date(2026, 9, 12))
    check_in(august[:12], date(2026, 10, 14))
    check_in(august[25:], date(2026, 10, 20))  # back after a break of more than 30 days
    check_in(september, date(2026, 9, 9), date(2026, 9, 11))
    check_in(september[:9], date(2026, 10, 15))
    check_in(october, date(2026, 10, 3))
    rate_health(august + september, date(2026, 9, 9), 4)
    rate_health(august[:25], date(2026, 9, 28), 6)
    rate_health(august[25:], date(2026, 9, 28), 4)
    rate_health(september[:7], date(2026, 10, 16), 7)
    return organisation, august


def test_two_consecutive_reports_give_away_no_withheld_count_even_when_someone_leaves_between_them(programme):
    organisation, august = programme
    september = outcome_report_publish_due(organisation=organisation, today=date(2026, 10, 3))
    september_sums = sums_of(september)
    statistics_choice_set(person=august[0], answer=False)  # counted in September, in nothing from October on
    october = outcome_report_publish_due(organisation=organisation, today=date(2026, 11, 2))
    october_sums = sums_of(october)
    threshold = october.threshold

    assert september.month == SEP and october.month == OCT
    for report, report_sums in ((september, september_sums), (october, october_sums)):
        assert [key for key, count in report.counts.items() if 0 < count < threshold and report.cells[key] is not None] \
            == []
        assert recoverable(published_counts(report), report_sums, threshold=threshold) == set()

    # The one person who said no left every August figure one smaller; none of those may show both ways.
    assert september.cells["month:2026-08:enrolled"] == 30
    assert october.counts["month:2026-08:enrolled"] == 29
    assert october.cells["month:2026-08:enrolled"] is None
    for key in september.counts.keys() & october.counts.keys():
        shown = september.cells[key], october.cells[key]
        if None not in shown and shown[0] != shown[1]:
            assert abs(shown[1] - shown[0]) >= threshold, key

    published, sums = both_reports(september, october, september_sums, october_sums, threshold=threshold)
    assert recoverable(published, sums, threshold=threshold) == set()
    assert any(value is None for value in published.values())  # there was something to protect
    assert Membership.objects.filter(organisation=organisation, role=Role.PERSON).count() == 52
