"""Find the forms on a page and fill them in, so attacks reach every field a person or supporter can type in.

The pages are parsed with the standard library's HTML parser: each <form method="post"> becomes a
`PostForm` with its action and fields, and `PostForm.filled(...)` gives the data a browser would send with
every text field set to the attacker's text and every other field set to something the form accepts.
New fields and new forms are attacked as soon as a page shows them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone

KEPT_HIDDEN = {"csrfmiddlewaretoken", "submission_key", "next"}  # the form's own machinery, sent back as given


@dataclass
class Field:
    name: str
    kind: str  # an <input> type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class PostForm:
    action: str  # a path
    fields: list[Field] = field(default_factory=list)

    @property
    def url_name(self) -> str:
        try:
            return resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            return ""

    def filled(self, text: str | None = None, link: str | None = None) -> dict[str, str | list[str]]:
        """What a browser would send: text (if given) in every text field, `link` in address fields, and a
        value the form accepts everywhere else (the first choice, today, a middling number)."""
        data: dict[str, str | list[str]] = {}
        for f in self.fields:
            if f.kind in ("submit", "button", "file", "reset", "image"):
                continue
            if f.kind in ("radio", "checkbox"):
                if f.name not in data:
                    data[f.name] = f.value or "on"
                continue
            if f.kind == "select":
                data[f.name] = next((o for o in f.options if o), f.value)
            elif f.kind == "number":
                data[f.name] = f.value or "3"
            elif f.kind == "date":
                data[f.name] = f.value or timezone.localdate().isoformat()
            elif f.kind == "time":
                data[f.name] = f.value or "19:30"
            elif f.name in KEPT_HIDDEN or text is None:
                data[f.name] = f.value
            elif f.kind == "url" or "website" in f.name or "link" in f.name:
                data[f.name] = link or text
            elif f.kind == "email":
                data[f.name] = f.value or "someone@example.org"
            elif f.kind == "password":
                data[f.name] = f.value
            else:
                data[f.name] = text
        submit = next((f for f in self.fields if f.kind == "submit" and f.name), None)
        if submit:
            data[submit.name] = submit.value
        return data


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[PostForm] = []
        self._form: PostForm | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url))
                self._form = PostForm(action=action.path + (f"?{action.query}" if action.query else ""))
                self.forms.append(self._form)
            return
        if self._form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        if tag == "input":
            self._form.fields.append(Field(a["name"], a.get("type", "text").lower(), a.get("value", "")))
        elif tag == "button":
            self._form.fields.append(Field(a["name"], a.get("type", "submit").lower(), a.get("value", "")))
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(page_url: str, html: str) -> list[PostForm]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms
