"""Withholding the small counts of a published report so that none of them can be worked out again.

A report is a set of cells (any hashable key -> a count of people or events) and the sums that tie them
together (`Sum(total, parts)`: the total is the sum of the parts, as a distribution's bins add up to its
people). `protect` decides which cells to withhold; `recoverable` is the attacker it checks itself against.

Using it (for the outcomes report):

    published = protect(counts, sums, threshold=11, previous=last_published, previous_counts=last_counts)
    # published[key] is the count to show, or None: withheld

- Give every figure one key, even where the page shows it twice (a month's enrolled people are its cohort's
  joined people), or tie the two with `Sum(total=a, parts=(b,))`; otherwise one copy gives the other away.
- Give every difference a reader could take its own cell and sum, even if the page never shows it: people
  not retained at 3 months is joined minus retained, so `Sum(joined, (retained_3, not_retained_3))`. That
  withholds a "1 person left" hidden in two large counts, and tells the attacker what it knows anyway.
- Show every withheld cell the same way, whatever its value ("not shown: fewer than 11 people, or hidden so
  that such a number cannot be worked out"). Cells withheld to protect others are 11 or more, so "fewer than
  11" alone would be untrue of them, and two marks would tell the attacker which cells are small.
- A mean over people (a mean change) is withheld with its people count, or it is a count in disguise.
- Keep, privately, each month's raw counts beside what was published, and pass both next month: the raw
  counts say which withheld cells kept their value, which the check of two reports together needs.
- `SuppressionError` means no report for that month can be made safe, because an earlier one already gave
  a count away (made some other way, or under a lower threshold): publish nothing and say so.

What is guaranteed of what `protect` returns:

1. Every published count is 0 or at least `threshold`. Every count from 1 to threshold - 1 is withheld.
2. One report: an attacker who knows every published count, every sum, and that every withheld count is at
   least 1 (zeros are shown, and only counts of 1 or more are ever withheld), cannot narrow any withheld
   count to a range shorter than 2 (from its least to its greatest possible value). `protect` checks this
   by solving for every withheld cell (`recoverable`) and withholds more until it holds, smallest counts
   first; it raises `SuppressionError` rather than return a report that fails it.
3. Two consecutive reports, the earlier made by `protect` under the same threshold, with both its published
   values and its raw counts passed: a cell published before with the same value is published again (it is
   public already); a cell withheld before with the same value stays withheld; a cell whose published value
   moved by 1 to threshold - 1 is withheld, so no difference of two published counts is small; and the check
   of 2 runs over both reports together, for an attacker who also knows which cells kept their value (one
   unknown in both reports) and which way each cell went that moved by less than the threshold (that
   movement is an unknown of at least 1 that must not be narrowed either). So the two reports together give
   away no withheld count of either, and no small movement.

What is not guaranteed:

- Without `previous_counts`, only the rules of 3 apply (a cell withheld before stays withheld unless it is
  now 0), not the joint check: a pair of reports can then narrow a count that each alone hides.
- Three or more reports: each is checked with the one before it only.
- Movements of `threshold` or more may be learned, as the difference of two published counts may show them.
- The attacker reasons with real numbers (linear programming). Whole numbers, or knowing how `protect`
  chooses, could narrow a range further in unusual shapes of sums (the tests also attack report-shaped
  programmes with whole numbers, and find nothing); knowing one's own part in the figures (a person
  counted in a cell can subtract themselves) is outside this model entirely.
- A published count cannot be taken back. When someone withdraws their consent between two reports, every
  cell they were counted in drops by one; those cells are withheld or protected, but which cells newly went
  missing can itself hint where that one person was counted, and the earlier report stays as it was. The
  same holds when the threshold is raised: counts published under the lower one stay known. Below a
  threshold of 4, a cell shown at the threshold that falls is known to be 1 or 2: the joint check refuses.

Cost: one linear-algebra pass per group of cells tied by sums, one linear programme for the whole report,
and two more for each cell that pass leaves in doubt. A report of about 560 cells and 160 sums (three years
of months and cohorts, 18 distributions) takes under 0.1 s in the middle and 0.4 s at worst, joint check
included.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

import numpy as np
from scipy import sparse
from scipy.linalg import null_space
from scipy.optimize import linprog

Key = Hashable

NARROWEST_SAFE_RANGE = 2.0  # a withheld count whose possible values span less than this is given away
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Sum:
    """The total cell's count is the sum of the parts' counts."""

    total: Key
    parts: tuple[Key, ...]


class SuppressionError(Exception):
    """No choice of cells to withhold protects the report (it happens only when earlier reports gave too much)."""


def protect(counts: Mapping[Key, int], sums: Sequence[Sum], *, threshold: int,
            previous: Mapping[Key, int | None] | None = None,
            previous_counts: Mapping[Key, int] | None = None) -> dict[Key, int | None]:
    """The report to publish: each cell's count, or None where it is withheld (see the module docstring)."""
    _check_report(counts, sums, threshold)
    _check_previous(previous, previous_counts)
    rules = _Rules(counts, threshold, previous or {}, previous_counts)
    withheld = set(rules.must_withhold)
    while True:
        view = _attacker_view(counts, sums, withheld, threshold, previous, previous_counts)
        given_away = _narrow(view.published, view.sums)
        if not given_away:
            return {key: None if key in withheld else count for key, count in counts.items()}
        more = _complements(given_away, view, withheld, rules)
        if not more:
            raise SuppressionError(f"{len(given_away)} withheld figures can be worked out whatever else is withheld")
        withheld |= more


