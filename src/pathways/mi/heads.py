"""Linear classifiers saved as plain arrays, so loading them runs no pickled code.

Each head is a logistic regression fitted in training (training/mi/training.py, with scikit-learn); here it is
only weights, an intercept and class names, and prediction is a matrix product and a softmax (a sigmoid for two
classes, as fitted).
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pathways.mi.features import FeatureMatrix

# Which head decides what: the main code of each speaker, then the subcode given the main code.
NAMES = ("counsellor", "person", "question", "reflection", "input")


@dataclass(frozen=True)
class Head:
    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, features), or (1, features) for two classes
    intercept: np.ndarray

    def probabilities(self, features: FeatureMatrix) -> np.ndarray:
        split = features.sparse.shape[1]
        scores = (np.asarray(features.sparse @ self.coef[:, :split].T)
                  + features.dense @ self.coef[:, split:].T + self.intercept)
        if len(self.classes) == 2:
            positive = sigmoid(scores[:, 0])
            return np.column_stack([1 - positive, positive])
        return softmax(scores)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def softmax(scores: np.ndarray) -> np.ndarray:
    """Each row of scores as probabilities (shifted by its largest score first, so exp cannot overflow)."""
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def save(heads: dict[str, Head], path: Path) -> None:
    arrays = {}
    for name, head in heads.items():
        arrays[f"{name}.classes"] = np.array(head.classes)
        arrays[f"{name}.coef"] = head.coef
        arrays[f"{name}.intercept"] = head.intercept
    np.savez_compressed(path, **arrays)


def load(path: Path) -> dict[str, Head]:
    with np.load(path, allow_pickle=False) as saved:
        return {name: Head(tuple(str(c) for c in saved[f"{name}.classes"]),
                           saved[f"{name}.coef"], saved[f"{name}.intercept"]) for name in NAMES}
