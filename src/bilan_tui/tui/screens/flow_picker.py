"""Choosing the module to run in this session: the dossier's plan, each run with its state.

A repeatable module (one run per project) offers its runs and a new one. Refused flow files are
listed with their errors.
"""

from __future__ import annotations

import uuid

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import DossierHandle
from bilan_tui.tui.access import AppAccess

Choice = tuple[str, str]
"""(flow id, run): the run is empty for a single-run module."""


class FlowPickerScreen(AppAccess, ModalScreen[Choice | None]):
    DEFAULT_CSS = """
    FlowPickerScreen { align: center middle; }
    FlowPickerScreen #box { width: 96; max-width: 100%; height: auto; max-height: 90%; border: thick $primary;
                            background: $surface; padding: 1 2; }
    FlowPickerScreen OptionList { height: auto; max-height: 20; }
    FlowPickerScreen #refused { color: $text-error; height: auto; max-height: 12; overflow-y: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.choices: dict[str, Choice] = {}

    def compose(self) -> ComposeResult:
        app = self.bilan
        dossier = self.handle.dossier
        workbook = Workbook(app.catalog.flows, self.handle.interviews(), app.expressions)
        options = []
        for flow, phase in workbook.planned_flows(dossier):
            for run in workbook.runs(flow, phase):
                key = f"{flow.id}#{run.instance}"
                self.choices[key] = (flow.id, run.instance)
                options.append(Option(Text(f"{run.label} — {phase.label} ({run.describe()})"), id=key))
            if flow.repeatable:
                key = f"{flow.id}#+"
                self.choices[key] = (flow.id, uuid.uuid4().hex[:8])
                options.append(Option(Text(f"{flow.title} — nouveau passage ({phase.label})"), id=key))
        with Vertical(id="box"):
            yield Static("Quel module pour cette séance ?", classes="title")
            if not dossier.modules:
                yield Static("Aucun plan de modules pour ce dossier : tous sont proposés (M sur le dossier pour "
                             "choisir).", classes="muted")
            yield OptionList(*options, id="module-choices")
            refused = "\n\n".join(error.summary() for error in app.catalog.refused)
            yield Static(Text(refused), id="refused")
            yield Static("↑↓ : choisir · Entrée : commencer ou reprendre · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.query_one("#refused").display = bool(self.bilan.catalog.refused)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[str(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
