"""End of session: the report written together (results obtained, actions before the next meeting)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static, TextArea

from bilan_tui.domain.answers import MAX_LIST_ITEMS
from bilan_tui.domain.models import Session, SessionReport
from bilan_tui.domain.text import MAX_LINE_LENGTH, MAX_TEXT_LENGTH, clean_text, is_blank, too_long
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.widgets.clean_inputs import CleanTextArea


class ReportScreen(AppAccess, Screen[Session | None]):
    DEFAULT_CSS = """
    ReportScreen #box { padding: 1 2; }
    ReportScreen TextArea { height: 8; }
    ReportScreen Label { margin-top: 1; text-style: bold; }
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
            yield Label("Résultats obtenus")
            results = CleanTextArea(id="results", soft_wrap=True)
            results.cursor_blink = blink
            yield results
            yield Label("Actions à mener avant le prochain rendez-vous (une par ligne)")
            actions = CleanTextArea(id="actions", soft_wrap=True)
            actions.cursor_blink = blink
            yield actions
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : champ suivant · Ctrl+S : enregistrer et clore · Échap : revenir", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        if self.session.report is not None:
            self.query_one("#results", TextArea).load_text(self.session.report.results)
            self.query_one("#actions", TextArea).load_text("\n".join(self.session.report.next_actions))
        self.query_one("#results").focus()

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
        now = self.bilan.now()
        session = self.session.model_copy(update={
            "report": SessionReport(results=results, next_actions=actions, written_at=now),
            "end_time": now.time().replace(second=0, microsecond=0),
        })
        try:
            self.handle.save_session(session)
        except (StorageError, OSError) as error:
            self.query_one("#error", Static).update(f"Non enregistré : {error}")
            return
        self.dismiss(session)

    def action_cancel(self) -> None:
        self.dismiss(None)
