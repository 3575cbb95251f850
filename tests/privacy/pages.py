"""Reading forms and addresses out of returned HTML, for the marker test."""
from html.parser import HTMLParser


class PageReader(HTMLParser):
    """Collects every form (action, method, fields with their current values) and every href/src/action."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.addresses: list[str] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action", "formaction"):
            if attrs.get(name):
                self.addresses.append(attrs[name])
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "method": (attrs.get("method") or "get").lower(),
                               "fields": {}, "text": [], "choices": {}})
        if not self.forms or ("name" not in attrs and tag != "option"):
            return
        form = self.forms[-1]
        name = attrs.get("name", "")
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("text", "search") or (kind == "" and "value" not in attrs):
                form["text"].append(name)
            if kind in ("checkbox", "radio"):
                form["choices"].setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    form["fields"][name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                form["fields"].setdefault(name, attrs.get("value", ""))
        elif tag == "textarea":
            form["text"].append(name)
            form["fields"][name] = ""
            self._textarea = name
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            form["choices"].setdefault(self._select, []).append(attrs.get("value", ""))
            form["fields"].setdefault(self._select, attrs.get("value", ""))  # a browser sends the first by default
            if "selected" in attrs:
                form["fields"][self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def read(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    return reader
