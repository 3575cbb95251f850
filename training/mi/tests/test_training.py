"""How the training corpus turns AnnoMI's annotators' rows into one label per utterance, and where our own
examples go."""
import csv

import numpy as np

from training.mi import training

FULL_COLUMNS = ["transcript_id", "utterance_id", "interlocutor", "main_therapist_behaviour",
                "therapist_input_subtype", "reflection_subtype", "question_subtype"]
SIMPLE_COLUMNS = ["transcript_id", "utterance_id", "video_url", "interlocutor", "utterance_text",
                  "main_therapist_behaviour", "client_talk_type"]


def _vote(utterance, code, subtype_column="", subtype="n/a"):
    row = {column: "n/a" for column in FULL_COLUMNS}
    row.update({"transcript_id": "7", "utterance_id": utterance, "interlocutor": "therapist",
                "main_therapist_behaviour": code})
    if subtype_column:
        row[subtype_column] = subtype
    return row


def _turn(utterance, speaker, text, code="n/a", talk="n/a"):
    return {"transcript_id": "7", "utterance_id": utterance, "video_url": "v", "interlocutor": speaker,
            "utterance_text": text, "main_therapist_behaviour": code, "client_talk_type": talk}


def _write(folder, name, columns, rows):
    with open(folder / name, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        writer.writerows(rows)


def test_each_utterance_takes_the_subcode_most_of_its_annotators_gave(tmp_path):
    _write(tmp_path, "AnnoMI-full-train.csv", FULL_COLUMNS, [
        _vote("0", "question", "question_subtype", "open"),
        _vote("0", "question", "question_subtype", "closed"),
        _vote("0", "question", "question_subtype", "open"),
        # A tie goes to the first annotator's subcode.
        _vote("1", "reflection", "reflection_subtype", "simple"),
        _vote("1", "reflection", "reflection_subtype", "complex"),
        # An annotator who heard input is not a vote about the kind of reflection the others heard.
        _vote("2", "reflection", "reflection_subtype", "complex"),
        _vote("2", "therapist_input", "therapist_input_subtype", "advice"),
        _vote("2", "therapist_input", "therapist_input_subtype", "advice"),
        _vote("3", "other"),
    ])
    _write(tmp_path, "AnnoMI-simple-train.csv", SIMPLE_COLUMNS, [
        _turn("0", "therapist", "How has the week been?", code="question"),
        _turn("1", "therapist", "It has been a hard week.", code="reflection"),
        _turn("2", "therapist", "Some people find a walk helps.", code="therapist_input"),
        _turn("3", "therapist", "Good morning.", code="other"),
        _turn("4", "client", "I want to stop.", talk="change"),
    ])

    corpus = training.load_corpus(tmp_path, examples=None)

    assert corpus.codes == ["question", "reflection", "input", "other", "change"]
    assert corpus.subcodes == ["open", "simple", "advice", "", ""]
    assert corpus.speakers == ["counsellor", "counsellor", "counsellor", "counsellor", "person"]
    assert corpus.texts[4] == "I want to stop."


def _corpus_of_three_videos_and_our_examples(tmp_path):
    _write(tmp_path, "AnnoMI-full-train.csv", FULL_COLUMNS, [])
    turns = []
    for video in ("a", "b", "c"):
        for k in range(2):
            turns.append({**_turn(f"{k}", "therapist", "How are things?", code="question"),
                          "transcript_id": video, "video_url": video})
    _write(tmp_path, "AnnoMI-simple-train.csv", SIMPLE_COLUMNS, turns)
    examples = tmp_path / "ours.csv"
    examples.write_text("session,speaker,text,code,subcode\n"
                        "s,person,I drink most nights.,neutral,\n"
                        "s,counsellor,You should stop.,input,advice\n", encoding="utf-8")
    return training.load_corpus(tmp_path, examples)


def test_our_examples_follow_annomi_as_sessions_of_their_own(tmp_path):
    corpus = _corpus_of_three_videos_and_our_examples(tmp_path)

    assert corpus.ours == [False] * 6 + [True, True]
    assert corpus.texts[6:] == ["I drink most nights.", "You should stop."]
    assert corpus.codes[6:] == ["neutral", "input"]
    assert corpus.subcodes[6:] == ["", "advice"]
    assert corpus.speakers[6:] == ["person", "counsellor"]
    assert corpus.transcripts[6] == corpus.transcripts[7] == corpus.videos[7] == "ours-s"
    assert corpus.neighbours.previous[7] == 6
    assert corpus.neighbours.previous[6] == -1  # not the last AnnoMI turn's neighbour


def test_our_examples_are_in_every_training_set_and_never_tested(tmp_path):
    corpus = _corpus_of_three_videos_and_our_examples(tmp_path)

    folds = list(training.split(corpus, 3))

    assert len(folds) == 3
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested) == list(range(6))  # each AnnoMI utterance tested once, ours never
    for train, test in folds:
        assert {6, 7} <= set(train)
        assert not set(train) & set(test)
        assert len({corpus.videos[i] for i in test}) == 1  # a video never straddles the split


def test_the_shipped_examples_use_only_the_analyzers_codes():
    from pathways.mi.codes import COUNSELLOR_CODES, PERSON_CODES, SUBCODES

    with open(training.OUR_EXAMPLES, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows
    for row in rows:
        allowed = COUNSELLOR_CODES if row["speaker"] == "counsellor" else PERSON_CODES
        assert row["speaker"] in ("counsellor", "person") and row["code"] in allowed, row
        assert row["subcode"] in SUBCODES.get(row["code"], ("",)), row
