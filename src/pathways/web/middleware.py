"""Site-wide rules no view can forget: personal pages stay out of caches; form text arrives without control
characters."""
from django.http import QueryDict, UnreadablePostError

from pathways.lib.text import strip_control_characters

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NoStoreForSignedInMiddleware:
    """No cache may keep a copy of anything that can carry personal data.

    The rule is deliberately broad, so no new view can forget it: every response to a signed-in request
    (pages, htmx partials, CSV and other downloads, redirects) and every HTML page, signed in or not (a
    login form with an email address typed back into it, an invitation page naming who invited you).
    Static files never reach this middleware: WhiteNoise answers them earlier, with its own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        is_html = response.get("Content-Type", "").lower().startswith("text/html")
        if signed_in or is_html:
            response["Cache-Control"] = "no-store"
        return response


class StripControlCharactersMiddleware:
    """Every posted form's values lose the control characters of `pathways.lib.text`, before any view sees them.

    Done once here rather than in each form, so a new form cannot forget it. Nothing is refused: the characters
    are dropped and the rest is kept, tabs and line breaks included. Left as sent: field names, uploaded files,
    JSON and other bodies that are not a form, and password fields (a secret must match exactly as it was set,
    and is never shown). The CSRF token has no control characters, so it passes through unchanged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            try:
                posted = request.POST
            except UnreadablePostError:  # the connection broke mid-send; the CSRF check refuses it
                posted = None
            if posted is not None and _has_control_characters(posted):
                request.POST = _without_control_characters(posted)
        return self.get_response(request)


def _keeps_as_sent(name: str) -> bool:
    return "password" in name.lower()


def _has_control_characters(posted: QueryDict) -> bool:
    return any(strip_control_characters(value) != value
               for name, values in posted.lists() if not _keeps_as_sent(name) for value in values)


def _without_control_characters(posted: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=posted.encoding)
    for name, values in posted.lists():
        cleaned.setlist(name, values if _keeps_as_sent(name) else [strip_control_characters(v) for v in values])
    cleaned._mutable = False
    return cleaned
