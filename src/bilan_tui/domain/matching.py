"""Strengths and gaps: a project's required competences against the portfolio's competences.

Matching ignores case and accents and tolerates small differences of wording ("Relation client"
and "relation clientèle"), with rapidfuzz's token-set ratio on folded words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bilan_tui.domain.portfolio import PortfolioItem
from bilan_tui.domain.suggestions import fold

THRESHOLD = 80.0
"""Minimum similarity (0-100) for a required competence to count as present."""

_STOPWORDS = {"de", "des", "du", "d", "la", "le", "les", "l", "un", "une", "et", "en", "a", "au", "aux", "pour",
              "avec", "sur", "dans", "son", "sa", "ses"}


def normalise(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text))
    # A crude plural strip: "projets" and "projet" are the same competence.
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words if w not in _STOPWORDS)


@dataclass(frozen=True)
class Strength:
    required: str
    item: PortfolioItem
    similarity: float
    exact: bool
    """Same words once case, accents and plurals are set aside (else: a close wording)."""


@dataclass(frozen=True)
class StrengthsAndGaps:
    strengths: tuple[Strength, ...]
    gaps: tuple[str, ...]


def compare(required: Sequence[str], competences: Sequence[PortfolioItem],
            threshold: float = THRESHOLD) -> StrengthsAndGaps:
    """Each required competence is a strength (with the closest portfolio competence) or a gap."""
    keyed = [(normalise(item.title), item) for item in competences]
    strengths: list[Strength] = []
    gaps: list[str] = []
    for wanted in required:
        target = normalise(wanted)
        best: tuple[float, PortfolioItem] | None = None
        for text, item in keyed:
            similarity = 100.0 if text == target else fuzz.token_set_ratio(target, text)
            if best is None or similarity > best[0]:
                best = (similarity, item)
        if target and best is not None and best[0] >= threshold:
            strengths.append(Strength(wanted, best[1], best[0], normalise(best[1].title) == target))
        else:
            gaps.append(wanted)
    return StrengthsAndGaps(tuple(strengths), tuple(gaps))
