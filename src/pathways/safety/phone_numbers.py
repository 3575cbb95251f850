"""Finds the phone numbers in text and builds tel: and sms: links, so every number Pathways shows can be tapped.

Plain Python on the phonenumbers library, with no Django in it. Full numbers ("07911 123456",
"+44 20 7946 0000") are found by phonenumbers itself. Short numbers ("999", "116 123") are found only
when the caller names them, and only where they stand alone: in free text a bare "111" or "17" is far
more often a count, an hour, a date or part of a longer number than a number to call.
"""
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import Leniency, PhoneMetadata, PhoneNumberFormat, PhoneNumberMatcher, shortnumberinfo


@dataclass(frozen=True)
class Found:
    """A number in a text: where it is, how it was written, and the link that dials it."""

    start: int
    end: int
    text: str
    href: str


def tel_href(number: str) -> str:
    return _href("tel:", number)


def sms_href(number: str) -> str:
    return _href("sms:", number)


def _href(scheme: str, number: str) -> str:
    digits = phonenumbers.normalize_digits_only(number)  # also reads full-width and other Unicode digits
    if not digits:
        return ""
    plus = "+" if number.lstrip().startswith(("+", "\uff0b")) else ""
    return f"{scheme}{plus}{digits}"


@cache
def emergency_numbers(region: str) -> frozenset[str]:
    """The emergency numbers phonenumbers' short-number metadata knows for a region, e.g. {"112", "999"}."""
    metadata = PhoneMetadata.short_metadata_for_region(region)
    if metadata is None or metadata.emergency is None:
        return frozenset()
    # The metadata holds a pattern rather than a list. Emergency numbers are two or three digits long,
    # so trying every number of the lengths it allows is cheap (longer lengths are skipped, not guessed).
    return frozenset(
        candidate
        for length in metadata.emergency.possible_length if length <= 4
        for candidate in (str(n).zfill(length) for n in range(10**length))
        if shortnumberinfo.is_emergency_number(candidate, region)
    )


def find_numbers(text: str, *, regions: Sequence[str], short_numbers: Collection[str] = ()) -> list[Found]:
    """Every phone number in `text`, in order, none overlapping another.

    Full numbers are read in each of `regions` in turn (the person's country first); where two readings
    overlap, the earlier region wins. Numbers written with "+" are found whatever the region. Short
    numbers are found only if they are in `short_numbers`. Nothing inside a date, a time, an amount of
    money or a range of years is ever taken for a number.
    """
    kept: list[Found] = []
    blocked = [(match.start(), match.end()) for match in _NOT_A_NUMBER.finditer(text)]
    for found in [*_full_numbers(text, regions), *_short_numbers(text, short_numbers)]:
        spans = blocked + [(other.start, other.end) for other in kept]
        if not any(found.start < end and start < found.end for start, end in spans):
            kept.append(found)
    return sorted(kept, key=lambda found: found.start)


def _full_numbers(text: str, regions: Sequence[str]) -> Iterator[Found]:
    for region in regions:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            yield Found(match.start, match.end, match.raw_string, _full_href(match.number))


def _full_href(number: phonenumbers.PhoneNumber) -> str:
    # Some numbers (Australia's 13 and 1800 numbers) can only be dialled from inside their country and
    # fail when dialled with the country code; those links carry the number as dialled at home.
    if phonenumbers.can_be_internationally_dialled(number):
        return tel_href(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    return tel_href(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))


