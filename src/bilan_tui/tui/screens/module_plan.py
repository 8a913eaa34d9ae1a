"""The module plan of a dossier: which modules this bilan uses, and in which phase."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from bilan_tui.domain.flow import Flow
from bilan_tui.domain.models import Dossier, Phase, PlannedModule
from bilan_tui.tui.access import AppAccess


class ModulePlanScreen(AppAccess, ModalScreen[tuple[PlannedModule, ...] | None]):
    DEFAULT_CSS = """
    ModulePlanScreen { align: center middle; }
    ModulePlanScreen #box { width: 100; max-width: 100%; height: auto; max-height: 90%; border: thick $primary;
                            background: $surface; padding: 1 2; }
    ModulePlanScreen DataTable { height: auto; max-height: 20; }
    """
    BINDINGS = [
        Binding("space", "toggle_module", "Inclure / retirer"),
        Binding("p", "next_phase", "Changer de phase"),
        Binding("ctrl+s", "save", "Enregistrer le plan", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, dossier: Dossier) -> None:
        super().__init__()
        self.dossier = dossier
        self.rows: list[tuple[Flow, bool, Phase]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(Text(f"Modules du bilan de {self.dossier.beneficiary.display_name}"), classes="title")
            yield Static("Choisissez les outils qui conviennent à cette personne, pas tous les outils.",
                         classes="muted")
            table: DataTable[Text] = DataTable(id="plan", cursor_type="row")
            table.add_columns("Inclus", "Module", "Phase", "Remarque")
            yield table
            yield Static("Espace : inclure ou retirer · P : changer de phase · Ctrl+S : enregistrer · Échap : annuler",
                         classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        flows = self.bilan.catalog.by_phase()
        for flow in flows:
            planned = self.dossier.planned(flow.id)
            if self.dossier.modules:
                included, phase = planned is not None, planned.phase if planned else flow.phase
            else:  # a first plan: the usual modules are proposed, the optional ones are not
                included, phase = not flow.optional, flow.phase
            self.rows.append((flow, included, phase))
        self._redraw()
        self.query_one(DataTable).focus()

    def _redraw(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for flow, included, phase in self.rows:
            remark = "facultatif" if flow.optional else ""
            if flow.repeatable:
                remark = (remark + " · " if remark else "") + "un passage par projet"
            table.add_row(Text("[x]" if included else "[ ]"), Text(flow.title), Text(phase.label), Text(remark),
                          key=flow.id)
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))

    def action_toggle_module(self) -> None:
        index = self.query_one(DataTable).cursor_row
        flow, included, phase = self.rows[index]
        self.rows[index] = (flow, not included, phase)
        self._redraw()

    def action_next_phase(self) -> None:
        index = self.query_one(DataTable).cursor_row
        flow, included, phase = self.rows[index]
        phases = list(Phase)
        self.rows[index] = (flow, included, phases[(phases.index(phase) + 1) % len(phases)])
        self._redraw()

    def action_save(self) -> None:
        plan = tuple(PlannedModule(flow_id=flow.id, phase=phase) for flow, included, phase in self.rows if included)
        if not plan:
            self.notify("Choisissez au moins un module (Espace).", severity="warning", markup=False)
            return
        self.dismiss(plan)

    def action_cancel(self) -> None:
        self.dismiss(None)
