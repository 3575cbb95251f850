"""Reading a session transcript into utterances.

Two formats are accepted, told apart by the first non-blank line:

* CSV whose header names the columns `interlocutor` and `utterance_text` (AnnoMI's layout; an optional
  `utterance_id` and an optional `timestamp` are kept, other columns are ignored). One row per utterance.
* Plain text, one turn per line, `Label: what was said`. A line without a label continues the turn above it,
  so a long turn wrapped by an editor still reads as one. A turn may start with the time it was said, before
  its label: `[12:03] Counsellor: …`, `12:03 Counsellor: …` or `00:12:03 T: …` (h:mm, mm:ss or hh:mm:ss,
  square brackets optional).

Times are optional and only ever shown back, never used to order or code the turns. They are kept as written,
without their brackets. Something that is not a time (`99:99`, a time after a label, a time before a word that
is not a speaker label we know) is not read as one: the line reads exactly as it would without this rule.

Every refusal is a `TranscriptError` whose message says which line is wrong and what to do about it, because
the person reading it is a supporter with a file, not a programmer with a traceback.
"""
import csv
import io
import re
from dataclasses import dataclass

from pathways.mi.codes import COUNSELLOR, PERSON

# Limits no real session reaches, so that one analysis holds a server worker for seconds, not minutes. AnnoMI's
# longest session has 1,750 turns and its longest turn 1,212 characters; a 2,000-turn transcript codes in about
# seven seconds on one core (300 utterances a second).
MAX_BYTES = 2 * 1024 * 1024
MAX_UTTERANCES = 2_000
MAX_TURN_CHARACTERS = 10_000
LABEL_ROOM = 64  # a whole line may hold a label, a CSV row its other columns, besides the turn itself

CSV_SPEAKERS = {
    "therapist": COUNSELLOR, "counsellor": COUNSELLOR, "counselor": COUNSELLOR, "supporter": COUNSELLOR,
    "client": PERSON, "person": PERSON,
}
TEXT_LABELS = {
    "counsellor": COUNSELLOR, "counselor": COUNSELLOR, "therapist": COUNSELLOR, "supporter": COUNSELLOR,
    "t": COUNSELLOR, "person": PERSON, "client": PERSON, "c": PERSON,
}
_CSV_LABELS_TEXT = ("The speakers we know are therapist, counsellor, counselor or supporter for the supporter, and "
                    "client or person for the person.")
_TEXT_LABELS_TEXT = ("The labels we know are Counsellor, Counselor, Therapist, Supporter or T for the supporter, and "
                     "Person, Client or C for the person.")

# A label is one or two words before a colon at the start of a line ("Therapist:", "T:", "Peer supporter:").
# A longer phrase before a colon ("I told her: no more") is not a label, so that line continues the turn above.
_LABELLED = re.compile(r"^([^\W\d_][\w.'-]{0,24}(?: [\w.'-]{1,24})?)\s*:\s*(.*)$")
# A time before the label: "12:03", "1:02:03", "[00:12:03]". Minutes and seconds below 60; hours as written.
_TIME = r"(\d{1,2}):([0-5]\d)(?::([0-5]\d))?"
_TIMED = re.compile(rf"^(?:\[\s*{_TIME}\s*\]\s*|{_TIME}\s+)(?P<rest>.*)$")
_TIME_ONLY = re.compile(rf"^(?:\[\s*{_TIME}\s*\]|{_TIME})$")


class TranscriptError(ValueError):
    """The transcript cannot be read; the message says why and what to do, in plain words."""


@dataclass(frozen=True)
class Utterance:
    index: int
    speaker: str  # codes.COUNSELLOR or codes.PERSON
    text: str
    utterance_id: str = ""
    time: str = ""  # when it was said, as the transcript wrote it ("12:03"), or "" when it did not say


def parse_transcript(raw: bytes | str) -> list[Utterance]:
    """Read a transcript in either format; raise TranscriptError with a kind message when it cannot be read."""
    _check_size(raw)
    text = _decode(raw) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise TranscriptError(_EMPTY)
    # Before the CSV reader sees it: a line past its field limit (131,072 characters) is its error, not ours.
    _check_turn_length(first, line=text.splitlines().index(first) + 1, room=LABEL_ROOM)
    try:
        header = [name.strip().lower() for name in next(csv.reader([first]))]
    except csv.Error:  # not CSV at all (an unbalanced quote, say): read as plain text, which says what is wrong
        header = []
    if "interlocutor" in header and "utterance_text" in header:
        turns = _read_csv(text)
    elif len(header) > 1 and ("interlocutor" in header or "utterance_text" in header):
        missing = "utterance_text" if "interlocutor" in header else "interlocutor"
        raise TranscriptError(
            f"Line 1 looks like a CSV header, but it has no “{missing}” column. A CSV transcript needs both "
            "“interlocutor” (who spoke) and “utterance_text” (what they said); add the missing column and try again."
        )
    else:
        turns = _read_text(text)
    if not turns:
        raise TranscriptError(_EMPTY)
    return [Utterance(index, speaker, said, uid, time) for index, (speaker, said, uid, time) in enumerate(turns)]


