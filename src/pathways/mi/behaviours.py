"""MITI 4.2.1's behaviour codes for a counsellor's turn, beside its main code.

A turn may show none, one or several of seven behaviours. Three are MI-adherent (affirm, seeking
collaboration, emphasizing autonomy) and two MI-non-adherent (confront, and persuade without permission);
giving information and persuading with permission are counted but are neither. AnnoMI codes none of these, so
the classifiers learned from examples we wrote and coded ourselves (training/mi/behaviours/, trained by
`python -m training.mi.behaviour_training`).

Each behaviour is a logistic regression over the TF-IDF of the turn's words (and, where cross-validation
preferred them, its letter groups) and the sentence embedding the coder has already computed (no second encoder pass), with its own decision threshold chosen by
cross-validation. The weights are plain arrays in `model/behaviours.npz`; loading one runs no pickled code.
"""
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import hstack

from pathways.mi.encoder import WIDTH
from pathways.mi.heads import sigmoid
from pathways.mi.tfidf import Vocabulary

GIVING_INFORMATION = "giving_information"
PERSUADE = "persuade"
PERSUADE_WITH_PERMISSION = "persuade_with_permission"
CONFRONT = "confront"
AFFIRM = "affirm"
SEEKING_COLLABORATION = "seeking_collaboration"
EMPHASIZING_AUTONOMY = "emphasizing_autonomy"
BEHAVIOURS = (GIVING_INFORMATION, PERSUADE, PERSUADE_WITH_PERMISSION, CONFRONT, AFFIRM,
              SEEKING_COLLABORATION, EMPHASIZING_AUTONOMY)
ADHERENT = (AFFIRM, SEEKING_COLLABORATION, EMPHASIZING_AUTONOMY)
NON_ADHERENT = (CONFRONT, PERSUADE)


class BehaviourModelError(ValueError):
    """The saved behaviour model is missing a part or its parts do not fit together."""


@dataclass(frozen=True)
class BehaviourModel:
    vocabularies: tuple[Vocabulary, ...]  # TF-IDF of the turn's words (or letter groups), fitted on our examples
    embedding_columns: slice  # which columns of the coder's embedding the classifiers read
    coef: np.ndarray  # (behaviours, words + embedding columns)
    intercept: np.ndarray  # (behaviours,)
    thresholds: np.ndarray  # (behaviours,): a behaviour is coded when its probability reaches this

    def probabilities(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
        """One row per text, one column per behaviour (in BEHAVIOURS' order)."""
        words = hstack([vocabulary.transform(texts) for vocabulary in self.vocabularies]).tocsr()
        split = words.shape[1]
        scores = (np.asarray(words @ self.coef[:, :split].T)
                  + embeddings[:, self.embedding_columns] @ self.coef[:, split:].T + self.intercept)
        return sigmoid(scores)

    def predict(self, texts: Sequence[str], embeddings: np.ndarray) -> list[tuple[str, ...]]:
        return [decide(p, self.thresholds) for p in self.probabilities(texts, embeddings)]


def decide(probabilities: np.ndarray, thresholds: np.ndarray) -> tuple[str, ...]:
    """The behaviours whose probability reaches their threshold. Persuading with and without permission
    exclude each other in MITI, so when both pass, the one further past its threshold stays."""
    margin = probabilities - thresholds
    chosen = {b for b, m in zip(BEHAVIOURS, margin, strict=True) if m >= 0}
    if {PERSUADE, PERSUADE_WITH_PERMISSION} <= chosen:
        chosen.discard(min((PERSUADE, PERSUADE_WITH_PERMISSION), key=lambda b: margin[BEHAVIOURS.index(b)]))
    return tuple(b for b in BEHAVIOURS if b in chosen)


def save(model: BehaviourModel, path: Path) -> None:
    arrays = {"behaviours": np.array(BEHAVIOURS), "vocabularies": np.array(len(model.vocabularies)),
              "embedding_columns": np.array([model.embedding_columns.start, model.embedding_columns.stop]),
              "coef": model.coef.astype(np.float32), "intercept": model.intercept.astype(np.float32),
              "thresholds": model.thresholds.astype(np.float32)}
    for i, vocabulary in enumerate(model.vocabularies):
        arrays[f"{i}.analyzer"] = np.array(vocabulary.analyzer)
        arrays[f"{i}.ngram_range"] = np.array(vocabulary.ngram_range)
        arrays[f"{i}.terms"] = np.array(sorted(vocabulary.terms, key=vocabulary.terms.get))
        arrays[f"{i}.idf"] = vocabulary.idf.astype(np.float32)
    np.savez_compressed(path, **arrays)


def load(path: Path) -> BehaviourModel:
    """The saved model, checked part by part, so a damaged or mismatched file fails here, in words, and not
    later as a wrong answer."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            parts = {name: saved[name] for name in saved.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise BehaviourModelError(f"{path} is not a readable behaviour model ({error}).") from error
    if missing := {"behaviours", "vocabularies", "embedding_columns", "coef", "intercept", "thresholds"} - set(parts):
        raise BehaviourModelError(f"{path} lacks {', '.join(sorted(missing))}.")
    if tuple(str(b) for b in parts["behaviours"]) != BEHAVIOURS:
        raise BehaviourModelError(f"{path} codes other behaviours than {', '.join(BEHAVIOURS)}.")
    vocabularies = tuple(_vocabulary(parts, i, path) for i in range(int(parts["vocabularies"])))
    if parts["embedding_columns"].shape != (2,):
        raise BehaviourModelError(f"{path} does not say which embedding columns it reads.")
    start, stop = (int(n) for n in parts["embedding_columns"])
    width = sum(len(v.terms) for v in vocabularies) + stop - start
    if (not 0 <= start < stop <= WIDTH or parts["coef"].shape != (len(BEHAVIOURS), width)
            or parts["intercept"].shape != (len(BEHAVIOURS),) or parts["thresholds"].shape != (len(BEHAVIOURS),)):
        raise BehaviourModelError(f"{path} has weights that do not fit its vocabularies and the encoder.")
    return BehaviourModel(vocabularies, slice(start, stop), parts["coef"], parts["intercept"], parts["thresholds"])


def _vocabulary(parts: dict[str, np.ndarray], i: int, path: Path) -> Vocabulary:
    try:
        analyzer, ngram_range = str(parts[f"{i}.analyzer"]), parts[f"{i}.ngram_range"]
        terms, idf = [str(t) for t in parts[f"{i}.terms"]], parts[f"{i}.idf"]
    except KeyError as error:
        raise BehaviourModelError(f"{path} lacks {error.args[0]}.") from error
    if analyzer not in ("word", "char_wb") or ngram_range.shape != (2,) or idf.shape != (len(terms),):
        raise BehaviourModelError(f"{path} has a damaged vocabulary ({i}).")
    return Vocabulary(analyzer, (int(ngram_range[0]), int(ngram_range[1])),
                      {term: column for column, term in enumerate(terms)}, idf.astype(np.float64))
