"""The gentle box that shows a person their unopened early-warning notes, on whichever page they open next."""
from django import template

from pathways.checkins import selectors

register = template.Library()


@register.inclusion_tag("checkins/_gentle_notes.html", takes_context=True)
def gentle_notes(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notes": []}
    return {"notes": selectors.gentle_notes_unseen(person=user, viewer=user), "request": request,
            "csrf_token": context.get("csrf_token")}
