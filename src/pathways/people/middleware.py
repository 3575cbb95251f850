"""Shows every date and time in the signed-in account's own time zone."""
from django.utils import timezone

from .time_zones import time_zone_of


class TimeZoneMiddleware:
    """Activates the account's effective zone (pathways.people.time_zones) for the request, so templates,
    `timezone.localtime()` and `timezone.localdate()` (which decides the day a check-in is for) use their clock.

    Goes after the session limits: a session that just ended is signed out and gets the site's zone. The zone
    is deactivated afterwards, because the thread serves the next request, which may be someone else's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(time_zone_of(user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
