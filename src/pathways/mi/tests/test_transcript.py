"""Reading transcripts: both formats, every accepted label, and a kind refusal for everything else."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pathways.mi.codes import COUNSELLOR, PERSON
from pathways.mi.transcript import (
    MAX_BYTES,
    MAX_TURN_CHARACTERS,
    MAX_UTTERANCES,
    TranscriptError,
    Utterance,
    parse_transcript,
)

SRC = Path(__file__).resolve().parents[3]


def test_csv_with_extra_columns_ids_bom_and_blank_rows():
    raw = ("\ufeffmi_quality,transcript_id,utterance_id,interlocutor,timestamp,utterance_text,main_therapist_behaviour\r\n"
           "high,5,0,therapist,00:00:13,\"Hi, what brings you in today?\",question\r\n"
           ",,,,,,\r\n"
           "\r\n"
           "high,5,1, Client ,00:00:20,\"Well, my partner thinks\nI drink too much.\",n/a\r\n").encode()
    assert parse_transcript(raw) == [
        Utterance(0, COUNSELLOR, "Hi, what brings you in today?", "0", time="00:00:13"),
        Utterance(1, PERSON, "Well, my partner thinks\nI drink too much.", "1", time="00:00:20"),
    ]


def test_csv_without_utterance_id():
    assert parse_transcript("interlocutor,utterance_text\nperson,I want to stop\n") == [
        Utterance(0, PERSON, "I want to stop", "")]


@pytest.mark.parametrize(("value", "speaker"), [
    ("therapist", COUNSELLOR), ("Counsellor", COUNSELLOR), (" COUNSELOR ", COUNSELLOR), ("supporter", COUNSELLOR),
    ("client", PERSON), ("Person ", PERSON),
])
def test_csv_speaker_values(value, speaker):
    [utterance] = parse_transcript(f"interlocutor,utterance_text\n{value},Hello\n")
    assert utterance.speaker == speaker


def test_csv_unknown_speaker_names_the_line_and_the_value():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript("interlocutor,utterance_text\ntherapist,Hello\n\ndoctor,Hi\n")
    message = str(caught.value)
    assert "Line 4" in message and "“doctor”" in message and "therapist" in message and "client" in message


def test_csv_header_missing_a_column_says_which():
    with pytest.raises(TranscriptError, match="no “utterance_text” column"):
        parse_transcript("interlocutor,text\ntherapist,Hello\n")


@pytest.mark.parametrize(("label", "speaker"), [
    ("Counsellor", COUNSELLOR), ("counselor", COUNSELLOR), ("THERAPIST", COUNSELLOR), ("Supporter", COUNSELLOR),
    ("T", COUNSELLOR), ("t", COUNSELLOR), ("Person", PERSON), ("client", PERSON), ("C", PERSON), ("c", PERSON),
])
def test_plain_text_labels(label, speaker):
    [utterance] = parse_transcript(f"{label}: Hello there")
    assert utterance == Utterance(0, speaker, "Hello there")


def test_plain_text_skips_blank_lines_and_indexes_kept_utterances():
    raw = "\n\nT: What brings you in?\n   \nC:  My sister asked me to come.  \n\n\nT: She's worried.\n"
    assert parse_transcript(raw) == [
        Utterance(0, COUNSELLOR, "What brings you in?"),
        Utterance(1, PERSON, "My sister asked me to come."),
        Utterance(2, COUNSELLOR, "She's worried."),
    ]


def test_a_line_without_a_label_continues_the_turn_above():
    raw = "Person: I keep telling myself\nthat it's only at weekends.\nI said to her: fine.\nCounsellor: Weekends."
    assert [u.text for u in parse_transcript(raw)] == [
        "I keep telling myself that it's only at weekends. I said to her: fine.", "Weekends."]


@pytest.mark.parametrize(("line", "time"), [
    ("[12:03] Counsellor: What brings you in?", "12:03"),
    ("12:03 Counsellor: What brings you in?", "12:03"),
    ("00:12:03 T: What brings you in?", "00:12:03"),
    ("[ 1:02:03 ]T: What brings you in?", "1:02:03"),
    ("9:59 supporter: What brings you in?", "9:59"),
])
def test_a_turn_may_start_with_the_time_it_was_said(line, time):
    [utterance] = parse_transcript(line)
    assert utterance == Utterance(0, COUNSELLOR, "What brings you in?", time=time)


def test_times_may_be_on_some_turns_and_not_others_and_never_join_the_words():
    raw = "[00:01] T: Hello.\nC: Hi. I came at\n12:03 exactly.\n00:40 C: Sorry I was late."
    assert parse_transcript(raw) == [
        Utterance(0, COUNSELLOR, "Hello.", time="00:01"),
        Utterance(1, PERSON, "Hi. I came at 12:03 exactly."),  # a continuation line is not a new turn
        Utterance(2, PERSON, "Sorry I was late.", time="00:40"),
    ]


@pytest.mark.parametrize("raw, texts", [
    ("Counsellor: at 12:03 she left", ["at 12:03 she left"]),  # a time after the label is part of the words
    ("T: Hello\n10:30 tomorrow: the appointment", ["Hello 10:30 tomorrow: the appointment"]),  # not a label
    ("T: Hello\n12:75 C: hi", ["Hello 12:75 C: hi"]),  # 75 minutes is not a time
    ("T: Hello\n12:03C: hi", ["Hello 12:03C: hi"]),  # a time needs a space or brackets before the label
])
def test_something_that_is_not_a_time_before_a_label_reads_as_it_always_did(raw, texts):
    utterances = parse_transcript(raw)
    assert [u.text for u in utterances] == texts and all(u.time == "" for u in utterances)


def test_a_timed_first_line_with_an_unknown_label_is_refused_as_before():
    with pytest.raises(TranscriptError, match="Line 1 does not start with who is speaking"):
        parse_transcript("[12:03] Sam: Hello")


@pytest.mark.parametrize(("stamp", "time"), [("00:12:03", "00:12:03"), (" [12:03] ", "12:03"), ("", ""),
                                             ("soon", ""), ("12:99", "")])
def test_a_csv_timestamp_is_kept_when_it_is_a_time(stamp, time):
    [utterance] = parse_transcript(f"interlocutor,timestamp,utterance_text\ntherapist,{stamp},Hello\n")
    assert utterance.time == time and utterance.text == "Hello"


def test_a_first_line_without_a_label_is_refused():
    with pytest.raises(TranscriptError, match="Line 2 does not start with who is speaking"):
        parse_transcript("\nHello there\nT: Hi")


def test_unknown_label_names_the_line_the_label_and_the_accepted_labels():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript("T: Hello\nC: Hi\nSam: How are you?\n")
    message = str(caught.value)
    assert "Line 3" in message and "“Sam”" in message
    for label in ("Counsellor", "Counselor", "Therapist", "Supporter", "T", "Person", "Client", "C"):
        assert label in message


@pytest.mark.parametrize("raw", [b"", "", "\n  \n\t\n", "interlocutor,utterance_text\n", "T:\nC:   \n"])
def test_an_empty_transcript_is_refused(raw):
    with pytest.raises(TranscriptError, match="no utterances"):
        parse_transcript(raw)


def test_exactly_the_size_limit_is_read_and_one_byte_more_is_refused():
    line = b"T: " + b"a" * 2000 + b"\n"
    body = line * (MAX_BYTES // len(line))
    body += b"a" * (MAX_BYTES - len(body))  # continues the last turn up to the limit exactly
    assert len(body) == MAX_BYTES
    assert len(parse_transcript(body)) == MAX_BYTES // len(line)
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(body + b"a")
    assert "at most 2 MB" in str(caught.value) and "Split the session" in str(caught.value)


def test_a_text_over_the_size_limit_is_refused_too():
    with pytest.raises(TranscriptError, match="at most 2 MB"):
        parse_transcript("T: " + "é" * (MAX_BYTES // 2))


def test_too_many_utterances_are_refused():
    with pytest.raises(TranscriptError, match="more than 2,000 utterances"):
        parse_transcript("T: Hi\n" * (MAX_UTTERANCES + 1))
    assert len(parse_transcript("T: Hi\n" * MAX_UTTERANCES)) == MAX_UTTERANCES


@pytest.mark.parametrize("transcript, line", [
    ("T: " + "a" * 200_000, 1),  # longer than Python's CSV field limit, on the line read as a possible header
    ("T: Hello\n" + "a" * (MAX_TURN_CHARACTERS + 1), 2),  # a continuation line
    ("T: Hello\n" + "a" * 6000 + "\n" + "a" * 6000, 3),  # a turn grown too long by continuing it
    ("interlocutor,utterance_text\ntherapist," + "a" * (MAX_TURN_CHARACTERS + 1), 2),
])
def test_a_turn_longer_than_anyone_says_at_once_is_refused_with_its_line(transcript, line):
    with pytest.raises(TranscriptError, match=f"The turn on line {line} is .* at most 10,000") as caught:
        parse_transcript(transcript)
    assert "Check that each turn starts on its own line" in str(caught.value)
    assert len(parse_transcript("T: " + "a" * MAX_TURN_CHARACTERS)[0].text) == MAX_TURN_CHARACTERS


def test_a_first_line_that_is_not_csv_is_read_as_text():
    with pytest.raises(TranscriptError, match="does not start with who is speaking"):
        parse_transcript('"an unclosed quote, interlocutor\nT: Hi')


def test_text_that_is_not_utf8_is_refused_with_how_to_fix_it():
    raw = "Counsellor: Hello\nPerson: I work at the café.\n".encode("cp1252")
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(raw)
    message = str(caught.value)
    assert "not UTF-8 text" in message and "line 2" in message and "save it again as UTF-8" in message
    assert "\\x" not in message and "Ã" not in message and "0xe9" not in message


def test_utf8_text_keeps_its_accents():
    [utterance] = parse_transcript("Person: I work at the café.".encode())
    assert utterance.text == "I work at the café."


def test_the_analyzer_core_never_imports_django():
    code = ("import pathways.mi.transcript, pathways.mi.analysis, pathways.mi.practice, pathways.mi.__main__; "
            "import sys; assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
