"""Text that enters bilan-tui: control characters out, the rest kept as typed.

Names, answers, notes, flow files and imported data may carry terminal control sequences
(``ESC ] 0 ; title BEL`` changes the window title, ``ESC [ 2 J`` clears the screen). Every C0 and
C1 control character is removed where text enters; newline and tab survive only in long texts,
where they mean something. Nothing else is changed.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

# C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters.

    In a single line, newlines and tabs become spaces (a pasted line break must not glue two
    words); in a long text they are kept, and ``\\r\\n`` / ``\\r`` become ``\\n``.
    """
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL_KEEP_LINES.sub("", text)
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _CONTROL.sub("", text)


def has_control(text: str, *, multiline: bool = False) -> bool:
    """Whether :func:`clean_text` would change ``text``."""
    return clean_text(text, multiline=multiline) != text


def _clean_line(value: str) -> str:
    return clean_text(value)


def _clean_long(value: str) -> str:
    return clean_text(value, multiline=True)


CleanLine = Annotated[str, AfterValidator(_clean_line)]
"""A one-line text field of a model: control characters removed when it is built or loaded."""

CleanText = Annotated[str, AfterValidator(_clean_long)]
"""A multi-line text field of a model: control characters but newline and tab removed."""
