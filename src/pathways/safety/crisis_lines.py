"""The crisis lines Pathways ships, read from data/crisis_lines.json, each with its source and last-checked date.

They are data, not database rows, so a new release can correct a number without a migration and a
fresh install (or an emptied test database) always has them. Within a country, lines come in the
order of KINDS: the emergency number first, because in immediate danger it is the one to call.
"""
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "crisis_lines.json"

# What each kind of line is for, in the order a person in crisis should meet them.
KINDS = {
    "emergency": "Emergency services",
    "crisis": "Crisis and suicide prevention",
    "alcohol_drugs": "Alcohol and drug helpline",
    "overdose_prevention": "Overdose prevention",
}


@dataclass(frozen=True)
class CrisisLine:
    country: str
    kind: str
    name: str
    phone: str = ""
    text: str = ""
    website: str = ""
    hours: str = ""
    last_checked: date | None = None
    source: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


@cache
def shipped_lines() -> tuple[CrisisLine, ...]:
    lines = []
    for entry in json.loads(DATA.read_text(encoding="utf-8"))["lines"]:
        entry = dict(entry, last_checked=date.fromisoformat(entry["last_checked"]))
        lines.append(CrisisLine(**entry))
    order = list(KINDS)
    # sorted() keeps the file's order within a country and kind.
    return tuple(sorted(lines, key=lambda line: order.index(line.kind)))


def shipped_countries() -> list[str]:
    """Every country with lines, in the order the file first names them."""
    return list(dict.fromkeys(line.country for line in shipped_lines()))


def lines_for_country(country: str, *, kinds: tuple[str, ...] = tuple(KINDS)) -> list[CrisisLine]:
    return [line for line in shipped_lines() if line.country == country and line.kind in kinds]


def emergency_numbers() -> list[CrisisLine]:
    """The emergency line of every shipped country, for when Pathways does not know where the person is."""
    return [line for line in shipped_lines() if line.kind == "emergency"]
