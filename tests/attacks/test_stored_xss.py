"""Stored XSS: attack text typed into every field a person, a supporter or staff can fill comes back escaped.

Pat, a supporter in her circle (with a grant to suggest), a professional and the admin of her
organisation each fill in every form on every page they can open, through the real forms, with each
payload in turn. Then everyone who can see any of it opens every page they can, and the downloads: no
page may carry a payload as markup (a script element, an event-handler attribute, a javascript: link),
and each payload must be seen, escaped, where Pat reads it back (so the test cannot pass by storing
nothing). Downloads are checked by their type: JSON and plain text are sent as attachments that the
browser may not sniff into HTML; CSV cells may not start a spreadsheet formula.
"""
from __future__ import annotations

import csv
import io
import json
import re

from django.urls import reverse
from django.utils.html import escape

from pathways.circle.models import CircleMember
from pathways.circle.tests import test_access_matrix as matrix

from .conftest import body, forms_for, pages_for

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(3)</script>",
    "{{7*7}}<b onmouseover=alert(4)>",
)
JAVASCRIPT_LINK = "javascript:alert(1)"
WRITERS = ("pat", matrix.GRANT_HOLDER, "org-admin", "org-professional")
READERS = ("pat", matrix.GRANT_HOLDER, "ally/plan-view", "peer/other-categories", "org-admin", "org-professional",
           matrix.EMERGENCY, "rue")

# Markup a payload would become if it were not escaped.
LIVE_MARKUP = re.compile(
    r"<script>alert|<img src=x onerror|<b onmouseover"
    r"|\s(?:href|src|action|formaction)\s*=\s*[\"']?\s*javascript:",
    re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def live_markup(html: str) -> list[str]:
    return [html[max(0, m.start() - 60):m.end() + 20] for m in LIVE_MARKUP.finditer(html)]


def test_the_detector_finds_a_payload_left_as_markup():
    assert live_markup(f"<p>{PAYLOADS[0]}</p>") and live_markup(f'<input value="{PAYLOADS[1]}">')
    assert live_markup('<a href="javascript:alert(1)">') and live_markup(f"<p>{PAYLOADS[3]}</p>")
    assert not live_markup("<p>" + "".join(escape(p) for p in PAYLOADS) + "</p>")


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _fill_everything(clients, s, payload: str) -> list[str]:
    problems = []
    for role in WRITERS:
        for form in forms_for(role, s, clients[role]):
            data = form.filled(text=payload, link=JAVASCRIPT_LINK)
            response = clients[role].post(form.action, data)
            if response.status_code >= 500:
                problems.append(f"{role} POST {form.action}: answered {response.status_code}")
            elif response.status_code == 200 and _is_html(response):  # the form came back: still escaped
                problems += [f"{role} POST {form.action}: {snippet!r}" for snippet in live_markup(body(response))]
    return problems


def test_payloads_in_every_field_are_shown_escaped_everywhere(scenario, clients):
    problems = []
    for payload in PAYLOADS:
        problems += _fill_everything(clients, scenario, payload)
    seen_by_pat = ""
    for role in READERS:
        for url in pages_for(role, scenario):
            response = clients[role].get(url)
            if response.status_code >= 500:
                problems.append(f"{role} GET {url}: answered {response.status_code}")
                continue
            if not _is_html(response):
                continue  # downloads: see the test below
            text = body(response)
            if role == "pat":
                seen_by_pat += text
            problems += [f"{role} GET {url}: {snippet!r}" for snippet in live_markup(text)]
    assert not problems, "payloads left as markup (or errors):\n" + "\n".join(problems[:60])
    for payload in PAYLOADS:  # stored and shown, escaped: the attack reached the database and came back
        assert escape(payload) in seen_by_pat, f"{payload!r} was never stored and shown back to Pat"


def test_downloads_carrying_payloads_are_attachments_the_browser_will_not_render(scenario, clients):
    _fill_everything(clients, scenario, PAYLOADS[0])
    pat = clients["pat"]
    downloads = {
        "my data": pat.post(reverse("my_data_download")),
        "consent": pat.get(reverse("circle:grant_download", kwargs=matrix.pats_grant(scenario))),
        "disclosures": pat.get(reverse("circle:disclosures")),
    }
    expected_type = {"my data": "application/json", "consent": "text/plain", "disclosures": "text/csv"}
    for label, response in downloads.items():
        assert response.status_code == 200, label
        assert response["Content-Type"].startswith(expected_type[label]), (label, response["Content-Type"])
        assert response["Content-Disposition"].startswith("attachment"), label
        assert response["X-Content-Type-Options"] == "nosniff", label
    exported = json.loads(body(downloads["my data"]))  # the payload is data inside valid JSON
    assert PAYLOADS[0] in json.dumps(exported, ensure_ascii=False)


FORMULAS = ('=HYPERLINK("http://evil.example","Open")', "+SUM(1+1)", "-2+3", "@SUM(1)")


def test_csv_cells_never_start_a_formula(scenario, clients):
    """A supporter's name and a grant's purpose reach the accounting of disclosures: neither may run as a
    formula when Pat opens the CSV in a spreadsheet."""
    holder = scenario.users[matrix.GRANT_HOLDER]
    pat, supporter = clients["pat"], clients[matrix.GRANT_HOLDER]
    for formula in FORMULAS:
        response = supporter.post(reverse("people:profile"), {"name": formula, "preferred_name": formula})
        assert response.status_code == 302, response.status_code
        member = CircleMember.objects.get(person=scenario.pat, supporter=holder, removed_at__isnull=True)
        response = pat.post(reverse("circle:grant_new", kwargs={"member_id": member.public_id}), {
            "purpose": formula, "until": "revoked", "signature": "Pat Example",
            f"share_{matrix.Category.PLAN}": matrix.Access.VIEW})
        assert response.status_code == 302, response.status_code
        assert supporter.get(reverse("plans:shared_plan", kwargs=matrix.pat_public_id(scenario))).status_code == 200
    rows = list(csv.reader(io.StringIO(body(pat.get(reverse("circle:disclosures"))))))
    cells = [cell for row in rows[1:] for cell in row]
    for formula in FORMULAS:
        assert f"'{formula}" in cells, f"{formula!r} should be in the CSV, neutralised"
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]


