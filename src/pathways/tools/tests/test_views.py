"""The tools pages: each the person's own (anyone else gets 404), each form keeps what was typed when it
cannot save, and a form posted twice saves once."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.tools import services
from pathways.tools.models import CostBenefitWorksheet, DailyTick, DayCounter, WellnessItem

pytestmark = pytest.mark.django_db

BOXES = {"using_gives": "It quietens my head", "using_costs": "My rent money",
         "changing_gives": "Seeing my kids on Sundays", "changing_costs": "Losing the Friday crowd"}
KEY = "0f8e5c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"


def _text(response) -> str:
    return response.content.decode()


class TestIndex:
    def test_it_lists_the_exercises_first_then_the_other_tools_and_the_safety_plan(self, pat_client):
        page = _text(pat_client.get(reverse("tools:index")))
        assert page.index("Short exercises") < page.index("Cost-benefit worksheet") < page.index("Day counter")
        for name in ("tools:grounding", "tools:breathing", "tools:urge_surfing", "tools:worksheets",
                     "tools:toolbox", "safety:plan"):
            assert f'href="{reverse(name)}"' in page

    def test_the_day_counter_is_off_by_default(self, pat_client):
        page = _text(pat_client.get(reverse("tools:index")))
        assert "Turn on a day counter" in page and 'class="day-counter"' not in page

    def test_staff_and_signed_out_visitors_have_no_tools_page(self, client, lee):
        assert client.get(reverse("tools:index")).status_code == 302  # to log in
        client.force_login(lee)
        assert client.get(reverse("tools:index")).status_code == 404

    def test_a_staff_account_can_add_nothing(self, client, lee):
        client.force_login(lee)
        assert client.post(reverse("tools:toolbox"), {"list": "daily", "daily-text": "A walk"}).status_code == 404
        assert client.post(reverse("tools:worksheet_new"), BOXES).status_code == 404
        assert client.post(reverse("tools:day_counter"), {"what_it_counts": "days", "started_on": "2026-01-01"}
                           ).status_code == 404
        assert not WellnessItem.objects.exists() and not CostBenefitWorksheet.objects.exists()
        assert not DayCounter.objects.exists()

    def test_the_menu_links_to_the_tools_for_people_in_recovery(self, pat_client):
        assert f'href="{reverse("tools:index")}"' in _text(pat_client.get(reverse("plans:plan")))


class TestExercises:
    @pytest.mark.parametrize("name", ["tools:urge_surfing", "tools:grounding", "tools:breathing"])
    def test_each_is_readable_by_anyone_with_every_step_on_the_page(self, client, name):
        response = client.get(reverse(name))
        page = _text(response)
        assert response.status_code == 200
        assert page.count('class="exercise-step"') >= 5
        assert "<audio" not in page and "<video" not in page and "autoplay" not in page


class TestWorksheets:
    def test_saving_keeps_all_four_boxes_and_opens_the_worksheet_again(self, pat_client, pat):
        response = pat_client.post(reverse("tools:worksheet_new"), BOXES | {"submission_key": KEY})
        worksheet = CostBenefitWorksheet.objects.get(person=pat)
        assert response["Location"] == reverse("tools:worksheet", args=[worksheet.public_id])
        page = _text(pat_client.get(response["Location"]))
        for words in BOXES.values():
            assert words in page
        assert "Last saved" in page

    def test_a_worksheet_posted_twice_is_saved_once(self, pat_client, pat):
        for _ in range(2):
            pat_client.post(reverse("tools:worksheet_new"), BOXES | {"submission_key": KEY})
        assert CostBenefitWorksheet.objects.filter(person=pat).count() == 1

    def test_an_empty_worksheet_can_be_saved(self, pat_client, pat):
        assert pat_client.post(reverse("tools:worksheet_new"), {}).status_code == 302
        assert CostBenefitWorksheet.objects.get(person=pat).is_empty

    def test_a_box_too_long_keeps_everything_typed(self, pat_client, pat):
        response = pat_client.post(reverse("tools:worksheet_new"), BOXES | {"using_costs": "x" * 4001})
        page = _text(response)
        assert response.status_code == 200 and "Something needs a second look" in page
        assert BOXES["changing_gives"] in page and "x" * 4001 in page
        assert not CostBenefitWorksheet.objects.exists()

    def test_editing_changes_the_words_and_the_list_shows_newest_first(self, pat_client, pat):
        older = services.worksheet_create(person=pat, using_gives="Older")
        newer = services.worksheet_create(person=pat, using_gives="Newer")
        page = _text(pat_client.get(reverse("tools:worksheets")))
        assert page.index(str(newer.public_id)) < page.index(str(older.public_id))
        pat_client.post(reverse("tools:worksheet", args=[older.public_id]), BOXES)
        older.refresh_from_db()
        assert older.using_gives == BOXES["using_gives"]

    def test_deleting_asks_first_then_deletes(self, pat_client, pat):
        worksheet = services.worksheet_create(person=pat, using_gives="Gone soon")
        url = reverse("tools:worksheet_delete", args=[worksheet.public_id])
        assert "Delete this worksheet?" in _text(pat_client.get(url))
        assert CostBenefitWorksheet.objects.exists()
        assert pat_client.post(url)["Location"] == reverse("tools:worksheets")
        assert not CostBenefitWorksheet.objects.exists()

    def test_another_persons_worksheet_is_not_found(self, client, pat, rue):
        worksheet = services.worksheet_create(person=pat, using_gives="Mine alone")
        client.force_login(rue)
        for name in ("tools:worksheet", "tools:worksheet_delete"):
            url = reverse(name, args=[worksheet.public_id])
            assert client.get(url).status_code == 404
            assert client.post(url, BOXES).status_code == 404
        worksheet.refresh_from_db()
        assert worksheet.using_gives == "Mine alone"


class TestToolbox:
    def _add(self, client, kind, text, **extra):
        return client.post(reverse("tools:toolbox"), {"list": kind, f"{kind}-text": text, **extra})

    def test_adding_to_each_list(self, pat_client, pat):
        for kind in ("toolbox", "daily", "triggered"):
            assert self._add(pat_client, kind, f"On {kind}").status_code == 302
        page = _text(pat_client.get(reverse("tools:toolbox")))
        assert page.index("On toolbox") < page.index("On daily") < page.index("On triggered")

    def test_an_empty_line_is_refused_and_other_lists_are_untouched(self, pat_client, pat):
        response = self._add(pat_client, "daily", "   ")
        assert response.status_code == 200 and "Write a few words" in _text(response)
        assert not WellnessItem.objects.exists()

    def test_a_line_too_long_keeps_what_was_typed(self, pat_client):
        response = self._add(pat_client, "toolbox", "y" * 301)
        assert response.status_code == 200 and "y" * 301 in _text(response)

    def test_a_line_posted_twice_is_added_once(self, pat_client, pat):
        for _ in range(2):
            self._add(pat_client, "daily", "Take my tablets", **{"daily-submission_key": KEY})
        assert WellnessItem.objects.filter(person=pat).count() == 1

    def test_moving_ticking_editing_and_removing(self, pat_client, pat):
        first = services.wellness_item_add(person=pat, kind="daily", text="Breakfast")
        second = services.wellness_item_add(person=pat, kind="daily", text="A walk")
        pat_client.post(reverse("tools:item_move", args=[second.public_id]), {"direction": "up"})
        assert list(WellnessItem.objects.filter(kind="daily").order_by("order").values_list("pk", flat=True)) == [
            second.pk, first.pk]
        pat_client.post(reverse("tools:item_tick", args=[first.public_id]), {"done": "on"})
        assert DailyTick.objects.filter(item=first, day=timezone.localdate()).exists()
        assert "Untick" in _text(pat_client.get(reverse("tools:toolbox")))
        pat_client.post(reverse("tools:item_edit", args=[first.public_id]), {"kind": "toolbox", "text": "Porridge"})
        first.refresh_from_db()
        assert (first.kind, first.text) == ("toolbox", "Porridge")
        pat_client.post(reverse("tools:item_delete", args=[first.public_id]))
        assert not WellnessItem.objects.filter(pk=first.pk).exists()

    def test_the_page_shows_no_streak_or_count(self, pat_client, pat):
        item = services.wellness_item_add(person=pat, kind="daily", text="Breakfast")
        for days_ago in range(5):
            services.daily_tick_set(item=item, done=True, day=timezone.localdate() - timedelta(days=days_ago))
        page = _text(pat_client.get(reverse("tools:toolbox"))).lower()
        assert "streak" not in page and "5 days" not in page and "in a row" not in page

    def test_another_persons_lines_are_not_found(self, client, pat, rue):
        item = services.wellness_item_add(person=pat, kind="daily", text="Mine")
        client.force_login(rue)
        assert client.get(reverse("tools:item_edit", args=[item.public_id])).status_code == 404
        for name, data in (("tools:item_move", {"direction": "up"}), ("tools:item_tick", {"done": "on"}),
                           ("tools:item_delete", {}), ("tools:item_edit", {"kind": "daily", "text": "Theirs"})):
            assert client.post(reverse(name, args=[item.public_id]), data).status_code == 404
        assert WellnessItem.objects.get(pk=item.pk).text == "Mine" and not DailyTick.objects.exists()


class TestDayCounter:
    def test_turning_it_on_shows_it_on_the_tools_page(self, pat_client, pat):
        started = timezone.localdate() - timedelta(days=9)
        response = pat_client.post(reverse("tools:day_counter"), {
            "what_it_counts": "days on my medication", "started_on": started.isoformat()})
        assert response["Location"] == reverse("tools:index")
        page = _text(pat_client.get(reverse("tools:index")))
        assert "Days on my medication:" in page and '<strong class="day-counter-days">9</strong>' in page

    def test_a_date_after_today_keeps_what_was_typed(self, pat_client):
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = pat_client.post(reverse("tools:day_counter"), {"what_it_counts": "days I went to the group",
                                                                  "started_on": tomorrow})
        page = _text(response)
        assert response.status_code == 200 and "cannot be after today" in page
        assert "days I went to the group" in page and tomorrow in page
        assert not DayCounter.objects.exists()

    def test_turning_it_off_deletes_it(self, pat_client, pat):
        services.day_counter_set(person=pat, what_it_counts="days", started_on=timezone.localdate())
        pat_client.post(reverse("tools:day_counter_off"))
        assert not DayCounter.objects.exists()
        assert "Turn on a day counter" in _text(pat_client.get(reverse("tools:index")))


def test_the_counter_shows_on_the_plan_only_when_the_person_ticks_it(pat_client, pat):
    services.day_counter_set(person=pat, what_it_counts="days I went to the group", started_on=timezone.localdate())
    assert "days I went to the group" not in _text(pat_client.get(reverse("plans:plan")))
    pat_client.post(reverse("tools:day_counter"), {"what_it_counts": "days I went to the group",
                                                   "started_on": timezone.localdate().isoformat(),
                                                   "show_on_plan": "on"})
    assert "Days I went to the group:" in _text(pat_client.get(reverse("plans:plan")))


def test_the_tools_page_links_to_the_urge_log_when_it_exists(pat_client):
    from pathways.tools.views import _urge_log_url

    url = _urge_log_url()
    page = _text(pat_client.get(reverse("tools:index")))
    assert (url is not None and f'href="{url}"' in page) or (url is None and "Urge log" not in page)
