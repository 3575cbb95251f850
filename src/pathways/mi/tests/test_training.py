"""How the training corpus turns AnnoMI's annotators' rows into one label per utterance."""
import csv

from pathways.mi import training

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

    corpus = training.load_corpus(tmp_path)

    assert corpus.codes == ["question", "reflection", "input", "other", "change"]
    assert corpus.subcodes == ["open", "simple", "advice", "", ""]
    assert corpus.speakers == ["counsellor", "counsellor", "counsellor", "counsellor", "person"]
    assert corpus.texts[4] == "I want to stop."
