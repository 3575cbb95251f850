"""The programme's outcome figures, counted on a small programme built by hand whose every figure is known.

The organisation keeps New York's clock, so a moment late in the evening there is already the next day (and month)
in UTC; the figures are counted as of 15 April 2025, so March 2025 is the last month reported.
"""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pathways.checkins import services as checkins
from pathways.checkins.models import DailyCheckIn, QuestionnaireResponse, RecoveryCheckIn, UseLog
from pathways.checkins.tests.test_load_questionnaire import barc_10_shaped
from pathways.people.models import Membership, Role
from pathways.people.services import account_create, organisation_create
from pathways.plans import services as plans
from pathways.plans.models import GoalStatus
from pathways.reports.outcome_figures import MonthFigures
from pathways.reports.outcome_selectors import people_who_count, programme_figures

NEW_YORK = ZoneInfo("America/New_York")
AS_OF = date(2025, 4, 15)
JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)
SNAPSHOT = "https://pathways.example/fhir/Questionnaire/wellbeing-snapshot"  # offered to everyone (checkins/0002)


def evening(year, month, day) -> datetime:
    """Half past ten at night in New York: in UTC, already the next day."""
    return datetime(year, month, day, 22, 30, tzinfo=NEW_YORK)


@pytest.fixture
def programme(db):
    organisation = organisation_create(name="Harbour Lights Programme")
    organisation.time_zone = "America/New_York"
    organisation.save()
    return organisation


@pytest.fixture
def elsewhere(db):
    """Another organisation whose people, all counted there, must never show in the programme's figures."""
    return organisation_create(name="Another Programme")


def member(organisation, name: str, *, joined: datetime, consent: bool | None = True, role=Role.PERSON):
    user = account_create(email=f"{name}@example.org", home_organisation=organisation)
    Membership.objects.create(organisation=organisation, user=user, role=role, created_at=joined,
                              statistics_consent=consent)
    plans.plan_create(person=user)
    return user


def checked_in(person, *days: date, lapses: tuple[date, ...] = ()) -> None:
    for day in days:
        checkin = DailyCheckIn.objects.create(person=person, day=day, mood=3)
        UseLog.objects.create(checkin=checkin, used="yes" if day in lapses else "no", is_lapse=day in lapses)


def by_month(figures) -> dict:
    return {month.month: month for month in figures.months}


def change(figures, measure: str):
    return next(c for c in figures.changes if c.measure == measure)


# Who counts ------------------------------------------------------------------------------------------------

def test_only_the_organisations_people_who_said_yes_count_unless_it_counts_people_by_default(programme, elsewhere):
    joined = evening(2025, 1, 10)
    yes = member(programme, "yes", joined=joined, consent=True)
    no = member(programme, "no", joined=joined, consent=False)
    not_said = member(programme, "not.said", joined=joined, consent=None)
    member(programme, "staff", joined=joined, role=Role.PROFESSIONAL)
    member(elsewhere, "elsewhere", joined=joined, consent=True)

    assert {row["user_id"] for row in people_who_count(programme)} == {yes.pk}
    programme.statistics_by_default = True
    programme.save()
    assert {row["user_id"] for row in people_who_count(programme)} == {yes.pk, not_said.pk}
    assert no.pk not in {row["user_id"] for row in people_who_count(programme)}


def test_people_who_said_no_leave_no_trace_in_any_figure(programme):
    counted = member(programme, "counted", joined=evening(2025, 1, 5))
    declined = member(programme, "declined", joined=evening(2025, 1, 5), consent=False)
    for person in (counted, declined):
        checked_in(person, date(2025, 1, 7), date(2025, 3, 20), lapses=(date(2025, 1, 7),))
    checkins.recovery_checkin_record(person=declined, answers={}, dimension_ratings={"health": 2})
    checkins.recovery_checkin_record(person=declined, answers={}, dimension_ratings={"health": 9})
    RecoveryCheckIn.objects.update(taken_at=evening(2025, 2, 1))

    figures = by_month(programme_figures(organisation=programme, as_of=AS_OF))
    assert [figures[m].enrolled for m in (JAN, FEB, MAR)] == [1, 0, 0]
    assert [figures[m].active for m in (JAN, FEB, MAR)] == [1, 0, 1]
    assert [figures[m].lapses for m in (JAN, FEB, MAR)] == [1, 0, 0]
    assert [figures[m].returns for m in (JAN, FEB, MAR)] == [0, 0, 1]
    assert change(programme_figures(organisation=programme, as_of=AS_OF), "dimension:health").people == 0


