"""Sentences about a person use their pronouns when Pathways knows the set, else their name; never a guess."""
import pytest

from pathways.people.models import User
from pathways.people.pronouns import words_for


@pytest.mark.parametrize(("pronouns", "expected"), [
    ("she/her", ("she", "her", "her", "has")),
    ("He / Him", ("he", "him", "his", "has")),
    ("they/them", ("they", "them", "their", "have")),
    ("she, they", ("she", "her", "her", "has")),
    ("ze/hir", ("Pat", "Pat", "Pat’s", "has")),
    ("", ("Pat", "Pat", "Pat’s", "has")),
])
def test_words_follow_the_persons_own_pronouns_or_their_name(pronouns, expected):
    words = words_for(User(email="pat@example.org", preferred_name="Pat", pronouns=pronouns))
    assert (words.subject, words.object, words.possessive, words.has) == expected
    assert words.name == "Pat"