def recoverable(published: Mapping[Key, int | None], sums: Sequence[Sum], *, threshold: int,
                narrower_than: float = NARROWEST_SAFE_RANGE) -> set[Key]:
    """The withheld cells (None) whose possible values span less than `narrower_than`, a single value included.

    The attacker knows every published count, every sum, and that no withheld count is below 1.
    """
    for key, count in published.items():
        if count is not None and 0 < count < threshold:
            raise ValueError(f"{key!r} is published as {count}, below the threshold of {threshold}")
    return _narrow(published, sums, narrower_than)


def _narrow(published, sums, narrower_than=NARROWEST_SAFE_RANGE):
    """`recoverable` without its check of the threshold: counts published under a lower one are known all the same."""
    unknowns = [key for key, count in published.items() if count is None]
    rows, rhs = _equations(published, sums, {key: i for i, key in enumerate(unknowns)})
    groups = [_Group(variables, np.array([[rows[r].get(v, 0.0) for v in variables] for r in equations]),
                     np.array([rhs[r] for r in equations])) for variables, equations in _connected(len(unknowns), rows)]
    narrow = {unknowns[group.variables[p]] for group in groups for p in np.flatnonzero(group.fixed)}
    undecided = [group for group in groups if not group.fixed.all()]
    for group, centre in zip(undecided, _inner_points(undecided), strict=True):
        spread = _spread_along(group.free, centre)
        for position in np.flatnonzero(~group.fixed):
            if spread[position] < narrower_than + TOLERANCE and group.range_of(position) < narrower_than - TOLERANCE:
                narrow.add(unknowns[group.variables[position]])
    return narrow


# --- the attacker ----------------------------------------------------------------------------------------------

def _equations(published, sums, index):
    """Each sum as coefficients over the unknowns (index -> coefficient) = a constant from the published counts."""
    rows, rhs = [], []
    for relation in sums:
        coefficients: dict[int, float] = defaultdict(float)
        constant = 0.0
        for key, sign in ((relation.total, 1.0), *((part, -1.0) for part in relation.parts)):
            if key not in published:
                raise ValueError(f"a sum refers to {key!r}, which is not in the report")
            if published[key] is None:
                coefficients[index[key]] += sign
            else:
                constant -= sign * published[key]
        coefficients = {v: c for v, c in coefficients.items() if c}
        if coefficients:
            rows.append(coefficients)
            rhs.append(constant)
        elif constant:
            raise ValueError(f"the published parts of {relation.total!r} do not add up to it")
    return rows, rhs


