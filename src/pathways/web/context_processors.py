"""What every page's layout needs to know about the signed-in account (pathways.web.selectors.Header)."""
from django.utils.functional import SimpleLazyObject

from .selectors import header_get


def header(request) -> dict:
    """`header`, asked in one query when a template first reads it, never for a page that does not (an htmx
    fragment); `is_person_in_recovery`, from the same answer, for the pages that choose by it."""
    user = getattr(request, "user", None)
    answer = SimpleLazyObject(lambda: header_get(viewer=user))
    return {"header": answer, "is_person_in_recovery": SimpleLazyObject(lambda: answer.is_person_in_recovery)}
