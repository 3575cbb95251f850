"""Plain-text helpers."""

# C0 control characters a person never means to type, plus DEL. Tab, line feed and carriage return stay: they
# are the layout of what was written. NUL (U+0000) is left out on purpose: Django's forms already refuse it with
# a message, and PostgreSQL cannot store it.
CONTROL_CHARACTERS = "".join(chr(code) for code in (*range(0x01, 0x20), 0x7F) if chr(code) not in "\t\n\r")
_DROP_CONTROL_CHARACTERS = str.maketrans(dict.fromkeys(CONTROL_CHARACTERS))


def strip_control_characters(text: str) -> str:
    """The text without CONTROL_CHARACTERS; everything else, tabs and line breaks included, as it was."""
    return text.translate(_DROP_CONTROL_CHARACTERS)