def _connected(count, rows):
    """Groups of unknowns tied by sums, with their equations; an unknown in no sum can be anything from 1 up."""
    parent = list(range(count))

    def root(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for row in rows:
        first, *others = row
        for other in others:
            parent[root(other)] = root(first)
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for r, row in enumerate(rows):
        groups.setdefault(root(next(iter(row))), ([], []))[1].append(r)
    for v in range(count):
        if root(v) in groups:
            groups[root(v)][0].append(v)
    return groups.values()


class _Group:
    """Unknowns tied together by sums: a @ z = b over them, each at least 1.

    Linear algebra sorts them first: an unknown whose unit vector lies in the row space of `a` is fixed by the
    sums alone (its row of the null space is zero). For the others, one point well inside the bounds, moved
    along the null space, shows most ranges to be wide; only the rest are solved for (`range_of`).
    """

    def __init__(self, variables, a, b):
        self.variables, self.a, self.b = variables, a, b
        self.free = null_space(a)  # columns: the directions the sums leave open
        self.fixed = np.linalg.norm(self.free, axis=1) < TOLERANCE

    def range_of(self, position):
        """The greatest less the least value the unknown can take; inf when it can grow without end."""
        objective = np.zeros(self.a.shape[1])
        objective[position] = 1.0
        low = linprog(objective, A_eq=self.a, b_eq=self.b, bounds=(1, None), method="highs")
        high = linprog(-objective, A_eq=self.a, b_eq=self.b, bounds=(1, None), method="highs")
        if high.status == 3:
            return np.inf
        if low.status != 0 or high.status != 0:
            raise ValueError("the published counts contradict the sums")
        return -high.fun - low.fun


def _inner_points(groups):
    """For each group, a solution with its unknowns as far above 1 as its sums allow (up to a cap).

    One linear programme for all groups: they share no unknown, so maximising the sum of their margins
    maximises each.
    """
    if not groups:
        return []
    sizes = [group.a.shape[1] for group in groups]
    margins = len(groups)
    z_columns = sum(sizes)
    equalities = sparse.hstack([sparse.block_diag([group.a for group in groups]),
                                sparse.csr_matrix((sum(g.a.shape[0] for g in groups), margins))])
    # z_i - s_group >= 1, written as -z_i + s_group <= -1
    owner = np.repeat(np.arange(margins), sizes)
    above = sparse.hstack([-sparse.identity(z_columns),
                           sparse.csr_matrix((np.ones(z_columns), (np.arange(z_columns), owner)),
                                             shape=(z_columns, margins))])
    caps = [1.0 + float(np.abs(group.b).sum()) + group.a.shape[1] for group in groups]
    objective = np.concatenate([np.zeros(z_columns), -np.ones(margins)])
    result = linprog(objective, A_ub=above.tocsr(), b_ub=-np.ones(z_columns), A_eq=equalities.tocsr(),
                     b_eq=np.concatenate([group.b for group in groups]),
                     bounds=[(1, None)] * z_columns + [(0, cap) for cap in caps], method="highs")
    if result.status != 0:
        raise ValueError("the published counts contradict the sums")
    return np.split(result.x[:z_columns], np.cumsum(sizes)[:-1])


def _spread_along(free, centre):
    """For each unknown, how far its value provably moves: the widest step along one null-space direction."""
    room = centre - 1.0
    spread = np.zeros(len(centre))
    for direction in free.T:
        down = direction < -TOLERANCE
        up = direction > TOLERANCE
        forward = np.min(room[down] / -direction[down]) if down.any() else np.inf
        backward = np.min(room[up] / direction[up]) if up.any() else np.inf
        moving = np.abs(direction) > TOLERANCE
        spread[moving] = np.maximum(spread[moving], (forward + backward) * np.abs(direction[moving]))
    return spread


# --- the protector ---------------------------------------------------------------------------------------------

def _check_report(counts, sums, threshold):
    if threshold < 2:
        raise ValueError("the threshold must be at least 2")
    for key, count in counts.items():
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"{key!r} has count {count!r}; counts are whole numbers, 0 or more")
    for relation in sums:
        missing = [key for key in (relation.total, *relation.parts) if key not in counts]
        if missing:
            raise ValueError(f"a sum refers to {missing[0]!r}, which is not in the report")
        if counts[relation.total] != sum(counts[part] for part in relation.parts):
            raise ValueError(f"the parts of {relation.total!r} do not add up to it")


def _check_previous(previous, previous_counts):
    if previous_counts is None:
        return
    if previous is None or set(previous) != set(previous_counts):
        raise ValueError("previous_counts must come with previous, the report published from them, key for key")
    for key, shown in previous.items():
        if shown is not None and shown != previous_counts[key]:
            raise ValueError(f"{key!r} was published as {shown} but counted {previous_counts[key]}")


