"""`{% words_for person as about %}`: speak of someone in a template in their own pronouns, else by name
(pathways.people.pronouns), never a guessed "they"."""
from django import template

from ..pronouns import Words
from ..pronouns import words_for as _words_for

register = template.Library()


@register.simple_tag
def words_for(person) -> Words:
    return _words_for(person)
