"""Whether the nav shows the listening-feedback link to this account."""
from django import template

from pathways.mi.web import selectors

register = template.Library()


@register.simple_tag
def supports_people(user) -> bool:
    return selectors.supports_people(viewer=user)
