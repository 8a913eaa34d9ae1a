"""The form of a dossier: identity, contact, situation and the terms of the bilan (funding, contract).

It creates a dossier, or edits the beneficiary's record of an open one (``E`` on the dossier).
Enter goes to the next field everywhere, a dropdown included (Space opens it); Ctrl+S saves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from bilan_tui.domain.answers import AnswerError, birth_date_problems, format_date, parse_date
from bilan_tui.domain.contact import MAX_PHONE_LENGTH, PhoneError, parse_phone
from bilan_tui.domain.models import Beneficiary, Contract, Dossier, Funding, Situation, WorkingTime
from bilan_tui.domain.text import MAX_LINE_LENGTH, clean_text, is_blank, too_long
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.widgets.choice_select import ChoiceSelect
from bilan_tui.tui.widgets.clean_inputs import CleanInput

FIELD_LABELS = {
    "first_name": "Prénom",
    "last_name": "Nom",
    "birth_date": "Date de naissance",
    "email": "Courriel",
    "phone": "Téléphone",
    "situation_detail": "Précision",
    "consultant": "Consultant(e)",
}
MAX_EMAIL_LENGTH = 254
"""The longest address a mail server accepts."""
NOT_GIVEN = "Non renseigné"
"""The dropdowns' blank entry: not one of their options, so a choice made always shows."""
HINT = ("Entrée : champ suivant · Espace ou F4 : ouvrir une liste (Entrée y choisit) · "
        "Ctrl+S : enregistrer · Échap : annuler")


class FormSelect(ChoiceSelect):
    """A dropdown of the form: Enter goes to the next field, as in every field; Space, ↑↓ or F4 open it."""

    BINDINGS = [Binding("f4,alt+down", "show_overlay", "Ouvrir la liste", show=False)]

    def on_key(self, event: Key) -> None:
        if event.key == "enter" and not self.expanded:
            event.stop()
            event.prevent_default()
            self.screen.focus_next()


@dataclass(frozen=True)
class NewDossier:
    beneficiary: Beneficiary
    consultant: str


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.label, member.value) for member in enum]  # type: ignore[attr-defined]


class DossierFormScreen(AppAccess, ModalScreen[NewDossier | None]):
    """A new dossier's form, or (given ``dossier``) the form of an existing one, filled in."""

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

    def __init__(self, dossier: Dossier | None = None) -> None:
        super().__init__()
        self.dossier = dossier
        self._confirmed: tuple[str, ...] | None = None
        """The fields as they were when a warning was shown: Ctrl+S on the same fields saves."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static("Modifier la fiche" if self.dossier else "Nouveau dossier", classes="title")
            yield Label("Prénom *")
            yield CleanInput(id="first_name")
            yield Label("Nom *")
            yield CleanInput(id="last_name")
            yield Label("Date de naissance (JJ/MM/AAAA)")
            yield CleanInput(id="birth_date", placeholder="JJ/MM/AAAA")
            yield Label("Courriel")
            yield CleanInput(id="email")
            yield Label("Téléphone")
            yield CleanInput(id="phone", placeholder="06 12 34 56 78 ou +33 6 12 34 56 78")
            yield Label("Situation")
            yield FormSelect(_choices(Situation), id="situation", value=Situation.EMPLOYED.value, allow_blank=False)
            yield Label("Précision (employeur et poste, date d'inscription...)")
            yield CleanInput(id="situation_detail")
            yield Label("Contrat de travail")
            yield FormSelect(_choices(Contract), id="contract", prompt=NOT_GIVEN)
            yield Label("Financement du bilan")
            yield FormSelect(_choices(Funding), id="funding", prompt=NOT_GIVEN)
            yield Label("Temps de travail")
            yield FormSelect(_choices(WorkingTime), id="working_time", prompt=NOT_GIVEN)
            yield Label("Consultant(e)")
            yield CleanInput(id="consultant")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static(HINT, classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.blink
        if self.dossier is not None:
            self._fill(self.dossier)
        self.query_one("#first_name").focus()

    def _fill(self, dossier: Dossier) -> None:
        person = dossier.beneficiary
        texts = {
            "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
            "phone": person.phone, "situation_detail": person.situation_detail, "consultant": dossier.consultant,
            "birth_date": format_date(person.birth_date.isoformat()) if person.birth_date else "",
        }
        for field_id, text in texts.items():
            self.query_one(f"#{field_id}", Input).value = text
        self.query_one("#situation", Select).value = person.situation.value
        for field_id, chosen in (("contract", person.contract), ("funding", person.funding),
                                 ("working_time", person.working_time)):
            if chosen is not None:
                self.query_one(f"#{field_id}", Select).value = chosen.value

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "consultant":
            self.action_save()
        else:
            self.focus_next()

    def _value(self, field_id: str) -> str:
        """The field as typed, on one line: control characters removed, trimmed."""
        return clean_text(self.query_one(f"#{field_id}", Input).value).strip()

    def _chosen(self, field_id: str) -> str | None:
        select = self.query_one(f"#{field_id}", Select)
        return None if select.is_blank() else str(select.value)

    def _say(self, message: str) -> None:
        """Under the form, and as a notification: a long form may have scrolled its end out of sight."""
        error = self.query_one("#error", Static)
        error.update(message)
        self.notify(message, severity="error", markup=False)

    def _refuse(self, field_id: str, message: str) -> None:
        self._say(message)
        self.query_one(f"#{field_id}").focus()

    def _birth_date(self) -> tuple[dt.date | None, tuple[str, ...], tuple[str, ...]]:
        """The date of birth typed, with why it is refused (errors) or questioned (warnings)."""
        typed = self._value("birth_date")
        if not typed:
            return None, (), ()
        try:
            birth = parse_date(typed)
        except AnswerError as error:
            return None, (f"Date de naissance : {error}",), ()
        checked = birth_date_problems(birth, self.bilan.now().date())
        return birth, checked.errors, checked.warnings

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
        birth, errors, warnings = self._birth_date()
        if errors:
            self._refuse("birth_date", " ".join(errors))
            return
        email = self._value("email")
        if email and ("@" not in email or "." not in email.split("@")[-1]):
            self._refuse("email", f"« {email} » ne ressemble pas à une adresse de courriel (exemple : nom@exemple.fr).")
            return
        try:
            phone = parse_phone(self._value("phone"))
        except PhoneError as error:
            self._refuse("phone", f"Téléphone : {error}")
            return
        contract, funding, working_time = (self._chosen(f) for f in ("contract", "funding", "working_time"))
        try:
            beneficiary = Beneficiary(
                first_name=self._value("first_name"),
                last_name=self._value("last_name"),
                email=email,
                phone=phone,
                situation=Situation(str(self.query_one("#situation", Select).value)),
                situation_detail=self._value("situation_detail"),
                birth_date=birth,
                contract=Contract(contract) if contract else None,
                funding=Funding(funding) if funding else None,
                working_time=WorkingTime(working_time) if working_time else None,
            )
        except ValidationError:
            self._say("Certains champs ne sont pas valides : vérifiez le prénom et le nom.")
            return
        snapshot = tuple(self._value(f) for f in FIELD_LABELS)
        if warnings and snapshot != self._confirmed:
            self._confirmed = snapshot
            self._refuse("birth_date", "⚠ " + " ".join(warnings) + " Ctrl+S à nouveau pour enregistrer quand même.")
            return
        self.dismiss(NewDossier(beneficiary, self._value("consultant")))

    def action_cancel(self) -> None:
        self.dismiss(None)
