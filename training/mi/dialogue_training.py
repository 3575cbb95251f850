"""Fitting the dialogue reader (`pathways.mi.dialogue`) — training environment only (it needs PyTorch).

The network: each turn's sentence features and a flag for who spoke, through one linear layer with GELU
(128 wide, dropout 0.3 before it), a bidirectional GRU (32 per direction) over the session, and one linear
output per speaker reading the GRU's two directions beside the turn's own projection. One session is one
training step; rare classes weigh more, as in fine-tuning. The GRU's size and the 12 epochs were picked from a
few tried (32 or 64 per direction; 8, 12 or 20 epochs) in grouped cross-validation: with about a hundred
sessions to learn from, the smaller network overfitted least.
"""
import numpy as np

from pathways.mi.codes import COUNSELLOR, PERSON
from pathways.mi.dialogue import DialogueReader, Direction
from training.mi.finetune import class_weights

WIDTH = 128
HIDDEN = 32
DROPOUT = 0.3
EPOCHS = 12
LEARNING_RATE = 1e-3
SPEAKERS = (COUNSELLOR, PERSON)


def sessions(transcripts, rows: np.ndarray) -> list[np.ndarray]:
    """`rows` split into sessions, each in order (a transcript's rows are consecutive in the corpus)."""
    starts = [k for k in range(len(rows)) if k == 0 or transcripts[rows[k]] != transcripts[rows[k - 1]]]
    return np.split(rows, starts[1:])


def fit(corpus, embeddings: np.ndarray, rows: np.ndarray, seed: int = 0) -> DialogueReader:
    import torch

    torch.manual_seed(seed)
    classes = {s: sorted({corpus.codes[i] for i in rows if corpus.speakers[i] == s}) for s in SPEAKERS}
    network = _Network(torch, embeddings.shape[1] + 1, {s: len(c) for s, c in classes.items()})
    losses = {s: torch.nn.CrossEntropyLoss(weight=_class_weights(torch, corpus, rows, s, classes[s]),
                                           ignore_index=-100) for s in SPEAKERS}
    examples = [_example(torch, corpus, embeddings, session, classes) for session in sessions(corpus.transcripts, rows)]
    optimiser = torch.optim.AdamW(network.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    order = np.random.default_rng(seed)
    network.train()
    for _ in range(EPOCHS):
        for k in order.permutation(len(examples)):
            inputs, targets = examples[k]
            outputs = network(inputs)
            loss = sum(losses[s](outputs[s][0], targets[s]) for s in SPEAKERS if (targets[s] >= 0).any())
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    network.eval()
    return _reader(network, classes)


def _class_weights(torch, corpus, rows, speaker, classes):
    counts = np.array([sum(1 for i in rows if corpus.speakers[i] == speaker and corpus.codes[i] == c)
                       for c in classes], dtype=float)
    return torch.tensor(class_weights(counts), dtype=torch.float32)


def _example(torch, corpus, embeddings, session, classes):
    spoke = np.array([[corpus.speakers[i] == COUNSELLOR] for i in session], dtype=np.float32)
    inputs = torch.tensor(np.hstack([embeddings[session], spoke]), dtype=torch.float32)[None]
    targets = {s: torch.tensor([classes[s].index(corpus.codes[i]) if corpus.speakers[i] == s else -100
                                for i in session]) for s in SPEAKERS}
    return inputs, targets


def _Network(torch, inputs: int, classes: dict[str, int]):
    class Network(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.dropout_in = torch.nn.Dropout(DROPOUT)
            self.projection = torch.nn.Linear(inputs, WIDTH)
            self.gru = torch.nn.GRU(WIDTH, HIDDEN, batch_first=True, bidirectional=True)
            self.dropout_out = torch.nn.Dropout(DROPOUT)
            self.outputs = torch.nn.ModuleDict({s: torch.nn.Linear(2 * HIDDEN + WIDTH, n) for s, n in classes.items()})

        def forward(self, x):
            turns = torch.nn.functional.gelu(self.projection(self.dropout_in(x)), approximate="tanh")
            context, _ = self.gru(turns)
            both = self.dropout_out(torch.cat([context, turns], -1))
            return {s: output(both) for s, output in self.outputs.items()}

    return Network()


def _reader(network, classes) -> DialogueReader:
    def array(tensor):
        return tensor.detach().numpy().astype(np.float32)

    gru = network.gru

    def direction(suffix):
        return Direction(*(array(getattr(gru, f"{name}_l0{suffix}"))
                           for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))

    return DialogueReader(
        (array(network.projection.weight), array(network.projection.bias)), direction(""), direction("_reverse"),
        {s: (tuple(classes[s]), array(out.weight), array(out.bias)) for s, out in network.outputs.items()})
