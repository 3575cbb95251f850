"""The tools' writes: worksheets kept over time, the lists and their order, a day's tick, and a day counter that
only the person changes."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from pathways.checkins import services as checkins
from pathways.checkins.models import UseLog
from pathways.records.export import my_data
from pathways.tools import selectors, services
from pathways.tools.models import CostBenefitWorksheet, DailyTick, DayCounter, WellnessItem, WellnessList

pytestmark = pytest.mark.django_db


def _stored(table: str, column: str, pk: int) -> str:
    """The column as the database holds it, past the field that decrypts it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # nosec B608 (the test's own names)
        return cursor.fetchone()[0]


def _texts(items) -> list[str]:
    return [item.text for item in items]


class TestWorksheets:
    def test_a_worksheet_keeps_all_four_boxes_encrypted_at_rest(self, pat):
        worksheet = services.worksheet_create(person=pat, using_gives="Quiet head", using_costs="Rent money",
                                              changing_gives="Mornings back", changing_costs="Friday nights")
        assert "Rent money" not in _stored("tools_costbenefitworksheet", "using_costs", worksheet.pk)
        worksheet.refresh_from_db()
        assert worksheet.boxes()[1] == ("What using costs me", ["Rent money"])

    def test_every_box_may_be_left_empty(self, pat):
        worksheet = services.worksheet_create(person=pat)
        assert worksheet.is_empty and worksheet.pk

    def test_worksheets_are_kept_over_time_newest_first(self, pat):
        first = services.worksheet_create(person=pat, using_gives="Older")
        second = services.worksheet_create(person=pat, using_gives="Newer")
        assert selectors.worksheet_list(viewer=pat) == [second, first]
        services.worksheet_update(worksheet=first, using_gives="Older, looked at again")
        assert selectors.worksheet_list(viewer=pat) == [first, second]

    def test_the_same_submission_saves_once(self, pat):
        key = "5b0e2f3c-7d6a-4b1e-9c2d-1a2b3c4d5e6f"
        services.worksheet_create(person=pat, using_gives="Once", submission_key=key)
        services.worksheet_create(person=pat, using_gives="Once", submission_key=key)
        assert CostBenefitWorksheet.objects.filter(person=pat).count() == 1

    def test_an_update_changes_the_last_saved_time(self, pat):
        worksheet = services.worksheet_create(person=pat, using_gives="First")
        before = worksheet.updated_at
        services.worksheet_update(worksheet=worksheet, using_gives="Second")
        worksheet.refresh_from_db()
        assert worksheet.using_gives == "Second" and worksheet.updated_at > before

    def test_someone_elses_worksheet_is_not_found(self, pat, rue):
        worksheet = services.worksheet_create(person=pat, using_gives="Mine")
        with pytest.raises(Exception) as raised:
            selectors.worksheet_get(worksheet_id=worksheet.public_id, viewer=rue)
        assert raised.typename == "Http404"


class TestWellnessLists:
    def test_items_go_to_the_end_of_their_own_list(self, pat):
        services.wellness_item_add(person=pat, kind=WellnessList.DAILY, text="Breakfast")
        services.wellness_item_add(person=pat, kind=WellnessList.TOOLBOX, text="My sister")
        services.wellness_item_add(person=pat, kind=WellnessList.DAILY, text="A walk")
        lists = {shown.kind: _texts(shown.items) for shown in selectors.wellness_lists(viewer=pat)}
        assert lists == {"toolbox": ["My sister"], "daily": ["Breakfast", "A walk"], "triggered": []}

    def test_moving_up_and_down_swaps_neighbours_and_stops_at_the_ends(self, pat):
        a, b, c = (services.wellness_item_add(person=pat, kind="toolbox", text=t) for t in "abc")
        services.wellness_item_move(item=c, direction="up")
        services.wellness_item_move(item=a, direction="up")  # already first: nothing moves
        daily = selectors.wellness_lists(viewer=pat)[0]
        assert _texts(daily.items) == ["a", "c", "b"]
        services.wellness_item_move(item=a, direction="down")
        assert _texts(selectors.wellness_lists(viewer=pat)[0].items) == ["c", "a", "b"]

    def test_a_tick_is_for_one_day_and_ticking_twice_keeps_one(self, pat):
        item = services.wellness_item_add(person=pat, kind="daily", text="Take my tablets")
        services.daily_tick_set(item=item, done=True)
        services.daily_tick_set(item=item, done=True)
        services.daily_tick_set(item=item, done=True, day=timezone.localdate() - timedelta(days=1))
        assert DailyTick.objects.filter(item=item).count() == 2
        assert selectors.wellness_lists(viewer=pat)[1].items[0].ticked_today
        services.daily_tick_set(item=item, done=False)
        assert not selectors.wellness_lists(viewer=pat)[1].items[0].ticked_today

    def test_only_every_day_items_are_ticked(self, pat):
        item = services.wellness_item_add(person=pat, kind="toolbox", text="Music")
        with pytest.raises(ValidationError):
            services.daily_tick_set(item=item, done=True)

    def test_moving_an_item_to_another_list_puts_it_at_that_lists_end(self, pat):
        services.wellness_item_add(person=pat, kind="triggered", text="Leave the room")
        item = services.wellness_item_add(person=pat, kind="toolbox", text="Ring Jo")
        services.wellness_item_update(item=item, kind="triggered", text="Ring Jo")
        assert _texts(selectors.wellness_lists(viewer=pat)[2].items) == ["Leave the room", "Ring Jo"]

    def test_the_text_is_encrypted_at_rest(self, pat):
        item = services.wellness_item_add(person=pat, kind="toolbox", text="The allotment")
        assert "allotment" not in _stored("tools_wellnessitem", "text", item.pk)


