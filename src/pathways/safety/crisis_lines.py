"""The crisis lines Pathways ships, read from data/crisis_lines.json, each with the date it was last checked.

They are data, not database rows, so a new release can correct a number without a migration and a
fresh install (or an emptied test database) always has them.
"""
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "crisis_lines.json"


@dataclass(frozen=True)
class CrisisLine:
    country: str
    name: str
    phone: str = ""
    text: str = ""
    website: str = ""
    hours: str = ""
    last_checked: date | None = None
    source: str = ""


@cache
def shipped_lines() -> tuple[CrisisLine, ...]:
    lines = []
    for entry in json.loads(DATA.read_text(encoding="utf-8"))["lines"]:
        entry = dict(entry, last_checked=date.fromisoformat(entry["last_checked"]))
        lines.append(CrisisLine(**entry))
    return tuple(lines)


def lines_for_country(country: str) -> list[CrisisLine]:
    return [line for line in shipped_lines() if line.country == country]
