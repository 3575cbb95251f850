"""A marker typed into every free-text field never shows up in logs, emails, addresses or the raw database.

A person and a supporter drive Pathways through its real forms (the Django test client), writing MARKER into
each text box the pages offer. Everything that could carry it out is captured: log records at DEBUG from every
logger (SQL statements with their parameters included), every email after the worker ran, every address
requested, every Location header, every href/src/action in the pages. Then the database is searched: with SQL
in every column of every table, in the decoded session rows, and on SQLite in the raw bytes of every page
(copied with SQLite's backup API, free pages included; the test database lives in memory, so there is no file
or WAL of its own to read). The same searches find a second marker that sits in a column kept plain (an email
address), which shows they can fail.
"""
import json
import logging
import re
import sqlite3

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from pathways.circle.models import EmergencyAccess
from pathways.conversations.models import SessionNote
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people.models import Membership, Role, User
from pathways.plans.models import Goal, Suggestion

from .pages import read

MARKER = "MARKER-7f3a"
PLAIN = "plaincontrol91c2"  # goes into an email address, which stays plain so people can sign in with it
TRANSCRIPT = ("Counsellor: What would you like to talk about today, {m}?\n"
              "Person: I want to cut down before my daughter's birthday, {m}.\n"
              "Counsellor: It sounds like being there for her matters a great deal to you.\n")


class RecordingClient(Client):
    """A test client that remembers every address it asked for, was sent to, or was shown."""

    def __init__(self, seen: list[str], **kwargs):
        super().__init__(**kwargs)
        self.seen = seen

    def request(self, **request):
        self.seen.append(request.get("PATH_INFO", "") + "?" + request.get("QUERY_STRING", ""))
        response = super().request(**request)
        self.seen.append(response.get("Location", ""))
        if "html" in response.get("Content-Type", ""):
            self.seen.extend(read(response.content.decode()).addresses)
        return response


def fill(client: Client, page: str, *, action: str | None = None, choose: dict | None = None, expect: int = 302):
    """Open PAGE, put MARKER in every text box of its form (the one posting to ACTION, else the first with text
    boxes), keep its other values, apply CHOOSE, and post it; a form error (status not EXPECT) fails the test."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    forms = [form for form in read(response.content.decode()).forms if form["method"] == "post"]
    form = next(form for form in forms if (form["action"] == action if action else form["text"]))
    data = dict(form["fields"])
    data.update({name: f"{MARKER} {name}" for name in form["text"]})
    data.update(choose or {})
    posted = client.post(form["action"] or page, data)
    assert posted.status_code == expect, (page, [line for line in posted.content.decode().splitlines()
                                                 if "error" in line])


def drive_everything(seen: list[str]) -> tuple[User, User]:
    """The person and a supporter use every form with free text; returns (person, supporter)."""
    from pathways.people.services import organisation_create, person_sign_up

    pat = person_sign_up(email="pat@example.org", password="a long enough test passphrase", preferred_name="Pat")
    person = RecordingClient(seen)
    person.force_login(pat)

    fill(person, reverse("people:profile"))
    fill(person, reverse("plans:meaning"))
    fill(person, reverse("plans:pathways"), choose={"abstinence": "on", "harm_reduction": "on", "other": "on"})
    fill(person, reverse("plans:strength_add"))
    fill(person, reverse("plans:goal_add"), choose={"dimension": "health"})
    goal = Goal.objects.get(plan=pat.plan)
    goal_page = reverse("plans:goal", args=[goal.pk])
    fill(person, goal_page, action=reverse("plans:step_add", args=[goal.pk]))
    step = goal.steps.first()
    assert person.post(reverse("plans:step_action", args=[step.pk]), {"action": "done"}).status_code == 302
    fill(person, reverse("plans:wins"))
    fill(person, reverse("plans:goal_edit", args=[goal.pk]))
    fill(person, reverse("warning_signs:sign_add"), choose={"stage": "emotional"})
    fill(person, reverse("warning_signs:trigger_add"))
    fill(person, reverse("safety:edit"))

    # The supporter: invited by name, joins by the emailed link, and is given plan and safety access.
    fill(person, reverse("circle:invite"), choose={"role": "peer_supporter", "email": f"{PLAIN}@example.org"},
         expect=200)  # the page with the link to pass on
    send_queued_mail()  # the worker's round: the invitation waits in the outbox until then
    link = re.search(r"https?://\S+(/circle/join/\S+/)", mail.outbox[-1].body).group(1)
    supporter = RecordingClient(seen)
    fill(supporter, link, choose={"email": f"{PLAIN}@example.org", "password": "another long test passphrase"})
    sam = User.objects.get(email=f"{PLAIN}@example.org")
    supporter.force_login(sam)  # with the second step, as the shared fixtures arrange
    member = pat.circle.get()
    fill(person, reverse("circle:grant_new", args=[member.public_id]),
         choose={"share_plan": "suggest", "share_safety_plan": "view", "share_checkins": "view",
                 "share_crisis_alerts": "view", "share_early_warning": "view", "share_notes": "write",
                 "share_messages": "write", "until": "revoked"})
    # They write to each other: both sides' words are encrypted like everything else.
    conversation = supporter.get(reverse("conversations:with_person", args=[pat.public_id]))["Location"]
    fill(supporter, conversation)
    fill(person, conversation)

    # A professional of the person's programme, named in their own words, opens the record in an emergency.
    programme = organisation_create(name="Harbour Lights Programme")
    User.objects.filter(pk=pat.pk).update(home_organisation=programme)
    Membership.objects.create(organisation=programme, user=pat, role=Role.PERSON)
    lee = User.objects.create_user(email="lee@example.org", password="a third long test passphrase",
                                   home_organisation=programme)
    Membership.objects.create(organisation=programme, user=lee, role=Role.PROFESSIONAL)
    professional = RecordingClient(seen)
    professional.force_login(lee)
    fill(professional, reverse("people:profile"))
    fill(professional, reverse("circle:emergency_access", args=[pat.public_id]))
    assert person.get(reverse("home")).status_code in (200, 302)  # the person is told, by name

    # A daily check-in with a use log, a lapse note and thoughts of self-harm: alerts go to the supporter.
    fill(person, reverse("checkins:daily"), choose={"mood": "2", "used": "yes", "is_lapse": "on",
                                                    "self_harm_thoughts": "yes"})
    fill(supporter, reverse("plans:shared_plan", args=[pat.public_id]),
         action=reverse("plans:suggest_goal", args=[pat.public_id]), choose={"dimension": "home"})
    suggestion = Suggestion.objects.get(plan=pat.plan)
    fill(person, reverse("plans:suggestion", args=[suggestion.pk]), choose={"answer": "accept"})

    # The supporter's own listening practice: a transcript analysed, then saved with a title.
    analysed = supporter.post(reverse("mi:analyze"), {"text": TRANSCRIPT.format(m=MARKER)})
    save_form = next(form for form in read(analysed.content.decode()).forms if form["action"] == reverse("mi:save"))
    data = {**save_form["fields"], **{name: f"{MARKER} title" for name in save_form["text"]}}
    assert supporter.post(reverse("mi:save"), data).status_code == 302

    # A note about a conversation, written by the supporter, and the person's response beside it.
    fill(supporter, reverse("notes:write", args=[pat.public_id]))
    note = SessionNote.objects.get(person=pat)
    fill(person, reverse("notes:note", args=[note.public_id]), action=reverse("notes:respond", args=[note.public_id]))
    assert supporter.get(reverse("notes:note", args=[note.public_id])).status_code == 200

    for client in (person, supporter):  # every page that shows the typed text, to catch anything a view logs
        for page in ("home", "plans:plan", "plans:history", "safety:plan", "circle:circle", "notifications:list"):
            assert client.get(reverse(page)).status_code in (200, 302, 404)
    supporter.get(reverse("plans:shared_plan", args=[pat.public_id]))
    call_command("run_worker", "--once")
    return pat, sam


def rows_holding(needle: str) -> list[str]:
    """table.column for every column of every table with NEEDLE in its text, found with SQL."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)} "  # nosec B608 (names from the database)
                               f"WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s", [f"%{needle.lower()}%"])
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def sessions_holding(needle: str) -> list[str]:
    return [session.pk for session in Session.objects.all() if needle.lower() in json.dumps(session.get_decoded()).lower()]


