"""Our own coded examples of MITI behaviours (examples.csv; the codes are defined in README.md beside it).

Each row is one counsellor utterance: its text, the behaviours it shows (`;`-separated, empty for none), the
split it belongs to (train, or test: held aside and only ever scored), and a note on why a hard case is coded
as it is. `load` refuses a file with an unknown behaviour or split, naming the row, so a typo cannot quietly
become a new class.
"""
import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pathways.mi.behaviours import BEHAVIOURS

EXAMPLES = Path(__file__).parent / "examples.csv"
SPLITS = ("train", "test")


@dataclass(frozen=True)
class Example:
    text: str
    behaviours: tuple[str, ...]
    split: str
    note: str


def load(path: Path = EXAMPLES) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8", newline="") as file:
        for line, row in enumerate(csv.DictReader(file), start=2):
            behaviours = tuple(b.strip() for b in row["behaviours"].split(";") if b.strip())
            unknown = [b for b in behaviours if b not in BEHAVIOURS]
            if unknown or row["split"] not in SPLITS or not row["text"].strip():
                raise ValueError(f"{path.name}, line {line}: needs text, behaviours among {', '.join(BEHAVIOURS)} "
                                 f"and a split of train or test (found {row['behaviours']!r}, {row['split']!r}).")
            examples.append(Example(row["text"], behaviours, row["split"], row["note"]))
    return examples


def label_matrix(examples: list[Example]) -> np.ndarray:
    """One row per example, one column per behaviour (in BEHAVIOURS' order): 1 where coded."""
    return np.array([[b in e.behaviours for b in BEHAVIOURS] for e in examples], dtype=int)
