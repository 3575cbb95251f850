"""`{% may_message person as yes %}`: whether to offer the signed-in supporter a link to their conversation with
the person, for pages of apps below this one (the crisis-alert page), which may name the URL but not import us."""
from django import template

from pathways.conversations.selectors import may_message as _may_message

register = template.Library()


@register.simple_tag(takes_context=True)
def may_message(context, person) -> bool:
    request = context.get("request")
    return request is not None and _may_message(viewer=request.user, person=person)
