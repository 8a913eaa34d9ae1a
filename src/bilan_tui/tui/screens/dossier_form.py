"""The form that creates a dossier (identity, contact, situation of the beneficiary)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from bilan_tui.domain.models import Beneficiary, Situation
from bilan_tui.domain.text import MAX_LINE_LENGTH, clean_text, is_blank, normalise_digits, too_long
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.widgets.choice_select import ChoiceSelect
from bilan_tui.tui.widgets.clean_inputs import CleanInput

FIELD_LABELS = {
    "first_name": "Prénom",
    "last_name": "Nom",
    "email": "Courriel",
    "phone": "Téléphone",
    "situation_detail": "Précision",
    "consultant": "Consultant(e)",
}
MAX_EMAIL_LENGTH = 254
"""The longest address a mail server accepts."""
MAX_PHONE_LENGTH = 40


@dataclass(frozen=True)
class NewDossier:
    beneficiary: Beneficiary
    consultant: str


class DossierFormScreen(AppAccess, ModalScreen[NewDossier | None]):
    DEFAULT_CSS = """
    DossierFormScreen { align: center middle; }
    DossierFormScreen #form {
        width: 80; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    DossierFormScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static("Nouveau dossier", classes="title")
            yield Label("Prénom *")
            yield CleanInput(id="first_name")
            yield Label("Nom *")
            yield CleanInput(id="last_name")
            yield Label("Courriel")
            yield CleanInput(id="email")
            yield Label("Téléphone")
            yield CleanInput(id="phone")
            yield Label("Situation")
            yield ChoiceSelect([(s.label, s.value) for s in Situation], id="situation", value=Situation.EMPLOYED.value,
                         allow_blank=False)
            yield Label("Précision (employeur et poste, date d'inscription...)")
            yield CleanInput(id="situation_detail")
            yield Label("Consultant(e)")
            yield CleanInput(id="consultant")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Entrée : champ suivant · Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.blink
        self.query_one("#first_name").focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "consultant":
            self.action_save()
        else:
            self.focus_next()

    def _value(self, field_id: str) -> str:
        """The field as it will be stored: one line, control characters removed, trimmed."""
        value = clean_text(self.query_one(f"#{field_id}", Input).value).strip()
        return normalise_digits(value) if field_id == "phone" else value

    def _refuse(self, field_id: str, message: str) -> None:
        self.query_one("#error", Static).update(message)
        self.query_one(f"#{field_id}").focus()

    def action_save(self) -> None:
        missing = [label for field_id, label in (("first_name", "le prénom"), ("last_name", "le nom"))
                   if is_blank(self._value(field_id))]
        if missing:
            self._refuse("first_name" if "le prénom" in missing else "last_name",
                         f"Indiquez {' et '.join(missing)} du bénéficiaire.")
            return
        limits = {"email": MAX_EMAIL_LENGTH, "phone": MAX_PHONE_LENGTH}
        for field_id, label in FIELD_LABELS.items():
            problem = too_long(self._value(field_id), limits.get(field_id, MAX_LINE_LENGTH))
            if problem:
                self._refuse(field_id, f"{label} : {problem}.")
                return
        email = self._value("email")
        if email and ("@" not in email or "." not in email.split("@")[-1]):
            self._refuse("email", f"« {email} » ne ressemble pas à une adresse de courriel (exemple : nom@exemple.fr).")
            return
        try:
            beneficiary = Beneficiary(
                first_name=self._value("first_name"),
                last_name=self._value("last_name"),
                email=email,
                phone=self._value("phone"),
                situation=Situation(str(self.query_one("#situation", Select).value)),
                situation_detail=self._value("situation_detail"),
            )
        except ValidationError:
            self.query_one("#error", Static).update("Certains champs ne sont pas valides : vérifiez le prénom et le nom.")
            return
        self.dismiss(NewDossier(beneficiary, self._value("consultant")))

    def action_cancel(self) -> None:
        self.dismiss(None)