def test_payloads_in_session_notes_and_responses_come_back_escaped(scenario, clients):
    """A note's every box, and Pat's response beside it, typed with each payload through the real forms."""
    author, pat = clients[matrix.NOTE_AUTHOR], clients["pat"]
    pages, problems = set(), []
    for payload in PAYLOADS:
        response = author.post(reverse("notes:write", kwargs=matrix.pat_public_id(scenario)), {
            "happened_on": matrix.today(scenario), "kind": "peer", "talked_about": payload,
            "person_wants_next": payload, "next_steps": payload})
        assert response.status_code == 302, response.status_code
        note_url = response["Location"]
        assert pat.post(note_url + "respond/", {"text": payload}).status_code == 302
        pages |= {note_url, reverse("notes:list"), reverse("notes:of_person", kwargs=matrix.pat_public_id(scenario))}
    seen = ""
    for client in (pat, author, clients["peer/other-categories"], clients[matrix.EMERGENCY]):
        for url in sorted(pages):
            text = body(client.get(url))
            seen += text
            problems += [f"{url}: {snippet!r}" for snippet in live_markup(text)]
    assert not problems, "\n".join(problems)
    assert all(escape(payload) in seen for payload in PAYLOADS)


def test_payloads_in_messages_come_back_escaped_on_the_page_and_in_the_poll(scenario, clients):
    """Each payload sent by both sides of a conversation, read back on its page and in the fragment htmx polls."""
    supporter, pat = clients[matrix.MESSAGE_WRITER], clients["pat"]
    conversation = matrix.pats_conversation(scenario)
    page = reverse("conversations:conversation", kwargs=conversation)
    poll = reverse("conversations:new_messages", kwargs=conversation) + "?after=2000-01-01T00:00:00%2B00:00"
    for payload in PAYLOADS:
        assert supporter.post(page, {"text": payload}).status_code == 302
        assert pat.post(page, {"text": payload}).status_code == 302
    problems, seen = [], ""
    for client in (pat, supporter):
        for url in (page, poll, reverse("conversations:list")):
            text = body(client.get(url))
            seen += text
            problems += [f"{url}: {snippet!r}" for snippet in live_markup(text)]
    assert not problems, "\n".join(problems)
    assert all(escape(payload) in seen for payload in PAYLOADS)
