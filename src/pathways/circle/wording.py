"""How the person's pages name what they share, the same way everywhere: a consent's title ("Plan, safety plan
and check-ins — signed 3 Dec 2026"), what ends when they stop sharing, and an access-log refusal that only left
a part out of a page the supporter opened."""
from collections.abc import Iterable

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from .models import AccessLogEntry, Category, Grant
from .policy import OPENED_PAGE

# Short enough for a link ("Stop sharing check-ins") and a title; `Category`'s own labels speak as the person.
SHORT = {
    Category.PLAN: "plan",
    Category.CHECKINS: "check-ins",
    Category.MEASURES: "recovery measures",
    Category.USE_LOG: "use log",
    Category.SAFETY_PLAN: "safety plan",
    Category.NOTES: "session notes",
    Category.EARLY_WARNING: "early-warning alerts",
    Category.CRISIS_ALERTS: "crisis alerts",
    Category.ABOUT_ME: "about me",
    Category.REACH_ME: "how to reach me",
    Category.MESSAGES: "messages",
    Category.COUNSELLING_NOTES: "counselling notes",
}
# Spoken to the person: "Sam will no longer see your check-ins".
YOURS = {category: f"your {short}" for category, short in SHORT.items()} | {
    Category.ABOUT_ME: "your “about me”",
    Category.REACH_ME: "how to reach you",
}
PLURAL = {Category.CHECKINS, Category.MEASURES, Category.NOTES, Category.EARLY_WARNING, Category.CRISIS_ALERTS,
          Category.MESSAGES, Category.COUNSELLING_NOTES}


def short(category: str) -> str:
    return SHORT.get(category, category.replace("_", " "))


def yours(category: str) -> str:
    return YOURS.get(category, short(category))


def in_order(categories: Iterable[str]) -> list[str]:
    """Each category once, in the order the sharing form lists them."""
    chosen = set(categories)
    return [category for category in Category.values if category in chosen]


def categories_of(grants: Iterable[Grant]) -> list[str]:
    return in_order(item.category for grant in grants for item in grant.items.all())


def spoken_list(words: list[str], last: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    return f"{', '.join(words[:-1])} {last} {words[-1]}" if len(words) > 1 else "".join(words)


def grant_title(grant: Grant) -> str:
    """"Plan and check-ins — signed 3 Dec 2026": what a consent covers and when it was signed, so two consents
    for the same supporter can be told apart at a glance."""
    covers = capfirst(spoken_list([short(category) for category in categories_of([grant])]))
    return f"{covers} — signed {date_format(timezone.localtime(grant.signed_at), 'j M Y')}"


def left_out(entry: AccessLogEntry) -> str:
    """A refusal that happened only because the viewer opened a page showing what is shared, in words that say
    so ("Sam opened your progress page; your recovery measures are not shared with Sam, so they were not
    shown."); empty for every other entry, which keeps its usual wording."""
    if entry.allowed or entry.is_change or entry.emergency or not entry.purpose.startswith(OPENED_PAGE):
        return ""
    name, page = entry.viewer_name, entry.purpose.removeprefix(OPENED_PAGE)
    verb, it_was = ("are", "they were") if entry.category in PLURAL else ("is", "it was")
    return f"{name} opened {page}; {yours(entry.category)} {verb} not shared with {name}, so {it_was} not shown."
