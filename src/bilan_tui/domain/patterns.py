"""Regular expressions written in flows (``pattern`` of a list field), compiled once and matched safely.

A flow may come from a colleague: Python's ``re`` backtracks, and ``(a+)+$`` against forty ``a``
and a ``!`` runs for minutes. RE2 matches in time linear in the text, whatever the pattern, and
refuses what it cannot do that way (back-references, look-arounds): such a pattern is refused when
the flow loads, with a French message.

RE2's ``\\w``, ``\\d`` and ``\\s`` are ASCII-only; outside a character class they are read here as
Python reads them (letters and digits of every script, Unicode spaces), so that ``\\w+`` accepts
« Hélène » as it would in Python. ``\\b`` stays ASCII.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

MAX_PATTERN_LENGTH = 1_000

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # errors are reported in French, not written on the terminal
_OPTIONS.max_mem = 8 << 20

_UNICODE_CLASSES = {
    "w": r"[\p{L}\p{N}_]",
    "W": r"[^\p{L}\p{N}_]",
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "s": r"[\s\p{Z}]",
    "S": r"[^\s\p{Z}]",
}
_UNICODE_IN_CLASS = {"w": r"\p{L}\p{N}_", "d": r"\p{Nd}", "s": r"\s\p{Z}"}


class PatternError(ValueError):
    """A pattern that cannot be used; the message is French."""


def _unicode(pattern: str) -> str:
    """``\\w``, ``\\d``, ``\\s`` (and their negations outside a class) in Python's Unicode sense."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            if in_class and escaped in _UNICODE_IN_CLASS:
                out.append(_UNICODE_IN_CLASS[escaped])
            elif not in_class and escaped in _UNICODE_CLASSES:
                out.append(_UNICODE_CLASSES[escaped])
            else:
                out.append(char + escaped)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            # A ']' right after '[' or '[^' is a literal, not the end of the class.
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":
                out.append("]")
                i += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> Any:
    """The compiled pattern; raises :class:`PatternError` with a French reason."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"expression régulière trop longue (plus de {MAX_PATTERN_LENGTH} caractères)")
    try:
        return re2.compile(_unicode(pattern), _OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(f"expression régulière invalide ou non prise en charge ({reason})") from None


def full_match(pattern: str, text: str) -> bool:
    """Whether the whole ``text`` matches ``pattern`` (in time linear in the text)."""
    return compile_pattern(pattern).fullmatch(text) is not None
