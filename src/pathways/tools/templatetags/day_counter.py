"""The day counter on the person's own plan page, only when they ticked "Show it on my plan too".

A tag rather than a value from the plan's view: the plans app sits below tools in the floor plan and cannot
ask for the counter itself; the template names the tag, as base.html names the early-warning one."""
from django import template

from pathways.tools.selectors import day_counter_for_plan

register = template.Library()


@register.inclusion_tag("tools/_day_counter_on_plan.html", takes_context=True)
def day_counter_on_plan(context) -> dict:
    request = context.get("request")
    return {"counter": day_counter_for_plan(viewer=request.user) if request is not None else None}
