"""Withheld counts stay withheld: each rule of reports.suppression, then random programmes attacked.

The property tests draw programmes shaped like the outcomes report (monthly rows, cohorts followed at 3, 6
and 12 months, distributions of change and of crossing a cut-off), with small counts often so that
suppression has work to do, and attack what `protect` publishes three ways: with `recoverable` (linear
programmes), with exact fractions (a withheld cell fixed by the sums alone), and with whole numbers (mixed
integer programmes, sharper than the linear attacker `protect` checks itself against). Two consecutive
monthly reports are attacked together, each cell that kept its value being one unknown in both.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from pathways.reports.suppression import Sum, SuppressionError, protect, recoverable

# --- the rules, one at a time ------------------------------------------------------------------------------------


def test_counts_below_the_threshold_are_withheld_and_zeros_and_larger_counts_shown():
    counts = {"none": 0, "one": 1, "ten": 10, "eleven": 11, "many": 250}
    assert protect(counts, [], threshold=11) == {"none": 0, "one": None, "ten": None, "eleven": 11, "many": 250}


def test_a_withheld_part_of_a_published_total_takes_its_smallest_neighbour_with_it():
    counts = {"people": 45, "lower": 5, "same": 15, "higher": 25}
    published = protect(counts, [Sum("people", ("lower", "same", "higher"))], threshold=11)
    assert published == {"people": 45, "lower": None, "same": None, "higher": 25}


def test_equal_candidates_are_settled_by_their_place_in_the_report():
    counts = {"people": 37, "lower": 3, "same": 17, "higher": 17}
    sums = [Sum("people", ("lower", "same", "higher"))]
    assert protect(counts, sums, threshold=11) == {"people": 37, "lower": None, "same": None, "higher": 17}
    reordered = {"people": 37, "lower": 3, "higher": 17, "same": 17}
    assert protect(reordered, sums, threshold=11) == {"people": 37, "lower": None, "higher": None, "same": 17}


def test_a_zero_is_never_withheld_to_protect_another_cell():
    # withheld cells are said to be at least 1, so the zero stays shown and the next smallest count goes
    counts = {"joined": 15, "retained": 14, "not_retained": 1, "left_early": 0}
    sums = [Sum("joined", ("retained", "not_retained", "left_early"))]
    assert protect(counts, sums, threshold=11) == {"joined": 15, "retained": None, "not_retained": None,
                                                   "left_early": 0}


def test_the_same_figure_shown_twice_is_withheld_twice():
    counts = {"enrolled_march": 4, "joined_march_cohort": 4}
    sums = [Sum("enrolled_march", ("joined_march_cohort",))]
    assert protect(counts, sums, threshold=11) == {"enrolled_march": None, "joined_march_cohort": None}


def test_a_cell_pinned_by_the_sums_is_found():
    published = {"people": 30, "lower": None, "same": 12, "higher": 13}
    assert recoverable(published, [Sum("people", ("lower", "same", "higher"))], threshold=11) == {"lower"}


def test_a_cell_pinned_only_because_withheld_counts_are_at_least_one_is_found():
    # a + b = 2 leaves the sums one free direction, but a and b are both at least 1: both are 1
    published = {"total": 13, "a": None, "b": None, "c": 11}
    assert recoverable(published, [Sum("total", ("a", "b", "c"))], threshold=11) == {"a", "b"}


def test_a_range_of_two_values_is_too_narrow_and_three_is_enough():
    sums = [Sum("total", ("a", "b", "c"))]
    assert recoverable({"total": 14, "a": None, "b": None, "c": 11}, sums, threshold=11) == {"a", "b"}
    assert recoverable({"total": 15, "a": None, "b": None, "c": 11}, sums, threshold=11) == set()
    assert recoverable({"total": 15, "a": None, "b": None, "c": 11}, sums, threshold=11, narrower_than=3) == {"a", "b"}


def test_a_withheld_cell_in_no_sum_is_never_recoverable():
    assert recoverable({"lapses": None, "returns": 0}, [], threshold=11) == set()


def test_a_withheld_total_of_withheld_parts_is_safe_however_the_parts_are_nested():
    # every withheld count can be doubled together with the others: nothing can be pinned
    sums = [Sum("all", ("left", "right")), Sum("left", ("a", "b")), Sum("right", ("c",))]
    assert recoverable(dict.fromkeys(["all", "left", "right", "a", "b", "c"]), sums, threshold=11) == set()


def test_sums_that_each_leave_two_unknowns_can_pin_them_together():
    # a + w, w + v and a + v are each a sum of two withheld counts; the three together fix all of them
    published = {"T": 24, "S": 22, "U": 20, "a": None, "w": None, "v": None}
    sums = [Sum("T", ("a", "w")), Sum("S", ("w", "v")), Sum("U", ("a", "v"))]
    assert recoverable(published, sums, threshold=11) == {"a", "w", "v"}
    counts = {"T": 24, "S": 22, "U": 20, "a": 11, "w": 13, "v": 9}
    assert protect(counts, sums, threshold=11) == {"T": 24, "S": 22, "U": None, "a": None, "w": None, "v": None}


@pytest.mark.parametrize("counts, sums, message", [
    ({"a": -1}, [], "whole numbers"),
    ({"a": 2.5}, [], "whole numbers"),
    ({"total": 12, "a": 11}, [Sum("total", ("a",))], "do not add up"),
    ({"total": 12}, [Sum("total", ("a",))], "not in the report"),
])
def test_a_report_that_cannot_be_true_is_refused_with_a_reason(counts, sums, message):
    with pytest.raises(ValueError, match=message):
        protect(counts, sums, threshold=11)


def test_a_threshold_below_two_protects_nothing_and_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        protect({"a": 1}, [], threshold=1)


@pytest.mark.parametrize("published, parts, message", [
    ({"total": 12, "a": 3}, ("a",), "below the threshold"),
    ({"total": 12, "a": 15}, ("a",), "do not add up"),
    ({"total": 12, "a": None, "b": None, "c": 12}, ("a", "b", "c"), "contradict"),  # a + b = 0, yet zeros are shown
    ({"total": 12, "b": None}, ("a", "b"), "not in the report"),
])
def test_the_attacker_refuses_figures_that_cannot_have_been_published(published, parts, message):
    with pytest.raises(ValueError, match=message):
        recoverable(published, [Sum("total", parts)], threshold=11)


# --- the rules between two monthly reports -----------------------------------------------------------------------

DISTRIBUTION = [Sum("people", ("lower", "same", "higher"))]


def test_an_unchanged_published_cell_stays_published_even_where_it_would_be_the_cheaper_complement():
    previous = {"people": 60, "lower": 20, "same": 15, "higher": 25}
    counts = {"people": 62, "lower": 20, "same": 15, "higher": 27}  # two more people, both doing better
    published = protect(counts, DISTRIBUTION, threshold=11, previous=previous, previous_counts=previous)
    # people and higher moved by 2 and are withheld; same (15) is already public, lower (20) is not needed
    assert published == {"people": None, "lower": 20, "same": 15, "higher": None}


def test_an_unchanged_withheld_cell_stays_withheld_when_it_is_no_longer_needed():
    before = {"people": 45, "lower": 5, "same": 15, "higher": 25}
    shown = protect(before, DISTRIBUTION, threshold=11)
    assert shown["same"] is None  # withheld to protect lower
    counts = {"people": 56, "lower": 16, "same": 15, "higher": 25}
    published = protect(counts, DISTRIBUTION, threshold=11, previous=shown, previous_counts=before)
    assert published["same"] is None, "shown now, it would give lower's earlier value away"
    assert recoverable(published, DISTRIBUTION, threshold=11) == set()


def test_a_cell_that_moved_by_less_than_the_threshold_is_withheld_and_by_more_is_shown():
    previous = {"active_march": 40, "returns_march": 20}
    counts = {"active_march": 39, "returns_march": 31}  # someone withdrew their consent; late check-ins came
    published = protect(counts, [], threshold=11, previous=previous, previous_counts=previous)
    assert published == {"active_march": None, "returns_march": 31}


def test_without_the_earlier_raw_counts_a_withheld_cell_stays_withheld_and_moved_cells_follow_the_rules():
    previous = {"people": 45, "lower": None, "same": None, "higher": 25, "gone": None}
    counts = {"people": 56, "lower": 16, "same": 15, "higher": 25, "gone": 0}
    published = protect(counts, DISTRIBUTION, threshold=11, previous=previous)
    assert published == {"people": 56, "lower": None, "same": None, "higher": 25, "gone": 0}


def test_two_reports_that_each_hide_a_count_but_together_pin_it_are_caught():
    # T = a + w and S = w + v. Before: a is at most 10 (T is 11). Now: w is at most 21 (S is 22), so a is at
    # least 10 (T is 31). Each report alone leaves a wide open; together a is 10 exactly.
    sums = [Sum("T", ("a", "w")), Sum("S", ("w", "v"))]
    before = {"T": 11, "a": 10, "w": 1, "S": 22, "v": 21}
    earlier = protect(before, sums, threshold=11)
    assert earlier == {"T": 11, "a": None, "w": None, "S": 22, "v": None}
    counts = {"T": 31, "a": 10, "w": 21, "S": 22, "v": 1}
    rules_only = protect(counts, sums, threshold=11, previous=earlier)
    assert rules_only["T"] == 31 and a_is_pinned_by(earlier, rules_only, before, counts, sums)
    checked = protect(counts, sums, threshold=11, previous=earlier, previous_counts=before)
    assert checked["T"] is None and not a_is_pinned_by(earlier, checked, before, counts, sums)


def a_is_pinned_by(earlier, now, before, counts, sums):
    published, relations = joined_reports(earlier, before, now, counts, sums, threshold=11)
    return ("both", "a") in recoverable(published, relations, threshold=11)


def test_a_raised_threshold_withholds_what_is_small_now_though_what_was_published_stays_known():
    before = {"people": 24, "lower": 12, "higher": 12}
    sums = [Sum("people", ("lower", "higher"))]
    earlier = protect(before, sums, threshold=11)
    assert earlier == before
    assert protect(before, sums, threshold=15, previous=earlier, previous_counts=before) == {
        "people": 24, "lower": None, "higher": None}
    # people is now lower (12, known from before) and higher (0, shown): nothing left to withhold can hide it
    with pytest.raises(SuppressionError):
        protect({"people": 12, "lower": 12, "higher": 0}, sums, threshold=15, previous=earlier, previous_counts=before)


def test_the_earlier_raw_counts_must_match_what_was_published():
    with pytest.raises(ValueError, match="published as 12 but counted 13"):
        protect({"a": 13}, [], threshold=11, previous={"a": 12}, previous_counts={"a": 13})
    with pytest.raises(ValueError, match="key for key"):
        protect({"a": 13}, [], threshold=11, previous={"a": 12}, previous_counts={"a": 12, "b": 0})


def test_a_report_that_an_earlier_report_already_gave_away_is_refused_not_published():
    # made elsewhere, the earlier report showed people and lower, so higher was 23 - 12 = 11 for all to see
    sums = [Sum("people", ("lower", "higher"))]
    before = {"people": 23, "lower": 12, "higher": 11}
    earlier = {"people": 23, "lower": 12, "higher": None}
    with pytest.raises(SuppressionError, match="whatever else is withheld"):
        protect(before, sums, threshold=11, previous=earlier, previous_counts=before)


# --- random programmes shaped like the outcomes report -----------------------------------------------------------

MONTH_FIGURES = ("enrolled", "active", "steps_done", "goals_achieved", "lapses", "returns")
RETENTION = (3, 6, 12)
small_counts = st.one_of(st.integers(0, 4), st.integers(0, 14), st.integers(0, 30))


@dataclass
class Programme:
    """The raw figures of one organisation: monthly rows, cohorts followed on, and distributions of change."""

    months: list[dict[str, int]]
    retained: list[dict[int, int]]  # per cohort: months after joining -> people still active (once ended)
    changes: list[dict[str, int]] = field(default_factory=list)  # lower, same, higher, better, worse


def report(programme: Programme):
    """The cells and sums the outcomes report publishes for a programme."""
    counts, sums = {}, []
    for m, row in enumerate(programme.months):
        counts.update({("month", m, name): row[name] for name in MONTH_FIGURES})
        joined = ("cohort", m, "joined")
        counts[joined] = row["enrolled"]
        sums.append(Sum(("month", m, "enrolled"), (joined,)))
        for k, retained in programme.retained[m].items():
            counts[("cohort", m, k, "retained")] = retained
            counts[("cohort", m, k, "not retained")] = row["enrolled"] - retained
            sums.append(Sum(joined, (("cohort", m, k, "retained"), ("cohort", m, k, "not retained"))))
    for j, change in enumerate(programme.changes):
        cell = {name: ("change", j, name) for name in ("people", "lower", "same", "higher", "better", "worse",
                                                       "neither")}
        people = change["lower"] + change["same"] + change["higher"]
        counts.update({cell[name]: change[name] for name in ("lower", "same", "higher", "better", "worse")})
        counts[cell["people"]] = people
        counts[cell["neither"]] = people - change["better"] - change["worse"]
        sums.append(Sum(cell["people"], (cell["lower"], cell["same"], cell["higher"])))
        sums.append(Sum(cell["people"], (cell["better"], cell["worse"], cell["neither"])))
    return counts, sums


@st.composite
def month_rows(draw):
    return {name: draw(small_counts) for name in MONTH_FIGURES}


@st.composite
def distributions(draw):
    change = {name: draw(small_counts) for name in ("lower", "same", "higher")}
    people = sum(change.values())
    change["better"] = draw(st.integers(0, people))
    change["worse"] = draw(st.integers(0, people - change["better"]))
    return change


def retention_after(months, programme_months, draw):
    """Each cohort's retention at every horizon whose month has ended by the end of the programme's months."""
    return [{k: draw(st.integers(0, row["enrolled"])) for k in RETENTION if m + k < programme_months}
            for m, row in enumerate(months)]


@st.composite
def programmes(draw):
    months = draw(st.lists(month_rows(), min_size=1, max_size=7))
    changes = draw(st.lists(distributions(), max_size=3))
    return Programme(months, retention_after(months, len(months), draw), changes)


@st.composite
def next_months(draw, programme: Programme):
    """The same programme a month on: one month more, newly ended retention, and small movements anywhere.

    Movements are what consent given or withdrawn and late entries do: a few figures up or down by 1 to 3,
    and people who answered again moving between the bins of a distribution.
    """
    months = [dict(row) for row in programme.months] + [draw(month_rows())]
    moved = draw(st.lists(st.tuples(st.integers(0, len(months) - 1), st.sampled_from(MONTH_FIGURES),
                                    st.sampled_from([-3, -2, -1, 1, 2, 3])), max_size=4))
    for m, name, step in moved:
        months[m][name] = max(0, months[m][name] + step)
    retained = []
    for m, row in enumerate(months):
        earlier = programme.retained[m] if m < len(programme.retained) else {}
        retained.append({k: min(row["enrolled"], earlier[k] if k in earlier else draw(st.integers(0, row["enrolled"])))
                         for k in RETENTION if m + k < len(months)})
    changes = []
    for change in programme.changes:
        change = dict(change)
        for name in draw(st.lists(st.sampled_from(["lower", "same", "higher"]), max_size=3)):
            change[name] += draw(st.integers(1, 3))  # people whose latest answer now counts
        people = change["lower"] + change["same"] + change["higher"]
        change["better"] = min(change["better"], people)
        change["worse"] = min(change["worse"], people - change["better"])
        changes.append(change)
    return replace(programme, months=months, retained=retained, changes=changes)


thresholds = st.sampled_from([4, 6, 11])


@settings(max_examples=60, deadline=None)
@given(programme=programmes(), threshold=thresholds)
def test_no_withheld_count_of_one_report_can_be_worked_out(programme, threshold):
    counts, sums = report(programme)
    published = protect(counts, sums, threshold=threshold)

    assert all(shown == counts[key] for key, shown in published.items() if shown is not None)
    assert all(shown == 0 or shown >= threshold for shown in published.values() if shown is not None)
    assert all(1 <= counts[key] for key, shown in published.items() if shown is None), "zeros are shown"
    assert recoverable(published, sums, threshold=threshold) == set()
    assert not fixed_by_the_sums(published, sums), "a withheld cell follows from the sums alone"
    assert not pinned_in_whole_numbers(published, sums)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), threshold=thresholds)
def test_two_consecutive_reports_together_give_no_withheld_count_away(data, threshold):
    programme = data.draw(programmes())
    before, sums_before = report(programme)
    counts, sums = report(data.draw(next_months(programme)))
    earlier = protect(before, sums_before, threshold=threshold)
    now = protect(counts, sums, threshold=threshold, previous=earlier, previous_counts=before)

    assert all(shown == 0 or shown >= threshold for shown in now.values() if shown is not None)
    for key in earlier.keys() & now.keys():
        if earlier[key] is not None and now[key] is not None:
            assert now[key] == earlier[key] or abs(now[key] - earlier[key]) >= threshold, key
    published, relations = joined_reports(earlier, before, now, counts, sums_before + sums, threshold=threshold)
    assert recoverable(published, relations, threshold=threshold) == set()
    assert not fixed_by_the_sums(published, relations)


# --- the attackers of the tests ------------------------------------------------------------------------------------


def joined_reports(earlier, before, now, counts, sums, *, threshold):
    """Both reports as one: a cell that kept its value is one unknown ("both"), one that moved is two ("was", "is").

    A cell that moved by less than the threshold is tied to its earlier self by the movement, an unknown of at
    least 1 in the direction it went, which the attacker is taken to know.
    """
    def was(key):
        return ("both", key) if before.get(key) == counts.get(key) else ("was", key)

    def is_(key):
        return ("both", key) if before.get(key) == counts.get(key) else ("is", key)

    published = {was(key): shown for key, shown in earlier.items()}
    for key, shown in now.items():
        if published.get(is_(key)) is None:
            published[is_(key)] = shown
    relations = []
    for relation in sums:
        for name in (was, is_):
            keys = [name(key) for key in (relation.total, *relation.parts)]
            if all(key in published for key in keys) and (name is is_ or all(key in before for key in
                                                                              (relation.total, *relation.parts))):
                relations.append(Sum(keys[0], tuple(keys[1:])))
    for key in before.keys() & counts.keys():
        step = counts[key] - before[key]
        if 0 < abs(step) < threshold and (published[was(key)] is None or published[is_(key)] is None):
            published[("moved", key)] = None
            higher, lower = (is_(key), was(key)) if step > 0 else (was(key), is_(key))
            relations.append(Sum(higher, (lower, ("moved", key))))
    return published, list(dict.fromkeys(relations))


def fixed_by_the_sums(published, sums):
    """Withheld cells whose unit vector lies in the row space of the sums over withheld cells, in exact fractions."""
    unknowns = [key for key, shown in published.items() if shown is None]
    column = {key: i for i, key in enumerate(unknowns)}
    rows = []
    for relation in sums:
        row = [Fraction(0)] * len(unknowns)
        for key, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if key in column:
                row[column[key]] += sign
        rows.append(row)
    basis = row_reduced(rows)
    return {key for key in unknowns if not any(reduce_by(unit(column[key], len(unknowns)), basis))}


def row_reduced(rows):
    """An echelon basis of the rows' span: (pivot column, row with 1 at the pivot and 0 in earlier pivots)."""
    basis = []
    for row in rows:
        row = reduce_by(row, basis)
        pivot = next((i for i, value in enumerate(row) if value), None)
        if pivot is not None:
            row = [value / row[pivot] for value in row]
            basis = [(p, [a - b[pivot] * c for a, c in zip(b, row, strict=True)]) for p, b in basis]
            basis.append((pivot, row))
    return basis


