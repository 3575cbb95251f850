"""`python -m pathways.mi analyze`: text, JSON, and one clear line for a file it cannot read.

These run the real coder, so they check only the shape of what it says, never the codes themselves.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pathways.mi.transcript import MAX_BYTES

SRC = Path(__file__).resolve().parents[3]
SESSION = ("Counsellor: What brings you in today?\n"
           "Person: My partner says I drink too much. I want to cut down.\n"
           "Counsellor: Do you drink every day?\n"
           "Person: Most days, yes.\n"
           "Counsellor: It sounds like cutting down matters to you.\n")


def run(*args, stdin=None, stdout=subprocess.PIPE):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "pathways.mi", *args], input=stdin, env=env,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=300)


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "session.txt"
    path.write_text(SESSION, encoding="utf-8")
    return path


def test_text_output_has_the_coded_transcript_and_the_summary(session):
    result = run("analyze", str(session))
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "What brings you in today?" in out and "Summary" in out and "Suggestions" in out
    assert "Reflection-to-question ratio" in out and "MITI 4.2.1: fair from 1:1, good from 2:1" in out


def test_json_output_has_exactly_the_documented_shape(session):
    result = run("analyze", str(session), "--json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert set(data) == {"utterances", "summary"}
    assert [u["index"] for u in data["utterances"]] == [0, 1, 2, 3, 4]
    for u in data["utterances"]:
        # MITI behaviour codes are the counsellor's alone (test_behaviours.py checks them).
        behaviours = {"behaviours"} if u["speaker"] == "counsellor" else set()
        assert set(u) == {"index", "speaker", "text", "code", "subcode", "confidence"} | behaviours
        assert type(u["index"]) is int and u["speaker"] in {"counsellor", "person"}
        assert isinstance(u["code"], str) and isinstance(u["subcode"], str)
        assert isinstance(u["confidence"], float) and 0 <= u["confidence"] <= 1
    assert [u["speaker"] for u in data["utterances"]] == ["counsellor", "person"] * 2 + ["counsellor"]
    summary = data["summary"]
    assert set(summary) == {"counts", "reflection_to_question", "complex_reflections", "open_questions",
                            "unsolicited_input", "change_talk", "behaviours", "suggestions"}
    assert all(type(n) is int and n >= 0 for n in summary["counts"].values())
    for key in ("reflection_to_question", "complex_reflections", "open_questions", "unsolicited_input", "change_talk"):
        measure = summary[key]
        assert set(measure) == {"value", "display", "fair", "good", "rating"}
        assert measure["value"] is None or measure["value"] >= 0
        assert isinstance(measure["display"], str) and measure["rating"] in {"good", "fair", "not yet", ""}
    assert 2 <= len(summary["suggestions"]) <= 4
    assert all(set(s) == {"index", "quote", "tip"} for s in summary["suggestions"])


def test_stdin(tmp_path):
    result = run("analyze", "-", "--json", stdin=SESSION.encode())
    assert result.returncode == 0 and len(json.loads(result.stdout)["utterances"]) == 5


@pytest.mark.parametrize(("content", "words"), [
    ("Person: I work at the café.".encode("cp1252"), "not UTF-8 text"),
    (b"Sam: Hello", "not a speaker label we know"),
    (b"\n\n", "no utterances"),
    (b"T: " + b"a" * MAX_BYTES, "at most 2 MB"),
])
def test_a_file_that_cannot_be_read_exits_2_with_one_clear_line(tmp_path, content, words):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("analyze", str(path))
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b""
    assert words in err and "Traceback" not in err and err.count("\n") == 1


def test_a_reader_that_stops_early_gets_no_traceback(session):
    reading_end, writing_end = os.pipe()
    os.close(reading_end)  # no one reads, as after `… | head` has printed its lines
    try:
        result = run("analyze", str(session), stdout=writing_end)
    finally:
        os.close(writing_end)
    assert result.returncode == 1 and result.stderr == b""


def test_a_missing_file_exits_2(tmp_path):
    result = run("analyze", str(tmp_path / "nowhere.txt"))
    err = result.stderr.decode()
    assert result.returncode == 2 and "no such file" in err and "Traceback" not in err


def test_no_arguments_print_usage():
    result = run()
    assert result.returncode == 0 and b"usage:" in result.stdout and b"analyze" in result.stdout


def test_times_from_the_transcript_appear_only_where_given(tmp_path):
    path = tmp_path / "timed.txt"
    path.write_text("[00:01] Counsellor: What brings you in today?\n"
                    "Person: My partner says I drink too much.\n"
                    "00:00:40 Counsellor: You need to stop drinking.\n", encoding="utf-8")
    data = json.loads(run("analyze", str(path), "--json").stdout)
    assert [u.get("time") for u in data["utterances"]] == ["00:01", None, "00:00:40"]
    assert all("behaviours" in u for u in data["utterances"] if u["speaker"] == "counsellor")
    out = run("analyze", str(path)).stdout.decode()
    assert "[00:01] What brings you in today?" in out and "[00:00:40] You need to stop drinking." in out
