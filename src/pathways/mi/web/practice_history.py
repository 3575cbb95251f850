"""How a supporter's last few practice replies were heard, kept in their own session: never the replies.

The practice page promises that nothing the supporter writes is stored, so each entry holds only the
statement's slug, what the reply was heard as (in words) and its outcome (pathways.mi.practice.reply_outcome).
The session ends when they sign out, and they can clear the list at any time. It is a reminder of what they
tried, not a score: there is no count of "good" replies and nothing here is kept anywhere else.
"""
from dataclasses import dataclass

from pathways.mi.behaviours import CONFRONT, PERSUADE
from pathways.mi.codes import INPUT, OTHER, Coding
from pathways.mi.practice import HELPS, NEITHER, TRY_AGAIN, PracticeStatement, get_statement, reply_outcome

from .words import code_words

SESSION_KEY = "mi_practice_history"
KEEP = 5
OPENING_WORDS = 6
OUTCOME_WORDS = {HELPS: "helps", TRY_AGAIN: "worth another try", NEITHER: ""}


@dataclass(frozen=True)
class PastReply:
    statement: PracticeStatement
    heard: str  # "a complex reflection", "confronting"
    outcome: str  # HELPS, TRY_AGAIN or NEITHER

    @property
    def outcome_words(self) -> str:
        return OUTCOME_WORDS[self.outcome]

    @property
    def opening(self) -> str:
        """The statement's first few words, enough to recognise it: "I want my kids to be…"."""
        words = self.statement.text.split()
        if len(words) <= OPENING_WORDS:
            return self.statement.text
        return " ".join(words[:OPENING_WORDS]).rstrip(".,;:!?") + "…"


def heard_as(coding: Coding) -> str:
    """What the reply was heard as, to follow "heard as": labelling or arguing first, as the tip names it."""
    if CONFRONT in coding.behaviours:
        return "confronting"
    if PERSUADE in coding.behaviours:
        return "persuading"
    if coding.code == OTHER:
        return "something other than a question, reflection or input"
    words = code_words(coding)
    if coding.code == INPUT:  # "giving advice", "offering options": no article
        return words
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def remember(session, statement: PracticeStatement, coding: Coding) -> None:
    """Put this reply's outcome first, keeping at most KEEP. The reply's words are never passed in."""
    entry = {"slug": statement.slug, "heard": heard_as(coding), "outcome": reply_outcome(coding)}
    session[SESSION_KEY] = [entry, *_valid_entries(session)][:KEEP]


def recent(session) -> list[PastReply]:
    """Newest first; anything unreadable (an older shape, a statement since removed) is left out quietly."""
    return [PastReply(get_statement(e["slug"]), e["heard"], e["outcome"]) for e in _valid_entries(session)]


def forget(session) -> None:
    session.pop(SESSION_KEY, None)


def _valid_entries(session) -> list[dict]:
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, list):
        return []
    return [e for e in stored if _is_valid(e)][:KEEP]


def _is_valid(entry) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("slug"), str) and get_statement(entry["slug"]) is not None
            and isinstance(entry.get("heard"), str) and entry.get("outcome") in OUTCOME_WORDS)
