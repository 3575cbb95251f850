"""The library pieces we ship: each one's front matter reads, it cites linked sources, it is short, it is easy
to read, and it passes the respectful-language check. Read straight from the Markdown files, not through the
loader, so a mistake in the words is caught even when the loader is being changed. Run with -s to see the
reading grades."""
import datetime
import re
import tomllib
from pathlib import Path

import pytest
import textstat

from pathways.conversations import language

CONTENT = Path(__file__).resolve().parent.parent / "content"
PIECES = sorted(CONTENT.glob("*.md"))
EXPECTED_SLUGS = {
    "recovery-model", "guiding-principles", "chime", "stages-of-relapse", "many-pathways", "mi-for-supporters",
    "mi-for-families", "safety-planning", "naloxone-and-safer-use", "trauma-and-recovery",
    "supporting-without-taking-over",
}
AUDIENCES = {"person", "supporter", "family"}
DIMENSIONS = {"health", "home", "purpose", "community"}
# Pieces about harm must warn before they start; pieces about a crisis must send people to local help.
NEEDS_CONTENT_NOTE = {"naloxone-and-safer-use", "trauma-and-recovery", "safety-planning"}
NAMES_EMERGENCY_NUMBER = {"naloxone-and-safer-use", "safety-planning"}
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
RAW_HTML = re.compile(r"<\s*[A-Za-z!/]")
MAX_GRADE, MAX_AVERAGE_GRADE = 9, 8


def split(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a piece: TOML between the first two +++ lines, Markdown after."""
    _, front, body = path.read_text(encoding="utf-8").split("+++", 2)
    return tomllib.loads(front), body


def word_count(body: str) -> int:
    return len(WORD.findall(body))


def grade(body: str) -> float:
    return textstat.flesch_kincaid_grade(body)


@pytest.fixture(autouse=True)
def fresh_catalogue():
    # Another test may have pointed PATHWAYS_LANGUAGE_FILES elsewhere; read our own list.
    language.catalogue.cache_clear()
    yield
    language.catalogue.cache_clear()


def test_every_planned_piece_is_shipped():
    assert EXPECTED_SLUGS <= {path.stem for path in PIECES}


@pytest.mark.parametrize("path", PIECES, ids=lambda path: path.stem)
def test_front_matter_is_complete(path):
    meta, _ = split(path)
    assert meta["title"].strip() and meta["summary"].strip()
    assert isinstance(meta["last_reviewed"], datetime.date)
    assert meta["audience"] and set(meta["audience"]) <= AUDIENCES
    assert set(meta.get("dimensions", [])) <= DIMENSIONS
    if path.stem in NEEDS_CONTENT_NOTE:
        assert meta.get("content_note", "").strip(), "a piece about harm starts with a content note"


@pytest.mark.parametrize("path", PIECES, ids=lambda path: path.stem)
def test_cites_linked_sources(path):
    meta, _ = split(path)
    sources = meta.get("sources", [])
    assert sources, "every piece cites at least one source"
    for source in sources:
        assert source["title"].strip()
        assert source["url"].startswith("https://"), source["url"]


@pytest.mark.parametrize("path", PIECES, ids=lambda path: path.stem)
def test_is_between_300_and_800_words(path):
    _, body = split(path)
    assert 300 <= word_count(body) <= 800, word_count(body)


@pytest.mark.parametrize("path", PIECES, ids=lambda path: path.stem)
def test_is_markdown_without_raw_html(path):
    _, body = split(path)
    assert not RAW_HTML.search(body)


@pytest.mark.parametrize("path", PIECES, ids=lambda path: path.stem)
def test_passes_the_respectful_language_check(path):
    _, body = split(path)
    found = [(finding.phrase, body[max(0, finding.start - 40):finding.end + 40])
             for finding in language.findings(body)]
    assert found == []


@pytest.mark.parametrize("path", [path for path in PIECES if path.stem in NAMES_EMERGENCY_NUMBER],
                         ids=lambda path: path.stem)
def test_crisis_pieces_point_to_the_local_emergency_number(path):
    _, body = split(path)
    assert "local emergency number" in body
    assert all(number in body for number in ("911", "999", "112")), "examples from more than one country"


@pytest.mark.parametrize("path", PIECES, ids=lambda path: path.stem)
def test_is_easy_to_read(path):
    _, body = split(path)
    print(f"\n{path.stem}: {word_count(body)} words, Flesch-Kincaid grade {grade(body):.1f}")
    assert grade(body) <= MAX_GRADE


def test_average_reading_grade_is_at_most_8():
    grades = {path.stem: grade(split(path)[1]) for path in PIECES}
    average = sum(grades.values()) / len(grades)
    print("\n" + "\n".join(f"{slug:34} grade {value:4.1f}" for slug, value in grades.items()))
    print(f"{'average':34} grade {average:4.1f}")
    assert average <= MAX_AVERAGE_GRADE
