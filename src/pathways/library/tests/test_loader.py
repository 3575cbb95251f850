"""The file format: front matter checked, every problem named with its file, and Markdown rendered safely."""
import datetime
from html.parser import HTMLParser

import pytest

from pathways.library.loader import LibraryError, parse, read_pieces, render

from .helpers import piece_text, write_piece


def problems_of(text: str, name: str = "a-piece.md") -> list[str]:
    with pytest.raises(LibraryError) as error:
        parse(name, text)
    return error.value.problems


def test_it_reads_a_piece():
    piece = parse("stages-of-relapse.md", piece_text(title="Three stages", body="## Emotional\n\nWords *here*."))
    assert piece.slug == "stages-of-relapse"
    assert piece.title == "Three stages"
    assert piece.last_reviewed == datetime.date(2026, 12, 5)
    assert piece.audience == ["person", "family"] and piece.dimensions == ["health"]
    assert piece.sources == [{"title": "A source", "url": "https://example.org/source"}]
    assert piece.body_html == "<h2>Emotional</h2>\n<p>Words <em>here</em>.</p>\n"


def test_a_file_without_front_matter_is_refused():
    assert problems_of("Just words.") == [
        "a-piece.md: line 1: the file must start with a +++ line, then the front matter, then +++."]


def test_front_matter_without_its_closing_line_is_refused():
    assert problems_of('+++\ntitle = "x"\nWords.') == ["a-piece.md: the front matter has no closing +++ line."]


def test_bad_toml_is_refused_with_the_line_in_the_file():
    text = piece_text().replace('summary = "A short summary."', "summary = A short summary.")
    [problem] = problems_of(text)
    assert problem.startswith("a-piece.md: line 3, column 11: the front matter is not valid TOML")


def test_missing_title_summary_and_date_are_each_named():
    text = piece_text().replace('title = "A piece"\n', "").replace('summary = "A short summary."\n', "") \
        .replace("last_reviewed = 2026-12-05\n", 'last_reviewed = "soon"\n')
    problems = problems_of(text)
    assert any("title is missing" in p for p in problems)
    assert any("summary is missing" in p for p in problems)
    assert any("last_reviewed is missing or not a date" in p for p in problems)
    assert all(p.startswith("a-piece.md: ") for p in problems)


def test_a_piece_with_no_sources_is_refused():
    text = piece_text().replace('[[sources]]\ntitle = "A source"\nurl = "https://example.org/source"\n', "")
    assert problems_of(text) == ["a-piece.md: the piece has no sources: every piece cites its sources "
                                 "([[sources]] with a title and a url)."]


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "ftp://example.org/x", "example.org/x", "https://"])
def test_a_source_without_a_web_address_is_refused(url):
    text = piece_text().replace("https://example.org/source", url)
    assert problems_of(text) == [
        "a-piece.md: source 1 has no http(s) url: every piece cites its sources with a link."]


def test_unknown_audience_dimension_and_key_are_refused():
    text = piece_text().replace('["person", "family"]', '["person", "patients"]') \
        .replace('["health"]', '["wealth"]').replace("content_note", "contentnote")
    problems = problems_of(text)
    assert "a-piece.md: unknown audience “patients”: use person, supporter, family." in problems
    assert "a-piece.md: unknown dimensions “wealth”: use health, home, purpose, community." in problems
    assert any("unknown key “contentnote”" in p for p in problems)


def test_an_empty_or_overlong_body_is_refused():
    assert problems_of(piece_text(body="")) == [
        "a-piece.md: the body is empty: write the piece below the closing +++ line."]
    [problem] = problems_of(piece_text(body="word " * 1501))
    assert "1501 words" in problem


def test_the_file_name_must_be_a_slug():
    assert any("the file name must be the slug" in p for p in problems_of(piece_text(), name="My Piece.md"))


class Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML (text that merely looks like a tag is
    text, and harmless)."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("markdown", [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://example.org"></iframe>',
    '<a href="https://example.org" onclick="steal()">x</a>',
    "![photo](https://example.org/p.png)",
    '<div style="position:fixed">cover</div>',
    "# A second h1",
])
def test_unsafe_html_never_reaches_the_page(markdown):
    html = render(f"Before.\n\n{markdown}\n\nAfter.")
    elements = Elements(html).found
    assert {tag for tag, _ in elements} <= {"p", "a"}
    for tag, attributes in elements:
        assert tag != "a" or attributes["href"].startswith("https://")
        assert set(attributes) <= {"href", "rel"}
    assert "<p>Before.</p>" in html and "<p>After.</p>" in html


def test_links_open_safely_and_only_allowed_tags_survive():
    html = render("A [link](https://example.org/a) and `code`.\n\n> quoted\n\n1. one\n2. two")
    assert '<a href="https://example.org/a" rel="noopener noreferrer">link</a>' in html
    assert "<code>code</code>" in html and "<blockquote>" in html and "<ol>" in html


def test_every_problem_in_every_file_is_reported(tmp_path):
    write_piece(tmp_path, "good")
    write_piece(tmp_path, "no-front", text="Just words.")
    write_piece(tmp_path, "no-sources", text=piece_text().split("[[sources]]")[0] + "+++\nBody.")
    with pytest.raises(LibraryError) as error:
        read_pieces([tmp_path])
    named = {problem.split(":")[0] for problem in error.value.problems}
    assert named == {"no-front.md", "no-sources.md"}


def test_an_empty_folder_is_a_problem(tmp_path):
    with pytest.raises(LibraryError, match="no .md files found"):
        read_pieces([tmp_path])
