"""From programme figures to published cells: stable keys, the sums between them, small counts withheld, means
withheld with the people they are over."""
from datetime import date

import pytest

from pathways.reports.outcome_figures import ChangeFigures, CohortFigures, MonthFigures, ProgrammeFigures
from pathways.reports.outcomes import change_key, counts_and_sums, joined_key, month_key, publish, retained_key
from pathways.reports.suppression import recoverable

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


def month(first: date, *, enrolled=30, active=40, steps_done=25, goals_achieved=12, lapses=14, returns=12):
    return MonthFigures(month=first, enrolled=enrolled, active=active, steps_done=steps_done,
                        goals_achieved=goals_achieved, lapses=lapses, returns=returns)


def change(measure="dimension:health", *, people=40, lower=12, same=13, higher=15, mean=0.8, cut_off=None):
    better, worse = cut_off or (None, None)
    return ChangeFigures(measure=measure, label="Health", scale="points out of 10", people=people,
                         mean_change=mean, lower=lower, same=same, higher=higher, same_within=1,
                         crossed_to_better=better, crossed_to_worse=worse)


def figures(months=None, cohorts=None, changes=None) -> ProgrammeFigures:
    return ProgrammeFigures(organisation_name="Harbour Lights", as_of=date(2026, 12, 1),
                            months=months if months is not None else [month(OCT), month(NOV)],
                            cohorts=cohorts if cohorts is not None else [
                                CohortFigures(month=OCT, joined=30, retained={3: None, 6: None, 12: None}),
                                CohortFigures(month=NOV, joined=30, retained={3: None, 6: None, 12: None})],
                            changes=changes if changes is not None else [change()])


def only_counts(cells: dict) -> dict:
    return {key: value for key, value in cells.items() if not key.endswith(":mean")}


def test_a_months_joiners_and_its_cohort_are_one_count_under_one_key():
    counts, _ = counts_and_sums(figures())
    assert counts[joined_key(OCT)] == counts[month_key(OCT, "enrolled")] == 30
    assert not any(key.startswith("cohort:") and key.endswith(":joined") for key in counts)


def test_every_sum_adds_up_and_every_rest_is_a_key_of_its_own():
    retained = CohortFigures(month=date(2026, 7, 1), joined=30, retained={3: 22, 6: None, 12: None})
    counts, sums = counts_and_sums(figures(
        months=[month(date(2026, 7, 1)), month(OCT, active=40)], cohorts=[retained],
        changes=[change(measure="questionnaire:barc", cut_off=(11, 3))]))
    for relation in sums:
        assert counts[relation.total] == sum(counts[part] for part in relation.parts)
    assert counts[retained_key(date(2026, 7, 1), 3, kept=False)] == 8
    assert counts[month_key(OCT, "active_not_in_cohorts")] == 40 - 22  # October's active, less July's retained
    assert counts[change_key("questionnaire:barc", "crossed_neither")] == 40 - 11 - 3


def test_small_counts_are_withheld_and_a_mean_goes_with_its_people():
    published = publish(figures(
        months=[month(OCT, enrolled=4)], cohorts=[CohortFigures(month=OCT, joined=4, retained={})],
        changes=[change(), change("dimension:home", people=8, lower=3, same=3, higher=2, mean=1.26)]), min_count=11)
    assert published.cells[month_key(OCT, "enrolled")] is None
    assert published.cells[change_key("dimension:home", "people")] is None
    assert published.cells[change_key("dimension:home", "mean")] is None
    assert published.cells[change_key("dimension:health", "people")] == 40
    assert published.cells[change_key("dimension:health", "mean")] == 0.8
    assert published.counts[month_key(OCT, "enrolled")] == 4  # kept for next month's check, never shown
    assert published.measures[1] == {"key": "dimension:home", "label": "Health", "scale": "points out of 10",
                                      "same_within": 1, "cut_off": False}


def test_one_person_who_stopped_is_not_given_away_by_two_large_counts():
    """12 joined and 11 still checking in three months on would say that one person stopped."""
    july = date(2026, 7, 1)
    found = figures(months=[month(july, enrolled=12), month(OCT, active=40)],
                    cohorts=[CohortFigures(month=july, joined=12, retained={3: 11, 6: None, 12: None})], changes=[])
    published = publish(found, min_count=11)
    assert published.cells[retained_key(july, 3, kept=False)] is None
    assert None in (published.cells[joined_key(july)], published.cells[retained_key(july, 3)])
    _, sums = counts_and_sums(found)
    assert recoverable(only_counts(published.cells), sums, threshold=11) == set()


@pytest.mark.parametrize("min_count", [5, 11, 20])
def test_every_count_from_one_to_below_the_threshold_is_withheld(min_count):
    published = publish(figures(months=[month(OCT, enrolled=min_count - 1, lapses=1, returns=0)]), min_count=min_count)
    assert published.cells[month_key(OCT, "enrolled")] is None
    assert published.cells[month_key(OCT, "lapses")] is None
    assert published.cells[month_key(OCT, "returns")] == 0  # nobody is not somebody: zeros are shown
    assert all(value is None or value == 0 or value >= min_count for value in only_counts(published.cells).values())


def test_when_the_report_before_gave_too_much_away_only_zeros_are_published():
    """Last month showed 20 people and 12 of them lower: the 8 left were given away then. This month nothing can
    keep them hidden, since what was shown must be shown again, so nothing but zeros is published."""
    found = figures(months=[], cohorts=[], changes=[change(people=20, lower=12, same=8, higher=0)])
    counts, _ = counts_and_sums(found)
    leaky = {**counts, change_key("dimension:health", "same"): None}
    published = publish(found, min_count=11, previous_cells=leaky, previous_counts=counts)
    assert only_counts(published.cells) == {key: 0 if count == 0 else None for key, count in counts.items()}
    assert published.cells[change_key("dimension:health", "mean")] is None


def test_a_split_shows_what_is_published_and_leaves_the_withheld_share_pale():
    from pathways.reports.outcome_charts import WITHHELD, splits

    chart = splits(chart_id="c", title="Change", rows=[("Health <b>", 40, (None, 20, None)), ("Home", None, (None,) * 3),
                                                       ("Purpose", 0, (0, 0, 0))])
    assert chart.summary == ("Health <b>: 50% about the same, 50% withheld. Home: withheld. "
                             "Purpose: nobody has answered twice yet.")
    assert f'fill="{WITHHELD}"' in chart.svg and "50%" in chart.svg
    assert "Health &lt;b&gt;" in chart.svg and "<b>" not in chart.svg
