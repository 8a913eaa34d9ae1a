"""One dossier: the beneficiary, the sessions, the progress of each flow; start or resume a session."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from bilan_tui.domain.engine import Engine
from bilan_tui.domain.models import Session
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess


class DossierScreen(AppAccess, Screen[None]):
    DEFAULT_CSS = """
    DossierScreen #identity { padding: 0 1; height: auto; }
    DossierScreen #sessions { height: 1fr; }
    DossierScreen #flows { padding: 0 1; height: auto; }
    DossierScreen .section { text-style: bold; padding: 0 1; margin-top: 1; }
    """
    BINDINGS = [
        Binding("s", "start_session", "Nouvel entretien"),
        Binding("enter", "resume_session", "Reprendre l'entretien"),
        Binding("escape", "close", "Retour aux dossiers"),
    ]

    def __init__(self, handle: DossierHandle, read_only_reason: str | None = None) -> None:
        super().__init__()
        self.handle = handle
        self.read_only_reason = read_only_reason


    def compose(self) -> ComposeResult:
        yield Header()
        if self.handle.read_only:
            yield Static(Text(f"Lecture seule. {self.read_only_reason or ''}"), classes="banner", id="read-only")
        yield Static(id="identity", markup=False)
        yield Static("Entretiens", classes="section")
        table: DataTable[Text] = DataTable(id="sessions", cursor_type="row")
        table.add_columns("Date", "Horaires", "Phase", "Objectifs", "Compte-rendu")
        yield table
        yield Static("Parcours", classes="section")
        yield Static(id="flows", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        dossier = self.handle.dossier
        beneficiary = dossier.beneficiary
        self.sub_title = beneficiary.display_name
        identity = Text()
        identity.append(beneficiary.display_name, style="bold")
        identity.append(f" · {beneficiary.situation.label}")
        if beneficiary.situation_detail:
            identity.append(f" ({beneficiary.situation_detail})")
        identity.append(f"\nPhase : {dossier.phase.label} · Statut : {dossier.status.value}")
        if dossier.consultant:
            identity.append(f" · Consultant(e) : {dossier.consultant}")
        contact = " · ".join(x for x in (beneficiary.email, beneficiary.phone) if x)
        if contact:
            identity.append(f"\n{contact}")
        self.query_one("#identity", Static).update(identity)

        table = self.query_one("#sessions", DataTable)
        table.clear()
        self.sessions = self.handle.sessions()
        for session in self.sessions:
            hours = session.start_time.strftime("%H:%M") + (
                f"–{session.end_time.strftime('%H:%M')}" if session.end_time else "–…"
            )
            report = "en cours" if session.is_open else "✓ rédigé"
            objectives = session.objectives.replace("\n", " ")
            table.add_row(
                Text(session.date.strftime("%d/%m/%Y")), Text(hours), Text(session.phase.label),
                Text(objectives[:60] + ("…" if len(objectives) > 60 else "")), Text(report), key=session.id,
            )
        if self.sessions:
            table.move_cursor(row=len(self.sessions) - 1)
        table.focus()

        lines = Text()
        for flow in self.bilan.catalog.by_phase():
            state = self.handle.interview(flow.id)
            engine = Engine(flow, self.bilan.expressions)
            if state is None:
                status = "pas commencé"
            else:
                progress = engine.progress(state)
                status = "terminé" if engine.is_finished(state) else "en cours"
                status += f" · {progress.label}"
                stale = len(engine.stale_steps(state))
                if stale:
                    status += f" · {stale} à revoir"
            lines.append(f"• {flow.title} ({flow.phase.label}) : {status}\n")
        for refused in self.bilan.catalog.refused:
            lines.append(f"• {refused.source} : refusé (voir le détail au choix du parcours)\n", style="red")
        self.query_one("#flows", Static).update(lines)

    def _open_session(self) -> Session | None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return self.handle.session(key)

    def action_start_session(self) -> None:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : impossible de démarrer un entretien.", severity="warning", markup=False)
            return
        from bilan_tui.tui.screens.session_start import SessionStartScreen

        def started(result: tuple[str, bool] | None) -> None:
            if result is None:
                return
            objectives, agreed = result
            session = Session.start(self.handle.dossier, objectives, agreed, self.bilan.now())
            try:
                self.handle.save_session(session)
            except (StorageError, OSError) as error:
                self.notify(f"L'entretien n'a pas pu être enregistré : {error}", severity="error", timeout=10, markup=False)
                return
            self.refresh_view()
            self._choose_flow(session)

        self.app.push_screen(SessionStartScreen(), started)

    def action_resume_session(self) -> None:
        session = self._open_session()
        if session is None:
            self.notify("Aucun entretien : démarrez-en un avec S.", markup=False)
            return
        if not session.is_open:
            self.notify("Cet entretien est clos (compte-rendu rédigé). Démarrez un nouvel entretien avec S.", markup=False)
        self._choose_flow(session)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_resume_session()

    def _choose_flow(self, session: Session) -> None:
        from bilan_tui.tui.screens.flow_picker import FlowPickerScreen
        from bilan_tui.tui.screens.interview import InterviewScreen

        def chosen(flow_id: str | None) -> None:
            if flow_id is None:
                return
            flow = self.bilan.catalog.flows[flow_id]
            self.app.push_screen(InterviewScreen(self.handle, session, flow))

        self.app.push_screen(FlowPickerScreen(self.handle), chosen)

    def action_close(self) -> None:
        self.handle.close()
        self.app.pop_screen()
