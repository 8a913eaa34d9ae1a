"""End of session: the report written together (results obtained, actions before the next meeting,
the date of that meeting). Writing it closes the session and records the phases it served."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static, TextArea

from bilan_tui.domain.answers import MAX_LIST_ITEMS
from bilan_tui.domain.models import Session, SessionReport
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.hours import LoggedSession, format_hours, from_session
from bilan_tui.domain.sessions import MeetingError, parse_meeting
from bilan_tui.domain.text import MAX_LINE_LENGTH, MAX_TEXT_LENGTH, clean_text, is_blank, too_long
from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.hours_sync import budget_warning
from bilan_tui.tui.phase_sync import follow_phase, record_phases
from bilan_tui.tui.widgets.clean_inputs import CleanInput, CleanTextArea


class ReportScreen(AppAccess, Screen[Session | None]):
    DEFAULT_CSS = """
    ReportScreen #box { padding: 1 2; }
    ReportScreen TextArea { height: 8; }
    ReportScreen Label { margin-top: 1; text-style: bold; }
    ReportScreen #meeting { height: auto; }
    ReportScreen #meeting Input { width: 24; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer et clore l'entretien", priority=True),
        Binding("escape", "cancel", "Revenir à l'entretien"),
    ]

    def __init__(self, handle: DossierHandle, session: Session) -> None:
        super().__init__()
        self.handle = handle
        self.session = session

    def compose(self) -> ComposeResult:
        blink = self.blink
        yield Header()
        with VerticalScroll(id="box"):
            yield Static(Text("Compte-rendu de la séance, à rédiger ensemble"), classes="title")
            yield Static(Text("Objectifs annoncés : " + self.session.objectives), classes="muted")
            yield Static(id="hours-line", classes="muted", markup=False)
            yield Label("Résultats obtenus")
            results = CleanTextArea(id="results", soft_wrap=True)
            results.cursor_blink = blink
            yield results
            yield Label("Actions à mener avant le prochain rendez-vous (une par ligne)")
            actions = CleanTextArea(id="actions", soft_wrap=True)
            actions.cursor_blink = blink
            yield actions
            yield Label("Prochain rendez-vous (vide s'il n'y en a pas)")
            with Horizontal(id="meeting"):
                date = CleanInput(placeholder="JJ/MM/AAAA", id="next-date")
                time = CleanInput(placeholder="HH:MM (facultatif)", id="next-time")
                date.cursor_blink = time.cursor_blink = blink
                yield date
                yield time
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : champ suivant · Ctrl+S : enregistrer et clore · Échap : revenir", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        if self.session.report is not None:
            self.query_one("#results", TextArea).load_text(self.session.report.results)
            self.query_one("#actions", TextArea).load_text("\n".join(self.session.report.next_actions))
            report = self.session.report
            if report.next_meeting is not None:
                self.query_one("#next-date", Input).value = report.next_meeting.strftime("%d/%m/%Y")
            if report.next_meeting_time is not None:
                self.query_one("#next-time", Input).value = report.next_meeting_time.strftime("%H:%M")
        self.query_one("#results").focus()
        self._show_hours()

    def _show_hours(self) -> None:
        """The hours this session brings to the bilan, as it would be closed now."""
        now = self.bilan.now()
        start = self.session.start_time
        minutes = max((now.hour * 60 + now.minute) - (start.hour * 60 + start.minute), 0)
        ledger = self.handle.admin().hours
        since = f"du {self.session.date:%d/%m/%Y} " if now.date() != self.session.date else ""
        line = (f"Séance {since}de {start:%H:%M} à {now:%H:%M}"
                + (f" ({format_hours(minutes)})" if not since else "")
                + f" ; heures du bilan avant elle : {ledger.total_label}. "
                "À corriger au besoin dans « Cadre du bilan », « Heures ».")
        self.query_one("#hours-line", Static).update(line)

    def _refuse(self, field_id: str, message: str) -> None:
        self.query_one("#error", Static).update(message)
        self.query_one(f"#{field_id}").focus()

    def action_save(self) -> None:
        results = clean_text(self.query_one("#results", TextArea).text, multiline=True).strip()
        if is_blank(results):
            self._refuse("results", "Notez au moins un résultat obtenu pendant la séance.")
            return
        problem = too_long(results, MAX_TEXT_LENGTH)
        if problem:
            self._refuse("results", f"Résultats : {problem}.")
            return
        lines = clean_text(self.query_one("#actions", TextArea).text, multiline=True).splitlines()
        actions = tuple(clean_text(line).strip() for line in lines if not is_blank(line))
        if len(actions) > MAX_LIST_ITEMS:
            self._refuse("actions", f"Au plus {MAX_LIST_ITEMS} actions ({len(actions)} pour l'instant) : regroupez-en.")
            return
        for number, action in enumerate(actions, start=1):
            problem = too_long(action, MAX_LINE_LENGTH)
            if problem:
                self._refuse("actions", f"Action {number} : {problem} ; passez à la ligne pour en faire deux.")
                return
        date_text, time_text = self.query_one("#next-date", Input).value, self.query_one("#next-time", Input).value
        try:
            meeting, meeting_time = parse_meeting(date_text, time_text, self.session.date)
        except MeetingError as error:
            self._refuse(f"next-{error.field}", str(error))
            return
        now = self.bilan.now()
        workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
        session = record_phases(self.handle, workbook, self.session.model_copy(update={
            "report": SessionReport(results=results, next_actions=actions, written_at=now,
                                    next_meeting=meeting, next_meeting_time=meeting_time),
            "end_time": now.time().replace(second=0, microsecond=0),
        }))
        ledger = self.handle.admin().hours
        logged: LoggedSession | None = None
        problem = ""
        if now.date() != session.date:
            problem = f"l'entretien a commencé le {session.date:%d/%m/%Y}, son heure de fin réelle est à indiquer."
        else:
            try:
                logged = from_session(session, workbook.session_phases(self.handle.dossier, session))
            except ProcedureError as error:
                problem = str(error)  # the report is not held up: the hours are corrected later
        if logged is None or not ledger.needs_reason(logged):
            self._close(session, workbook, logged, problem)
            return
        from bilan_tui.tui.screens.hours import OverLimitScreen

        def reason_given(reason: str | None) -> None:
            if reason is None:  # nothing saved, everything typed stays on the screen
                self.query_one("#error", Static).update(
                    "Non enregistré : cette séance dépasse les 24 h du bilan, sa raison est nécessaire "
                    "(Ctrl+S pour la donner).")
                return
            assert logged is not None
            self._close(session, workbook, logged.model_copy(update={"over_limit_reason": reason}), "")

        self.app.push_screen(OverLimitScreen(ledger.total, logged), reason_given)

    def _close(self, session: Session, workbook: Workbook, logged: LoggedSession | None, problem: str) -> None:
        """The session saved with its report, then its hours logged in the administrative file."""
        try:
            self.handle.save_session(session)
        except (StorageError, OSError) as error:
            self.query_one("#error", Static).update(f"Non enregistré : {error}")
            return
        follow_phase(self.app, self.handle, workbook)
        if logged is not None:
            admin = self.handle.admin()
            try:
                hours = admin.hours.add(logged)
                self.handle.save_admin(admin.model_copy(update={"hours": hours}))
            except ProcedureError as error:
                problem = str(error)
            except (StorageError, OSError) as error:
                # Caught up when the dossier is shown again (see hours_sync).
                self.app.notify(f"Heures de la séance non enregistrées : {error}", severity="warning",
                                timeout=10, markup=False)
            else:
                if warning := budget_warning(hours):
                    self.app.notify(warning, title="Heures du bilan", severity="warning", timeout=10, markup=False)
        if problem:
            problem = problem[:1].lower() + problem[1:]
            self.app.notify(f"Heures de la séance non comptées : {problem} Corrigez ses horaires dans « Cadre "
                            "du bilan » (A), puis « Heures » (H).", severity="warning", timeout=15, markup=False)
        self.dismiss(session)

    def action_cancel(self) -> None:
        self.dismiss(None)
