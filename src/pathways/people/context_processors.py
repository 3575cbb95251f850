"""What every page's template needs to know about the signed-in account's role."""
from django.utils.functional import SimpleLazyObject

from .selectors import is_person_in_recovery


def roles(request) -> dict:
    """`is_person_in_recovery`: whether to show the person's own menu and safety-plan button. Asked once per
    request, and only if a template reads it."""
    user = getattr(request, "user", None)
    return {"is_person_in_recovery": SimpleLazyObject(lambda: is_person_in_recovery(user))}
