"""The words for what a person shares (see circle/wording.py), for the circle's templates."""
from django import template

from .. import wording

register = template.Library()

register.filter("grant_title", wording.grant_title)
register.filter("left_out", wording.left_out)
register.filter("short_name", wording.short)
register.filter("yours", wording.yours)


@register.filter
def yours_spoken(categories: list[str]) -> str:
    """"your plan, your check-ins and your safety plan"."""
    return wording.spoken_list([wording.yours(category) for category in categories])


@register.filter
def yours_listed(categories: list[str]) -> str:
    """"your plan, your safety plan": a list to glance over after a colon."""
    return ", ".join(wording.yours(category) for category in categories)
