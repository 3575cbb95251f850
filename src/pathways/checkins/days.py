"""Check-ins day by day, as the person answered them, for supporters with the check-ins grant.

Every answer is put in words, so a skipped question reads "skipped" and a declined one "prefer not to say",
never a blank or a zero that could be mistaken for an answer. The use part of each day needs the use-log grant
as well, and a lapse reflection also needs the person's own "let supporters read this" on that day.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from pathways.circle.policy import Access, Category, permits_and_log, require_and_log

from .forms import PREFER_NOT, DailyCheckInForm
from .models import DailyCheckIn, UseLog

DAYS_SHOWN = 28
PAGE = "your check-ins, day by day"  # how a refusal of the use part reads in the person's access log
SKIPPED = "skipped"
DECLINED = "prefer not to say"

# (item, label) in the order of the check-in form. The note is left out: it is the person's own jotting.
DAY_ITEMS = [("mood", "Mood"), ("cravings", "Cravings (0 none, 10 very strong)"), ("sleep_hours", "Hours slept"),
             ("sleep_quality", "Sleep quality"), ("energy", "Energy"), ("hungry", "Hungry"),
             ("angry", "Angry or on edge"), ("lonely", "Lonely"), ("tired", "Tired"),
             ("connected", "Talked with a supporter"), ("self_care", "Self-care"),
             ("self_harm_thoughts", "Thoughts of self-harm")]
# The use questions asked depend on the person's pathways at the time, so only "used" is always listed.
USE_ITEMS = [("used", "Used"), ("what", "What"), ("how_much", "About how much"), ("not_alone", "Not alone"),
             ("naloxone_at_hand", "Naloxone at hand"), ("tested_supply", "Tested the supply"),
             ("doses_taken", "Medication doses taken")]


@dataclass
class Answered:
    label: str
    words: str


@dataclass
class Day:
    day: date
    checkin: DailyCheckIn | None  # None: no check-in that day
    answers: list[Answered] = field(default_factory=list)
    use: list[Answered] = field(default_factory=list)  # empty when the use part is not shown
    lapse: bool = False
    reflections: list[Answered] = field(default_factory=list)  # only those the person shared


@dataclass
class DayByDay:
    person: object
    days: list[Day]  # newest first
    shows_use: bool


def _sleep_words(hours) -> str:
    """The check-in offers whole hours from "3 or less" to "12 or more"."""
    hours = int(hours)
    return "3 hours or less" if hours <= 3 else "12 hours or more" if hours >= 12 else f"{hours} hours"


def _in_words(record, name: str, declined) -> str:
    value = getattr(record, name)
    if name in declined or value == PREFER_NOT:
        return DECLINED
    if value in (None, ""):
        return SKIPPED
    if name == "sleep_hours":
        return _sleep_words(value)
    if name in ("cravings", "doses_taken", "what", "how_much"):
        return str(value)
    choices = dict(DailyCheckInForm.base_fields[name].choices)
    return choices.get(str(value), str(value)).lower()


def _use_answers(use: UseLog | None, declined) -> list[Answered]:
    if use is None:
        return [Answered("Used", SKIPPED)]
    answers = [(name, Answered(label, _in_words(use, name, declined))) for name, label in USE_ITEMS]
    return [answer for name, answer in answers if name == "used" or answer.words != SKIPPED]


def _day(day: date, checkin: DailyCheckIn | None, *, shows_use: bool) -> Day:
    if checkin is None:
        return Day(day=day, checkin=None)
    declined = set(checkin.declined)
    found = Day(day=day, checkin=checkin,
                answers=[Answered(label, _in_words(checkin, name, declined)) for name, label in DAY_ITEMS])
    if shows_use:
        use = getattr(checkin, "use", None)
        found.use = _use_answers(use, declined)
        found.lapse = bool(use and use.is_lapse)
        if use and use.reflection_shared:
            found.reflections = [Answered(label, text) for label, text in (
                ("What was happening", use.what_was_happening),
                ("Learned, or might try next time", use.what_i_learned)) if text]
    return found


def day_by_day(*, person, viewer, days: int = DAYS_SHOWN) -> DayByDay:
    """The last `days` days, newest first (none from before the person joined, unless they filled one in);
    404 without the check-ins grant."""
    require_and_log(viewer, person, Category.CHECKINS, Access.VIEW)
    shows_use = permits_and_log(viewer, person, Category.USE_LOG, Access.VIEW, page=PAGE)
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    checkins = {checkin.day: checkin for checkin in
                DailyCheckIn.objects.filter(person=person, day__gte=first, day__lte=today).select_related("use")}
    joined = timezone.localdate(person.date_joined)
    every_day = [day for day in (today - timedelta(days=n) for n in range(days)) if day >= joined or day in checkins]
    return DayByDay(person=person, shows_use=shows_use,
                    days=[_day(day, checkins.get(day), shows_use=shows_use) for day in every_day])
