"""Choosing the flow to run in this session; refused flow files are listed with their errors."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from bilan_tui.domain.engine import Engine
from bilan_tui.storage import DossierHandle
from bilan_tui.tui.access import AppAccess


class FlowPickerScreen(AppAccess, ModalScreen[str | None]):
    DEFAULT_CSS = """
    FlowPickerScreen { align: center middle; }
    FlowPickerScreen #box { width: 90; max-width: 100%; height: auto; max-height: 90%; border: thick $primary;
                            background: $surface; padding: 1 2; }
    FlowPickerScreen OptionList { height: auto; max-height: 20; }
    FlowPickerScreen #refused { color: $text-error; height: auto; max-height: 12; overflow-y: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle

    def compose(self) -> ComposeResult:
        app = self.bilan
        options = []
        for flow in app.catalog.by_phase():
            state = self.handle.interview(flow.id)
            if state is None:
                status = "pas commencé"
            else:
                engine = Engine(flow, app.expressions)
                status = "terminé" if engine.is_finished(state) else engine.progress(state).label
            options.append(Option(Text(f"{flow.title} — {flow.phase.label} ({status})"), id=flow.id))
        with Vertical(id="box"):
            yield Static("Quel parcours pour cette séance ?", classes="title")
            yield OptionList(*options, id="flows")
            refused = "\n\n".join(error.summary() for error in app.catalog.refused)
            yield Static(Text(refused), id="refused")
            yield Static("↑↓ : choisir · Entrée : commencer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.query_one("#refused").display = bool(self.bilan.catalog.refused)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