def reduce_by(row, basis):
    row = list(row)
    for pivot, base in basis:
        if row[pivot]:
            factor = row[pivot]
            row = [a - factor * b for a, b in zip(row, base, strict=True)]
    return row


def unit(i, n):
    return [Fraction(int(j == i)) for j in range(n)]


def pinned_in_whole_numbers(published, sums):
    """Withheld cells whose least and greatest whole-number values differ by less than 2."""
    unknowns = [key for key, shown in published.items() if shown is None]
    column = {key: i for i, key in enumerate(unknowns)}
    a, b = [], []
    for relation in sums:
        row, constant = np.zeros(len(unknowns)), 0.0
        for key, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if key in column:
                row[column[key]] += sign
            else:
                constant -= sign * published[key]
        if row.any():
            a.append(row)
            b.append(constant)
    if not a:
        return set()
    equations = LinearConstraint(np.array(a), b, b)
    bounds = Bounds(np.ones(len(unknowns)), np.full(len(unknowns), 10_000.0))
    pinned = set()
    for key in unknowns:
        objective = np.zeros(len(unknowns))
        objective[column[key]] = 1
        low = milp(objective, constraints=equations, integrality=np.ones(len(unknowns)), bounds=bounds)
        high = milp(-objective, constraints=equations, integrality=np.ones(len(unknowns)), bounds=bounds)
        assert low.success and high.success
        if -high.fun - low.fun < 2 - 1e-6:
            pinned.add(key)
    return pinned
