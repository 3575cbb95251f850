"""Reading a turn in the light of the whole conversation: a small recurrent network over the session.

The classifiers in `heads.py` see a turn with the one before and the one after it. Whether the person's words
are change talk, sustain talk or neither often shows only over a longer stretch (what the conversation is
about, which way the person has been leaning), and the counsellor's codes follow patterns across a session
too. This reader passes once forwards and once backwards over the session's turns, and gives each turn
probabilities for the same main codes as the heads; the analyzer averages the two (docs/mi-model-card.md has
what that gained in cross-validation).

It reads each turn's pooled *lower* encoder layers (`encoder.FOR_READER`), which fine-tuning leaves as they
came, and who spoke. Over the fine-tuned layers it learned nothing: those carry the training utterances'
labels, so a reader fitted on them trusts each turn's own features and ignores the session.

Only the forward pass is here, in NumPy, so the analyzer needs no PyTorch; training/mi/dialogue_training.py fits it.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pathways.mi.codes import COUNSELLOR
from pathways.mi.heads import sigmoid, softmax


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form, as PyTorch's `GELU(approximate="tanh")` computes it."""
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


@dataclass(frozen=True)
class Direction:
    """One direction of a GRU, with PyTorch's weight layout: rows in the order reset, update, new."""

    w_input: np.ndarray  # (3 × hidden, inputs)
    w_hidden: np.ndarray  # (3 × hidden, hidden)
    b_input: np.ndarray
    b_hidden: np.ndarray


def run_both_ways(forward: Direction, backward: Direction, inputs: np.ndarray) -> np.ndarray:
    """The GRU's states for each step, forwards and backwards side by side: (steps, 2 × hidden).

    Both directions advance in the same loop (one matrix product per step for the two), because a session's
    turns must be taken one after another and each step's NumPy calls, not their arithmetic, cost the time."""
    size = forward.w_hidden.shape[1]
    w_input = np.stack([forward.w_input, backward.w_input])
    from_input = np.einsum("ti,dgi->tdg", inputs, w_input) + np.stack([forward.b_input, backward.b_input])
    from_input[:, 1] = from_input[::-1, 1].copy()  # the backward direction reads the session from its end
    w_hidden = np.stack([forward.w_hidden, backward.w_hidden]).transpose(0, 2, 1)  # (2, hidden, 3 × hidden)
    b_hidden = np.stack([forward.b_hidden, backward.b_hidden])
    hidden = np.zeros((2, size), dtype=np.float32)
    out = np.empty((len(inputs), 2, size), dtype=np.float32)
    for step, x in enumerate(from_input):
        h = np.einsum("dh,dhg->dg", hidden, w_hidden) + b_hidden
        reset_update = sigmoid(x[:, :2 * size] + h[:, :2 * size])
        new = np.tanh(x[:, 2 * size:] + reset_update[:, :size] * h[:, 2 * size:])
        hidden = new + reset_update[:, size:] * (hidden - new)  # (1 - update) * new + update * hidden
        out[step] = hidden
    out[:, 1] = out[::-1, 1].copy()
    return out.reshape(len(inputs), 2 * size)


@dataclass(frozen=True)
class DialogueReader:
    projection: tuple[np.ndarray, np.ndarray]  # weight (width, inputs), bias
    forward: Direction
    backward: Direction
    outputs: dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]]  # speaker: (classes, weight, bias)

    def probabilities(self, embeddings: np.ndarray, speakers: list[str],
                      sessions: list[slice] | None = None) -> dict[str, np.ndarray]:
        """{speaker: probabilities (turns, classes)} for every turn, whoever spoke (the caller keeps the rows of
        that speaker's turns). `sessions` are the runs of turns read apart; by default all are one session."""
        spoke = np.array([[s == COUNSELLOR] for s in speakers], dtype=np.float32)
        weight, bias = self.projection
        turns = _gelu(np.hstack([embeddings, spoke]) @ weight.T + bias)
        states = [run_both_ways(self.forward, self.backward, turns[run]) for run in sessions or [slice(None)]]
        context = np.hstack([np.vstack(states), turns])
        return {speaker: softmax(context @ w.T + b) for speaker, (_, w, b) in self.outputs.items()}

    def classes(self, speaker: str) -> tuple[str, ...]:
        return self.outputs[speaker][0]

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays = {"projection.weight": self.projection[0], "projection.bias": self.projection[1]}
        for name, direction in (("forward", self.forward), ("backward", self.backward)):
            for part in ("w_input", "w_hidden", "b_input", "b_hidden"):
                arrays[f"{name}.{part}"] = getattr(direction, part)
        for speaker, (classes, weight, bias) in self.outputs.items():
            arrays[f"{speaker}.classes"] = np.array(classes)
            arrays[f"{speaker}.weight"] = weight
            arrays[f"{speaker}.bias"] = bias
        return arrays

    @classmethod
    def from_arrays(cls, arrays) -> "DialogueReader":
        def direction(name):
            return Direction(*(arrays[f"{name}.{part}"] for part in ("w_input", "w_hidden", "b_input", "b_hidden")))

        speakers = sorted({key.split(".")[0] for key in arrays if key.endswith(".classes")})
        return cls((arrays["projection.weight"], arrays["projection.bias"]), direction("forward"),
                   direction("backward"),
                   {s: (tuple(str(c) for c in arrays[f"{s}.classes"]), arrays[f"{s}.weight"], arrays[f"{s}.bias"])
                    for s in speakers})


def save(reader: DialogueReader, path: Path) -> None:
    np.savez_compressed(path, **reader.to_arrays())


def load(path: Path) -> DialogueReader:
    with np.load(path, allow_pickle=False) as saved:
        return DialogueReader.from_arrays({key: saved[key] for key in saved.files})
