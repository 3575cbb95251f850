"""Remember where each request comes from, so access-log entries can say "from where"."""
from .access_log import request_source


class AccessContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # REMOTE_ADDR is the connecting address; behind a proxy, configure the proxy to set it.
        token = request_source.set(request.META.get("REMOTE_ADDR", ""))
        try:
            return self.get_response(request)
        finally:
            request_source.reset(token)
