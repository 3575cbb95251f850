"""Fitting the classifiers on AnnoMI, and measuring them by cross-validation grouped by video.

Used by `python -m training.mi.train` (which writes the shipped model) and `python -m training.mi.bench`
(which measures it). Both read the AnnoMI training files, which the app never needs at run time. scikit-learn is
imported here and only here: it fits the vocabularies (`fit_text_features`) and the classifiers, and the app
reads what they learned through `pathways.mi.tfidf` and `pathways.mi.heads`, which do not need it.

Labels. The main codes come from AnnoMI's simple file (one majority label per utterance). Subcodes (open or
closed, simple or complex, kind of input) come from the full file, where some utterances carry one row per
annotator: those rows are votes about one utterance, never separate examples, so each utterance takes the
subcode most of its annotators gave (ties go to the first seen). Folds are grouped by `video_url`, because
several transcripts are of one video and would otherwise leak across the split.

Our own examples. AnnoMI's counsellors rarely give bare advice ("You should cut down."), so a model trained on
it alone read such a turn, which starts like many reflections, as a reflection, and the summary missed the very
advice MI asks supporters to hold back. `examples/directives.csv` holds short exchanges we wrote with such
turns, reflections and permission-asking that sound like them, some plain information, and invitations worded
as requests ("Walk me through it."), which MITI codes as open questions and AnnoMI words only as "Tell me…",
all coded by us. They join every training set and are never scored: every figure is measured on AnnoMI alone.
"""
import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold

from pathways.mi import features
from pathways.mi.codes import COUNSELLOR, INPUT, PERSON
from pathways.mi.encoder import FOR_HEADS, FOR_READER
from pathways.mi.heads import Head
from pathways.mi.tfidf import Vocabulary

DEFAULT_DATA = Path("../shared/data/annomi")
OUR_EXAMPLES = Path(__file__).parent / "examples" / "directives.csv"
MAIN_CODE = {"question": "question", "reflection": "reflection", "therapist_input": INPUT, "other": "other",
             "change": "change", "neutral": "neutral", "sustain": "sustain"}
SUBCODE_COLUMN = {"question": "question_subtype", "reflection": "reflection_subtype",
                  INPUT: "therapist_input_subtype"}
C = 1.0  # regularisation; chosen by grouped cross-validation on the training files


@dataclass
class Corpus:
    texts: list[str]
    speakers: list[str]
    codes: list[str]
    subcodes: list[str]  # "" where none, or where the main code has no subcodes
    transcripts: list[str]
    videos: list[str]
    ours: list[bool]  # our own written examples: always trained on, never scored
    neighbours: features.Neighbours = field(init=False)

    def __post_init__(self):
        self.neighbours = features.Neighbours.of(self.transcripts)

    def __len__(self):
        return len(self.texts)

    def annomi_rows(self) -> np.ndarray:
        """Rows from AnnoMI, the only ones cross-validation tests and scores."""
        return np.flatnonzero(~np.array(self.ours, dtype=bool))


def load_corpus(data_dir: Path = DEFAULT_DATA, examples: Path | None = OUR_EXAMPLES) -> Corpus:
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    with open(data_dir / "AnnoMI-full-train.csv", encoding="utf-8", newline="") as full:
        for row in csv.DictReader(full):
            code = MAIN_CODE.get(row["main_therapist_behaviour"])
            column = SUBCODE_COLUMN.get(code)
            if column and row[column] not in ("", "n/a"):
                votes[(row["transcript_id"], row["utterance_id"]), code][row[column]] += 1
    corpus = Corpus([], [], [], [], [], [], [])
    with open(data_dir / "AnnoMI-simple-train.csv", encoding="utf-8", newline="") as simple:
        for row in csv.DictReader(simple):
            therapist = row["interlocutor"] == "therapist"
            code = MAIN_CODE[row["main_therapist_behaviour"] if therapist else row["client_talk_type"]]
            tally = votes.get(((row["transcript_id"], row["utterance_id"]), code))
            corpus.texts.append(row["utterance_text"])
            corpus.speakers.append(COUNSELLOR if therapist else PERSON)
            corpus.codes.append(code)
            corpus.subcodes.append(tally.most_common(1)[0][0] if tally else "")
            corpus.transcripts.append(row["transcript_id"])
            corpus.videos.append(row["video_url"])
            corpus.ours.append(False)
    if examples:
        _add_our_examples(corpus, examples)
    corpus.__post_init__()
    return corpus


def _add_our_examples(corpus: Corpus, examples: Path) -> None:
    with open(examples, encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            session = f"ours-{row['session']}"  # its own group: no AnnoMI transcript or video is named so
            corpus.texts.append(row["text"])
            corpus.speakers.append(row["speaker"])
            corpus.codes.append(row["code"])
            corpus.subcodes.append(row["subcode"])
            corpus.transcripts.append(session)
            corpus.videos.append(session)
            corpus.ours.append(True)


def fit_vocabulary(texts: Sequence[str], analyzer: str, ngram_range: tuple[int, int], min_df: int,
                   max_features: int | None) -> Vocabulary:
    """Which terms to keep and their inverse document frequencies, as scikit-learn's vectorizer chooses them;
    the analyzer turns texts into rows from these (`pathways.mi.tfidf`) without importing scikit-learn."""
    fitted = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, min_df=min_df,
                             max_features=max_features, sublinear_tf=True).fit(texts)
    return Vocabulary(analyzer, ngram_range, {term: int(i) for term, i in fitted.vocabulary_.items()}, fitted.idf_)


