"""Strengths and gaps: a project's required competences against the portfolio's competences.

Matching ignores case and accents and tolerates small differences of wording ("Relation client"
and "relation clientèle"), with rapidfuzz's token-set ratio on folded words. When several
competences match, the best one wins (:func:`ranked`): the same words first, then the closest
wording, then a competence proved by an achievement over one without proof.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bilan_tui.domain.suggestions import fold

if TYPE_CHECKING:  # portfolio uses this module to find the achievements that prove a self-assessment
    from bilan_tui.domain.portfolio import PortfolioItem

THRESHOLD = 80.0
"""Minimum similarity (0-100) for a required competence to count as present."""

_STOPWORDS = {"de", "des", "du", "d", "la", "le", "les", "l", "un", "une", "et", "en", "a", "au", "aux", "pour",
              "avec", "sur", "dans", "son", "sa", "ses"}


def normalise(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text))
    # A crude plural strip: "projets" and "projet" are the same competence.
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words if w not in _STOPWORDS)


@dataclass(frozen=True)
class Match:
    """How well one portfolio competence answers one wording."""

    item: PortfolioItem
    exact: bool
    """Same words once case, accents, plurals and small words are set aside."""
    similarity: float
    """Token-set similarity (0-100): 100 when the words of one are all in the other ("Former" and
    "Former des adultes"); the threshold applies to it."""
    closeness: float
    """Similarity of the whole wordings (0-100): "Former des adultes" is closer to "Former des adultes"
    than "Former" is. It decides between matches of equal similarity."""

    @property
    def proved(self) -> bool:
        return bool(self.item.evidence)

    def key(self) -> tuple[bool, float, float, bool, bool]:
        """Better first: exact, then similar, then close, then proved, then not a pending self-assessment."""
        return (self.exact, self.similarity, self.closeness, self.proved, not self.item.self_assessment_pending)


def ranked(wanted: str, competences: Sequence[PortfolioItem], threshold: float = THRESHOLD) -> list[Match]:
    """The competences that match ``wanted`` (at least ``threshold``), the best first (ties: given order)."""
    target = normalise(wanted)
    if not target:
        return []
    matches = []
    for item in competences:
        text = normalise(item.title)
        if not text:
            continue
        exact = text == target
        similarity = 100.0 if exact else fuzz.token_set_ratio(target, text)
        if similarity >= threshold:
            closeness = 100.0 if exact else fuzz.token_sort_ratio(target, text)
            matches.append(Match(item, exact, similarity, closeness))
    return sorted(matches, key=Match.key, reverse=True)  # sorted() is stable, even reversed


@dataclass(frozen=True)
class Strength:
    required: str
    item: PortfolioItem
    """The competence of the portfolio that best matches the requirement."""
    similarity: float
    exact: bool
    """Same words once case, accents and plurals are set aside (else: a close wording)."""
    proof: PortfolioItem | None = None
    """The competence whose evidence proves this strength: ``item`` when it is proved, else the best
    matching competence that is (None when no matching competence is proved)."""


@dataclass(frozen=True)
class StrengthsAndGaps:
    strengths: tuple[Strength, ...]
    gaps: tuple[str, ...]


def compare(required: Sequence[str], competences: Sequence[PortfolioItem],
            threshold: float = THRESHOLD) -> StrengthsAndGaps:
    """Each required competence is a strength (with the best matching competence) or a gap."""
    strengths: list[Strength] = []
    gaps: list[str] = []
    for wanted in required:
        matches = ranked(wanted, competences, threshold)
        if not matches:
            gaps.append(wanted)
            continue
        best = matches[0]
        proof = next((m.item for m in matches if m.proved), None)
        strengths.append(Strength(wanted, best.item, best.similarity, best.exact, proof))
    return StrengthsAndGaps(tuple(strengths), tuple(gaps))
