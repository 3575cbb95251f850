"""What the classifiers see of one utterance: its words, its neighbours, and its sentence embedding.

Training, cross-validation and the running analyzer all build features here, so what is measured is what
ships. A counsellor's turn is read beside the turns before and after it: a reflection is often followed by the
person agreeing, and whether "yes" is change talk depends on what was asked.
"""
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, hstack

from pathways.mi.tfidf import Vocabulary

NEIGHBOUR_WEIGHT = 0.5  # the words around a turn count for less than its own


@dataclass
class Neighbours:
    """For each utterance, the position of the turn before and after it in the same transcript (-1: none)."""

    previous: np.ndarray
    following: np.ndarray

    @classmethod
    def of(cls, conversation_ids: Sequence) -> "Neighbours":
        n = len(conversation_ids)
        previous = np.full(n, -1)
        following = np.full(n, -1)
        for i in range(1, n):
            if conversation_ids[i] == conversation_ids[i - 1]:
                previous[i] = i - 1
                following[i - 1] = i
        return cls(previous, following)


def _around(values: Sequence[str], where: np.ndarray) -> list[str]:
    return [values[j] if j >= 0 else "" for j in where]


def _rows_around(matrix: np.ndarray, where: np.ndarray) -> np.ndarray:
    out = np.zeros_like(matrix)
    present = where >= 0
    out[present] = matrix[where[present]]
    return out


class TextFeatures:
    """TF-IDF of a turn (words and letter groups) and of the words of its neighbours. The vocabularies are fitted
    in training (`training/mi/training.py`, with scikit-learn) and loaded here from the model's vocabulary.json."""

    # part: (what it counts, n-gram lengths, fewest texts a term must appear in, most terms kept)
    SETTINGS = {"words": ("word", (1, 2), 2, 20000),
                "letters": ("char_wb", (2, 5), 3, 40000),
                "before": ("word", (1, 2), 2, 10000),
                "after": ("word", (1, 2), 2, 10000)}

    def __init__(self, vocabularies: dict[str, Vocabulary] | None = None):
        self.vocabularies = vocabularies or {}

    @staticmethod
    def inputs(texts: Sequence[str], neighbours: Neighbours) -> dict[str, Sequence[str]]:
        """The texts each part reads: the turns themselves, or the turn before or after each."""
        return {"words": texts, "letters": texts,
                "before": _around(texts, neighbours.previous), "after": _around(texts, neighbours.following)}

    def transform(self, texts: Sequence[str], neighbours: Neighbours):
        inputs = self.inputs(texts, neighbours)
        blocks = [self.vocabularies[part].transform(inputs[part]) for part in self.SETTINGS]
        blocks[2] = blocks[2] * NEIGHBOUR_WEIGHT
        blocks[3] = blocks[3] * NEIGHBOUR_WEIGHT
        return hstack(blocks)

    def to_dict(self) -> dict:
        return {part: vocabulary.to_dict() for part, vocabulary in self.vocabularies.items()}

    @classmethod
    def from_dict(cls, data: dict) -> "TextFeatures":
        return cls({part: Vocabulary.from_dict(saved) for part, saved in data.items()})


# How the last question in a turn opens: "do you…?" asks for a yes or no, "what…?" for the person's own words.
CLOSED_OPENERS = frozenset("am is are was were do does did have has had can could will would shall should may "
                           "might must isn't aren't don't doesn't didn't haven't hasn't won't wouldn't".split())
OPEN_OPENERS = frozenset("what how why where when who which tell describe".split())
FILLERS = frozenset("so and but um uh er well okay ok oh now then also yeah right".split())
SENTENCE_END = re.compile(r"[.!?;:—–-]+\s+")


def question_opener(text: str) -> str:
    """The first word of the last question in `text` that is not a filler ("" when there is no question)."""
    if "?" not in text:
        return ""
    question = SENTENCE_END.split(text[:text.rindex("?")])[-1]
    words = [w.strip(",'\"").lower() for w in question.split()]
    return next((w for w in words if w and w not in FILLERS), "")


def shape_cues(texts: Sequence[str]) -> np.ndarray:
    """Cues the words alone blur: a closing question mark, how the last question opens, and length
    (long turns are rarely 'other')."""
    rows = []
    for text in texts:
        opener = question_opener(text)
        rows.append([text.rstrip().endswith("?"), opener in CLOSED_OPENERS, opener in OPEN_OPENERS,
                     min(len(text.split()), 120) / 30])
    return np.array(rows, dtype=np.float32)


@dataclass(frozen=True)
class FeatureMatrix:
    """Sparse word counts and dense embeddings, kept apart: turning the dense half sparse costs more time
    than the classifiers themselves. Training joins them (`combined`); prediction multiplies each half."""

    sparse: csr_matrix
    dense: np.ndarray

    def rows(self, which) -> "FeatureMatrix":
        return FeatureMatrix(self.sparse[which], self.dense[which])

    def combined(self) -> csr_matrix:
        return hstack([self.sparse, csr_matrix(self.dense)]).tocsr()


def build(texts: Sequence[str], embeddings: np.ndarray, neighbours: Neighbours,
          text_features: TextFeatures) -> FeatureMatrix:
    """Words, neighbours' words, own and neighbours' embeddings, shape cues."""
    dense = np.hstack([embeddings,
                       _rows_around(embeddings, neighbours.previous),
                       _rows_around(embeddings, neighbours.following),
                       shape_cues(texts)])
    return FeatureMatrix(text_features.transform(texts, neighbours).tocsr(), dense)
