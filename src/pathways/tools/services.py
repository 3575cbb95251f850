"""Every write to the person's tools. Each runs in one transaction; a form posted twice saves once."""
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import CostBenefitWorksheet, DailyTick, DayCounter, WellnessItem, WellnessList


def _save_once(obj):
    """Save a new row; a form posted twice (same submission key) returns the row the first post made."""
    model = type(obj)
    if obj.submission_key is not None:
        earlier = model.objects.filter(submission_key=obj.submission_key, person=obj.person).first()
        if earlier is not None:
            return earlier
    obj.full_clean(validate_unique=False)
    try:
        with transaction.atomic():  # a savepoint: a double tap may meet its twin at the unique key
            obj.save()
    except IntegrityError:
        earlier = model.objects.filter(submission_key=obj.submission_key, person=obj.person).first()
        if earlier is None:
            raise
        return earlier
    return obj


# --- cost-benefit worksheets ---------------------------------------------------------------------

def _boxes(values: dict[str, str]) -> dict[str, str]:
    unknown = set(values) - set(CostBenefitWorksheet.BOXES)
    if unknown:
        raise ValidationError(f"Unknown worksheet boxes: {sorted(unknown)}")
    return {name: (values.get(name) or "").strip() for name in CostBenefitWorksheet.BOXES}


@transaction.atomic
def worksheet_create(*, person, submission_key: uuid.UUID | None = None, **boxes: str) -> CostBenefitWorksheet:
    """A new worksheet. Any box may be left empty; all four empty is still the person's choice to keep."""
    return _save_once(CostBenefitWorksheet(person=person, submission_key=submission_key, **_boxes(boxes)))


@transaction.atomic
def worksheet_update(*, worksheet: CostBenefitWorksheet, **boxes: str) -> CostBenefitWorksheet:
    for name, text in _boxes(boxes).items():
        setattr(worksheet, name, text)
    worksheet.updated_at = timezone.now()
    worksheet.full_clean()
    worksheet.save()
    return worksheet


@transaction.atomic
def worksheet_delete(*, worksheet: CostBenefitWorksheet) -> None:
    worksheet.delete()


# --- the wellness toolbox and its lists ----------------------------------------------------------

def _next_order(person, kind: str) -> int:
    highest = WellnessItem.objects.filter(person=person, kind=kind).aggregate(highest=Max("order"))["highest"]
    return (highest or 0) + 1


@transaction.atomic
def wellness_item_add(*, person, kind: str, text: str, submission_key: uuid.UUID | None = None) -> WellnessItem:
    return _save_once(WellnessItem(person=person, kind=kind, text=text.strip(), order=_next_order(person, kind),
                                   submission_key=submission_key))


@transaction.atomic
def wellness_item_update(*, item: WellnessItem, kind: str, text: str) -> WellnessItem:
    if kind != item.kind:  # moved to another list: it goes to that list's end
        item.kind, item.order = kind, _next_order(item.person, kind)
    item.text = text.strip()
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def wellness_item_delete(*, item: WellnessItem) -> None:
    item.delete()


@transaction.atomic
def wellness_item_move(*, item: WellnessItem, direction: str) -> WellnessItem:
    """Swap the item with its neighbour above ("up") or below ("down") on its list; at either end, nothing moves."""
    if direction not in ("up", "down"):
        raise ValidationError("Move an item up or down.")
    siblings = list(WellnessItem.objects.select_for_update().filter(person=item.person, kind=item.kind)
                    .order_by("order", "pk"))
    # Renumber first, so two items that share a number (an older row, say) still swap cleanly.
    for position, sibling in enumerate(siblings, start=1):
        sibling.order = position
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index].order, siblings[other].order = siblings[other].order, siblings[index].order
    WellnessItem.objects.bulk_update(siblings, ["order"])
    item.order = siblings[index].order
    return item


@transaction.atomic
def daily_tick_set(*, item: WellnessItem, done: bool, day: date | None = None) -> bool:
    """Tick (or untick) an "every day" item for a day, today unless said. Ticking twice keeps one tick."""
    if item.kind != WellnessList.DAILY:
        raise ValidationError("Only items on the every-day list can be ticked.")
    day = day or timezone.localdate()
    if done:
        DailyTick.objects.get_or_create(item=item, day=day)
    else:
        DailyTick.objects.filter(item=item, day=day).delete()
    return done


# --- the day counter -------------------------------------------------------------------------------

def _check_start(started_on: date) -> None:
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "The date it counts from cannot be after today."})


@transaction.atomic
def day_counter_set(*, person, what_it_counts: str, started_on: date, show_on_plan: bool = False) -> DayCounter:
    """Turn the counter on, or change what it counts, its date or where it shows. Only the person calls this:
    nothing else in Pathways (a lapse noted in a check-in included) touches the counter."""
    _check_start(started_on)
    counter = DayCounter.objects.select_for_update().filter(person=person).first() or DayCounter(person=person)
    counter.what_it_counts, counter.started_on = what_it_counts.strip(), started_on
    counter.show_on_plan, counter.updated_at = show_on_plan, timezone.now()
    counter.full_clean(validate_unique=False)
    counter.save()
    return counter


@transaction.atomic
def day_counter_turn_off(*, person) -> bool:
    """Turn the counter off: it is deleted, and turning it on again starts from a date the person chooses."""
    deleted, _ = DayCounter.objects.filter(person=person).delete()
    return bool(deleted)
