"""Content notes: a calm word before a question about harm, saying truthfully who an answer would reach.

    {% load content_notes %}
    {% harm_note "checkin" %}         before the daily check-in's question about thoughts of harming oneself
    {% harm_note "questionnaire" %}   before a questionnaire's first risk item
    {% sign_watch_note %}             on the check-in: who is told when answers match a watched early sign
"""
from django import template

from pathways.web.selectors import who_would_be_told

register = template.Library()


def _own_choices(context):
    """The signed-in person's choices of who is told; None for anyone else (nothing to say about them)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return who_would_be_told(person=user)


@register.inclusion_tag("includes/harm_note.html", takes_context=True)
def harm_note(context, kind: str = "checkin") -> dict:
    return {"told": _own_choices(context), "kind": kind}


@register.inclusion_tag("includes/sign_watch_note.html", takes_context=True)
def sign_watch_note(context) -> dict:
    return {"told": _own_choices(context)}


@register.filter
def names(people: list[str]) -> str:
    """"Sam", "Sam and Lee", "Ari, Sam and Lee"."""
    return " and ".join(people) if len(people) < 3 else ", ".join(people[:-1]) + " and " + people[-1]
