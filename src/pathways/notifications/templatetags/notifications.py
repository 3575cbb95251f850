"""The unread count shown in the header on every page."""
from django import template

from pathways.notifications import selectors

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    return selectors.unread_count(viewer=user) if user.is_authenticated else 0
