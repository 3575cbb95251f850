"""Where a form may send a person back to: only a path on this site."""
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def path_on_this_site(request: HttpRequest, value: str | None) -> str | None:
    """`value` if it is a path of ours, else None: never another site, a scheme or `//host`. A path is sent
    as it is; redirect() would try an unknown string as a view name and fail with a 500."""
    value = (value or "").strip()
    if (value.startswith("/") and not value.startswith(("//", "/\\"))
            and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return value
    return None
