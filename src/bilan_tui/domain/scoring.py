"""Scores of the questionnaires (RIASEC checklist, Big-Five markers): sums per scale.

Scores are material for discussion, never a verdict: each result carries the flow's own caveat
(``Scoring.label``). An incomplete questionnaire gives no profile, and says what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.flow import Flow, ScaleDef
from bilan_tui.domain.models import AnswerStatus


@dataclass(frozen=True)
class ScaleScore:
    scale: ScaleDef
    score: int
    minimum: int
    maximum: int


@dataclass(frozen=True)
class ScoreResult:
    """The profile of a questionnaire, or the items still missing (then ``scores`` is empty)."""

    flow_id: str
    label: str
    scores: tuple[ScaleScore, ...] = ()
    code_groups: tuple[tuple[str, ...], ...] = ()
    """The highest scales in order; scales with the same score share a group (ties kept)."""
    missing: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def code(self) -> str:
        """``S > A = E``: the code with its ties."""
        return " > ".join(" = ".join(group) for group in self.code_groups)


def score(flow: Flow, state: InterviewState | None) -> ScoreResult | None:
    """The flow's scores from the answers; ``None`` when the flow is not a questionnaire."""
    if flow.scoring is None:
        return None
    scoring = flow.scoring
    totals = {scale.id: 0 for scale in scoring.scales}
    counts = {scale.id: 0 for scale in scoring.scales}
    missing: list[str] = []
    low = high = 0
    for step, item in flow.rated_items():
        if item.scale not in totals:
            continue
        assert step.answer is not None and step.answer.min is not None and step.answer.max is not None
        low, high = int(step.answer.min), int(step.answer.max)
        record = state.record(step.id) if state else None
        usable = record is not None and record.status in (AnswerStatus.ANSWERED, AnswerStatus.STALE)
        value = record.value.get(item.id) if record is not None and usable and isinstance(record.value, dict) else None
        if not isinstance(value, int):
            missing.append(item.label)
            continue
        totals[item.scale] += (low + high - value) if item.reverse else value
        counts[item.scale] += 1
    if missing:
        return ScoreResult(flow.id, scoring.label, missing=tuple(missing))
    scores = tuple(
        ScaleScore(scale, totals[scale.id], low * counts[scale.id], high * counts[scale.id]) for scale in scoring.scales
    )
    return ScoreResult(flow.id, scoring.label, scores, _code(scores, scoring.code_length))


def _code(scores: tuple[ScaleScore, ...], length: int) -> tuple[tuple[str, ...], ...]:
    """The ``length`` highest scales; a tie at the last place keeps every tied scale."""
    if length <= 0:
        return ()
    ranked = sorted(scores, key=lambda s: -s.score)  # stable: the flow's order among equals
    groups: list[tuple[str, ...]] = []
    taken = 0
    for _, tied in groupby(ranked, key=lambda s: s.score):
        if taken >= length:
            break
        group = tuple(s.scale.id for s in tied)
        groups.append(group)
        taken += len(group)
    return tuple(groups)
