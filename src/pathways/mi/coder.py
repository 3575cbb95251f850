"""Codes each utterance of a transcript with the shipped model.

The model loads on first use and stays in memory (the web process does not pay for it until someone opens
the analyzer). Artifacts live in `model/`: the encoder (ONNX), its tokenizer, the TF-IDF vocabularies
(JSON), the classifier weights and the dialogue reader's (NumPy). `python -m training.mi.train` rebuilds all of them
but the MITI behaviour classifiers (`behaviours.npz`), which `python -m training.mi.behaviour_training` rebuilds.
"""
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from pathways.mi import behaviours, dialogue, features, heads
from pathways.mi.behaviours import BehaviourModel
from pathways.mi.codes import COUNSELLOR, PERSON, SUBCODES, Coding
from pathways.mi.encoder import FOR_HEADS, FOR_READER, MODEL_DIR, Encoder

_lock = threading.Lock()
_model = None


@dataclass
class Model:
    encoder: Encoder
    text_features: features.TextFeatures
    heads: dict[str, heads.Head]
    reader: dialogue.DialogueReader
    # None while cross-validating the four codes (training.mi.training), which measures those alone.
    behaviours: BehaviourModel | None = None
    # NumPy's BLAS runs the classifiers and the reader on one thread: their matrices are small, and BLAS
    # threads left waiting for more work took a core from ONNX Runtime's (a fifth of the speed on 2 cores).
    blas: ThreadpoolController = field(default_factory=ThreadpoolController)

    @classmethod
    def load(cls, model_dir: Path = MODEL_DIR) -> "Model":
        vocabulary = json.loads((model_dir / "vocabulary.json").read_text(encoding="utf-8"))
        return cls(Encoder(model_dir), features.TextFeatures.from_dict(vocabulary),
                   heads.load(model_dir / "heads.npz"), dialogue.load(model_dir / "dialogue.npz"),
                   behaviours.load(model_dir / "behaviours.npz"))

    def code(self, speakers: Sequence[str], texts: Sequence[str], embeddings: np.ndarray | None = None,
             neighbours: features.Neighbours | None = None) -> list[Coding]:
        with self.blas.limit(limits=1, user_api="blas"):
            return self._code(speakers, texts, embeddings, neighbours)

    def _code(self, speakers, texts, embeddings, neighbours) -> list[Coding]:
        if not texts:
            return []
        if embeddings is None:
            embeddings = self.encoder.embed(texts)
        if neighbours is None:
            neighbours = features.Neighbours.of([0] * len(texts))
        matrix = features.build(texts, embeddings[:, FOR_HEADS], neighbours, self.text_features)
        counsellor = np.array([s == COUNSELLOR for s in speakers])
        read = self._read_sessions(speakers, embeddings, neighbours)
        codings: list[Coding | None] = [None] * len(texts)
        for speaker, rows in ((COUNSELLOR, np.flatnonzero(counsellor)), (PERSON, np.flatnonzero(~counsellor))):
            if not len(rows):
                continue
            head = self.heads[speaker]
            # The turn read with its neighbours, and read within the whole session, count alike.
            probabilities = (head.probabilities(matrix.rows(rows)) + read[speaker][rows]) / 2
            for row, p in zip(rows, probabilities, strict=True):
                best = int(p.argmax())
                codings[row] = Coding(head.classes[best], "", round(float(p[best]), 4))
        for code in SUBCODES:
            rows = [i for i, c in enumerate(codings) if c.code == code]
            if rows:
                head = self.heads[code]
                for row, p in zip(rows, head.probabilities(matrix.rows(rows)), strict=True):
                    codings[row] = Coding(code, head.classes[int(p.argmax())], codings[row].confidence)
        rows = np.flatnonzero(counsellor)
        if self.behaviours is not None and len(rows):
            # The same embeddings the codes were read from: the behaviours cost no second encoder pass.
            found = self.behaviours.predict([texts[row] for row in rows], embeddings[rows])
            for row, behaviours_found in zip(rows, found, strict=True):
                codings[row] = replace(codings[row], behaviours=behaviours_found)
        return codings

    def _read_sessions(self, speakers, embeddings, neighbours) -> dict[str, np.ndarray]:
        """The dialogue reader's probabilities for every turn, each session read on its own."""
        starts = list(np.flatnonzero(neighbours.previous < 0)) + [len(speakers)]
        return self.reader.probabilities(embeddings[:, FOR_READER], list(speakers),
                                         [slice(start, end) for start, end in pairwise(starts)])


def get_model() -> Model:
    global _model
    with _lock:  # two first requests at once load it once
        if _model is None:
            _model = Model.load()
        return _model


def code_utterances(utterances: Sequence) -> list[Coding]:
    """One Coding per utterance, in order; each turn is read beside its neighbours."""
    return get_model().code([u.speaker for u in utterances], [u.text for u in utterances])
