"""Telling a person's supporters something about them: the one loop every alert goes through.

Only supporters whose live grant covers the category are told (a grant, not emergency access: emergency
access lets a professional read, not subscribe). Each telling is a disclosure of that category, so it is
decided by the one access policy and written to the person's access log.
"""
from pathways.notifications.services import notify

from .models import Category, CircleMember
from .policy import Access, decide, log_read


def supporters_tell(*, person, category: Category, kind: str, title: str, body: str, link: str) -> list:
    """Notify each supporter allowed to receive `category` about `person`; returns the supporters told, in the
    order they joined. A supporter who turned this kind of notification off is not told, and nothing of the
    person's is disclosed to them."""
    told = []
    members = (CircleMember.objects.filter(person=person, removed_at__isnull=True).select_related("supporter")
               .order_by("joined_at", "pk"))
    for member in members:
        supporter = member.supporter
        decision = decide(supporter, person, category, Access.VIEW)
        if decision.grant is None:
            continue
        if notify(recipient=supporter, about=person, kind=kind, title=title, body=body, link=link) is None:
            continue
        log_read(supporter, person, category, Access.VIEW, decision)  # the disclosure, in the access log
        told.append(supporter)
    return told
