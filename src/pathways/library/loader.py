"""Reading library pieces from Markdown files with TOML front matter, checking them, and rendering them safely.

Plain Python with no database, so a whole folder is checked before anything is written: every problem is
reported with its file (and line, where the TOML parser gives one), and a folder with any problem loads nothing.
"""
from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

from .models import Audience, Dimension

SHIPPED_FOLDER = Path(__file__).resolve().parent / "content"
FENCE = "+++"
MAX_WORDS = 1500  # pieces aim for 300–800 words; past this a piece wants splitting
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KNOWN_KEYS = {"title", "summary", "last_reviewed", "audience", "dimensions", "content_note", "sources"}

# Raw HTML in the Markdown is not passed through (html off): it shows as the text it is. The allow-list after it
# is the second wall: whatever the renderer produces, only these tags (and a link's href) reach the page.
ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


@dataclass(frozen=True)
class PieceSource:
    """A piece as its file says it, checked and rendered."""

    slug: str
    title: str
    summary: str
    audience: list[str]
    dimensions: list[str]
    content_note: str
    sources: list[dict]
    last_reviewed: datetime.date
    body_markdown: str
    body_html: str


class LibraryError(Exception):
    """The files cannot be loaded; `problems` names each one, with its file."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def render(markdown: str) -> str:
    """Markdown to HTML that is safe to put on a page as it is."""
    return nh3.clean(_markdown.render(markdown), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=ALLOWED_URL_SCHEMES, link_rel="noopener noreferrer", strip_comments=True)


def markdown_files(paths: list[Path]) -> list[Path]:
    """The .md files named, and those in the folders named, in a stable order."""
    found = []
    for path in paths:
        found += sorted(path.glob("*.md")) if path.is_dir() else [path]
    return found


def read_pieces(paths: list[Path]) -> list[PieceSource]:
    """Every piece in these files and folders, or LibraryError naming every problem in all of them."""
    files = markdown_files(paths)
    problems: list[str] = [] if files else [f"{', '.join(map(str, paths))}: no .md files found."]
    pieces, seen = [], {}
    for file in files:
        try:
            piece = parse(file.name, file.read_text(encoding="utf-8"))
        except LibraryError as error:
            problems += error.problems
            continue
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{file.name}: cannot be read ({error}).")
            continue
        if piece.slug in seen:
            problems.append(f"{file.name}: the slug “{piece.slug}” is also used by {seen[piece.slug]}.")
        seen[piece.slug] = file.name
        pieces.append(piece)
    if problems:
        raise LibraryError(problems)
    return pieces


def parse(file_name: str, text: str) -> PieceSource:
    """One file's piece; its slug is the file name without `.md`."""
    slug = Path(file_name).stem
    front_matter, body, problems = _split(text)
    if front_matter is not None:
        problems += _check_front_matter(front_matter)
    if not SLUG.match(slug):
        problems.append("the file name must be the slug: lower-case letters, digits and hyphens, then .md.")
    words = len(body.split()) if body is not None else None  # None: where the body starts is unknown
    if words == 0:
        problems.append("the body is empty: write the piece below the closing +++ line.")
    elif words is not None and words > MAX_WORDS:
        problems.append(f"the body has {words} words; a piece may have at most {MAX_WORDS}. Split it in two.")
    if problems:
        raise LibraryError([f"{file_name}: {problem}" for problem in problems])
    return PieceSource(
        slug=slug, title=front_matter["title"].strip(), summary=front_matter["summary"].strip(),
        audience=list(front_matter["audience"]), dimensions=list(front_matter.get("dimensions", [])),
        content_note=front_matter.get("content_note", "").strip(),
        sources=[{"title": s["title"].strip(), "url": s["url"].strip()} for s in front_matter["sources"]],
        last_reviewed=front_matter["last_reviewed"], body_markdown=body, body_html=render(body))


def _split(text: str) -> tuple[dict | None, str | None, list[str]]:
    """The front matter (parsed), the body, and any problem with the front matter."""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        return None, None, ["line 1: the file must start with a +++ line, then the front matter, then +++."]
    closing = next((n for n in range(1, len(lines)) if lines[n].strip() == FENCE), None)
    if closing is None:
        return None, None, ["the front matter has no closing +++ line."]
    body = "".join(lines[closing + 1:]).strip()
    try:
        return tomllib.loads("".join(lines[1:closing])), body, []
    except tomllib.TOMLDecodeError as error:
        return None, body, [_toml_problem(error)]


def _toml_problem(error: tomllib.TOMLDecodeError) -> str:
    """The parser's message, with its line counted in the file (the opening +++ is line 1)."""
    message = str(error)
    where = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if where is None:
        return f"the front matter is not valid TOML: {message}."
    what = message[:where.start()].strip()
    return f"line {int(where.group(1)) + 1}, column {where.group(2)}: the front matter is not valid TOML: {what}."


def _check_front_matter(data: dict) -> list[str]:
    problems = [f"unknown key “{key}” in the front matter (known: {', '.join(sorted(KNOWN_KEYS))})."
                for key in data if key not in KNOWN_KEYS]
    for key in ("title", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"{key} is missing: add {key} = \"...\" to the front matter.")
    if not isinstance(data.get("last_reviewed"), datetime.date) or isinstance(data["last_reviewed"], datetime.datetime):
        problems.append("last_reviewed is missing or not a date: write it as last_reviewed = 2026-12-05 (no quotes).")
    if not isinstance(data.get("content_note", ""), str):
        problems.append("content_note must be text in quotes.")
    problems += _check_choices(data, "audience", Audience.values, required=True)
    problems += _check_choices(data, "dimensions", Dimension.values, required=False)
    return problems + _check_sources(data.get("sources"))


def _check_choices(data: dict, key: str, known: list[str], *, required: bool) -> list[str]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        return [f"{key} must be a list in quotes, e.g. {key} = [\"{known[0]}\"]."]
    if required and not values:
        return [f"{key} is missing: say who the piece is for, from {', '.join(known)}."]
    return [f"unknown {key} “{value}”: use {', '.join(known)}." for value in values if value not in known]


def _check_sources(sources) -> list[str]:
    if not sources:
        return ["the piece has no sources: every piece cites its sources ([[sources]] with a title and a url)."]
    if not isinstance(sources, list) or not all(isinstance(source, dict) for source in sources):
        return ["sources must be [[sources]] tables, each with a title and a url."]
    problems = []
    for number, source in enumerate(sources, start=1):
        title, url = source.get("title"), source.get("url")
        if not isinstance(title, str) or not title.strip():
            problems.append(f"source {number} has no title.")
        if not _is_web_address(url):
            problems.append(f"source {number} has no http(s) url: every piece cites its sources with a link.")
    return problems


def _is_web_address(url) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)
