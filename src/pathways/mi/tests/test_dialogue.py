"""The dialogue reader: its GRU arithmetic, reading in both directions, sessions read apart, and saving."""
import math

import numpy as np

from pathways.mi import dialogue, features
from pathways.mi.coder import get_model
from pathways.mi.codes import COUNSELLOR, PERSON
from pathways.mi.encoder import FOR_READER


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def by_hand(inputs):
    """The GRU rule (PyTorch's) worked through with plain floats for the unit in the test below."""
    h = 0.0
    states = []
    for x in inputs:
        reset = sigmoid(0.5 * x + 0.1 + 1.5 * h - 0.2)
        update = sigmoid(-1.0 * x + 0.2 + 0.25 * h + 0.4)
        new = math.tanh(2.0 * x + 0.3 + reset * (-0.5 * h + 0.6))
        h = (1 - update) * new + update * h
        states.append(h)
    return states


def test_one_gru_unit_follows_the_reset_update_new_rule_step_by_step_both_ways():
    # One input, one hidden unit; rows are reset, update, new (PyTorch's order).
    unit = dialogue.Direction(w_input=np.array([[0.5], [-1.0], [2.0]], dtype=np.float32),
                              w_hidden=np.array([[1.5], [0.25], [-0.5]], dtype=np.float32),
                              b_input=np.array([0.1, 0.2, 0.3], dtype=np.float32),
                              b_hidden=np.array([-0.2, 0.4, 0.6], dtype=np.float32))
    inputs = [1.0, -2.0, 0.5]
    states = dialogue.run_both_ways(unit, unit, np.array([[x] for x in inputs], dtype=np.float32))
    assert np.allclose(states[:, 0], by_hand(inputs), atol=1e-6)
    # The backward state of each step is what the unit holds after reading from the end back to that step.
    assert np.allclose(states[:, 1], by_hand(inputs[::-1])[::-1], atol=1e-6)


def session(*texts):
    speakers = [COUNSELLOR if k % 2 == 0 else PERSON for k in range(len(texts))]
    return speakers, list(texts)


def test_the_reader_reads_a_session_forwards_and_backwards():
    model = get_model()
    speakers, texts = session("How do you feel about your drinking?", "It's fine, I like it.",
                              "You enjoy it.", "I do. But my kids have noticed.")

    def read(texts):
        return model.reader.probabilities(model.encoder.embed(texts)[:, FOR_READER], speakers)

    before = read(texts)
    changed_last = read(texts[:-1] + ["I'm going to stop, for my kids."])
    changed_first = read(["Hello, nice to meet you."] + texts[1:])
    assert not np.allclose(before[PERSON][1], changed_last[PERSON][1])  # a later turn sways an earlier one
    assert not np.allclose(before[PERSON][3], changed_first[PERSON][3])  # and an earlier a later one
    for probabilities in before.values():
        assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def test_sessions_in_one_call_are_read_apart():
    model = get_model()
    first = session("What brings you here?", "My doctor sent me.")
    second = session("How was your week?", "I went three days without a drink.", "That took some doing.")
    speakers, texts = first[0] + second[0], first[1] + second[1]
    # One set of embeddings: the encoder's int8 scaling depends a little on what shares its batch.
    embeddings = model.encoder.embed(texts)
    together = model.code(speakers, texts, embeddings, features.Neighbours.of([1, 1, 2, 2, 2]))
    assert together[:2] == model.code(*first, embeddings[:2])
    assert together[2:] == model.code(*second, embeddings[2:])


def test_the_reader_answers_in_the_heads_class_order():
    # The analyzer averages the reader's probabilities with the heads' column by column.
    model = get_model()
    for speaker in (COUNSELLOR, PERSON):
        assert model.reader.classes(speaker) == model.heads[speaker].classes


def test_a_saved_reader_loads_back_the_same(tmp_path):
    reader = get_model().reader
    dialogue.save(reader, tmp_path / "dialogue.npz")
    reloaded = dialogue.load(tmp_path / "dialogue.npz")
    rows = np.random.default_rng(0).normal(size=(5, 4 * 384)).astype(np.float32)
    speakers = [COUNSELLOR, PERSON, COUNSELLOR, PERSON, PERSON]
    for speaker, probabilities in reader.probabilities(rows, speakers).items():
        assert np.array_equal(reloaded.probabilities(rows, speakers)[speaker], probabilities)
