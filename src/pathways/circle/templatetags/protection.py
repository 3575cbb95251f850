"""The notice above every page that shows someone else's information: on what authority it is shown.

Under a consent it reminds the reader the information is protected. Under emergency access it says so plainly,
that every look is logged and the person is told, and when it ends: the page must never claim a consent that
was not given.
"""
from django import template

from ..policy import Access, Category, decide

register = template.Library()


@register.inclusion_tag("circle/protected_notice.html", takes_context=True)
def protected_notice(context, person, category: str = Category.PLAN) -> dict:
    """`category` is the part the page shows; its decision (only asked, never logged here) names the authority."""
    viewer = context["request"].user
    decision = decide(viewer, person, Category(category), Access.VIEW) if person is not None else None
    return {"emergency": decision.emergency if decision else None, "person": person}
