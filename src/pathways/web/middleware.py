"""Keep personal pages out of browser and proxy caches."""


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in account hold personal data, so no cache may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
