"""The list of how a supporter's last few practice replies were heard: at most five, newest first, no words kept.

The session is Django's own (whatever SESSION_ENGINE is), saved and loaded again, so what is kept must survive
being stored the way a real request stores it.
"""
import json
from importlib import import_module

import pytest
from django.conf import settings

from pathways.mi.codes import INPUT, OTHER, QUESTION, REFLECTION, Coding
from pathways.mi.practice import HELPS, NEITHER, STATEMENTS, TRY_AGAIN, get_statement
from pathways.mi.web import practice_history
from pathways.mi.web.practice_history import KEEP, SESSION_KEY, heard_as, recent, remember

pytestmark = pytest.mark.django_db

GOOD = Coding(REFLECTION, "complex", 0.9)
CONFRONTING = Coding(REFLECTION, "complex", 0.9, behaviours=("confront",))


def new_session():
    return import_module(settings.SESSION_ENGINE).SessionStore()


def stored_again(session):
    """Save the session and load it back, as the next request would see it."""
    session.save()
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session.session_key)


def test_an_empty_session_has_no_history():
    assert recent(new_session()) == []


def test_keeps_at_most_five_newest_first():
    session = new_session()
    for statement in STATEMENTS[:7]:
        remember(session, statement, GOOD)
    session = stored_again(session)
    assert [past.statement for past in recent(session)] == list(reversed(STATEMENTS[2:7]))
    assert len(session[SESSION_KEY]) == KEEP == 5


def test_keeps_how_it_was_heard_and_its_outcome():
    session = new_session()
    remember(session, STATEMENTS[0], GOOD)
    remember(session, STATEMENTS[1], CONFRONTING)
    newest, older = recent(stored_again(session))
    assert (newest.statement, newest.heard, newest.outcome, newest.outcome_words) == (
        STATEMENTS[1], "confronting", TRY_AGAIN, "worth another try")
    assert (older.heard, older.outcome, older.outcome_words) == ("a complex reflection", HELPS, "helps")


def test_the_reply_itself_is_never_in_the_session():
    """The page promises replies are not stored: only a slug and words chosen by us go in."""
    reply = "You're an alcoholic and you're in denial, and everybody can see it."
    session = new_session()
    statement = get_statement("not-a-problem")
    practice_history.remember(session, statement, CONFRONTING)
    session = stored_again(session)
    everything = json.dumps(dict(session.items()))
    assert reply not in everything and "denial" not in everything
    assert session[SESSION_KEY] == [{"slug": "not-a-problem", "heard": "confronting", "outcome": TRY_AGAIN}]


def test_clear_forgets_the_list_and_nothing_else():
    session = new_session()
    session["something_else"] = "kept"
    remember(session, STATEMENTS[0], GOOD)
    practice_history.forget(session)
    session = stored_again(session)
    assert recent(session) == [] and SESSION_KEY not in session and session["something_else"] == "kept"
    practice_history.forget(session)  # clearing an empty list is fine too


@pytest.mark.parametrize("stored", [
    "not a list", 42, None, {"slug": "kids-visits"},
    [None, "text", 3, {}],
    [{"slug": "no-such-statement", "heard": "a reflection", "outcome": HELPS}],
    [{"slug": "kids-visits", "heard": 7, "outcome": HELPS}],
    [{"slug": "kids-visits", "heard": "a reflection", "outcome": "great job"}],
    [{"slug": ["kids-visits"], "heard": "a reflection", "outcome": HELPS}],
])
def test_an_unreadable_stored_value_is_left_out_not_an_error(stored):
    session = new_session()
    session[SESSION_KEY] = stored
    assert recent(session) == []
    remember(session, STATEMENTS[0], GOOD)  # and a new reply starts the list afresh
    assert [past.statement for past in recent(session)] == [STATEMENTS[0]]


def test_good_entries_survive_beside_unreadable_ones():
    session = new_session()
    session[SESSION_KEY] = ["junk", {"slug": "kids-visits", "heard": "an open question", "outcome": HELPS}]
    assert [(p.statement.slug, p.heard) for p in recent(session)] == [("kids-visits", "an open question")]


@pytest.mark.parametrize(("coding", "words"), [
    (Coding(QUESTION, "open", 0.9), "an open question"),
    (Coding(QUESTION, "closed", 0.9), "a closed question"),
    (Coding(REFLECTION, "simple", 0.9), "a simple reflection"),
    (Coding(INPUT, "advice", 0.9), "giving advice"),
    (Coding(OTHER, "", 0.9), "something other than a question, reflection or input"),
    (Coding(QUESTION, "open", 0.9, behaviours=("persuade",)), "persuading"),
    (Coding(QUESTION, "open", 0.9, behaviours=("persuade", "confront")), "confronting"),
])
def test_heard_as_names_the_label_or_argument_before_the_form(coding, words):
    assert heard_as(coding) == words


def test_neither_outcome_has_no_verdict_words():
    session = new_session()
    remember(session, STATEMENTS[0], Coding(QUESTION, "closed", 0.9))
    (past,) = recent(session)
    assert (past.outcome, past.outcome_words) == (NEITHER, "")


@pytest.mark.parametrize(("slug", "opening"), [
    ("kids-visits", "I want my kids to be…"),
    ("not-a-problem", "Honestly, I only smoke at weekends…"),
    ("leave-it", "Just leave it, yeah? I'm fine."),  # short enough to show whole
])
def test_each_entry_opens_with_the_statements_first_words(slug, opening):
    session = new_session()
    remember(session, get_statement(slug), GOOD)
    assert recent(session)[0].opening == opening
