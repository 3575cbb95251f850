"""What every page's layout needs to know about the signed-in account (pathways.web.selectors.Header)."""
from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .quick_exit import is_sensitive
from .selectors import header_get


def header(request) -> dict:
    """`header`, asked in one query when a template first reads it, never for a page that does not (an htmx
    fragment); `is_person_in_recovery`, from the same answer, for the pages that choose by it."""
    user = getattr(request, "user", None)
    answer = SimpleLazyObject(lambda: header_get(viewer=user))
    return {"header": answer, "is_person_in_recovery": SimpleLazyObject(lambda: answer.is_person_in_recovery)}


def quick_exit(request) -> dict:
    """`quick_exit`: whether this page shows "Leave this page quickly" (pathways.web.quick_exit); and where the
    button goes (PATHWAYS_QUICK_EXIT_URL). A view's own `quick_exit` in its context wins over this."""
    return {"quick_exit": is_sensitive(request), "quick_exit_url": settings.PATHWAYS_QUICK_EXIT_URL}
