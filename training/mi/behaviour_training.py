"""Train the MITI behaviour classifiers on our own examples: `python -m training.mi.behaviour_training`.

Runs in the app's dev environment (.venv: scikit-learn, and the app's own ONNX encoder; no PyTorch), in about a
minute, and writes src/pathways/mi/model/behaviours.npz. Every example is embedded once by the shipped encoder,
as the analyzer embeds a session. Settings (which embedding columns, how strongly to regularise, whether rare
word pairs count) are chosen by 5-fold cross-validation on the training split alone, and each behaviour's
threshold on the same out-of-fold probabilities; the test split is scored once, at the end, by the model that
ships, and never steers a choice.
"""
import argparse
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from pathways.mi import behaviours
from pathways.mi.behaviours import BEHAVIOURS, BehaviourModel
from pathways.mi.encoder import FOR_HEADS, MODEL_DIR, WIDTH, Encoder
from training.mi import behaviours as examples_file
from training.mi.training import fit_vocabulary

OUTPUT = MODEL_DIR / "behaviours.npz"
FOLDS = 5
SEED = 29
EMBEDDINGS = {"fine-tuned layers": FOR_HEADS, "all layers": slice(0, WIDTH)}
C_VALUES = (3.0, 10.0, 30.0)
MIN_DF = (1, 2)  # how many training texts a word or word pair must appear in to be kept
THRESHOLDS = np.round(np.arange(0.1, 0.91, 0.05), 2)


@dataclass(frozen=True)
class Settings:
    embedding: str
    c: float
    min_df: int


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int


def fit(texts: list[str], embeddings: np.ndarray, labels: np.ndarray, settings: Settings,
        thresholds: np.ndarray | None = None) -> BehaviourModel:
    """One logistic regression per behaviour on words and embedding, saved as plain weights."""
    # Letter groups beside the words scored no better in cross-validation (mean F1 0.797 against 0.798).
    vocabularies = [fit_vocabulary(texts, "word", (1, 2), settings.min_df, None)]
    columns = EMBEDDINGS[settings.embedding]
    matrix = hstack([v.transform(texts) for v in vocabularies] + [csr_matrix(embeddings[:, columns])]).tocsr()
    coef, intercept = [], []
    for k in range(len(BEHAVIOURS)):
        # Balanced weights: each behaviour is a small minority of the turns, and missing it matters.
        fitted = LogisticRegression(C=settings.c, class_weight="balanced", max_iter=5000).fit(matrix, labels[:, k])
        coef.append(fitted.coef_[0])
        intercept.append(fitted.intercept_[0])
    return BehaviourModel(tuple(vocabularies), columns, np.array(coef, dtype=np.float32), np.array(intercept, dtype=np.float32),
                          np.full(len(BEHAVIOURS), 0.5) if thresholds is None else thresholds)


def out_of_fold(texts: list[str], embeddings: np.ndarray, labels: np.ndarray, settings: Settings) -> np.ndarray:
    """Each training example's probabilities from a model that did not see it."""
    probabilities = np.zeros(labels.shape)
    # Stratified by each example's first behaviour (or none), so every fold holds some of each.
    strata = [next((k for k, on in enumerate(row) if on), -1) for row in labels]
    for train, held in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(texts, strata):
        model = fit([texts[i] for i in train], embeddings[train], labels[train], settings)
        probabilities[held] = model.probabilities([texts[i] for i in held], embeddings[held])
    return probabilities


def best_thresholds(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """For each behaviour, the threshold with the best F1 on these probabilities."""
    return np.array([max(THRESHOLDS, key=lambda t, k=k: _f1(probabilities[:, k] >= t, labels[:, k]))
                     for k in range(len(BEHAVIOURS))])


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    both = int((predicted & (truth == 1)).sum())
    return 2 * both / (predicted.sum() + truth.sum()) if predicted.sum() + truth.sum() else 0.0


def score(model: BehaviourModel, texts: list[str], embeddings: np.ndarray, labels: np.ndarray) -> dict[str, Score]:
    """Precision, recall and F1 per behaviour of what the model codes (thresholds and rules included)."""
    return score_decisions(model.predict(texts, embeddings), labels)


def score_decisions(decided: list[tuple[str, ...]], labels: np.ndarray) -> dict[str, Score]:
    scores = {}
    for k, behaviour in enumerate(BEHAVIOURS):
        predicted = np.array([behaviour in d for d in decided])
        truth = labels[:, k] == 1
        hits = int((predicted & truth).sum())
        precision = hits / predicted.sum() if predicted.sum() else 0.0
        recall = hits / truth.sum() if truth.sum() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[behaviour] = Score(float(precision), float(recall), float(f1), int(truth.sum()))
    return scores


def table(scores: dict[str, Score]) -> str:
    lines = [f"{'behaviour':<26} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>4}"]
    lines += [f"{b:<26} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.support:>4}" for b, s in scores.items()]
    return "\n".join(lines)


def choose(texts: list[str], embeddings: np.ndarray, labels: np.ndarray) -> tuple[Settings, np.ndarray]:
    """The settings and thresholds with the best mean F1 across behaviours in cross-validation on train."""
    best = None
    for embedding, c, min_df in product(EMBEDDINGS, C_VALUES, MIN_DF):
        settings = Settings(embedding, c, min_df)
        probabilities = out_of_fold(texts, embeddings, labels, settings)
        thresholds = best_thresholds(probabilities, labels)
        decided = [behaviours.decide(p, thresholds) for p in probabilities]
        mean_f1 = np.mean([s.f1 for s in score_decisions(decided, labels).values()])
        print(f"  cv {embedding:<17} C={c:<5} min_df={min_df}  mean F1 {mean_f1:.3f}", flush=True)
        if best is None or mean_f1 > best[0]:
            best = (mean_f1, settings, thresholds, decided)
    print("cross-validated on train, chosen settings:")
    print(table(score_decisions(best[3], labels)))
    return best[1], best[2]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.mi.behaviour_training",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    examples = examples_file.load()
    train = [e for e in examples if e.split == "train"]
    texts = [e.text for e in train]
    embeddings = Encoder().embed(texts)
    labels = examples_file.label_matrix(train)
    print(f"{len(train)} training examples; choosing settings by {FOLDS}-fold cross-validation on them")
    settings, thresholds = choose(texts, embeddings, labels)
    print(f"chosen: {settings}, thresholds {dict(zip(BEHAVIOURS, thresholds.tolist(), strict=True))}")
    model = fit(texts, embeddings, labels, settings, thresholds)
    behaviours.save(model, args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KB)\n")
    print("held-aside test examples:")
    print(table(test_scores(behaviours.load(args.output))))


def test_scores(model: BehaviourModel, encoder: Encoder | None = None) -> dict[str, Score]:
    """The model's scores on the held-aside test split (what the bench reports)."""
    test = [e for e in examples_file.load() if e.split == "test"]
    texts = [e.text for e in test]
    return score(model, texts, (encoder or Encoder()).embed(texts), examples_file.label_matrix(test))


if __name__ == "__main__":
    main()