def raw_pages(tmp_path) -> bytes:
    """Every page of the SQLite database, byte for byte, free pages included."""
    copy_path = tmp_path / "copy.sqlite3"
    with sqlite3.connect(copy_path) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    copy.close()
    return copy_path.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_the_marker_never_leaves_the_forms_except_as_ciphertext(caplog, tmp_path):
    for name in (None, "django", "django.db.backends"):  # Django's own loggers stop at INFO unless told
        caplog.set_level(logging.DEBUG, logger=name)
    seen: list[str] = []
    connection.force_debug_cursor = True  # log every SQL statement with its parameters, as DEBUG does
    try:
        pat, sam = drive_everything(seen)
    finally:
        connection.force_debug_cursor = False

    # It really was typed everywhere, and reads back as plain text for the person (the export) and on the pages.
    export = Client()
    export.force_login(pat)
    downloaded = export.post(reverse("my_data_download"))
    assert downloaded.status_code == 200
    mine = downloaded.content.decode()
    for words in ("name", "culture", "faith", "what_helps", "recovery_meaning", "title", "why_it_matters", "text",
                  "note", "what_was_happening", "what_i_learned", "reasons_for_living", "purpose", "signature",
                  "relationship", "sign", "trigger", "what", "how_much"):
        assert f"{MARKER} {words}" in mine, words
    assert sam.name.startswith(MARKER) and sam.saved_transcripts.get().title.startswith(MARKER)
    assert EmergencyAccess.objects.get(person=pat).reason.startswith(MARKER)
    assert len(mail.outbox) >= 2  # the invitation, and the alert about the check-in

    logged = "\n".join(record.getMessage() + repr(getattr(record, "args", "")) for record in caplog.records)
    assert "SELECT" in logged  # the SQL log was captured, so the next line means something
    assert MARKER.lower() not in logged.lower()
    assert [message.subject for message in mail.outbox if MARKER in message.subject + message.body] == []
    assert [address for address in seen if MARKER.lower() in address.lower()] == []
    assert rows_holding(MARKER) == []
    assert sessions_holding(MARKER) == []
    if connection.vendor == "sqlite":
        assert MARKER.encode() not in raw_pages(tmp_path)

    # The same searches find what is stored in the clear, so an encryption that stopped working would show.
    assert "people_user.email" in rows_holding(PLAIN)
    assert PLAIN.lower() in logged.lower()
    if connection.vendor == "sqlite":
        assert PLAIN.encode() in raw_pages(tmp_path)
