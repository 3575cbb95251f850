"""Keep personal pages out of browser and proxy caches."""


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
