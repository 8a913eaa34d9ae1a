"""Dialogs about sessions and phases: starting without the objectives agreed, setting a phase by hand."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from bilan_tui.domain.models import Phase
from bilan_tui.domain.text import MAX_LINE_LENGTH, clean_text, is_blank, too_long
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.screens.dialogs import DIALOG_CSS
from bilan_tui.tui.widgets.clean_inputs import CleanInput


class AgreementScreen(AppAccess, ModalScreen[str | None]):
    """Starting a session although the objectives were not agreed: confirmed, with the reason."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AgreementScreen")
    BINDINGS = [
        Binding("ctrl+s", "confirm", "Démarrer quand même", priority=True),
        Binding("escape", "cancel", "Revenir aux objectifs"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Objectifs non acceptés", classes="title")
            yield Static("La case « Objectifs présentés, compris et acceptés » n'est pas cochée. Pour démarrer "
                         "l'entretien quand même, notez pourquoi (par exemple : « à revoir la prochaine fois »). "
                         "Ce sera noté avec l'entretien.", markup=False)
            reason = CleanInput(placeholder="Raison", id="reason")
            reason.cursor_blink = self.blink
            yield reason
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Entrée ou Ctrl+S : démarrer quand même · Échap : revenir cocher la case", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        reason = clean_text(self.query_one(Input).value).strip()
        problem = ("Notez la raison pour laquelle les objectifs ne sont pas acceptés." if is_blank(reason)
                   else too_long(reason, MAX_LINE_LENGTH))
        if problem:
            self.query_one("#error", Static).update(problem if is_blank(reason) else f"Raison : {problem}.")
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PhaseScreen(AppAccess, ModalScreen[Phase | None]):
    """The dossier's phase, chosen by hand (a number or Entrée)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PhaseScreen") + "PhaseScreen OptionList { height: auto; }"
    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, current: Phase) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Phase du dossier", classes="title")
            yield Static("La phase suit d'elle-même les modules travaillés ; choisissez-la ici pour la fixer.",
                         classes="muted")
            yield OptionList(*[
                Option(f"{number}. {phase.label}" + (" (actuelle)" if phase is self.current else ""), id=phase.value)
                for number, phase in enumerate(Phase, start=1)
            ])
            yield Static("Chiffre ou Entrée : choisir · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = list(Phase).index(self.current)
        options.focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(Phase):
                event.stop()
                self.dismiss(list(Phase)[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Phase(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)


SessionPhases = tuple[tuple[Phase, ...], bool]
"""(phases, set by hand): no phases and not by hand means « follow the modules answered »."""


class SessionPhasesScreen(AppAccess, ModalScreen[SessionPhases | None]):
    """The phases a session served, adjusted by the consultant."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SessionPhasesScreen") + "SessionPhasesScreen SelectionList { height: auto; }"
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("ctrl+r", "follow", "Suivre les modules", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, phases: tuple[Phase, ...], worked: tuple[Phase, ...]) -> None:
        super().__init__()
        self.phases = phases
        self.worked = worked

    def compose(self) -> ComposeResult:
        worked = " + ".join(p.label for p in self.worked) or "aucun module travaillé pour l'instant"
        with Vertical(id="box"):
            yield Static("Phases servies par cet entretien", classes="title")
            yield Static(Text(f"D'après les modules travaillés : {worked}."), classes="muted")
            yield SelectionList[str](*[(phase.label, phase.value, phase in self.phases) for phase in Phase])
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Espace : cocher · Ctrl+S : enregistrer · Ctrl+R : suivre les modules · Échap : annuler",
                         classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_save(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        phases = tuple(phase for phase in Phase if phase.value in chosen)
        if not phases:
            self.query_one("#error", Static).update("Cochez au moins une phase, ou Ctrl+R pour suivre les modules.")
            return
        self.dismiss((phases, True))

    def action_follow(self) -> None:
        self.dismiss(((), False))

    def action_cancel(self) -> None:
        self.dismiss(None)