def test_another_organisations_people_are_never_counted(programme, elsewhere):
    ours = member(programme, "ours", joined=evening(2025, 2, 3))
    theirs = member(elsewhere, "theirs", joined=evening(2025, 1, 3))
    checked_in(ours, date(2025, 2, 4))
    checked_in(theirs, date(2025, 1, 4), date(2025, 2, 4), lapses=(date(2025, 2, 4),))
    goal = plans.goal_create(plan=theirs.plan, actor=theirs, dimension="home", title="A home", first_steps=["Look"])
    plans.step_complete(step=goal.steps.get(), actor=theirs)

    figures = programme_figures(organisation=programme, as_of=AS_OF)
    assert [m.month for m in figures.months] == [FEB, MAR]  # from our first person's month, not theirs
    assert by_month(figures)[FEB] == MonthFigures(
        month=FEB, enrolled=1, active=1, steps_done=0, goals_achieved=0, lapses=0, returns=0)


# Months ----------------------------------------------------------------------------------------------------

def test_months_run_from_the_first_counted_persons_month_to_the_last_month_that_has_ended(programme):
    member(programme, "first", joined=evening(2024, 11, 30))  # 1 December in UTC, November in New York
    member(programme, "no", joined=evening(2024, 6, 1), consent=False)
    figures = programme_figures(organisation=programme, as_of=AS_OF)
    assert [m.month for m in figures.months] == [date(2024, 11, 1), date(2024, 12, 1), JAN, FEB, MAR]
    assert [c.month for c in figures.cohorts] == [m.month for m in figures.months]
    assert figures.months[0].enrolled == 1 and figures.as_of == AS_OF
    assert figures.organisation_name == "Harbour Lights Programme"


def test_a_month_not_yet_ended_is_not_reported(programme):
    person = member(programme, "april", joined=evening(2025, 4, 1))
    checked_in(person, date(2025, 4, 1), date(2025, 4, 14))
    assert programme_figures(organisation=programme, as_of=AS_OF).months == []
    assert programme_figures(organisation=programme, as_of=AS_OF).cohorts == []
    figures = programme_figures(organisation=programme, as_of=date(2025, 5, 1))
    assert [(m.month, m.enrolled, m.active) for m in figures.months] == [(date(2025, 4, 1), 1, 1)]


def test_at_most_the_last_36_months_are_reported(programme):
    member(programme, "early", joined=evening(2019, 5, 5))
    figures = programme_figures(organisation=programme, as_of=AS_OF)
    assert len(figures.months) == 36
    assert figures.months[0].month == date(2022, 4, 1) and figures.months[-1].month == MAR
    assert sum(m.enrolled for m in figures.months) == 0  # joined before the first month shown


def test_a_programme_with_nobody_counted_has_no_months(programme):
    member(programme, "no", joined=evening(2025, 1, 5), consent=False)
    figures = programme_figures(organisation=programme, as_of=AS_OF)
    assert figures.months == [] and figures.cohorts == []
    assert all(c.people == 0 and c.mean_change is None for c in figures.changes)


# Activity, returns and retention --------------------------------------------------------------------------

