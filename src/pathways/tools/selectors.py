"""Reads of the person's own tools. Each is the viewer's alone: no grant, no emergency access opens them, and
anything not the viewer's answers 404 as if it did not exist."""
from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils import timezone

from pathways.people.selectors import is_person_in_recovery

from .models import CostBenefitWorksheet, DailyTick, DayCounter, WellnessItem, WellnessList


def tools_require_owner(viewer) -> None:
    """Tools are for people in recovery (staff accounts have none of their own), like the plan they sit beside:
    anyone else is answered 404, as if the page did not exist."""
    if not is_person_in_recovery(viewer):
        raise Http404




def worksheet_list(*, viewer) -> list[CostBenefitWorksheet]:
    tools_require_owner(viewer)
    return list(CostBenefitWorksheet.objects.filter(person=viewer).order_by("-updated_at", "-pk"))


def worksheet_get(*, worksheet_id, viewer) -> CostBenefitWorksheet:
    tools_require_owner(viewer)
    worksheet = CostBenefitWorksheet.objects.filter(public_id=worksheet_id, person=viewer).first()
    if worksheet is None:
        raise Http404
    return worksheet


@dataclass(frozen=True)
class ListView:
    kind: str
    title: str
    items: list[WellnessItem]


def wellness_lists(*, viewer) -> list[ListView]:
    """The viewer's three lists in their order, each "every day" item marked with whether it is ticked today."""
    tools_require_owner(viewer)
    items = list(WellnessItem.objects.filter(person=viewer).order_by("order", "pk"))
    ticked = set(DailyTick.objects.filter(item__person=viewer, day=timezone.localdate())
                 .values_list("item_id", flat=True))
    for item in items:
        item.ticked_today = item.pk in ticked
    return [ListView(kind=kind, title=title, items=[item for item in items if item.kind == kind])
            for kind, title in WellnessList.choices]


def wellness_item_get(*, item_id, viewer) -> WellnessItem:
    tools_require_owner(viewer)
    item = WellnessItem.objects.filter(public_id=item_id, person=viewer).first()
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class CounterView:
    counter: DayCounter
    days: int


def day_counter_get(*, viewer, today: date | None = None) -> CounterView | None:
    """The viewer's day counter and its days today, or None while it is off (as it is until they turn it on)."""
    tools_require_owner(viewer)
    counter = DayCounter.objects.filter(person=viewer).first()
    if counter is None:
        return None
    return CounterView(counter=counter, days=counter.days_on(today or timezone.localdate()))


def day_counter_for_plan(*, viewer) -> CounterView | None:
    """The counter, only if the person chose to show it on their plan."""
    if not is_person_in_recovery(viewer):
        return None
    view = day_counter_get(viewer=viewer)
    return view if view is not None and view.counter.show_on_plan else None