_EMPTY = ("This transcript has no utterances in it. Add one turn per line, such as “Counsellor: What brings you "
          "here today?”, or upload a CSV with “interlocutor” and “utterance_text” columns.")


def _check_size(raw: bytes | str) -> None:
    # Measured before decoding, so an oversized upload costs no more work than this comparison.
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise TranscriptError(
            f"This file is {size / 1024 / 1024:.1f} MB; transcripts can be at most {MAX_BYTES // 1024 // 1024} MB. "
            "Split the session into smaller files and analyse each one."
        )


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise TranscriptError(
            f"This file is not UTF-8 text (the first character that cannot be read is on line {line}). "
            "Open it in a text editor or spreadsheet and save it again as UTF-8 — for example “CSV UTF-8” in "
            "Excel, or Encoding: UTF-8 in Notepad's Save As — then try again."
        ) from None


def _read_csv(text: str) -> list[tuple[str, str, str, str]]:
    rows = csv.reader(io.StringIO(text, newline=""))  # newline="" keeps line breaks inside quoted cells
    turns: list[tuple[str, str, str, str]] = []
    columns: dict[str, int] = {}
    try:
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if not columns:
                columns = {name.strip().lower(): i for i, name in enumerate(row)}
                continue
            cells = {name: row[i].strip() if i < len(row) else "" for name, i in columns.items()}
            said, who = cells["utterance_text"], cells["interlocutor"]
            if not said:
                continue  # a row with nobody's words in it is as good as blank
            speaker = CSV_SPEAKERS.get(who.lower())
            if speaker is None:
                shown = f"“{who}”" if who else "nothing"
                raise TranscriptError(
                    f"Line {rows.line_num} has {shown} in the interlocutor column, which is not a speaker we know. "
                    f"{_CSV_LABELS_TEXT} Change it to one of these and try again."
                )
            _check_turn_length(said, line=rows.line_num)
            turns.append((speaker, said, cells.get("utterance_id", ""), as_time(cells.get("timestamp", ""))))
            _check_count(turns)
    except csv.Error as error:
        raise TranscriptError(
            f"Line {rows.line_num} could not be read as CSV ({error}). Check its quotation marks, or save the "
            "file again from your spreadsheet as CSV, then try again."
        ) from None
    return turns


def as_time(written: str) -> str:
    """The time as written without brackets or spaces ("[12:03]" → "12:03"), or "" when it is not a time."""
    return written.strip().strip("[]").strip() if _TIME_ONLY.match(written.strip()) else ""


def _split_time(line: str) -> tuple[str, str]:
    """(time, rest of the line) when the line starts with a time and then a speaker label we know, else ("", line).

    Only a known label after it makes the time a time, so a continuation line that happens to start with one
    ("10:30 tomorrow: the appointment") still carries on the turn above, as it always did.
    """
    timed = _TIMED.match(line)
    if timed is None:
        return "", line
    rest = timed.group("rest")
    label = _LABELLED.match(rest)
    if label is None or label.group(1).strip().lower() not in TEXT_LABELS:
        return "", line
    return as_time(line[:len(line) - len(rest)]), rest


def _read_text(text: str) -> list[tuple[str, str, str, str]]:
    turns: list[list[str]] = []  # [speaker, text, time]; lists so a continuation line can extend the last turn
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        time, line = _split_time(line)
        match = _LABELLED.match(line)
        if match is None:
            if not turns:
                raise TranscriptError(
                    f"Line {number} does not start with who is speaking. Begin each turn with a label and a colon, "
                    f"such as “Counsellor: …” or “Person: …”, and try again. {_TEXT_LABELS_TEXT}"
                )
            turns[-1][1] = f"{turns[-1][1]} {line}".strip()
            _check_turn_length(turns[-1][1], line=number)
            continue
        label, said = match.groups()
        speaker = TEXT_LABELS.get(label.strip().lower())
        if speaker is None:
            raise TranscriptError(
                f"Line {number} starts with “{label}”, which is not a speaker label we know. "
                f"{_TEXT_LABELS_TEXT} Change it to one of these and try again."
            )
        _check_turn_length(said.strip(), line=number)
        turns.append([speaker, said.strip(), time])
        _check_count(turns)
    # A label with nothing after it and nothing continuing it carries no words to analyse.
    return [(speaker, said, "", time) for speaker, said, time in turns if said]


def _check_turn_length(said: str, *, line: int, room: int = 0) -> None:
    if len(said) > MAX_TURN_CHARACTERS + room:
        raise TranscriptError(
            f"The turn on line {line} is {len(said):,} characters long; one turn can be at most "
            f"{MAX_TURN_CHARACTERS:,}, far more than anyone says at once. Check that each turn starts on its own "
            "line with who is speaking, and try again."
        )


def _check_count(turns: list) -> None:
    if len(turns) > MAX_UTTERANCES:
        raise TranscriptError(
            f"This transcript has more than {MAX_UTTERANCES:,} utterances, more than we can analyse at once. "
            "Split the session into smaller files and analyse each one."
        )
