"""Starting a session: the objectives of the meeting, stated and agreed at the start."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Static, TextArea

from bilan_tui.domain.text import MAX_TEXT_LENGTH, clean_text, is_blank, too_long
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.widgets.clean_inputs import CleanTextArea

StartedSession = tuple[str, bool, str]
"""(objectives, agreed, why it starts although they were not agreed)."""


class SessionStartScreen(AppAccess, ModalScreen[StartedSession | None]):
    """The objectives of the session; starting without them agreed asks for confirmation and a reason."""

    DEFAULT_CSS = """
    SessionStartScreen { align: center middle; }
    SessionStartScreen #box { width: 80; max-width: 100%; height: auto; border: thick $primary;
                              background: $surface; padding: 1 2; }
    SessionStartScreen TextArea { height: 6; }
    """
    BINDINGS = [
        Binding("ctrl+s", "start", "Démarrer l'entretien", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, warning: str = "") -> None:
        super().__init__()
        self.warning = warning
        """Shown above the form (no funding recorded yet, see ``funding.session_start_check``)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Nouvel entretien : objectifs de la séance", classes="title")
            if self.warning:
                yield Static(f"⚠ {self.warning}", id="warning", classes="warning-message", markup=False)
            yield Static(
                "Présentez les objectifs et les moyens de cette séance, puis notez-les ici.", classes="muted"
            )
            area = CleanTextArea(id="objectives", soft_wrap=True)
            area.cursor_blink = self.blink
            yield area
            yield Checkbox("Objectifs présentés, compris et acceptés par le bénéficiaire", id="agreed")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : case à cocher · Ctrl+S : démarrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_start(self) -> None:
        objectives = clean_text(self.query_one(TextArea).text, multiline=True).strip()
        length = too_long(objectives, MAX_TEXT_LENGTH)
        problem = ("Notez au moins un objectif pour cette séance." if is_blank(objectives)
                   else f"Objectifs : {length}." if length else "")
        if problem:
            self.query_one("#error", Static).update(problem)
            self.query_one(TextArea).focus()
            return
        if self.query_one(Checkbox).value:
            self.dismiss((objectives, True, ""))
            return
        from bilan_tui.tui.screens.session_dialogs import AgreementScreen

        def confirmed(reason: str | None) -> None:
            if reason is None:  # back to the form, to tick the box
                self.query_one(Checkbox).focus()
                return
            self.dismiss((objectives, False, reason))

        self.app.push_screen(AgreementScreen(), confirmed)

    def action_cancel(self) -> None:
        self.dismiss(None)
