"""The respectful-language check: finds phrases that label or blame a person and offers other ways to say them.

It only suggests. Nothing here changes anyone's words unless the writer picks an alternative (`replace`), and
nothing here stores or logs the text: it is someone's words about their life. The phrases, their rules and
alternatives are data (respectful_language.toml, described at its top, plus the organisation's own files named
in settings.PATHWAYS_LANGUAGE_FILES), read once per process.
"""
from __future__ import annotations

import bisect
import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

OUR_FILE = Path(__file__).with_name("respectful_language.toml")
RULE_KEYS = ("only_next", "unless_next", "only_before", "unless_before")
END = "."  # in only_next/unless_next: the end of a sentence, a line or the text (or a comma)

WORD = re.compile(r"[\w'’]+")
SEPARATOR = re.compile(r"[\s\-‐–]+")
# Quoted words are someone else's, being reported. A single quote opens after a space or punctuation and closes
# before one, so apostrophes ("he's", "Pat’s") are not taken for quotes.
QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|„[^“”\n]*[“”]|«[^»\n]*»'
                    r"|(?<!\w)'(?:[^'\n]|'(?=\w))+'(?!\w)|(?<!\w)‘(?:[^’\n]|’(?=\w))+’(?!\w)")
# Where the person's own words about themselves begin and end, roughly: a sentence, a line or a clause.
CLAUSE_END = re.compile(r"[.!?;\n]+")
FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "i'd", "i'll", "me", "my", "myself", "mine",
                          "we", "we're", "we've", "we'd", "us", "our", "ours", "ourselves"})


@dataclass(frozen=True)
class Finding:
    phrase: str  # as the writer typed it
    start: int
    end: int
    alternatives: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class _Listing:
    """One way a phrase counts: what its entry offers instead, and the rules that say when it counts."""

    alternatives: tuple[str, ...]
    reason: str
    rules: tuple[tuple[str, frozenset[str]], ...]

    def holds(self, before: set[str], after: str) -> bool:
        for key, words in self.rules:
            if key == "only_next" and after not in words or key == "unless_next" and after in words:
                return False
            if key == "only_before" and not before & words or key == "unless_before" and before & words:
                return False
        return True


@dataclass(frozen=True)
class _Catalogue:
    pattern: re.Pattern
    listings: dict[str, tuple[_Listing, ...]]  # by the phrase's key (see _key)


def _key(phrase: str) -> str:
    return SEPARATOR.sub(" ", phrase.strip().lower().replace("’", "'"))


def _phrase_pattern(phrase: str) -> str:
    words = SEPARATOR.split(phrase.strip())
    return SEPARATOR.pattern.join(re.escape(word).replace("'", "['’]") for word in words)


def _rules(source: dict) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((key, frozenset(_key(word) for word in source[key])) for key in RULE_KEYS if key in source)


def _read(path: Path) -> list[dict]:
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("phrase", [])
    if not isinstance(entries, list):
        raise ValueError("[[phrase]] entries expected")
    return entries


def entries() -> list[dict]:
    """Our entries, then each organisation file's. A file that cannot be read is skipped, saying which."""
    found = _read(OUR_FILE)
    for extra in getattr(settings, "PATHWAYS_LANGUAGE_FILES", []):
        try:
            found += _read(Path(extra))
        except (OSError, ValueError) as error:  # tomllib.TOMLDecodeError is a ValueError
            logger.warning("Respectful-language file %s was skipped: %s", extra, error)
    return found


