"""Early-warning rules: plain functions that notice a pattern in daily check-ins (and the urge log) and say which
answers raised it.

No database here. Each rule takes the person's recent check-ins and urges (`Day` records, any order) and
`today`, and returns a `Finding` or None. A finding carries a gentle title and the exact answers,
with their dates, that raised it, so every note the person sees can say why it appeared.

Skipped answers and "prefer not to say" never count towards a sign: a number that is None, or a
yes/no item that is anything but "yes"/"no", is treated as not answered.

The rules and their thresholds (also in docs/using.md, "Early warning"):

- `sleep_below_usual`: the three most recent sleep answers are on three days in a row, the last
  of them today or yesterday, and each is at least 1 hour below the person's usual sleep. "Usual"
  is the median of their sleep answers in the 28 days before the first of the three, given only
  when there are at least 7 such answers.
- `cravings_rising`: in the last 7 days (today and the 6 before) at least 4 cravings answers, whose
  least-squares slope is above zero and whose last answer is at least 2 above the first.
- `lonely_most_days`: of the last 7 days on which "lonely" was answered (looking back 14 days), at
  least 4 say yes.
- `no_contact`: "talked with someone who supports me" answered "no" on each of the last 5 days it
  was answered (looking back 14 days), or answered at least 4 times in the last 7 days and never
  "yes".
- `checkins_stopping`: a check-in on at least 5 of the 14 days before the last three days, and none
  in those three days or today. A check-in counts even if every item in it was skipped; a day with only
  urges logged is not a check-in.
- `urges_strong`: at least 3 urges of strength 7 or more (out of 10) logged in the last 7 days (today and
  the 6 before). An urge whose strength was skipped never counts.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

YES, NO = "yes", "no"

# Thresholds, named so the docs and the tests can point at them.
SLEEP_RUN_DAYS = 3
SLEEP_USUAL_WINDOW_DAYS = 28
SLEEP_USUAL_MIN_ANSWERS = 7
SLEEP_BELOW_USUAL_HOURS = 1
CRAVINGS_WINDOW_DAYS = 7
CRAVINGS_MIN_ANSWERS = 4
CRAVINGS_MIN_RISE = 2
LONELY_LAST_ANSWERS = 7
LONELY_MIN_YES = 4
ANSWER_LOOKBACK_DAYS = 14
NO_CONTACT_LAST_ANSWERS = 5
NO_CONTACT_WINDOW_DAYS = 7
NO_CONTACT_MIN_ANSWERS = 4
STOPPING_QUIET_DAYS = 3
STOPPING_BEFORE_DAYS = 14
STOPPING_MIN_CHECKINS = 5
URGES_WINDOW_DAYS = 7
URGES_STRONG_AT = 7
URGES_STRONG_MIN = 3
# How far back any rule looks, so a caller knows which check-ins to pass.
LOOKBACK_DAYS = SLEEP_RUN_DAYS + SLEEP_USUAL_WINDOW_DAYS + 1


@dataclass(frozen=True)
class Day:
    """What the rules need from one day: its daily check-in, and the strengths of the urges logged that day.

    Declined items are passed as not answered. A day with urges but no check-in has `checked_in` False.
    """

    day: date
    sleep_hours: float | Decimal | None = None
    cravings: int | None = None
    lonely: str = ""
    connected: str = ""
    urges: tuple[int | None, ...] = ()  # each urge's strength (0 to 10) in the order logged; None: skipped
    checked_in: bool = True


@dataclass(frozen=True)
class Evidence:
    """One answer that raised a finding: the day, the item and the answer as the person gave it."""

    day: date
    item: str
    answer: str


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    summary: str
    evidence: tuple[Evidence, ...] = ()
    facts: dict = field(default_factory=dict)

    def explanation(self) -> dict:
        """The finding as JSON-ready data, kept with the gentle note so it can be shown later exactly as it was."""
        return {
            "summary": self.summary,
            "answers": [{"day": e.day.isoformat(), "item": e.item, "answer": e.answer} for e in self.evidence],
            "facts": self.facts,
        }


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    stage: str  # the stage of relapse this pattern most often belongs to, for the example sign
    description: str
    example_sign: str
    check: Callable[[list[Day], date], Finding | None]


ITEM_LABELS = {
    "sleep_hours": "hours slept",
    "cravings": "cravings (0 to 10)",
    "lonely": "lonely",
    "connected": "talked with someone who supports me",
    "checked_in": "checked in",
    "urge_strength": "urge strength (0 to 10)",
}


def hours(value) -> str:
    return f"{float(value):g}"


def _sorted(records: Iterable[Day], *, until: date) -> list[Day]:
    return sorted((r for r in records if r.day <= until), key=lambda r: r.day)


def _answered_yes_no(records: list[Day], item: str, *, today: date, last: int) -> list[Day]:
    """The most recent `last` days (within the lookback) on which `item` was answered yes or no."""
    since = today - timedelta(days=ANSWER_LOOKBACK_DAYS - 1)
    answered = [r for r in records if r.day >= since and getattr(r, item) in (YES, NO)]
    return answered[-last:]


def sleep_below_usual(records: list[Day], today: date) -> Finding | None:
    records = _sorted(records, until=today)
    slept = [r for r in records if r.sleep_hours is not None]
    run = slept[-SLEEP_RUN_DAYS:]
    if len(run) < SLEEP_RUN_DAYS or run[-1].day < today - timedelta(days=1):
        return None
    if (run[-1].day - run[0].day).days != SLEEP_RUN_DAYS - 1:
        return None  # not days in a row
    first = run[0].day
    before = [r.sleep_hours for r in slept if first - timedelta(days=SLEEP_USUAL_WINDOW_DAYS) <= r.day < first]
    if len(before) < SLEEP_USUAL_MIN_ANSWERS:
        return None
    usual = median(float(h) for h in before)
    if any(float(r.sleep_hours) > usual - SLEEP_BELOW_USUAL_HOURS for r in run):
        return None
    nights = ", ".join(hours(r.sleep_hours) for r in run)
    return Finding(
        rule="sleep_below_usual", title=RULES["sleep_below_usual"].title,
        summary=(f"You slept {nights} hours on the last {SLEEP_RUN_DAYS} nights in a row. Your usual is about "
                 f"{hours(usual)} hours (the middle of your {len(before)} sleep answers in the "
                 f"{SLEEP_USUAL_WINDOW_DAYS} days before)."),
        evidence=tuple(Evidence(r.day, "sleep_hours", hours(r.sleep_hours)) for r in run),
        facts={"usual_hours": hours(usual), "usual_from_answers": len(before)},
    )


def _slope(points: list[tuple[int, int]]) -> float:
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


def cravings_rising(records: list[Day], today: date) -> Finding | None:
    start = today - timedelta(days=CRAVINGS_WINDOW_DAYS - 1)
    answered = [r for r in _sorted(records, until=today) if r.day >= start and r.cravings is not None]
    if len(answered) < CRAVINGS_MIN_ANSWERS:
        return None
    first, last = answered[0].cravings, answered[-1].cravings
    slope = _slope([((r.day - start).days, r.cravings) for r in answered])
    if slope <= 0 or last < first + CRAVINGS_MIN_RISE:
        return None
    return Finding(
        rule="cravings_rising", title=RULES["cravings_rising"].title,
        summary=(f"Your cravings answers over the last {CRAVINGS_WINDOW_DAYS} days went from {first} to {last} "
                 f"(out of 10), rising by about {slope:.1f} a day."),
        evidence=tuple(Evidence(r.day, "cravings", str(r.cravings)) for r in answered),
        facts={"slope_per_day": round(slope, 2), "first": first, "last": last},
    )


def lonely_most_days(records: list[Day], today: date) -> Finding | None:
    answered = _answered_yes_no(_sorted(records, until=today), "lonely", today=today, last=LONELY_LAST_ANSWERS)
    lonely = [r for r in answered if r.lonely == YES]
    if len(lonely) < LONELY_MIN_YES:
        return None
    return Finding(
        rule="lonely_most_days", title=RULES["lonely_most_days"].title,
        summary=f"You answered “lonely: yes” on {len(lonely)} of the last {len(answered)} days you answered it.",
        evidence=tuple(Evidence(r.day, "lonely", r.lonely) for r in answered),
        facts={"yes": len(lonely), "answered": len(answered)},
    )


def no_contact(records: list[Day], today: date) -> Finding | None:
    records = _sorted(records, until=today)
    last_answers = _answered_yes_no(records, "connected", today=today, last=NO_CONTACT_LAST_ANSWERS)
    start = today - timedelta(days=NO_CONTACT_WINDOW_DAYS - 1)
    this_week = [r for r in records if r.day >= start and r.connected in (YES, NO)]
    if len(last_answers) == NO_CONTACT_LAST_ANSWERS and all(r.connected == NO for r in last_answers):
        shown = last_answers
        summary = (f"You answered “talked with someone who supports me: no” on each of the last "
                   f"{NO_CONTACT_LAST_ANSWERS} days you answered it.")
    elif len(this_week) >= NO_CONTACT_MIN_ANSWERS and all(r.connected == NO for r in this_week):
        shown = this_week
        summary = (f"In the last {NO_CONTACT_WINDOW_DAYS} days you answered “talked with someone who supports me” "
                   f"{len(this_week)} times, and each time the answer was no.")
    else:
        return None
    return Finding(
        rule="no_contact", title=RULES["no_contact"].title, summary=summary,
        evidence=tuple(Evidence(r.day, "connected", r.connected) for r in shown),
        facts={"answered": len(shown)},
    )


def checkins_stopping(records: list[Day], today: date) -> Finding | None:
    days = {r.day for r in records if r.checked_in}
    quiet_from = today - timedelta(days=STOPPING_QUIET_DAYS)
    if any(quiet_from <= day <= today for day in days):
        return None
    before = sorted(day for day in days if quiet_from - timedelta(days=STOPPING_BEFORE_DAYS) <= day < quiet_from)
    if len(before) < STOPPING_MIN_CHECKINS:
        return None
    return Finding(
        rule="checkins_stopping", title=RULES["checkins_stopping"].title,
        summary=(f"You checked in on {len(before)} of the {STOPPING_BEFORE_DAYS} days before "
                 f"{quiet_from:%A %d %B}, and not since. The last one was on {before[-1]:%A %d %B}."),
        evidence=tuple(Evidence(day, "checked_in", YES) for day in before),
        facts={"checkins_before": len(before), "last_checkin": before[-1].isoformat()},
    )


def urges_strong(records: list[Day], today: date) -> Finding | None:
    start = today - timedelta(days=URGES_WINDOW_DAYS - 1)
    strong = [(r.day, strength) for r in _sorted(records, until=today) if r.day >= start
              for strength in r.urges if strength is not None and strength >= URGES_STRONG_AT]
    if len(strong) < URGES_STRONG_MIN:
        return None
    return Finding(
        rule="urges_strong", title=RULES["urges_strong"].title,
        summary=(f"You logged {len(strong)} urges of strength {URGES_STRONG_AT} or more (out of 10) in the last "
                 f"{URGES_WINDOW_DAYS} days."),
        evidence=tuple(Evidence(day, "urge_strength", str(strength)) for day, strength in strong),
        facts={"strong_urges": len(strong), "strong_from": URGES_STRONG_AT},
    )


RULES: dict[str, Rule] = {rule.key: rule for rule in [
    Rule("sleep_below_usual", "Sleeping less than usual", "emotional",
         "Three nights in a row with at least an hour less sleep than your usual (your usual is worked out from "
         "the four weeks before, once you have answered the sleep question at least 7 times).",
         "Sleeping less than I usually do", sleep_below_usual),
    Rule("cravings_rising", "Cravings rising over the week", "mental",
         "Over the last 7 days, at least 4 cravings answers that trend upwards and end at least 2 higher than "
         "they started.", "Cravings getting stronger", cravings_rising),
    Rule("lonely_most_days", "Feeling lonely on most days", "emotional",
         "“Lonely” answered yes on at least 4 of the last 7 days you answered it.",
         "Feeling lonely most days", lonely_most_days),
    Rule("no_contact", "Not in touch with supporters", "emotional",
         "“Talked with someone who supports me” answered no on each of the last 5 days you answered it, or on "
         "every answer (at least 4) in the last 7 days.", "Not talking to the people who support me", no_contact),
    Rule("checkins_stopping", "Check-ins pausing", "emotional",
         "You were checking in on at least 5 of 14 days, and then not for three days.",
         "Letting go of the things that help, like checking in", checkins_stopping),
    Rule("urges_strong", "Strong urges this week", "mental",
         "At least 3 urges of strength 7 or more (out of 10) in your urge log over the last 7 days.",
         "Strong urges coming often", urges_strong),
]}


# The rules that read `Day.urges`, so a caller reads the urge log only when one of them will run.
RULES_READING_URGES = frozenset({"urges_strong"})


def evaluate(records: Iterable[Day], *, today: date, rules: Iterable[str] | None = None) -> list[Finding]:
    """Run the named rules (all when None) and return what they noticed, in the order of RULES."""
    records = list(records)
    wanted = set(RULES if rules is None else rules)
    return [finding for key, rule in RULES.items() if key in wanted and (finding := rule.check(records, today))]
