"""TF-IDF rows from a vocabulary scikit-learn fitted, computed without importing scikit-learn.

Training fits each vocabulary with scikit-learn's `TfidfVectorizer` (which terms to keep, and their inverse
document frequencies; `fit_vocabulary` in training/mi/training.py, outside the app); training, cross-validation
and the running analyzer then all turn texts into rows here. scikit-learn is not a runtime dependency, and
importing it would take most of a second (it loads scipy.stats), more than the rest of the model together, when
the analyzer must load in under two seconds. The rows follow the vectorizer's documented recipe for the
settings we use (lower case; words of two or more letters, or letter groups within words padded with a space;
1 + log of each count, times its idf; rows scaled to unit length); training/mi/tests/test_tfidf.py checks that
they equal the vectorizer's own, on awkward texts and on the AnnoMI texts.
"""
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
from scipy.sparse import csr_matrix

WORD = re.compile(r"(?u)\b\w\w+\b")  # the vectorizer's default token pattern


def _word_grams(text: str, shortest: int, longest: int) -> list[str]:
    words = WORD.findall(text)
    return [" ".join(words[i:i + n]) for n in range(shortest, longest + 1) for i in range(len(words) - n + 1)]


def _letter_grams(word: str, shortest: int, longest: int) -> list[str]:
    padded = f" {word} "
    grams = []
    for n in range(shortest, longest + 1):
        if len(padded) <= n:  # a word shorter than the group counts once, whole, and not again for longer n
            grams.append(padded)
            break
        grams.extend([padded[i:i + n] for i in range(len(padded) - n + 1)])
    return grams


@dataclass(frozen=True)
class Vocabulary:
    analyzer: str  # "word" or "char_wb", as scikit-learn names them
    ngram_range: tuple[int, int]
    terms: dict[str, int]  # term -> column
    idf: np.ndarray

    def __post_init__(self):
        # Letter groups never cross a space, so each word's columns are worked out once and remembered:
        # most words of a session have been seen before.
        object.__setattr__(self, "_word_columns", lru_cache(maxsize=1 << 16)(self._columns_of_word))

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        found = [self._columns(text.lower()) for text in texts]
        lengths = [len(columns) for columns in found]
        columns = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=sum(lengths))
        rows = np.repeat(np.arange(len(texts)), lengths)
        # Building from (row, column) pairs adds up repeated pairs: each cell holds its term's count.
        matrix = csr_matrix((np.ones(len(columns)), (rows, columns)), shape=(len(texts), len(self.terms)))
        matrix.data = (1 + np.log(matrix.data)) * self.idf[matrix.indices]
        row_of_each = np.repeat(np.arange(len(texts)), np.diff(matrix.indptr))
        matrix.data /= np.sqrt(np.bincount(row_of_each, weights=matrix.data ** 2, minlength=len(texts)))[row_of_each]
        return matrix

    def _columns(self, text: str) -> list[int]:
        """The column of every known term in `text` (lower case), once per occurrence."""
        if self.analyzer == "word":
            return self._known(_word_grams(text, *self.ngram_range))
        return [column for word in text.split() for column in self._word_columns(word)]

    def _columns_of_word(self, word: str) -> tuple[int, ...]:
        return tuple(self._known(_letter_grams(word, *self.ngram_range)))

    def _known(self, grams: list[str]) -> list[int]:
        return [column for column in map(self.terms.get, grams) if column is not None]

    def to_dict(self) -> dict:
        return {"params": {"analyzer": self.analyzer, "ngram_range": list(self.ngram_range)},
                "vocabulary": self.terms, "idf": self.idf.tolist()}

    @classmethod
    def from_dict(cls, saved: dict) -> "Vocabulary":
        return cls(saved["params"]["analyzer"], tuple(saved["params"]["ngram_range"]), saved["vocabulary"],
                   np.asarray(saved["idf"]))
