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
from sklearn.feature_extraction.text import TfidfVectorizer

NEIGHBOUR_WEIGHT = 0.5  # the words around a turn count for less than its own


def _word_vectorizer(**kwargs) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, **kwargs)


def _char_vectorizer(**kwargs) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, **kwargs)


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
    """TF-IDF of a turn (words and letter groups) and of the words of its neighbours."""

    PARTS = ("words", "letters", "before", "after")

    def __init__(self, vectorizers: dict[str, TfidfVectorizer] | None = None):
        self.vectorizers = vectorizers or {
            "words": _word_vectorizer(min_df=2, max_features=20000),
            "letters": _char_vectorizer(min_df=3, max_features=40000),
            "before": _word_vectorizer(min_df=2, max_features=10000),
            "after": _word_vectorizer(min_df=2, max_features=10000),
        }

    def _inputs(self, texts, neighbours):
        return {"words": texts, "letters": texts,
                "before": _around(texts, neighbours.previous), "after": _around(texts, neighbours.following)}

    def fit(self, texts: Sequence[str], neighbours: Neighbours) -> "TextFeatures":
        for part, values in self._inputs(texts, neighbours).items():
            self.vectorizers[part].fit(values)
        return self

    def transform(self, texts: Sequence[str], neighbours: Neighbours):
        inputs = self._inputs(texts, neighbours)
        blocks = [self.vectorizers[part].transform(inputs[part]) for part in self.PARTS]
        blocks[2] = blocks[2] * NEIGHBOUR_WEIGHT
        blocks[3] = blocks[3] * NEIGHBOUR_WEIGHT
        return hstack(blocks)

    def to_dict(self) -> dict:
        return {part: {"params": {k: v for k, v in vec.get_params().items() if k != "dtype"},
                       "vocabulary": {term: int(i) for term, i in vec.vocabulary_.items()},
                       "idf": vec.idf_.tolist()}
                for part, vec in self.vectorizers.items()}

    @classmethod
    def from_dict(cls, data: dict) -> "TextFeatures":
        vectorizers = {}
        for part, saved in data.items():
            params = dict(saved["params"], vocabulary=saved["vocabulary"], max_features=None, min_df=1)
            params["ngram_range"] = tuple(params["ngram_range"])
            vec = TfidfVectorizer(**params)
            vec.idf_ = np.asarray(saved["idf"])
            vectorizers[part] = vec
        return cls(vectorizers)


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
