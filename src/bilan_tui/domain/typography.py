"""French typography for documents: the spaces that French punctuation asks for.

A person types ``« Bonjour »``, ``Pourquoi?`` or ``Note : à lire`` with ordinary spaces, or none; a
printed French document wants a no-break space (U+00A0) before ``:`` and inside guillemets, and a
narrow no-break space (U+202F) before ``;``, ``!`` and ``?``, so that a line never starts with a
punctuation mark or a guillemet. Addresses (``https://…``, ``www.…``, e-mail addresses) and times
(``14:00``) are left as they are; runs of spaces become one. Pure: no files, no state.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
"""No-break space: before ``:`` and inside guillemets."""
NNBSP = "\u202f"
"""Narrow no-break space: before ``;``, ``!`` and ``?``."""

_SPACES = "[ \t\u00a0\u202f]"

# An address is copied untouched: its ``?`` and ``:`` are not punctuation.
# (A regular expression: ``https://…``, ``www.…``, an e-mail address; without a final punctuation mark.)
ADDRESS = r"(?:https?://|ftp://|mailto:|www\.)[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]]|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"

_HIGH = re.compile(rf"(?P<address>{ADDRESS})|(?<=[^\s;:!?«(\[]){_SPACES}*(?P<mark>[;!?]+)(?=[\s»)\]\"'’…,.]|$)")
_COLON = re.compile(rf"(?P<address>{ADDRESS})|(?<=[^\s;:!?«(\[]){_SPACES}*:(?=\s|$)")
_OPEN = re.compile(rf"(?P<address>{ADDRESS})|«{_SPACES}*")
_CLOSE = re.compile(rf"(?P<address>{ADDRESS})|(?<=\S){_SPACES}*»")
_RUNS = re.compile(r"(?<=\S) {2,}(?=\S)")


def french_typography(text: str) -> str:
    """``text`` with French spacing around punctuation (see the module); idempotent."""
    if not text:
        return text
    text = _RUNS.sub(" ", text)
    text = _HIGH.sub(lambda m: m["address"] or NNBSP + m["mark"], text)
    text = _COLON.sub(lambda m: m["address"] or NBSP + ":", text)
    text = _OPEN.sub(lambda m: m["address"] or "«" + NBSP, text)
    text = _CLOSE.sub(lambda m: m["address"] or NBSP + "»", text)
    return text
