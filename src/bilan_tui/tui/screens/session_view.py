"""Reading a session: its objectives and their agreement, the phases it served, the answers it holds,
its report. Nothing here takes an answer; what the beneficiary view shows is decided by
:mod:`bilan_tui.domain.privacy` (through :meth:`Workbook.session_modules`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from bilan_tui.domain.models import Session, phase_labels
from bilan_tui.domain.plural import word
from bilan_tui.domain.privacy import note_private
from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess


def session_heading(session: Session) -> str:
    hours = session.start_time.strftime("%H:%M") + (f"–{session.end_time:%H:%M}" if session.end_time else "")
    state = "en cours" if session.is_open else "clos (compte-rendu rédigé)"
    return f"Entretien du {session.date:%d/%m/%Y}, {hours} · {state}"


def report_text(session: Session) -> Text:
    """The report of a session as it is read again (objectives, results, actions, next meeting)."""
    text = Text()
    report = session.report
    if report is None:
        text.append("Compte-rendu : pas encore rédigé (F10 pendant l'entretien).", style="italic")
        return text
    text.append(f"Compte-rendu, rédigé le {report.written_at:%d/%m/%Y à %H:%M}\n", style="bold")
    text.append("Résultats obtenus\n", style="bold")
    text.append(report.results + "\n")
    text.append("Actions à mener avant le prochain rendez-vous\n", style="bold")
    for action in report.next_actions:
        text.append(f"  • {action}\n")
    if not report.next_actions:
        text.append("  (aucune)\n", style="italic")
    text.append("Prochain rendez-vous : ", style="bold")
    text.append(report.next_meeting_label() or "non fixé")
    return text


class SessionViewScreen(AppAccess, Screen[None]):
    DEFAULT_CSS = """
    SessionViewScreen #view { padding: 0 1; }
    SessionViewScreen #view Static { height: auto; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("c", "read_report", "Compte-rendu"),
        Binding("h", "set_phases", "Phases"),
        Binding("escape", "back", "Retour au dossier"),
    ]

    def __init__(self, handle: DossierHandle, session_id: str) -> None:
        super().__init__()
        self.handle = handle
        self.session_id = session_id

    @property
    def session(self) -> Session:
        return self.handle.session(self.session_id)

    def compose(self) -> ComposeResult:
        yield Header()
        if self.handle.read_only:
            yield Static("Lecture seule : ce dossier est ouvert dans une autre fenêtre.", classes="banner")
        with VerticalScroll(id="view"):
            yield Static(id="summary", markup=False)
            yield Static(id="answers", markup=False)
            yield Static(id="report", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#view").focus()
        self.watch(self.app, "beneficiary_view", lambda _: self.refresh_view(), init=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "set_phases" and self.handle.read_only)

    def refresh_view(self) -> None:
        session = self.session
        dossier = self.handle.dossier
        workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
        self.sub_title = f"{dossier.beneficiary.display_name} · entretien du {session.date:%d/%m/%Y}"

        summary = Text()
        summary.append(session_heading(session) + "\n", style="bold")
        how = ("fixées par le consultant" if session.phases_by_hand
               else "enregistrées à la clôture" if session.phases and not session.is_open
               else "d'après les modules travaillés")
        phases = workbook.session_phases(dossier, session)
        summary.append(f"{word(len(phases), 'Phase')} : {phase_labels(phases)} ({how})\n")
        summary.append("Objectifs\n", style="bold")
        summary.append(session.objectives + "\n")
        summary.append("Objectifs présentés, compris et acceptés : ")
        summary.append("oui" if session.objectives_agreed else "non", style="bold")
        if not session.objectives_agreed:
            summary.append(f" — raison : {session.objectives_reason or 'non précisée'}")
        review = session.mid_review
        if review is not None:  # said together: both views show it
            summary.append("\nPoint à mi-parcours\n", style="bold")
            summary.append(f"Où en est le bilan : {review.where_we_stand}\n")
            summary.append(f"Méthode comprise : {'oui' if review.method_understood else 'non'}\n")
            summary.append(f"Ajustements : {review.adjustments or 'aucun'}")
        self.query_one("#summary", Static).update(summary)

        answers = Text()
        answers.append("Modules et réponses de cet entretien\n", style="bold")
        modules = workbook.session_modules(dossier, session.id, self.bilan.audience)
        if not modules:
            answers.append("Aucune réponse enregistrée dans cet entretien.", style="italic")
        for module in modules:
            answers.append(f"\n■ {module.label} ({module.phase.label})\n", style="bold")
            for entry in module.entries:
                answers.append(f"  {entry.question}\n", style="italic")
                answers.append("    → " + entry.answer.replace("\n", "\n      ") + "\n")
                for note in entry.notes:
                    answers.append(f"    {'Note privée' if note_private(note) else 'Note'} : {note.text}\n",
                                   style="dim")
        self.query_one("#answers", Static).update(answers)
        self.query_one("#report", Static).update(report_text(session))

    def action_read_report(self) -> None:
        session = self.session
        if session.report is None:
            self.notify("Le compte-rendu de cet entretien n'est pas encore rédigé (F10 pendant l'entretien).",
                        markup=False)
            return
        self.app.push_screen(ReportViewScreen(session))

    def action_set_phases(self) -> None:
        if self.handle.read_only:
            return
        from bilan_tui.tui.screens.session_dialogs import SessionPhases, SessionPhasesScreen

        session = self.session
        workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
        dossier = self.handle.dossier
        worked = workbook.phases_worked(dossier, session_id=session.id)

        def chosen(result: SessionPhases | None) -> None:
            if result is None:
                return
            phases, by_hand = result
            if not by_hand and not session.is_open:
                phases = worked  # recorded again, from the modules answered in it
            try:
                self.handle.save_session(session.model_copy(update={"phases": phases, "phases_by_hand": by_hand}))
            except (StorageError, OSError) as error:
                self.notify(f"Phases non enregistrées : {error}", severity="error", timeout=10, markup=False)
                return
            self.refresh_view()

        self.app.push_screen(SessionPhasesScreen(workbook.session_phases(dossier, session), worked), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()


class ReportViewScreen(AppAccess, Screen[None]):
    """A written report, read again."""

    DEFAULT_CSS = "ReportViewScreen #view { padding: 1 2; } ReportViewScreen #view Static { height: auto; }"
    BINDINGS = [Binding("escape", "back", "Retour")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        yield Header()
        with VerticalScroll(id="view"):
            yield Static(Text(session_heading(session)), classes="title")
            yield Static(Text("Objectifs annoncés : " + session.objectives), classes="muted")
            yield Static(report_text(session), id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Compte-rendu du {self.session.date:%d/%m/%Y}"
        self.query_one("#view").focus()

    def action_back(self) -> None:
        self.app.pop_screen()