def test_active_people_and_returns_after_30_days_without_a_check_in(programme):
    joined = evening(2024, 12, 1)
    steady = member(programme, "steady", joined=joined)
    away = member(programme, "away", joined=joined)
    edges = member(programme, "edges", joined=joined)
    nearly = member(programme, "nearly", joined=joined)
    between = member(programme, "between", joined=joined)
    checked_in(steady, *(date(2025, 1, 1) + timedelta(days=n) for n in range(0, 90, 3)))
    checked_in(away, date(2024, 12, 20), date(2025, 1, 20), date(2025, 3, 1))  # 31 days, then 40 days later
    checked_in(edges, date(2025, 1, 1), date(2025, 1, 31))  # 30 days apart inside one month
    checked_in(nearly, date(2025, 1, 31), date(2025, 3, 1))  # 29 days apart: not a return
    checked_in(between, date(2025, 1, 1), date(2025, 1, 15), date(2025, 1, 31))  # a day in between

    figures = by_month(programme_figures(organisation=programme, as_of=AS_OF))
    assert [figures[m].active for m in (date(2024, 12, 1), JAN, FEB, MAR)] == [1, 5, 1, 3]
    assert [figures[m].returns for m in (date(2024, 12, 1), JAN, FEB, MAR)] == [0, 2, 0, 1]


def test_a_return_counts_the_days_before_the_months_reported(programme):
    person = member(programme, "back", joined=evening(2019, 1, 10))
    checked_in(person, date(2022, 2, 1), date(2022, 4, 2))
    figures = programme_figures(organisation=programme, as_of=AS_OF)
    assert figures.months[0].month == date(2022, 4, 1)
    assert (figures.months[0].active, figures.months[0].returns) == (1, 1)


def test_a_cohort_is_the_month_of_joining_on_the_organisations_clock_and_unended_months_are_none(programme):
    for name, days in (("one", [date(2024, 6, 2), date(2024, 8, 15), date(2024, 12, 1), date(2025, 3, 30)]),
                       ("two", [date(2024, 6, 5), date(2024, 9, 1)]), ("three", [])):
        checked_in(member(programme, name, joined=evening(2024, 5, 31)), *days)  # June in UTC, May in New York
    member(programme, "later", joined=evening(2024, 12, 31))

    cohorts = {cohort.month: cohort for cohort in programme_figures(organisation=programme, as_of=AS_OF).cohorts}
    may = cohorts[date(2024, 5, 1)]
    assert may.joined == 3 and may.retained == {3: 1, 6: 0, 12: None}  # August, November; May 2025 not ended
    june = cohorts[date(2024, 6, 1)]
    assert june.joined == 0 and june.retained == {3: 0, 6: 0, 12: None}
    assert cohorts[date(2024, 12, 1)].joined == 1
    assert cohorts[date(2024, 12, 1)].retained == {3: 0, 6: None, 12: None}


def test_retention_counts_the_people_of_the_cohort_active_in_that_calendar_month(programme):
    for name in ("one", "two", "three"):
        person = member(programme, name, joined=evening(2024, 3, 9))
        checked_in(person, date(2024, 6, 30))  # three months on
    first, second = [member(programme, name, joined=evening(2024, 3, 9)) for name in ("four", "five")]
    checked_in(first, date(2024, 9, 1), date(2025, 3, 31))  # six and twelve months on
    checked_in(second, date(2024, 7, 1))  # four months on: counted in no figure of retention

    march = next(c for c in programme_figures(organisation=programme, as_of=AS_OF).cohorts
                 if c.month == date(2024, 3, 1))
    assert march.joined == 5 and march.retained == {3: 3, 6: 1, 12: 1}


# Steps, goals and lapses ----------------------------------------------------------------------------------

def test_steps_done_and_goals_achieved_count_in_the_month_on_the_organisations_clock(programme):
    person = member(programme, "doer", joined=evening(2024, 12, 1))
    goal = plans.goal_create(plan=person.plan, actor=person, dimension="purpose", title="Course",
                             first_steps=["Enrol", "Buy books", "Go"])
    enrol, books, go = goal.steps.order_by("pk")
    for step in (enrol, books, go):
        plans.step_complete(step=step, actor=person)
    plans.step_reopen(step=go, actor=person)  # no longer done: not counted
    enrol.__class__.objects.filter(pk=enrol.pk).update(completed_at=evening(2025, 1, 31))  # 1 February in UTC
    books.__class__.objects.filter(pk=books.pk).update(completed_at=evening(2025, 2, 28))
    achieved = plans.goal_create(plan=person.plan, actor=person, dimension="home", title="Keys")
    plans.goal_set_status(goal=achieved, actor=person, status=GoalStatus.ACHIEVED)
    achieved.__class__.objects.filter(pk=achieved.pk).update(achieved_at=evening(2025, 3, 31))
    taken_back = plans.goal_create(plan=person.plan, actor=person, dimension="home", title="Job")
    plans.goal_set_status(goal=taken_back, actor=person, status=GoalStatus.ACHIEVED)
    plans.goal_set_status(goal=taken_back, actor=person, status=GoalStatus.ACTIVE)

    figures = by_month(programme_figures(organisation=programme, as_of=AS_OF))
    assert [figures[m].steps_done for m in (JAN, FEB, MAR)] == [1, 1, 0]
    assert [figures[m].goals_achieved for m in (JAN, FEB, MAR)] == [0, 0, 1]