# Dates, times, amounts and year ranges, found first so no number is read inside them. Each pattern
# refuses to start or end in the middle of a longer run of digits and separators.
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_HOUR = r"(?:[01]?\d|2[0-3])"
_YEAR = r"(?:19|20)\d\d"  # spaced dates need a full year: "13 11 14" is Lifeline Australia
_NOT_A_NUMBER = re.compile(
    rf"""
    (?<![\d./-])(?:\d{{4}}([./-]){_MONTH}\1{_DAY} | {_DAY}([./-]){_DAY}\2(?:\d{{4}}|\d{{2}})
                  | {_YEAR}[ ]{_MONTH}[ ]{_DAY} | {_DAY}[ ]{_DAY}[ ]{_YEAR})(?![\d]|[./-]\d)
  | (?<![\d.:])(?:{_HOUR}[:h.][0-5]\d(?:[:.][0-5]\d)?(?:\s?[ap]\.?m\.?)? | {_HOUR}\s?(?:[ap]\.?m\.?|h)(?!\w))
    (?![\d]|[.:]\d)
  | (?<![\d./-]){_YEAR}\s?[-\u2013]\s?(?:{_YEAR}|\d\d)(?![\d]|[./-]\d)
  | [£$€¥]\s?\d+(?:[,.\u00a0 ]\d{{3}}(?!\d))*(?:[.,]\d{{1,2}})?
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _short_numbers(text: str, numbers: Collection[str]) -> Iterator[Found]:
    # Longest first, so "116 123" is taken whole before any shorter number inside it.
    for digits in sorted({phonenumbers.normalize_digits_only(n) for n in numbers} - {""}, key=len, reverse=True):
        for match in _short_pattern(digits).finditer(text):
            if _stands_alone(text, match.start(), match.end(), day_like=int(digits) <= 31):
                yield Found(match.start(), match.end(), match.group(), tel_href(match.group()))


@cache
def _short_pattern(digits: str) -> re.Pattern:
    # People group short numbers with spaces ("116 123", "13 11 14") or not at all.
    return re.compile(r"(?<!\d)" + "[ \u00a0]?".join(digits) + r"(?!\d)")


_OPENING = "([{\"'\u201c\u2018\u00ab"
_CLOSING = ".,;:!?)]}\"'\u201d\u2019\u00bb"
_MONTHS = set(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october"
    " nov november dec december janv janvier fév févr février fev fevr fevrier mars avr avril mai juin juil juillet"
    " août aout septembre octobre novembre déc décembre decembre januari februari maart mrt mei juni juli augustus"
    " okt oktober".split()
)
# Words that say the number next to them is a count, an hour or an amount, in English, French and Dutch.
_UNITS = set(
    "am pm a.m p.m h hr hrs hour hours min mins minute minutes sec secs second seconds day days week weeks"
    " month months year years yr yrs yo o'clock times x % percent k € $ £ euro euros dollar dollars pound pounds"
    " heure heures jour jours semaine semaines mois an ans année années fois uur minuten dag dagen weken maand"
    " maanden jaar keer".split()
)
_COUNTED = set("day week room page p. no. nr. bus route flat apt unit age aged jour semaine âge dag kamer".split())
_TIME_WORDS = set("until till til since before after around à vers avant après depuis dès jusqu'à om tot vanaf sinds"
                  " rond na".split())
_RANGE_WORDS = set("- \u2013 \u2014 to till until til through thru à au tot t/m".split())
_BETWEEN = set("between entre tussen".split())
_AND = set("and et en".split())
_DIGIT = re.compile(r"\d")


def _stands_alone(text: str, start: int, end: int, *, day_like: bool) -> bool:
    """Whether a short number at text[start:end] is a number to call rather than part of something else."""
    # Glued to anything but brackets, quotes or closing punctuation ("2/111", "£1,000", "999th", "12.999").
    left = start
    while left > 0 and text[left - 1] in _OPENING:
        left -= 1
    right = end
    while right < len(text) and text[right] in _CLOSING:
        right += 1
    if (left > 0 and not text[left - 1].isspace()) or (right < len(text) and not text[right].isspace()):
        return False
    before = [word.lower() for word in text[:left].split()[-3:]]
    # Punctuation after the number ("call 999, 24 hours a day") ends the phrase it belongs to.
    after = [] if right > end else [word.lower() for word in text[right:].split()[:2]]
    return not _in_a_phrase(before, after, day_like=day_like)


def _in_a_phrase(before: list[str], after: list[str], *, day_like: bool) -> bool:
    previous = before[-1] if before else ""
    following = after[0] if after else ""
    return any((
        previous.isdigit() or following.isdigit(),  # one group of a longer number: "07700 900 111"
        following.rstrip(_CLOSING) in _UNITS,  # "111 days", "17 heures"
        previous in _COUNTED or previous in _TIME_WORDS,  # "day 111", "until 17"
        day_like and (following.rstrip(_CLOSING) in _MONTHS or previous.rstrip(".,") in _MONTHS),  # "15 May"
        following in _RANGE_WORDS and len(after) > 1 and _DIGIT.search(after[1]) is not None,  # "17 to 18"
        previous in _RANGE_WORDS and len(before) > 1 and _DIGIT.search(before[-2]) is not None,  # "from 9 to 17"
        previous in _BETWEEN,  # "between 15 and 18"
        previous in _AND and len(before) > 2 and _DIGIT.search(before[-2]) is not None and before[-3] in _BETWEEN,
    ))