@cache
def catalogue() -> _Catalogue:
    """Every phrase in one pattern, longest first so "drug addict" wins over "addict". Call
    `catalogue.cache_clear()` after changing PATHWAYS_LANGUAGE_FILES (tests do)."""
    listings: dict[str, list[_Listing]] = {}
    for entry in entries():
        entry_rules = _rules(entry)
        for find_key, alternatives_key in (("find", "alternatives"), ("find_plural", "alternatives_plural")):
            alternatives = tuple(entry.get(alternatives_key) or entry.get("alternatives", ()))
            for item in entry.get(find_key, ()):
                phrase, rules = (item["phrase"], _rules(item)) if isinstance(item, dict) else (item, entry_rules)
                listings.setdefault(_key(phrase), []).append(
                    _Listing(alternatives=alternatives, reason=entry.get("reason", ""), rules=rules))
    phrases = sorted(listings, key=len, reverse=True)
    alternation = "|".join(_phrase_pattern(phrase) for phrase in phrases)
    # A hyphen before a word joins it to the word before ("non-alcoholic" is not "alcoholic").
    pattern = re.compile(rf"(?<![\w\-‐])(?:{alternation})(?!\w)", re.IGNORECASE)
    return _Catalogue(pattern=pattern, listings={key: tuple(found) for key, found in listings.items()})


def _word_after(text: str, end: int) -> str:
    rest = text[end:end + 80].lstrip(" \t")
    if not rest or rest[0] in ".,;:!?)\n\r":
        return END
    word = WORD.match(rest)
    return _key(word.group()) if word else ""


def _words_before(text: str, start: int) -> set[str]:
    """The word just before, and its contracted ending too ("he's" is also "'s")."""
    words = WORD.findall(text[max(0, start - 80):start])
    if not words:
        return set()
    word = _key(words[-1])
    apostrophe = word.find("'")
    return {word, word[apostrophe:]} if apostrophe > 0 else {word}


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def _first_person_clauses(text: str) -> list[tuple[int, int]]:
    """The clauses in which the writer speaks of themselves."""
    clauses, begin = [], 0
    for boundary in [*CLAUSE_END.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        if {_key(word) for word in WORD.findall(text[begin:end])} & FIRST_PERSON:
            clauses.append((begin, end))
        begin = boundary.end() if boundary else end
    return clauses


def findings(text: str, *, author_is_the_person: bool = False) -> list[Finding]:
    """Each phrase in TEXT that might be said more respectfully, in order. Not flagged: quoted words, and when
    the person is the author, what they say about themselves (a clause with I, me, my, we…)."""
    if not text:
        return []
    found_catalogue = catalogue()
    quoted = _spans(QUOTED, text)
    own_words = _first_person_clauses(text) if author_is_the_person else []
    results = []
    for match in found_catalogue.pattern.finditer(text):
        start, end = match.span()
        if _inside(quoted, start, end) or _inside(own_words, start, end):
            continue
        before, after = _words_before(text, start), _word_after(text, end)
        listing = next((one for one in found_catalogue.listings.get(_key(match.group()), ())
                        if one.holds(before, after)), None)
        if listing:
            results.append(Finding(phrase=match.group(), start=start, end=end,
                                   alternatives=listing.alternatives, reason=listing.reason))
    return results


def findings_for_form(text: str, author_is_the_person: bool = False) -> list[Finding]:
    """For the page shown after saving: each phrase once (its first place), however often it was written."""
    seen, unique = set(), []
    for finding in findings(text or "", author_is_the_person=author_is_the_person):
        if _key(finding.phrase) not in seen:
            seen.add(_key(finding.phrase))
            unique.append(finding)
    return unique


ARTICLE_BEFORE = re.compile(r"(?<!\w)(an?)(\s+)$", re.IGNORECASE)


def replace(text: str, start: int, end: int, alternative: str) -> str:
    """TEXT with [start:end] replaced by ALTERNATIVE, keeping a capital letter and fixing "a"/"an" before it.
    A span outside the text raises ValueError."""
    if not 0 <= start < end <= len(text):
        raise ValueError("That span is not in the text.")
    if text[start].isupper() and alternative[:1].islower():
        alternative = alternative[:1].upper() + alternative[1:]
    head = text[:start]
    article = ARTICLE_BEFORE.search(head)
    if article and alternative:
        wanted = "an" if alternative[0].lower() in "aeiou" else "a"
        if article.group(1)[0].isupper():
            wanted = wanted.capitalize()
        head = head[:article.start(1)] + wanted + article.group(2)
    return head + alternative + text[end:]
