"""Text that enters bilan-tui: control characters out, the rest kept as typed.

Names, answers, notes, flow files and imported data may carry terminal control sequences
(``ESC ] 0 ; title BEL`` changes the window title, ``ESC [ 2 J`` clears the screen). Every C0 and
C1 control character is removed where text enters; newline and tab survive only in long texts,
where they mean something. Nothing else is changed.

It also holds what every entry point shares: the length limits of a line and of a long text, the
test of a text that only looks filled (spaces, invisible characters), and the one normalisation of
digits written in other scripts (``٢٠١٥``, ``２０１５``) used for numbers, dates and months alike.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

# C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F); and the bidirectional embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make a text display in another order
# than it reads (« Martin » shown as « nitraM », a file name or an amount disguised). The plain
# direction marks (U+200E, U+200F) stay: right-to-left writing needs them and they reorder nothing.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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


MAX_LINE_LENGTH = 500
"""Characters of a one-line text: an answer on one line, a list element's field, a name, a title."""

MAX_TEXT_LENGTH = 20_000
"""Characters of a long text: an answer written in several lines, a note, a report."""

# Invisible characters that are not whitespace for ``str.isspace``: a text made of them only is empty.
_INVISIBLE = {"\u2800", "\u3164", "\u115f", "\u1160", "\uffa0"}

# Separators and signs of other scripts, as written around digits.
_FIGURE_MARKS = str.maketrans({
    "\uff0b": "+", "\uff0d": "-", "\u2212": "-", "\u2012": "-", "\u2013": "-",
    "\uff0e": ".", "\uff0c": ",", "\u066b": ",", "\u066c": " ", "\uff0f": "/", "\u2044": "/",
    "\u3000": " ",
})


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


def normalise_digits(text: str) -> str:
    """``text`` with every decimal digit of any script written 0-9, and their separators in ASCII.

    ``٢٠١٥`` and ``２０１５`` become ``2015``; fullwidth ``／ ． ，`` and the Arabic decimal separator
    become ``/ . ,``. Superscripts and circled digits are not decimal digits: they are left as they are
    (and then refused by the parsers), so ``10²`` never reads as ``102``.
    """
    if text.isascii():
        return text
    out = []
    for char in text.translate(_FIGURE_MARKS):
        digit = unicodedata.decimal(char, None) if not char.isascii() else None
        out.append(str(digit) if digit is not None else char)
    return "".join(out)


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: empty, or only spaces, control and invisible characters."""
    return all(
        char.isspace() or char in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")
        for char in text
    )


def too_long(text: str, limit: int) -> str | None:
    """If ``text`` has more than ``limit`` characters, the French words that say so (to end a sentence)."""
    if len(text) <= limit:
        return None
    return f"texte trop long ({_count(len(text))} caractères pour {_count(limit)} au plus)"


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def excerpt(text: str, width: int = 40) -> str:
    """The beginning of ``text`` for a message that quotes it: one line, at most ``width`` characters."""
    line = clean_text(text)
    return line if len(line) <= width else line[: width - 1] + "…"


# -- names ---------------------------------------------------------------------------------------


def name_key(text: str) -> str:
    """A name reduced for comparing: letters and digits only, no accents, no case (« Lemaire-Duval »,
    « lemaire duval » and « LÉMAIRE DUVAL » have the same key)."""
    decomposed = unicodedata.normalize("NFKD", clean_text(text))
    return "".join(char for char in decomposed.casefold() if char.isalnum())


def name_forms(full_name: str) -> set[str]:
    """The keys of the ways a full name is typed: its words in order or turned round (last name first)."""
    words = full_name.split()
    return {name_key(" ".join(words[i:] + words[:i])) for i in range(max(len(words), 1))}


def names_match(typed: str, full_name: str) -> bool:
    """Whether a person typed ``full_name`` (case, accents, spaces, hyphens, apostrophes aside; either
    name first): a signature, a validation, a dossier named on the command line."""
    key = name_key(typed)
    return bool(key) and key in name_forms(full_name)
