"""Words for speaking about someone to others: their pronouns when Pathways knows how to use them, else their name.

A person writes their pronouns in their own words ("she/her", "they/them", "ze/hir" ...). Sentences about them
(an alert to a supporter) use the three common sets; for any other set, the name is used throughout rather
than guessing, or falling back to "they" for someone who did not choose it.
"""
from dataclasses import dataclass

# subject, object, possessive, and the verb "have" as it agrees with the subject
KNOWN_SETS = {
    "she": ("she", "her", "her", "has"),
    "he": ("he", "him", "his", "has"),
    "they": ("they", "them", "their", "have"),
}


@dataclass(frozen=True)
class Words:
    name: str
    subject: str
    object: str
    possessive: str
    has: str


def words_for(user) -> Words:
    name = user.display_name
    first = user.pronouns.replace(",", "/").split("/")[0].strip().lower() if user.pronouns else ""
    if first in KNOWN_SETS:
        return Words(name, *KNOWN_SETS[first])
    return Words(name, subject=name, object=name, possessive=f"{name}’s", has="has")
