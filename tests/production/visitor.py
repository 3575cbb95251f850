"""A browser reduced to what the smoke tests need: cookies kept, redirects shown rather than followed, TLS
checked against the stack's own certificate authority, forms posted with their CSRF token."""
import http.client
import re
import ssl
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: Message
    text: str

    def set_cookie(self, name: str) -> str:
        """The Set-Cookie header that sets NAME, as sent (with its flags)."""
        return next(header for header in self.headers.get_all("Set-Cookie", []) if header.startswith(f"{name}="))


class Visitor:
    def __init__(self, stack):
        self.stack = stack
        self.context = ssl.create_default_context(cafile=str(stack.ca_file))
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form: dict | None = None, headers: dict | None = None) -> Response:
        connection = http.client.HTTPSConnection("localhost", self.stack.https_port, context=self.context,
                                                 timeout=30)
        sent = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()), **(headers or {})}
        body = None
        if form is not None:
            body = urlencode(form)
            # What a browser sends with a form from this site: the origin and the page it came from.
            sent |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.stack.url,
                     "Referer": self.stack.url + path}
        connection.request(method, path, body=body, headers=sent)
        raw = connection.getresponse()
        response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        connection.close()
        for header in response.headers.get_all("Set-Cookie", []):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def submit(self, path: str, fields: dict) -> Response:
        """Open the page at PATH and post its form back with FIELDS and the CSRF token the page holds."""
        page = self.get(path)
        assert page.status == 200, f"{path} answered {page.status}"
        return self.request("POST", path, form={"csrfmiddlewaretoken": CSRF_FIELD.search(page.text).group(1),
                                                **fields})
