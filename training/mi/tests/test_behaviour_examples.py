"""Our coded MITI behaviour examples, their loader, and the scoring the bench reports."""
from collections import Counter

import numpy as np
import pytest

from pathways.mi.behaviours import BEHAVIOURS
from training.mi import behaviours as examples_file
from training.mi.behaviour_training import best_thresholds, score_decisions


def test_the_examples_are_many_varied_and_split_about_a_quarter_aside():
    examples = examples_file.load()
    assert len(examples) >= 500
    assert len({e.text for e in examples}) == len(examples)  # no example is in both splits
    test = [e for e in examples if e.split == "test"]
    assert 0.2 <= len(test) / len(examples) <= 0.3
    for behaviour in BEHAVIOURS:
        each = Counter(e.split for e in examples if behaviour in e.behaviours)
        assert each["train"] >= 30 and each["test"] >= 8, behaviour
    assert sum(not e.behaviours for e in examples) >= 100  # turns with nothing to code, so it learns silence
    lengths = [len(e.text.split()) for e in examples]
    assert max(lengths) >= 40


def test_no_example_persuades_both_with_and_without_permission():
    assert not [e.text for e in examples_file.load()
                if {"persuade", "persuade_with_permission"} <= set(e.behaviours)]


@pytest.mark.parametrize(("row", "words"), [
    ('"You should stop.",persuade;preach,train,\n', "line 2"),
    ('"You should stop.",persuade,validation,\n', "line 2"),
    (',persuade,train,\n', "line 2"),
])
def test_the_loader_names_the_row_it_cannot_read(tmp_path, row, words):
    path = tmp_path / "examples.csv"
    path.write_text("text,behaviours,split,note\n" + row, encoding="utf-8")
    with pytest.raises(ValueError, match=words):
        examples_file.load(path)


def test_the_loader_reads_an_empty_list_as_no_behaviour(tmp_path):
    path = tmp_path / "examples.csv"
    path.write_text('text,behaviours,split,note\nMm-hmm.,,test,\n"It\'s up to you.",emphasizing_autonomy; ,train,\n',
                    encoding="utf-8")
    first, second = examples_file.load(path)
    assert first.behaviours == () and second.behaviours == ("emphasizing_autonomy",)


def test_scores_count_hits_misses_and_false_alarms():
    labels = np.zeros((4, len(BEHAVIOURS)), dtype=int)
    confront = BEHAVIOURS.index("confront")
    labels[[0, 1], confront] = 1
    decided = [("confront",), (), ("confront",), ("confront", "affirm")]
    scores = score_decisions(decided, labels)
    assert (scores["confront"].precision, scores["confront"].recall) == (1 / 3, 1 / 2)
    assert scores["confront"].support == 2
    assert scores["affirm"].precision == 0 and scores["affirm"].recall == 0  # a false alarm, nothing to find


def test_thresholds_are_chosen_where_f1_is_best():
    labels = np.zeros((4, len(BEHAVIOURS)), dtype=int)
    labels[:2, 0] = 1
    probabilities = np.zeros((4, len(BEHAVIOURS)))
    probabilities[:, 0] = [0.8, 0.7, 0.4, 0.2]  # anything between 0.4 and 0.7 separates them
    assert 0.4 < best_thresholds(probabilities, labels)[0] <= 0.7
