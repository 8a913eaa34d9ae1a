"""Adding or editing a portfolio item by hand."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from bilan_tui.domain.models import COMPETENCE_LEVELS, CompetenceCategory, ItemKind
from bilan_tui.domain.portfolio import PortfolioItem
from bilan_tui.domain.text import MAX_LINE_LENGTH, clean_text, is_blank, too_long
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.screens.dialogs import DIALOG_CSS
from bilan_tui.tui.widgets.choice_select import ChoiceSelect
from bilan_tui.tui.widgets.clean_inputs import CleanInput

COMMENT = "Commentaire"


class ItemFormScreen(AppAccess, ModalScreen[dict[str, Any] | None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ItemFormScreen") + """
    ItemFormScreen #box { width: 90; }
    ItemFormScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, item: PortfolioItem | None) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical(id="box"):
            yield Static("Modifier l'élément" if item else "Ajouter un élément au portefeuille", classes="title")
            if item is None:
                yield Label("Type")
                yield ChoiceSelect([(k.label, k.value) for k in ItemKind], value=ItemKind.COMPETENCE.value, id="kind",
                             allow_blank=False)
            yield Label("Intitulé *")
            title = CleanInput(value=item.title if item else "", id="title")
            title.cursor_blink = self.blink
            yield title
            yield Label("Nature (compétences)")
            yield ChoiceSelect([(c.label, c.value) for c in CompetenceCategory],
                         value=item.category.value if item and item.category else Select.NULL, id="category")
            yield Label("Niveau")
            yield ChoiceSelect([(f"{n} – {label}", n) for n, label in COMPETENCE_LEVELS.items()],
                         value=item.level if item and item.level else Select.NULL, id="level")
            yield Checkbox("Transférable à d'autres métiers", value=bool(item and item.transferable), id="transferable")
            yield Checkbox("Confirmé avec le ou la bénéficiaire", value=bool(item.confirmed) if item else False,
                           id="confirmed")
            yield Label("Commentaire")
            comment = dict(item.details).get(COMMENT, "") if item else ""
            field = CleanInput(value=comment, id="comment")
            field.cursor_blink = self.blink
            yield field
            yield Static(id="form-error", classes="error-message", markup=False)
            yield Static("Tab : champ suivant · Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def _value(self, field_id: str) -> str:
        return clean_text(self.query_one(f"#{field_id}", Input).value).strip()

    def _refuse(self, field_id: str, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message))
        self.query_one(f"#{field_id}", Input).focus()

    def action_save(self) -> None:
        title = self._value("title")
        if is_blank(title):
            self._refuse("title", "L'intitulé est obligatoire.")
            return
        for field_id, label in (("title", "Intitulé"), ("comment", "Commentaire")):
            problem = too_long(self._value(field_id), MAX_LINE_LENGTH)
            if problem:
                self._refuse(field_id, f"{label} : {problem}.")
                return
        category = self.query_one("#category", Select).value
        level = self.query_one("#level", Select).value
        transferable = self.query_one("#transferable", Checkbox).value
        details = [d for d in (self.item.details if self.item else ()) if d[0] != COMMENT]
        comment = self._value("comment")
        if comment:
            details.append((COMMENT, comment))
        result: dict[str, Any] = {
            "title": title,
            "category": None if category is Select.NULL else CompetenceCategory(str(category)),
            "level": None if level is Select.NULL else int(str(level)),
            # Unticked on an item that never said is "not said", not "specific to the job".
            "transferable": transferable if transferable or (self.item and self.item.transferable is not None)
            else None,
            "confirmed": self.query_one("#confirmed", Checkbox).value,
            "details": tuple(details),
        }
        if self.item is None:
            result["kind"] = ItemKind(str(self.query_one("#kind", Select).value))
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
