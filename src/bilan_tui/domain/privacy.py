"""The one rule of what the beneficiary may see.

Consultant and beneficiary sit in front of the same screen. Some of what a dossier holds is for the
consultant only: the questions asked to the consultant (their prompt, help and answers), the hints a
flow gives the consultant on any step, private notes, the portfolio items produced by consultant-only
questions, and everything derived from them (a strength proved only by a private observation, the
evidence an item points to when that evidence is a consultant-only answer).

Every screen, panel, notification and document asks this module what an audience may see, instead of
deciding for itself. The consultant sees everything; the beneficiary sees what is not consultant-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bilan_tui.domain.flow import Step
from bilan_tui.domain.matching import StrengthsAndGaps, compare
from bilan_tui.domain.models import AnswerRecord, ItemKind, Note, Respondent, Visibility
from bilan_tui.domain.portfolio import Portfolio, PortfolioItem

HIDDEN_QUESTION = "Question réservée au consultant"
"""Said in place of a consultant-only question when the beneficiary reads the screen."""


class Audience(StrEnum):
    """Who reads the screen (or the document)."""

    CONSULTANT = "consultant"
    BENEFICIARY = "beneficiary"

    @classmethod
    def of(cls, beneficiary_view: bool) -> Audience:
        """The audience of the privacy switch: on, the beneficiary reads the screen."""
        return cls.BENEFICIARY if beneficiary_view else cls.CONSULTANT


# -- what is consultant-only ----------------------------------------------------------------------


def question_private(step: Step) -> bool:
    """A question asked to the consultant: its prompt, help, answers and notes are theirs."""
    return step.asked_to is Respondent.CONSULTANT


def note_private(note: Note) -> bool:
    return note.visibility is not Visibility.SHARED


def item_private(item: PortfolioItem) -> bool:
    """An item produced by a consultant-only question (or marked private)."""
    return item.private


# -- what an audience sees ------------------------------------------------------------------------


def _sees_everything(audience: Audience) -> bool:
    return audience is Audience.CONSULTANT


def question_visible(step: Step, audience: Audience) -> bool:
    return _sees_everything(audience) or not question_private(step)


def hint_visible(step: Step, audience: Audience) -> bool:
    """A flow's hint to the consultant (``consultant_note``) is never shown to the beneficiary."""
    return bool(step.consultant_note) and _sees_everything(audience)


def hint(step: Step, audience: Audience) -> str:
    """The consultant's hint of a step for this audience (empty when hidden or absent)."""
    return step.consultant_note if hint_visible(step, audience) else ""


def flow_notices_visible(audience: Audience) -> bool:
    """Notices about the flow itself (an expression that failed, naming the question and what it
    reads) are for the consultant who maintains it: held while the beneficiary reads the screen."""
    return _sees_everything(audience)


def note_visible(note: Note, audience: Audience) -> bool:
    return _sees_everything(audience) or not note_private(note)


def visible_notes(step: Step, record: AnswerRecord | None, audience: Audience) -> tuple[Note, ...]:
    """The notes on a question this audience may read: none at all on a question it may not see."""
    if record is None or not question_visible(step, audience):
        return ()
    return tuple(note for note in record.notes if note_visible(note, audience))


def item_visible(item: PortfolioItem, audience: Audience) -> bool:
    return _sees_everything(audience) or not item_private(item)


def visible(thing: Step | Note | PortfolioItem, audience: Audience) -> bool:
    """Whether this audience may see a question, a note or a portfolio item."""
    if isinstance(thing, Step):
        return question_visible(thing, audience)
    if isinstance(thing, Note):
        return note_visible(thing, audience)
    return item_visible(thing, audience)


def visible_items(portfolio: Portfolio, audience: Audience, kind: ItemKind | None = None) -> list[PortfolioItem]:
    """The active items of the portfolio (of one kind, if given) this audience may see."""
    return [item for item in portfolio.active(kind) if item_visible(item, audience)]


def visible_portfolio(portfolio: Portfolio, audience: Audience) -> Portfolio:
    """The portfolio as this audience may see it: the hidden items are not in it at all."""
    if _sees_everything(audience):
        return portfolio
    return Portfolio(items=tuple(item for item in portfolio.items if item_visible(item, audience)))


def source_visible(step: Step | None, item: PortfolioItem | None, audience: Audience) -> bool:
    """Whether an answer an item points to (its source, its evidence) may be shown.

    ``step``: the question of that answer, None when it no longer exists (nothing of it is shown
    then but that it is gone); ``item``: the portfolio item that answer produced, if any.
    """
    if step is not None and not question_visible(step, audience):
        return False
    return item is None or item_visible(item, audience)


def strengths_and_gaps(required: Sequence[str], portfolio: Portfolio, audience: Audience) -> StrengthsAndGaps:
    """A project's required competences against the competences this audience may see.

    A requirement met only by a consultant-only competence is a gap for the beneficiary: the
    consultant has not shared that observation yet, so nothing of it (nor its evidence) is shown.
    """
    return compare(required, visible_items(portfolio, audience, ItemKind.COMPETENCE))
