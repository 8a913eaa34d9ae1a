"""Small dialogs of the interview: skip with a reason, write a note."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from bilan_tui.domain.models import SkipReason, Visibility
from bilan_tui.domain.text import MAX_TEXT_LENGTH, clean_text, is_blank, too_long
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.widgets.clean_inputs import CleanTextArea

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} #box {{ width: 80; max-width: 100%; height: auto; border: thick $primary; background: $surface;
              padding: 1 2; }}
"""


class SkipScreen(AppAccess, ModalScreen[SkipReason | None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="SkipScreen") + "SkipScreen OptionList { height: auto; }"
    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, prompt: str, reasons: tuple[SkipReason, ...]) -> None:
        super().__init__()
        self.prompt = prompt
        self.reasons = reasons

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Passer la question", classes="title")
            yield Static(Text(self.prompt), classes="muted")
            yield OptionList(*[Option(f"{i}. {r.label}", id=r.value) for i, r in enumerate(self.reasons, 1)])
            yield Static("Chiffre ou Entrée : choisir la raison · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.reasons):
                event.stop()
                self.dismiss(self.reasons[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(SkipReason(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(AppAccess, ModalScreen[tuple[str, Visibility] | None]):
    """A note on the current question; private to the consultant unless shared."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NoteScreen") + "NoteScreen TextArea { height: 6; }"
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer la note", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Note sur cette question", classes="title")
            area = CleanTextArea(id="note", soft_wrap=True)
            area.cursor_blink = self.blink
            yield area
            yield Checkbox("Partager avec le bénéficiaire (sinon : note privée du consultant)", id="shared")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : case à cocher · Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        text = clean_text(self.query_one(TextArea).text, multiline=True).strip()
        error = self.query_one("#error", Static)
        if is_blank(text):
            error.update("La note est vide : écrivez-la, ou Échap pour annuler.")
            self.query_one(TextArea).focus()
            return
        problem = too_long(text, MAX_TEXT_LENGTH)
        if problem:
            error.update(f"Note non enregistrée : {problem}.")
            self.query_one(TextArea).focus()
            return
        shared = self.query_one(Checkbox).value
        self.dismiss((text, Visibility.SHARED if shared else Visibility.CONSULTANT))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(AppAccess, ModalScreen[bool]):
    """A yes/no question before anything destructive: O (or Entrée on « Oui ») confirms, N or Échap cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen") + "ConfirmScreen OptionList { height: auto; }"
    BINDINGS = [Binding("escape", "cancel", "Annuler"), Binding("o", "yes", "Oui"), Binding("n", "cancel", "Non")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(Text(self.question), classes="title")
            yield OptionList(Option("Non, annuler", id="non"), Option("Oui, confirmer", id="oui"))
            yield Static("O : oui · N ou Échap : non", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id == "oui")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
