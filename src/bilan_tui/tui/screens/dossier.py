"""One dossier: the beneficiary, the sessions, the progress of each flow; start or resume a session.

A closed session (its report written) opens to be read, never answered into; so does every session
of a read-only dossier (open in another window), where nothing offers to type an answer.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from bilan_tui.domain.models import DossierStatus, Phase, PlannedModule, Session, phase_labels
from bilan_tui.domain.plural import plural, word
from bilan_tui.domain.procedure.frame import frame_status
from bilan_tui.domain.procedure.information import status_label
from bilan_tui.domain.procedure.workdays import WEEKDAYS
from bilan_tui.domain.sessions import MEETINGS_CLOSE, MEETINGS_OPEN
from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.hours_sync import log_closed_sessions
from bilan_tui.tui.phase_sync import follow_phase
from bilan_tui.tui.portfolio_sync import sync_and_save
from bilan_tui.tui.screens.consents import consents_line
from bilan_tui.tui.screens.frame import frame_lines

WRITING_ACTIONS = frozenset({"start_session", "plan", "set_phase", "edit_record"})
"""What a read-only window does not offer (nor shows in its footer)."""


class DossierScreen(AppAccess, Screen[None]):
    DEFAULT_CSS = """
    DossierScreen #identity { padding: 0 1; height: auto; }
    DossierScreen #sessions { height: 1fr; min-height: 5; }
    DossierScreen #modules { height: auto; max-height: 50%; }
    DossierScreen #flows { padding: 0 1; height: auto; }
    DossierScreen .section { text-style: bold; padding: 0 1; margin-top: 1; }
    """
    BINDINGS = [
        Binding("s", "start_session", "Nouvel entretien"),
        Binding("enter", "resume_session", "Ouvrir l'entretien", priority=True),  # shown: the table hides its own
        # What a consultant looks for first comes first: the footer is cut at the screen's width.
        Binding("p", "portfolio", "Portefeuille"),
        Binding("y", "synthesis", "Synthèse"),
        Binding("a", "frame", "Cadre du bilan"),
        Binding("t", "consents", "Tiers"),
        Binding("v", "view_session", "Consulter"),
        Binding("c", "read_report", "Compte-rendu"),
        Binding("m", "plan", "Modules"),
        Binding("h", "set_phase", "Phase"),
        Binding("e", "edit_record", "Modifier la fiche"),
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
        table.add_columns("Date", "Horaires", "Phases", "Objectifs", "Accord", "Prochain rendez-vous",
                          "Compte-rendu")
        yield table
        yield Static("Modules", classes="section")
        with VerticalScroll(id="modules"):
            yield Static(id="flows", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def on_unmount(self) -> None:
        # The app may quit with the dossier open (Ctrl+Q): the lock must not outlive the screen.
        self.handle.close()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.handle.read_only and action in WRITING_ACTIONS)

    def refresh_view(self) -> None:
        workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
        dossier = follow_phase(self.app, self.handle, workbook)
        beneficiary = dossier.beneficiary
        self.sub_title = beneficiary.display_name
        self.sessions = self.handle.sessions()
        identity = Text()
        identity.append(beneficiary.display_name, style="bold")
        identity.append(f" · {beneficiary.situation.label}")
        if beneficiary.situation_detail:
            identity.append(f" ({beneficiary.situation_detail})")
        admin, _ = log_closed_sessions(self.app, self.handle, workbook)  # sessions closed before the hours ledger
        identity.append(f"\nPhase : {dossier.phase.label} · Statut : "
                        f"{status_label(dossier.status, dossier.closed_on, admin.information)}")
        if dossier.consultant:
            identity.append(f" · Consultant(e) : {dossier.consultant}")
        contact = " · ".join(x for x in (beneficiary.email, beneficiary.phone) if x)
        if contact:
            identity.append(f"\n{contact}")
        frame = frame_status(dossier, self.sessions, admin)
        now = self.bilan.now()
        reports = [s.report for s in self.sessions if s.report is not None]
        if reports and reports[-1].next_meeting is not None:  # as set at the end of the last session
            agreed = reports[-1].next_meeting
            identity.append(f"\nProchain rendez-vous : {reports[-1].next_meeting_label()}", style="bold")
            upcoming = min((start for start, _ in frame.busy if start >= now), default=None)
            if upcoming is not None and upcoming.date() != agreed and agreed >= now.date():
                identity.append(f" (⚠ le planning prévoit le {frame.next_session_label(now)} : à accorder dans "
                                "Cadre du bilan, L)")
        # The beneficiary's own decision: shown in both views (F6 hides nothing of it).
        identity.append(f"\n{consents_line(self.handle.synthesis())}")
        identity.append("\n")
        identity.append_text(frame_lines(frame, admin, now, compact=True))
        if dossier.status is DossierStatus.OPEN and admin.information.mid_review_offered(dossier.phase):
            identity.append("\nPoint à mi-parcours à proposer : A (Cadre du bilan), puis I.", style="bold")
        self.query_one("#identity", Static).update(identity)

        table = self.query_one("#sessions", DataTable)
        table.clear()
        for session in self.sessions:
            hours = session.start_time.strftime("%H:%M") + (
                f"–{session.end_time.strftime('%H:%M')}" if session.end_time else "–…"
            )
            report = "en cours" if session.is_open else "✓ rédigé"
            objectives = session.objectives.replace("\n", " ")
            agreement = "✓ acceptés" if session.objectives_agreed else "✗ " + session.agreement_label
            meeting = session.report.next_meeting_label() if session.report else ""
            table.add_row(
                Text(session.date.strftime("%d/%m/%Y")), Text(hours),
                Text(phase_labels(workbook.session_phases(dossier, session))),
                Text(objectives[:40] + ("…" if len(objectives) > 40 else "")),
                Text(agreement[:50] + ("…" if len(agreement) > 50 else "")), Text(meeting or "—"), Text(report),
                key=session.id,
            )
        if self.sessions:
            table.move_cursor(row=len(self.sessions) - 1)
        table.focus()

        # Answers saved while the portfolio could not be (a crash, a full disk) are caught up here.
        sync_and_save(self.app, self.handle, workbook, self.bilan.now())
        lines = Text()
        if not dossier.modules:
            lines.append("Aucun plan de modules : M pour choisir ceux de ce bilan (tous sont proposés en attendant).\n",
                         style="italic")
        current_phase = None
        for flow, phase in workbook.planned_flows(dossier):
            if phase is not current_phase:
                done, total = workbook.phase_progress(dossier, phase)
                lines.append(f"{phase.label} ({done}/{total} {word(total, 'terminé')})\n", style="bold")
                current_phase = phase
            runs = workbook.runs(flow, phase)
            if not runs:
                lines.append(f"  • {flow.title} : aucun passage (un par projet)\n")
            for run in runs:
                lines.append(f"  • {run.label} : {run.describe()}\n")
        for refused in self.bilan.catalog.refused:
            lines.append(f"• {refused.source} : refusé (voir le détail au choix du parcours)\n", style="red")
        self.query_one("#flows", Static).update(lines)

    def action_plan(self) -> None:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : le plan ne peut pas être modifié.", severity="warning", markup=False)
            return
        from bilan_tui.tui.screens.module_plan import ModulePlanScreen

        def chosen(plan: tuple[PlannedModule, ...] | None) -> None:
            if plan is None:
                return
            try:
                self.handle.save_dossier(self.handle.dossier.model_copy(update={"modules": plan}))
            except (StorageError, OSError) as error:
                self.notify(f"Plan non enregistré : {error}", severity="error", timeout=10, markup=False)
                return
            self.notify(f"Plan enregistré : {plural(len(plan), 'module')}.", markup=False)
            self.refresh_view()

        self.app.push_screen(ModulePlanScreen(self.handle.dossier), chosen)

    def action_portfolio(self) -> None:
        from bilan_tui.tui.screens.portfolio import PortfolioScreen

        self.app.push_screen(PortfolioScreen(self.handle))

    def action_synthesis(self) -> None:
        from bilan_tui.tui.screens.synthesis import SynthesisScreen

        self.app.push_screen(SynthesisScreen(self.handle))

    def action_frame(self) -> None:
        from bilan_tui.tui.screens.frame import FrameScreen

        self.app.push_screen(FrameScreen(self.handle))

    def action_consents(self) -> None:
        from bilan_tui.tui.screens.consents import ConsentsScreen

        self.app.push_screen(ConsentsScreen(self.handle))

    def _highlighted(self) -> Session | None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return self.handle.session(key)

    def action_start_session(self) -> None:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : impossible de démarrer un entretien.", severity="warning", markup=False)
            return
        from bilan_tui.tui.screens.funding import session_start_check
        from bilan_tui.tui.screens.session_start import SessionStartScreen, StartedSession

        now = self.bilan.now()
        refusal, warning = session_start_check(self.handle.dossier, self.handle.admin(), now.date())
        if refusal:  # the agreement recorded does not let the bilan start today: nothing else changes
            self.notify(refusal, title="Entretien non démarré", severity="error", timeout=20, markup=False)
            return
        if now.weekday() >= 5 or not MEETINGS_OPEN <= now.time() < MEETINGS_CLOSE:
            # Possible (a session really held then), but said: the frame of a bilan is Monday-Friday, 8:00-18:00.
            warning = (f"Horaire inhabituel ({WEEKDAYS[now.weekday()]} {now:%H:%M}) : les entretiens ont lieu du "
                       "lundi au vendredi, de 8:00 à 18:00. " + warning).strip()

        def started(result: StartedSession | None) -> None:
            if result is None:
                return
            objectives, agreed, reason = result
            session = Session.start(self.handle.dossier, objectives, agreed, self.bilan.now(), reason)
            try:
                self.handle.save_session(session)
            except (StorageError, OSError) as error:
                self.notify(f"L'entretien n'a pas pu être enregistré : {error}", severity="error", timeout=10, markup=False)
                return
            self.refresh_view()
            self._choose_flow(session)

        self.app.push_screen(SessionStartScreen(warning), started)

    def action_resume_session(self) -> None:
        """An open session goes on (the module picker); a closed one, or any in read-only, is read."""
        session = self._highlighted()
        if session is None:
            self.notify("Aucun entretien : démarrez-en un avec S." if not self.handle.read_only
                        else "Aucun entretien dans ce dossier.", markup=False)
            return
        if session.is_open and not self.handle.read_only:
            self._choose_flow(session)
            return
        if not session.is_open:
            self.notify("Cet entretien est clos (compte-rendu rédigé) : il s'ouvre en lecture. "
                        "Pour continuer, démarrez un nouvel entretien avec S." if not self.handle.read_only
                        else "Cet entretien est clos : il s'ouvre en lecture.", markup=False)
        self._view(session)

    def action_view_session(self) -> None:
        session = self._highlighted()
        if session is None:
            self.notify("Aucun entretien à consulter.", markup=False)
            return
        self._view(session)

    def _view(self, session: Session) -> None:
        from bilan_tui.tui.screens.session_view import SessionViewScreen

        self.app.push_screen(SessionViewScreen(self.handle, session.id))

    def action_read_report(self) -> None:
        session = self._highlighted()
        if session is None:
            self.notify("Aucun entretien, donc aucun compte-rendu.", markup=False)
            return
        if session.report is None:
            self.notify("Le compte-rendu de cet entretien n'est pas encore rédigé (F10 pendant l'entretien).",
                        markup=False)
            return
        from bilan_tui.tui.screens.session_view import ReportViewScreen

        self.app.push_screen(ReportViewScreen(session))

    def action_set_phase(self) -> None:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : la phase ne peut pas être modifiée.", severity="warning",
                        markup=False)
            return
        from bilan_tui.tui.screens.session_dialogs import PhaseScreen

        def chosen(phase: Phase | None) -> None:
            if phase is None:
                return
            dossier = self.handle.dossier
            try:
                self.handle.save_dossier(dossier.model_copy(update={"phase": phase, "phase_set_at": self.bilan.now()}))
            except (StorageError, OSError) as error:
                self.notify(f"Phase non enregistrée : {error}", severity="error", timeout=10, markup=False)
                return
            self.notify(f"Phase du dossier : {phase.label}.", markup=False)
            self.refresh_view()

        self.app.push_screen(PhaseScreen(self.handle.dossier.phase), chosen)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_resume_session()

    def _choose_flow(self, session: Session) -> None:
        from bilan_tui.tui.screens.flow_picker import FlowPickerScreen
        from bilan_tui.tui.screens.interview import InterviewScreen

        if not session.is_open or self.handle.read_only:  # never answered into: read
            self._view(session)
            return

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            flow_id, instance = choice
            flow = self.bilan.catalog.flows[flow_id]
            self.app.push_screen(InterviewScreen(self.handle, session, flow, instance))

        self.app.push_screen(FlowPickerScreen(self.handle), chosen)

    def action_edit_record(self) -> None:
        """The dossier form, filled in: the beneficiary's record and the consultant's name."""
        from bilan_tui.tui.screens.dossier_form import DossierFormScreen, NewDossier

        if self.handle.read_only:
            self.notify("Lecture seule : la fiche ne peut pas être modifiée ici.", severity="warning", markup=False)
            return

        def edited(result: NewDossier | None) -> None:
            if result is None:
                return
            dossier = self.handle.dossier
            try:
                self.handle.save_dossier(dossier.model_copy(
                    update={"beneficiary": result.beneficiary, "consultant": result.consultant}))
            except (StorageError, OSError) as error:
                self.notify(f"La fiche n'a pas pu être enregistrée : {error}", severity="error", timeout=10,
                            markup=False)
                return
            self.refresh_view()
            self.notify("Fiche enregistrée.", markup=False)

        self.app.push_screen(DossierFormScreen(self.handle.dossier), edited)

    def action_close(self) -> None:
        # A message about this dossier must not stay over the next one's screens.
        self.app.clear_notifications()
        self.handle.close()
        self.app.pop_screen()
