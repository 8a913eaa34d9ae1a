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
from bilan_tui.tui.access import AppAccess


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
            yield Input(id="first_name")
            yield Label("Nom *")
            yield Input(id="last_name")
            yield Label("Courriel")
            yield Input(id="email")
            yield Label("Téléphone")
            yield Input(id="phone")
            yield Label("Situation")
            yield Select([(s.label, s.value) for s in Situation], id="situation", value=Situation.EMPLOYED.value,
                         allow_blank=False)
            yield Label("Précision (employeur et poste, date d'inscription...)")
            yield Input(id="situation_detail")
            yield Label("Consultant(e)")
            yield Input(id="consultant")
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
        return self.query_one(f"#{field_id}", Input).value

    def action_save(self) -> None:
        missing = [label for field_id, label in (("first_name", "le prénom"), ("last_name", "le nom"))
                   if not self._value(field_id).strip()]
        error = self.query_one("#error", Static)
        if missing:
            error.update(f"Indiquez {' et '.join(missing)} du bénéficiaire.")
            self.query_one("#first_name" if "le prénom" in missing else "#last_name").focus()
            return
        email = self._value("email").strip()
        if email and ("@" not in email or "." not in email.split("@")[-1]):
            error.update(f"« {email} » ne ressemble pas à une adresse de courriel (exemple : nom@exemple.fr).")
            self.query_one("#email").focus()
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
            error.update("Certains champs ne sont pas valides : vérifiez le prénom et le nom.")
            return
        self.dismiss(NewDossier(beneficiary, self._value("consultant")))

    def action_cancel(self) -> None:
        self.dismiss(None)
