"""A dropdown in French whose placeholder can never be taken for a choice.

Textual's ``Select`` says « Select » until a choice is made and its open list offers « esc Dismiss
menu » in the footer. Every dropdown of the app is a :class:`ChoiceSelect`: its placeholder is
French and differs from every option (« Transférable » as a placeholder and as an option would hide
whether a choice was made), and its open list's keys are in French.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay

CHOOSE = "— choisir —"
"""The placeholder of a dropdown whose label is shown beside it."""


def placeholder_for(label: str, options: Iterable[str]) -> str:
    """A placeholder naming ``label`` (or « — choisir — » without one) that is none of ``options``."""
    text = f"{label} : à choisir" if label.strip() else CHOOSE
    taken = {o.strip().casefold() for o in options}
    while text.strip().casefold() in taken:
        text = f"— {text} —"
    return text


class ChoiceOverlay(SelectOverlay):
    """The open list of a :class:`ChoiceSelect`, its keys described in French."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Fermer la liste")]


class ChoiceSelect(Select[Any]):
    """``Select`` with a French placeholder that is never one of its options."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,down,space,up", "show_overlay", "Ouvrir la liste", show=False),
    ]

    def __init__(self, options: Iterable[tuple[RenderableType, Any]], *, label: str = "", **kwargs: Any) -> None:
        options = list(options)
        kwargs.setdefault("prompt", placeholder_for(label, [str(text) for text, _ in options]))
        super().__init__(options, **kwargs)

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield ChoiceOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)
