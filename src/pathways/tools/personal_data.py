"""What the tools app holds about a person (see pathways.lib.personal_data): worksheets, lists, ticks, counter.

All of it is the person's own and goes with the account (CASCADE); no one else's record names it."""
from pathways.lib.personal_data import holds, values

from .models import CostBenefitWorksheet, DailyTick, DayCounter, WellnessItem


def export_tools(user) -> dict:
    counter = DayCounter.objects.filter(person=user).first()
    ticks: dict[int, list] = {}
    for item_id, day in DailyTick.objects.filter(item__person=user).order_by("day").values_list("item_id", "day"):
        ticks.setdefault(item_id, []).append(day)
    return {
        "cost_benefit_worksheets": values(
            CostBenefitWorksheet.objects.filter(person=user).order_by("created_at", "pk"),
            *CostBenefitWorksheet.BOXES, "created_at", "updated_at"),
        "wellness_lists": [
            {"list": item.kind, "text": item.text, "order": item.order, "created_at": item.created_at,
             "ticked_on": ticks.get(item.pk, [])}
            for item in WellnessItem.objects.filter(person=user).order_by("kind", "order", "pk")
        ],
        "day_counter": ({"what_it_counts": counter.what_it_counts, "started_on": counter.started_on,
                         "show_on_plan": counter.show_on_plan, "updated_at": counter.updated_at}
                        if counter else None),
    }


holds("tools", models=["tools.CostBenefitWorksheet", "tools.WellnessItem", "tools.DailyTick", "tools.DayCounter"],
      export=export_tools)