def test_marking_a_goal_achieved_records_when_and_picking_it_up_again_clears_it(programme):
    person = member(programme, "goal", joined=evening(2025, 1, 1))
    goal = plans.goal_create(plan=person.plan, actor=person, dimension="home", title="Keys")
    before = timezone.now()
    plans.goal_set_status(goal=goal, actor=person, status=GoalStatus.ACHIEVED)
    goal.refresh_from_db()
    assert goal.achieved_at >= before
    plans.goal_set_status(goal=goal, actor=person, status=GoalStatus.PAUSED)
    goal.refresh_from_db()
    assert goal.achieved_at is None


def test_lapses_count_by_the_day_the_check_in_was_about(programme):
    person = member(programme, "lapses", joined=evening(2024, 12, 1))
    checked_in(person, date(2025, 1, 31), date(2025, 2, 1), date(2025, 2, 2), date(2025, 4, 1),
               lapses=(date(2025, 1, 31), date(2025, 2, 1), date(2025, 4, 1)))
    figures = by_month(programme_figures(organisation=programme, as_of=AS_OF))
    assert [figures[m].lapses for m in (JAN, FEB, MAR)] == [1, 1, 0]


def test_lapses_count_before_a_person_joined_while_being_active_and_returning_count_from_their_joining(programme):
    """The three are read in one pass over the check-ins; each keeps its own rule about the month of joining."""
    member(programme, "first", joined=evening(2024, 12, 1))  # the months reported begin in December
    early = member(programme, "early", joined=evening(2025, 2, 10))  # checked in on their own before joining
    checked_in(early, date(2024, 12, 20), date(2025, 1, 25), date(2025, 2, 28), lapses=(date(2025, 1, 25),))
    late = member(programme, "late", joined=evening(2025, 4, 2))  # joined after the months reported
    checked_in(late, date(2025, 1, 2), date(2025, 3, 3), lapses=(date(2025, 3, 3),))

    figures = by_month(programme_figures(organisation=programme, as_of=AS_OF))
    assert [figures[m].lapses for m in (JAN, FEB, MAR)] == [1, 0, 1]
    assert [figures[m].active for m in (JAN, FEB, MAR)] == [0, 1, 0]
    assert [figures[m].returns for m in (JAN, FEB, MAR)] == [0, 1, 0]  # 34 days after 25 January


# Changes from first to latest answer ---------------------------------------------------------------------

def recovery(person, when: datetime, ratings: dict, answers: dict | None = None) -> None:
    checkin = checkins.recovery_checkin_record(person=person, answers=answers or {}, dimension_ratings=ratings)
    RecoveryCheckIn.objects.filter(pk=checkin.pk).update(taken_at=when)


