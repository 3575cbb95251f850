"""Text in CSV cells that a spreadsheet opens: written so it is never run as a formula, and read back as typed."""
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")  # a signed number is read as a number, and runs nothing


def formula_safe(text: str) -> str:
    """The text, with a leading quote where a spreadsheet would take it for a formula."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def as_typed(cell: str) -> str:
    """A cell written by `formula_safe`, without the quote it added, so an exported file imports unchanged."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell[1:]):
        return cell[1:]
    return cell