def fit_text_features(texts: Sequence[str], neighbours: features.Neighbours) -> features.TextFeatures:
    """A vocabulary for each part of `features.TextFeatures` (a turn's words and letter groups, its neighbours'
    words), with that part's settings."""
    inputs = features.TextFeatures.inputs(texts, neighbours)
    return features.TextFeatures({part: fit_vocabulary(inputs[part], *settings)
                                  for part, settings in features.TextFeatures.SETTINGS.items()})


def head_from_estimator(estimator: LogisticRegression) -> Head:
    """A fitted logistic regression as the plain arrays the analyzer loads."""
    return Head(tuple(str(c) for c in estimator.classes_),
                estimator.coef_.astype(np.float32), estimator.intercept_.astype(np.float32))


def _classifier() -> LogisticRegression:
    # Balanced class weights: sustain talk and input are rare, and macro-F1 counts every class alike.
    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced")


def task_rows(corpus: Corpus, head: str, within: np.ndarray) -> np.ndarray:
    """The utterances (among `within`) a head learns from."""
    if head in (COUNSELLOR, PERSON):
        keep = [i for i in within if corpus.speakers[i] == head]
    else:
        keep = [i for i in within if corpus.codes[i] == head and corpus.subcodes[i]]
    return np.array(keep, dtype=int)


def task_labels(corpus: Corpus, head: str, chosen: np.ndarray) -> list[str]:
    """What a head should answer for each of `chosen`: the main code, or for a subcode head the subcode."""
    return [corpus.codes[i] if head in (COUNSELLOR, PERSON) else corpus.subcodes[i] for i in chosen]


HEADS = (COUNSELLOR, PERSON, "question", "reflection", INPUT)


def fit(corpus: Corpus, embeddings: np.ndarray, rows: np.ndarray):
    """Fit the TF-IDF vocabularies, every head and the dialogue reader on `rows`;
    returns (TextFeatures, {head: Head}, DialogueReader). The reader needs PyTorch."""
    from training.mi import dialogue_training

    texts = [corpus.texts[i] for i in rows]
    neighbours = _neighbours_within(corpus, rows)
    text_features = fit_text_features(texts, neighbours)
    matrix = features.build(texts, embeddings[rows][:, FOR_HEADS], neighbours, text_features).combined()
    position = {row: k for k, row in enumerate(rows)}
    fitted = {}
    for head in HEADS:
        chosen = task_rows(corpus, head, rows)
        labels = task_labels(corpus, head, chosen)
        estimator = _classifier().fit(matrix[[position[i] for i in chosen]], labels)
        fitted[head] = head_from_estimator(estimator)
    return text_features, fitted, dialogue_training.fit(corpus, embeddings[:, FOR_READER], rows)


def _neighbours_within(corpus: Corpus, rows: np.ndarray) -> features.Neighbours:
    # Folds hold whole transcripts, so the neighbours of a kept row are kept rows too.
    return features.Neighbours.of([corpus.transcripts[i] for i in rows])


@dataclass
class Scores:
    macro_f1: float
    per_class: dict[str, float]
    accuracy: float


def cross_validate(corpus: Corpus, embed_fold: Callable[[np.ndarray], np.ndarray],
                   folds: int = 5) -> dict[str, Scores]:
    """Grouped k-fold: each fold builds everything afresh from the other folds' videos and predicts its own.

    `embed_fold(train_rows)` returns the embeddings of every utterance from an encoder that saw only
    `train_rows` (the shipped encoder is fine-tuned, so each fold fine-tunes its own)."""
    from pathways.mi.coder import Model

    predicted = [None] * len(corpus)
    for train, test in split(corpus, folds):
        embeddings = embed_fold(train)
        text_features, fitted, reader = fit(corpus, embeddings, train)
        model = Model(encoder=None, text_features=text_features, heads=fitted, reader=reader)
        codings = model.code([corpus.speakers[i] for i in test], [corpus.texts[i] for i in test],
                             embeddings[test], _neighbours_within(corpus, test))
        for i, coding in zip(test, codings, strict=True):
            predicted[i] = coding
    return _score(corpus, predicted)


def split(corpus: Corpus, folds: int):
    """(train rows, test rows) for each fold: AnnoMI's utterances grouped by video, and our own examples in every
    training set and no test set."""
    annomi = corpus.annomi_rows()
    always_trained = np.flatnonzero(corpus.ours)
    for train, test in GroupKFold(folds).split(annomi, groups=[corpus.videos[i] for i in annomi]):
        yield np.concatenate([annomi[train], always_trained]), annomi[test]


def _score(corpus: Corpus, predicted) -> dict[str, Scores]:
    results = {}
    for head in HEADS:
        rows = task_rows(corpus, head, corpus.annomi_rows())
        if head in (COUNSELLOR, PERSON):
            guess = [predicted[i].code for i in rows]
        else:
            # Subcodes are judged where the model also gave the right main code, as a coder would be.
            rows = [i for i in rows if predicted[i].code == head]
            guess = [predicted[i].subcode for i in rows]
        truth = task_labels(corpus, head, rows)
        labels = sorted(set(truth))
        per_class = f1_score(truth, guess, labels=labels, average=None, zero_division=0)
        results[head] = Scores(float(f1_score(truth, guess, labels=labels, average="macro", zero_division=0)),
                               dict(zip(labels, map(float, per_class), strict=True)),
                               float(accuracy_score(truth, guess)))
    return results