class _Rules:
    """What must be withheld and what must be published before any complementary choice, cell by cell."""

    def __init__(self, counts, threshold, previous, previous_counts):
        self.must_withhold = set()
        self.must_publish = set()
        for key, count in counts.items():
            if 0 < count < threshold:
                self.must_withhold.add(key)
            elif key not in previous or count == 0:
                continue  # new, or a zero, which is always shown
            elif previous[key] is None:
                # withheld last time: keep it so unless it is known to have moved (then the joint check decides)
                if previous_counts is None or previous_counts.get(key) == count:
                    self.must_withhold.add(key)
            elif previous[key] == count:
                self.must_publish.add(key)  # already public
            elif abs(count - previous[key]) < threshold:
                self.must_withhold.add(key)  # the difference of the two reports would be a small count


@dataclass
class _View:
    """What the attacker sees, with this report's cells under ("now", key)."""

    published: dict
    sums: list


def _attacker_view(counts, sums, withheld, threshold, previous, previous_counts):
    """This report as the attacker holds it, joined to the earlier one when its raw counts say what moved.

    The earlier report's sums are taken to be this report's sums among the cells it had, where they held.
    """
    def now(key):
        return ("now", key)

    published = {now(key): None if key in withheld else count for key, count in counts.items()}
    relations = [Sum(now(s.total), tuple(map(now, s.parts))) for s in sums]
    if previous_counts is None:
        return _View(published, relations)

    unchanged = {key for key, count in previous_counts.items() if counts.get(key) == count}

    def before(key):
        return now(key) if key in unchanged else ("before", key)

    for key in previous_counts:
        shown = previous.get(key)
        if shown is not None:
            published[before(key)] = shown  # an unchanged cell published last time is known, whatever now
        elif key not in unchanged:
            published[before(key)] = None
    for relation in sums:
        keys = (relation.total, *relation.parts)
        if all(key in previous_counts for key in keys) and \
                previous_counts[relation.total] == sum(previous_counts[part] for part in relation.parts):
            relations.append(Sum(before(relation.total), tuple(map(before, relation.parts))))
    for key, count in counts.items():
        earlier = previous_counts.get(key)
        if earlier is None or count == earlier or abs(count - earlier) >= threshold:
            continue
        if published[now(key)] is not None and published[before(key)] is not None:
            continue  # both shown (a zero now, under a raised threshold): the movement is public already
        movement = ("moved", key)
        published[movement] = None
        higher, lower = (now(key), before(key)) if count > earlier else (before(key), now(key))
        relations.append(Sum(higher, (lower, movement)))
    return _View(published, relations)


def _complements(given_away, view, withheld, rules):
    """More cells of this report to withhold, one for each neighbourhood of given-away cells.

    A given-away cell is pinned hardest by the sums with the fewest unknowns in them, so the smallest count
    that may still be withheld is taken from those sums first, and from anywhere the sums reach after that.
    """
    members = {relation: {relation.total, *relation.parts} for relation in view.sums}
    relations_of = defaultdict(list)
    for relation, keys in members.items():
        for key in keys:
            relations_of[key].append(relation)
    order = {key: i for i, key in enumerate(view.published)}

    def unknowns(relation):
        return sum(view.published[key] is None for key in members[relation])

    def smallest(view_keys):
        candidates = [(kind, key) for kind, key in view_keys
                      if kind == "now" and key not in withheld and key not in rules.must_publish
                      and view.published[kind, key]]  # never a zero: withheld counts are said to be 1 or more
        return min(candidates, key=lambda k: (view.published[k], order[k]), default=None)

    def near(view_key):
        return set().union(*(members[relation] for relation in relations_of[view_key]))

    def tightness(view_key):  # a cell alone in a sum is pinned by it; others may be pinned only through it
        return min(map(unknowns, relations_of[view_key]), default=0), order[view_key]

    chosen, settled = set(), set()
    for exposed in sorted(given_away, key=tightness):
        if exposed in settled:
            continue
        choice = None
        for _, tightest in groupby(sorted(relations_of[exposed], key=unknowns), key=unknowns):
            choice = smallest(set().union(*(members[relation] for relation in tightest)))
            if choice:
                break
        choice = choice or smallest(_reachable(exposed, near))
        if choice:
            chosen.add(choice[1])
            settled |= near(exposed) | near(choice)
    return chosen


def _reachable(start, near):
    seen, stack = {start}, [start]
    while stack:
        for key in near(stack.pop()) - seen:
            seen.add(key)
            stack.append(key)
    return seen
