"""The analyzer from the command line: `python -m pathways.mi analyze FILE [--json]` (FILE may be - for stdin).

A file that cannot be read ends with one plain line on stderr and exit status 2, never a traceback; output
whose reader stops early (`… | head`) ends quietly with status 1.
"""
import argparse
import json
import os
import sys

from pathways.mi.analysis import Analysis, analyze
from pathways.mi.transcript import MAX_BYTES, TranscriptError, parse_transcript


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pathways.mi",
                                     description="Code a motivational-interviewing session and summarise it.")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("analyze", help="analyse a transcript (CSV or 'Label: text' lines)")
    run.add_argument("file", metavar="FILE", help="the transcript, or - to read it from standard input")
    run.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        raw = _read(args.file)
        utterances = parse_transcript(raw)
    except (OSError, TranscriptError) as error:
        print(f"{parser.prog}: {args.file}: {_message(error)}", file=sys.stderr)
        return 2
    result = analyze(utterances)
    try:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if args.json else render(result))
        sys.stdout.flush()
    except BrokenPipeError:
        # Whatever read the output stopped early (`… | head`): nothing went wrong with the transcript, so no
        # traceback. Point stdout at /dev/null, as Python's documentation advises, so the flush at exit is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _read(path: str) -> bytes:
    # One byte past the limit is enough for parse_transcript to refuse, without reading a huge file whole.
    if path == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    with open(path, "rb") as file:
        return file.read(MAX_BYTES + 1)


def _message(error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return "there is no such file; check the name and the folder."
    if isinstance(error, IsADirectoryError):
        return "this is a folder, not a file; name the transcript file inside it."
    if isinstance(error, PermissionError):
        return "this file cannot be opened (permission denied); check who may read it."
    if isinstance(error, OSError):
        return f"this file cannot be read ({error.strerror or error})."
    return str(error)


def render(result: Analysis) -> str:
    """The coded transcript, then the summary, as plain text. Turns are numbered from 1, as the pages and the
    suggestions' words ("In turn 14") number them; the JSON keeps each utterance's index from 0."""
    lines = []
    for c in result.utterances:
        code = f"{c.coding.code}/{c.coding.subcode}" if c.coding.subcode else c.coding.code
        text = " ".join(c.utterance.text.split())
        heard = f"  [{', '.join(_words(b) for b in c.coding.behaviours)}]" if c.coding.behaviours else ""
        said = f"[{c.utterance.time}] " if c.utterance.time else ""
        lines.append(f"{c.utterance.index + 1:>4}  {c.utterance.speaker:<10}  {code:<20} "
                     f"{round(100 * c.coding.confidence):>3}%  {said}{text}{heard}")
    n = result.counts
    lines += ["", "Summary", "",
              f"  Counsellor: questions {n['questions']} (open {n['open_questions']}), reflections "
              f"{n['reflections']} (complex {n['complex_reflections']}), input {n['input']} "
              f"(unsolicited {n['unsolicited_input']}), other {n['other']}.",
              f"  Person: change talk {n['change_talk']}, sustain talk {n['sustain_talk']}, "
              f"neutral {n['neutral_talk']}.", _behaviour_line(result), f"      {result.behaviours.reading}", ""]
    for m in result.measures:
        rated = f" — {m.rating}" if m.rating else ""
        lines.append(f"  {m.label}: {m.display}{rated}")
        lines.append(f"      {m.explanation}")
    lines += ["", "Suggestions", ""]
    for number, s in enumerate(result.suggestions, start=1):
        at = f", at {s.time}" if s.time else ""
        where = f" (turn {s.index + 1}{at})" if s.index is not None else ""
        if s.quote:
            lines += [f"  {number}.{where} “{s.quote}”", f"      {s.tip}"]
        else:
            lines.append(f"  {number}. {s.tip}")
    return "\n".join(lines)


def _words(behaviour: str) -> str:
    return behaviour.replace("_", " ")


def _behaviour_line(result: Analysis) -> str:
    b = result.behaviours
    each = ", ".join(f"{_words(name)} {n}" for name, n in b.counts.items())
    return f"  MITI behaviours: MI-adherent {b.adherent}, MI-non-adherent {b.non_adherent} ({each})."


if __name__ == "__main__":
    sys.exit(main())
