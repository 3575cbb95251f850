"""`{% named_professional_of person as professional %}`: the professional the person's organisation named as
theirs (pathways.people.selectors.named_professional), for a page that mentions them."""
from django import template

from ..selectors import named_professional

register = template.Library()


@register.simple_tag
def named_professional_of(person):
    return named_professional(person=person)
