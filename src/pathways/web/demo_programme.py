"""The demo programme's outcomes: sixty more fictional people of the demo organisation, known only by a number,
with months of check-ins, steps, goals and lapses, so its outcomes report draws real charts with some small counts
withheld.

They have no names and no words of their own: only what the outcomes count. Everything is written with
bulk_create (a few thousand rows), so `make run`'s first load stays quick. Most say yes to being counted, some
have not said and a few said no; the demo organisation counts only those who say yes.
"""
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn, UseLog
from pathways.checkins.recovery_items import ITEM_IDS, ITEM_MAX, process_scores
from pathways.people.models import Membership, Organisation, Role, User
from pathways.people.time_zones import organisation_time_zone_name
from pathways.plans.models import Dimension, Goal, GoalStatus, Plan, Step, StepStatus

JOINED_BY_MONTH = (34, 12, 5, 3, 2, 2, 1, 1)  # sixty people over eight months, this one the last
MONTHS = len(JOINED_BY_MONTH)
EMAIL = "member-{:02d}@programme.demo.pathways.invalid"
NOTICE = ("Riverbend learns from de-identified figures whether the programme helps, and reports them to its funders "
          "each month. We count you only if you say yes, and you can change your mind at any time.")
GOALS = [(Dimension.HEALTH, "Walk every morning"), (Dimension.HOME, "Keep the kitchen tidy"),
         (Dimension.PURPOSE, "Volunteer at the food bank"), (Dimension.COMMUNITY, "Join the Thursday group")]


def load_programme(organisation: Organisation, *, seed: int = 2026) -> None:
    rng = random.Random(seed)
    zone = ZoneInfo(organisation_time_zone_name(organisation))
    today = timezone.localdate(timezone=zone)
    first_month = _months_back(today.replace(day=1), MONTHS - 1)
    Organisation.objects.filter(pk=organisation.pk).update(
        created_at=datetime.combine(first_month, time(9), tzinfo=zone), statistics_notice=NOTICE)
    # Most people joined in the programme's first months, so those cohorts are large enough to follow on and
    # the newer months hold the small counts.
    joined_on = sorted(_day_in(rng, _months_back(today.replace(day=1), MONTHS - 1 - index), today)
                       for index, people in enumerate(JOINED_BY_MONTH) for _ in range(people))
    people = User.objects.bulk_create([
        User(email=EMAIL.format(n), password=make_password(None), home_organisation=organisation,
             date_joined=datetime.combine(day, time(10), tzinfo=zone))
        for n, day in enumerate(joined_on, start=1)])
    Membership.objects.bulk_create([
        Membership(organisation=organisation, user=person, role=Role.PERSON,
                   created_at=datetime.combine(day, time(10), tzinfo=zone),
                   statistics_consent=rng.choices([True, None, False], weights=[85, 10, 5])[0])
        for person, day in zip(people, joined_on, strict=True)])
    plans = Plan.objects.bulk_create([Plan(person=person, created_at=person.date_joined) for person in people])
    days_of = {person.pk: _checkin_days(rng, day, today) for person, day in zip(people, joined_on, strict=True)}
    _plans(rng, plans, days_of, zone)
    _checkins(rng, people, days_of)
    _recovery_checkins(rng, people, days_of, zone)


def _day_in(rng: random.Random, month: date, today: date) -> date:
    last = min(_months_back(month, -1), today) - timedelta(days=1)
    return month + timedelta(days=rng.randint(0, max((last - month).days, 0)))


def _months_back(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _checkin_days(rng: random.Random, joined: date, today: date) -> list[date]:
    """Most people check in on many days; some stop after a while, and some take a long break and come back."""
    habit = rng.uniform(0.25, 0.8)
    stops = joined + timedelta(days=rng.randint(20, 200)) if rng.random() < 0.5 else today
    break_from = joined + timedelta(days=rng.randint(10, 60)) if rng.random() < 0.2 else None
    days, day = [], joined
    while day < min(stops, today):
        in_break = break_from is not None and break_from <= day < break_from + timedelta(days=40)
        if not in_break and rng.random() < habit:
            days.append(day)
        day += timedelta(days=1)
    return days


def _plans(rng: random.Random, plans: list[Plan], days_of: dict, zone: ZoneInfo) -> None:
    goals, steps = [], []
    for plan in plans:
        days = days_of[plan.person_id]
        for dimension, title in rng.sample(GOALS, 2):
            achieved = len(days) > 30 and rng.random() < 0.3
            goals.append(Goal(plan=plan, dimension=dimension, title=title, created_at=plan.created_at,
                              status=GoalStatus.ACHIEVED if achieved else GoalStatus.ACTIVE,
                              achieved_at=_moment(rng.choice(days[30:]), zone) if achieved else None))
    Goal.objects.bulk_create(goals)
    for goal in goals:
        days = days_of[goal.plan.person_id]
        for n in range(3):
            done_on = rng.choice(days) if days and rng.random() < 0.6 else None
            steps.append(Step(goal=goal, text=f"Small step {n + 1}", created_at=goal.created_at,
                              status=StepStatus.DONE if done_on else StepStatus.OPEN,
                              completed_at=_moment(done_on, zone) if done_on else None))
    Step.objects.bulk_create(steps)


def _moment(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(18), tzinfo=zone)


def _checkins(rng: random.Random, people: list[User], days_of: dict) -> None:
    rows = []
    for person in people:
        days = days_of[person.pk]
        for index, day in enumerate(days):
            progress = index / max(len(days) - 1, 1)
            rows.append(DailyCheckIn(
                person=person, day=day, mood=max(1, min(5, round(2 + 2 * progress + rng.uniform(-1, 1)))),
                cravings=max(0, min(10, round(7 - 4 * progress + rng.uniform(-2, 2)))),
                sleep_hours=max(3, min(12, round(5 + 2 * progress + rng.uniform(-1.5, 1.5))))))
    DailyCheckIn.objects.bulk_create(rows)
    lapses = [checkin for checkin in rows if rng.random() < 0.03]
    UseLog.objects.bulk_create([UseLog(checkin=checkin, used="yes", is_lapse=True) for checkin in lapses])


def _recovery_checkins(rng: random.Random, people: list[User], days_of: dict, zone: ZoneInfo) -> None:
    """A recovery check-in on the first day, then about monthly; most people's answers rise a little."""
    rows = []
    for person in people:
        days = days_of[person.pk]
        if not days:
            continue
        lift = rng.uniform(-0.5, 1.5)
        taken = [days[0]]
        for day in days[1:]:
            if (day - taken[-1]).days >= 30:
                taken.append(day)
        for n, day in enumerate(taken):
            level = min(ITEM_MAX, max(0, 1.5 + lift * n / max(len(taken) - 1, 1)))
            answers = {item: max(0, min(ITEM_MAX, round(level + rng.uniform(-1, 1)))) for item in sorted(ITEM_IDS)}
            rows.append(RecoveryCheckIn(
                person=person, taken_at=datetime.combine(day, time(19), tzinfo=zone), answers=answers,
                process_scores=process_scores(answers),
                dimension_ratings={d.value: max(0, min(10, round(2.5 * level + rng.uniform(-1.5, 1.5))))
                                   for d in Dimension}))
    RecoveryCheckIn.objects.bulk_create(rows)
