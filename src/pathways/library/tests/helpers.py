"""Writing piece files for tests."""
from pathlib import Path

FRONT = """+++
title = "{title}"
summary = "A short summary."
last_reviewed = 2026-12-05
audience = ["person", "family"]
dimensions = ["health"]
content_note = "{content_note}"
[[sources]]
title = "A source"
url = "https://example.org/source"
+++
"""


def piece_text(*, title: str = "A piece", body: str = "Some plain words about recovery.", content_note: str = "") -> str:
    return FRONT.format(title=title, content_note=content_note) + body + "\n"


def write_piece(folder: Path, slug: str, text: str | None = None, **fields) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(text if text is not None else piece_text(**fields), encoding="utf-8")
    return path
