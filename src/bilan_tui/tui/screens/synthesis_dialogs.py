"""The synthesis screen's dialogs: rewrite a section, validate together, choose an export.

What they show is the synthesis itself (nothing consultant-only by construction) and sources the
privacy rule lets through (the screen draws them for the audience of the moment).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from bilan_tui.domain.text import MAX_LINE_LENGTH, MAX_TEXT_LENGTH, clean_text, is_blank, too_long
from bilan_tui.rendering.documents import DocumentFormat
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.screens.dialogs import DIALOG_CSS, ConfirmScreen
from bilan_tui.tui.widgets.clean_inputs import CleanInput, CleanTextArea

EMPTY_REWRITE = "La réécriture est vide : écrivez le texte de la section (un paragraphe par ligne), ou Échap pour annuler."


class RewriteScreen(AppAccess, ModalScreen[bool]):
    """A section rewritten in a text area, the generated text and its sources beside it.

    ``save`` keeps the text and returns None, or returns why it could not (said here, the text stays).
    """

    DEFAULT_CSS = """
    RewriteScreen { align: center middle; }
    RewriteScreen #box { width: 95%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    RewriteScreen #panes { height: 1fr; }
    RewriteScreen #rewrite { width: 1fr; height: 1fr; }
    RewriteScreen #proposed { width: 1fr; height: 1fr; border-left: solid $primary; padding: 0 1; }
    RewriteScreen .title { text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer la réécriture", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, title: str, text: str, proposed: Callable[[], Text], save: Callable[[str], str | None],
                 *, notice: str = "") -> None:
        super().__init__()
        self.section_title = title
        self.initial = text
        self.proposed = proposed
        self.save = save
        self.notice = notice

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(Text(f"Réécrire : {self.section_title}"), classes="title")
            if self.notice:
                yield Static(Text(self.notice), classes="warning-message")
            with Horizontal(id="panes"):
                area = CleanTextArea(self.initial, id="rewrite", soft_wrap=True)
                area.cursor_blink = self.blink
                yield area
                with VerticalScroll(id="proposed"):
                    yield Static(id="proposed-text", markup=False)
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Un paragraphe par ligne · F7 : tout sélectionner · Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "beneficiary_view", lambda _: self._show_proposed(), init=False)
        self._show_proposed()
        area = self.query_one(CleanTextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def _show_proposed(self) -> None:
        self.query_one("#proposed-text", Static).update(self.proposed())

    def action_save(self) -> None:
        area = self.query_one(CleanTextArea)
        text = clean_text(area.text, multiline=True).strip()
        error = self.query_one("#error", Static)
        problem = EMPTY_REWRITE if is_blank(text) else too_long(text, MAX_TEXT_LENGTH)
        if problem is None:
            problem = self.save(text)
        if problem:
            error.update(problem if problem.endswith(".") else f"Réécriture non enregistrée : {problem}.")
            area.focus()
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        if self.query_one(CleanTextArea).text == self.initial:
            self.dismiss(False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(False)
            else:
                self.query_one(CleanTextArea).focus()

        self.app.push_screen(ConfirmScreen("Abandonner la réécriture ? Le texte tapé ici sera perdu."), answered)


class ValidateScreen(AppAccess, ModalScreen[bool]):
    """Joint validation: the consultant types their name, the beneficiary types theirs.

    ``attempt`` freezes the version and returns None, or returns why not (said here, names kept).
    """

    DEFAULT_CSS = DIALOG_CSS.format(name="ValidateScreen") + """
    ValidateScreen #box { width: 90; }
    ValidateScreen .title { text-style: bold; }
    ValidateScreen .label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Valider ensemble", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, summary: str, attempt: Callable[[str, str], str | None]) -> None:
        super().__init__()
        self.summary = summary
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Valider la synthèse ensemble", classes="title")
            yield Static(Text(self.summary))
            yield Static("Consultant(e) : tapez votre nom, tel qu'il figure sur le dossier (s'il n'y figure pas, "
                         "il est noté tel que tapé sur la version validée)", classes="label")
            yield CleanInput(id="consultant", max_length=MAX_LINE_LENGTH)
            yield Static("Bénéficiaire : tapez votre nom, tel qu'il figure sur le dossier", classes="label")
            yield CleanInput(id="beneficiary", max_length=MAX_LINE_LENGTH)
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : champ suivant · Ctrl+S : valider · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(CleanInput):
            field.cursor_blink = self.blink
        self.query_one("#consultant", CleanInput).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "consultant":
            self.query_one("#beneficiary", CleanInput).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        consultant = clean_text(self.query_one("#consultant", CleanInput).value).strip()
        beneficiary = clean_text(self.query_one("#beneficiary", CleanInput).value).strip()
        error = self.query_one("#error", Static)
        if is_blank(consultant) or is_blank(beneficiary):
            missing = "#consultant" if is_blank(consultant) else "#beneficiary"
            who = "du consultant" if missing == "#consultant" else "du bénéficiaire"
            error.update(f"Il manque le nom {who} : chacun tape le sien pour valider ensemble.")
            self.query_one(missing, CleanInput).focus()
            return
        problem = self.attempt(consultant, beneficiary)
        if problem:
            error.update(problem)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


EXPORT_CHOICES: tuple[tuple[str, DocumentFormat, bool], ...] = (
    ("PDF, à remettre au bénéficiaire", DocumentFormat.PDF, False),
    ("DOCX, à retoucher dans un traitement de texte", DocumentFormat.DOCX, False),
    ("HTML, à lire dans un navigateur", DocumentFormat.HTML, False),
    ("Markdown, texte simple", DocumentFormat.MD, False),
    ("Dossier complet (PDF) : la synthèse, chaque étape, les productions et les résultats détaillés",
     DocumentFormat.PDF, True),
)


class ExportScreen(AppAccess, ModalScreen[tuple[DocumentFormat, bool] | None]):
    """Which document to export: a format of the synthesis, or the dossier complet."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ExportScreen") + """
    ExportScreen #box { width: 100; }
    ExportScreen .title { text-style: bold; }
    ExportScreen OptionList { height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, what: str, folder: str, *, note: str = "") -> None:
        super().__init__()
        self.what = what
        self.folder = folder
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Exporter", classes="title")
            yield Static(Text(f"À exporter : {self.what}."))
            if self.note:
                yield Static(Text(self.note), classes="warning-message")
            yield OptionList(*[Option(f"{i}. {label}", id=str(i)) for i, (label, _, _) in enumerate(EXPORT_CHOICES, 1)],
                             id="formats")
            yield Static(Text(f"Le fichier sera écrit dans « {self.folder} »."), classes="muted")
            yield Static("Chiffre ou Entrée : exporter · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(EXPORT_CHOICES):
                event.stop()
                self._choose(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(int(str(event.option.id)) - 1)

    def _choose(self, index: int) -> None:
        _, fmt, complet = EXPORT_CHOICES[index]
        self.dismiss((fmt, complet))

    def action_cancel(self) -> None:
        self.dismiss(None)