class TestDayCounter:
    def test_it_is_off_until_the_person_turns_it_on(self, pat):
        assert selectors.day_counter_get(viewer=pat) is None

    def test_it_counts_days_from_the_chosen_date(self, pat):
        today = timezone.localdate()
        services.day_counter_set(person=pat, what_it_counts="days since I last gambled",
                                 started_on=today - timedelta(days=12))
        assert selectors.day_counter_get(viewer=pat).days == 12
        assert selectors.day_counter_get(viewer=pat, today=today + timedelta(days=3)).days == 15

    def test_a_lapse_noted_in_a_check_in_never_resets_it(self, pat):
        today = timezone.localdate()
        started = today - timedelta(days=30)
        services.day_counter_set(person=pat, what_it_counts="days since I last drank", started_on=started)
        checkins.daily_checkin_save(person=pat, day=today, answers={"mood": 2},
                                    use={"used": "yes", "is_lapse": True, "what_was_happening": "A hard day"})
        checkins.daily_checkin_save(person=pat, day=today - timedelta(days=2), answers={},
                                    use={"used": "yes", "is_lapse": True})
        assert UseLog.objects.filter(checkin__person=pat, is_lapse=True).count() == 2  # the lapses were recorded
        counter = DayCounter.objects.get(person=pat)
        assert counter.started_on == started and counter.what_it_counts == "days since I last drank"
        assert selectors.day_counter_get(viewer=pat).days == 30
        assert selectors.day_counter_get(viewer=pat, today=today + timedelta(days=1)).days == 31  # counting on

    def test_the_person_can_change_the_date_and_the_name(self, pat):
        today = timezone.localdate()
        services.day_counter_set(person=pat, what_it_counts="days on my medication", started_on=today)
        services.day_counter_set(person=pat, what_it_counts="days on methadone", started_on=today - timedelta(days=4),
                                 show_on_plan=True)
        counter = DayCounter.objects.get(person=pat)
        assert (counter.what_it_counts, counter.days_on(today), counter.show_on_plan) == ("days on methadone", 4, True)

    def test_a_date_after_today_is_refused(self, pat):
        with pytest.raises(ValidationError):
            services.day_counter_set(person=pat, what_it_counts="days",
                                     started_on=timezone.localdate() + timedelta(days=1))

    def test_turning_it_off_deletes_it(self, pat):
        services.day_counter_set(person=pat, what_it_counts="days I went to the group", started_on=timezone.localdate())
        assert services.day_counter_turn_off(person=pat)
        assert not DayCounter.objects.filter(person=pat).exists()
        assert not services.day_counter_turn_off(person=pat)

    def test_it_shows_on_the_plan_only_when_the_person_chose_that(self, pat):
        services.day_counter_set(person=pat, what_it_counts="days", started_on=timezone.localdate())
        assert selectors.day_counter_for_plan(viewer=pat) is None
        services.day_counter_set(person=pat, what_it_counts="days", started_on=timezone.localdate(), show_on_plan=True)
        assert selectors.day_counter_for_plan(viewer=pat).days == 0


def test_staff_accounts_have_no_tools_of_their_own(lee):
    with pytest.raises(Exception) as raised:
        selectors.wellness_lists(viewer=lee)
    assert raised.typename == "Http404"


def test_the_download_holds_every_tool(pat):
    services.worksheet_create(person=pat, using_gives="Calm")
    item = services.wellness_item_add(person=pat, kind="daily", text="Water the plants")
    services.daily_tick_set(item=item, done=True)
    services.day_counter_set(person=pat, what_it_counts="days", started_on=timezone.localdate())
    tools = my_data(user=pat)["tools"]
    assert tools["cost_benefit_worksheets"][0]["using_gives"] == "Calm"
    assert tools["wellness_lists"][0]["text"] == "Water the plants"
    assert tools["wellness_lists"][0]["ticked_on"] == [timezone.localdate()]
    assert tools["day_counter"]["what_it_counts"] == "days"


def test_deleting_the_account_deletes_every_tool(pat):
    from pathways.records.deletion import account_delete

    services.worksheet_create(person=pat, using_gives="Calm")
    item = services.wellness_item_add(person=pat, kind="daily", text="Water the plants")
    services.daily_tick_set(item=item, done=True)
    services.day_counter_set(person=pat, what_it_counts="days", started_on=timezone.localdate())
    account_delete(user=pat)
    assert not CostBenefitWorksheet.objects.exists() and not WellnessItem.objects.exists()
    assert not DailyTick.objects.exists() and not DayCounter.objects.exists()