def test_dimension_changes_compare_each_persons_first_and_latest_rating(programme):
    up, down, same, once = [member(programme, n, joined=evening(2024, 12, 1)) for n in ("up", "down", "same", "once")]
    recovery(up, evening(2025, 1, 5), {"health": 3, "home": 5, "purpose": 4})
    recovery(up, evening(2025, 2, 5), {"health": 5})  # home skipped here: its latest is the first's
    recovery(up, evening(2025, 3, 5), {"health": 8, "home": 6})
    recovery(up, evening(2025, 3, 31), {"purpose": 2})  # April in UTC, still March in New York
    recovery(up, datetime(2025, 4, 1, 0, 30, tzinfo=NEW_YORK), {"health": 0, "purpose": 9})  # April: not counted
    recovery(down, evening(2025, 1, 5), {"health": 7})
    recovery(down, evening(2025, 2, 5), {"health": 4})
    recovery(same, evening(2025, 1, 5), {"health": 6})
    recovery(same, evening(2025, 2, 5), {"health": 7})
    recovery(once, evening(2025, 1, 5), {"health": 1, "purpose": 4})

    figures = programme_figures(organisation=programme, as_of=AS_OF)
    health = change(figures, "dimension:health")
    assert (health.people, health.lower, health.same, health.higher) == (3, 1, 1, 1)
    assert health.mean_change == pytest.approx((5 - 3 + 1) / 3, abs=0.01)
    assert (health.label, health.scale, health.same_within) == ("Health", "points out of 10", 1)
    assert health.crossed_to_better is None and health.crossed_to_worse is None
    home = change(figures, "dimension:home")
    assert (home.people, home.higher, home.same, home.mean_change) == (1, 0, 1, 1)
    purpose = change(figures, "dimension:purpose")  # "once" rated it once; "up" in January and on 31 March
    assert (purpose.people, purpose.lower, purpose.mean_change) == (1, 1, -2)
    assert change(figures, "dimension:community").mean_change is None
    assert [c.measure for c in figures.changes][:9] == [
        "dimension:health", "dimension:home", "dimension:purpose", "dimension:community", "chime:connectedness",
        "chime:hope", "chime:identity", "chime:meaning", "chime:empowerment"]


def test_chime_changes_are_on_the_0_to_100_scale_and_about_the_same_within_10(programme):
    people = [member(programme, n, joined=evening(2024, 12, 1)) for n in ("a", "b")]
    for person, (first, latest) in zip(people, ((1, 3), (2, 2)), strict=True):
        recovery(person, evening(2025, 1, 5), {}, {"h1": first, "h2": first, "h3": first})
        recovery(person, evening(2025, 2, 5), {}, {"h1": latest, "h2": latest})
    hope = change(programme_figures(organisation=programme, as_of=AS_OF), "chime:hope")
    assert (hope.label, hope.scale, hope.same_within) == ("Hope and optimism", "points out of 100", 10)
    assert (hope.people, hope.higher, hope.same, hope.lower, hope.mean_change) == (2, 1, 1, 0, 25)


def test_questionnaire_changes_with_the_share_crossing_its_cut_off(programme, elsewhere):
    barc = checkins.questionnaire_load(resource=barc_10_shaped(), organisation=programme)
    checkins.questionnaire_load(resource=barc_10_shaped(), organisation=elsewhere)  # not ours: no second row
    people = [member(programme, n, joined=evening(2024, 12, 1)) for n in ("a", "b", "c", "d")]
    scores = {people[0]: (4, 5), people[1]: (5, 4), people[2]: (4, 4), people[3]: (5,)}  # every item alike
    for person, answers in scores.items():
        for month, answer in enumerate(answers, start=1):
            response = checkins.questionnaire_response_record(
                person=person, questionnaire=barc, answers={f"barc{n}": answer for n in range(1, 11)})
            QuestionnaireResponse.objects.filter(pk=response.pk).update(authored_at=evening(2025, month, 10))

    figures = programme_figures(organisation=programme, as_of=AS_OF)
    assert [c.measure for c in figures.changes[9:]] == [  # ours and the one offered to everyone, by title
        "questionnaire:https://example.org/fhir/Questionnaire/barc-10", f"questionnaire:{SNAPSHOT}"]
    barc_change = change(figures, "questionnaire:https://example.org/fhir/Questionnaire/barc-10")
    assert (barc_change.people, barc_change.higher, barc_change.lower, barc_change.same) == (3, 1, 1, 1)
    assert barc_change.same_within == 5  # a tenth of the 10 to 60 range
    assert (barc_change.crossed_to_better, barc_change.crossed_to_worse) == (1, 1)  # 40 -> 50 and 50 -> 40
    assert barc_change.mean_change == 0
