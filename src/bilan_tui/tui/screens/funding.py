"""Financement et convention: who pays, the dates of the agreement and the deadlines they set, whether
the bilan may start, the payments, the data of the convention and its export (PDF, DOCX).

Everything here belongs to the administrative file: the screen shows the same in both views (F6), the
beneficiary agrees to and signs all of it; nothing of the working file is read. Forms refuse bad input
with a French sentence and keep everything typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from bilan_tui.domain.answers import AnswerError, parse_date
from bilan_tui.domain.models import Dossier, DossierStatus, Funding, Phase, Session, WorkingTime
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.convention import ConventionData
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.frame import still_open
from bilan_tui.domain.procedure.funding import (
    Agreement,
    DeadlineKind,
    Employer,
    EmployerAnswer,
    FundingType,
    Payment,
    add_payment,
    agreement_problems,
    balance,
    can_start,
    deadlines,
    funding_type,
    payment_problems,
    period_problems,
)
from bilan_tui.domain.procedure.information import InformationItem, status_label
from bilan_tui.domain.procedure.money import Price, format_euros, parse_amount, parse_rate
from bilan_tui.domain.procedure.workdays import date_label
from bilan_tui.domain.text import MAX_LINE_LENGTH, clean_text, is_blank, too_long
from bilan_tui.rendering.convention_doc import ConventionIncomplete, convention_document, convention_of
from bilan_tui.rendering.documents import DocumentFormat
from bilan_tui.services.exports import EXPORTS_FOLDER
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.admin_export import export_in_background
from bilan_tui.tui.screens.dialogs import DIALOG_CSS
from bilan_tui.tui.screens.dossier_form import NOT_GIVEN, FormSelect
from bilan_tui.tui.widgets.clean_inputs import CleanInput

WRITING_ACTIONS = frozenset({"edit_agreement", "add_payment", "edit_convention"})
"""What a read-only window does not offer (nor shows in its footer)."""

NO_FUNDING_WARNING = ("Aucun financement enregistré : vérifiez que la convention est signée avant de commencer "
                      "le bilan (Cadre du bilan, F).")
ANSWERS = frozenset({DeadlineKind.EMPLOYEE_ANSWER, DeadlineKind.CPF_ACCEPTANCE, DeadlineKind.EMPLOYER_ANSWER})
"""Deadlines that wait for an answer: once it is given, they are met."""
NDA_SEPARATOR = ", déclaration d'activité n° "
"""How the organisme and its numéro de déclaration d'activité are kept together in ``ConventionData.provider``."""

TO_FUNDING = {FundingType.CPF: Funding.CPF, FundingType.EMPLOYER: Funding.EMPLOYER,
              FundingType.SELF_FUNDED: Funding.PERSONAL, FundingType.FRANCE_TRAVAIL: Funding.FRANCE_TRAVAIL}
"""The beneficiary's record says the same funding as the agreement (OPCO has no entry there)."""

HINT = "Entrée : champ suivant · Espace : ouvrir une liste ou cocher · Ctrl+S : enregistrer · Échap : annuler"


# -- what the dossier asks before a session starts ----------------------------------------------------


def bilan_started_on(sessions: Sequence[Session]) -> dt.date | None:
    """The day of the first session held after the information préalable (None: the bilan has not started)."""
    days = [session.date for session in sessions if session.phase is not Phase.INFORMATION]
    return min(days) if days else None


def session_start_check(dossier: Dossier, admin: AdministrativeFile, today: dt.date) -> tuple[str, str]:
    """Before a session starts: (why it is refused, a warning to show); both empty when nothing is to say.

    The information préalable is always allowed. Otherwise, with an agreement recorded, the bilan starts
    only when :func:`can_start` allows today; without any, it starts, with a warning (older dossiers).
    """
    if dossier.status is DossierStatus.CLOSED:
        return (f"Ce dossier est {status_label(dossier.status, dossier.closed_on, admin.information)} : aucun "
                "entretien n'y démarre. Si la personne revient vers un bilan, enregistrez-le dans Cadre du bilan, "
                "I, puis A (analyse de la demande)."), ""
    if dossier.phase is Phase.INFORMATION:
        return "", ""
    if dossier.status is DossierStatus.SUSPENDED:
        return (f"Ce dossier est {status_label(dossier.status, dossier.closed_on, admin.information)} : le bilan "
                "ne commence qu'une fois la décision prise. Enregistrez-la dans Cadre du bilan, I, puis A ; un "
                "entretien d'information préalable reste possible (phase du dossier, H)."), ""
    warnings = [] if admin.agreement is not None else [NO_FUNDING_WARNING]
    missing = admin.information.unticked()
    if missing:
        warnings.append(f"Information préalable incomplète ({plural(len(missing), 'point', 'points')} sur "
                        f"{len(InformationItem)} à présenter, Cadre du bilan, I).")
    if admin.agreement is None:
        return "", " ".join(warnings)
    check = can_start(admin.agreement, today, today)
    if not check.ok:
        return ("Le bilan ne peut pas commencer aujourd'hui : " + " ".join(check.reasons)
                + " Voir Cadre du bilan, F ; un entretien d'information préalable reste possible (phase du dossier, H)."), ""
    period = admin.convention
    if period.period_start is not None and today < period.period_start:
        return (f"La convention prévoit le bilan à partir du {date_label(period.period_start)} : il ne commence pas "
                "avant. Corrigez la période si elle a changé (Cadre du bilan, F, puis C) ; un entretien "
                "d'information préalable reste possible (phase du dossier, H)."), ""
    if period.period_end is not None and today > period.period_end:
        return (f"La convention prévoit le bilan jusqu'au {date_label(period.period_end)} : cette date est passée. "
                "Prolongez la période avec l'accord des parties (Cadre du bilan, F, puis C)."), ""
    return "", " ".join(warnings)


# -- the screen ------------------------------------------------------------------------------------------


def _first_planned(admin: AdministrativeFile, today: dt.date) -> dt.date | None:
    days = [s.start.date() for s in admin.plan.active if s.phase is not Phase.INFORMATION and s.start.date() >= today]
    return min(days) if days else None


def _split_provider(provider: str) -> tuple[str, str]:
    name, _, number = provider.partition(NDA_SEPARATOR)
    return name, number


def _sent_label(funding: FundingType | None) -> str:
    if funding is FundingType.EMPLOYER:
        return "Projet de convention transmis au salarié le"
    if funding is FundingType.CPF:
        return "Proposition de commande envoyée sur Mon Compte Formation le"
    return "Convention ou contrat envoyé le"


def _signed_label(funding: FundingType | None) -> str:
    if funding is FundingType.CPF:
        return "Commande validée par la personne le"
    if funding is FundingType.EMPLOYER:
        return "Convention signée par le salarié le"
    return "Convention ou contrat signé le"


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def agreement_text(dossier: Dossier, admin: AdministrativeFile, sessions: Sequence[Session], today: dt.date) -> Text:
    """The funding part of the administrative file, as the screen shows it (both views)."""
    text = Text()
    agreement = admin.agreement
    if agreement is None:
        suggested = funding_type(dossier.beneficiary.funding) if dossier.beneficiary.funding else None
        text.append("Aucun financement enregistré.", style="bold")
        text.append("\nM pour le renseigner" + (f" (proposé d'après la fiche : {suggested.label})" if suggested else "")
                    + " : type de financement, prix, dates de la convention.")
        return text
    funding = agreement.funding
    text.append(f"Financement : {funding.label}", style="bold")
    if funding is FundingType.CPF:
        text.append(f" · {(agreement.working_time or WorkingTime.OUTSIDE).label}")
    text.append(f"\n{funding.agreement_label}")
    if agreement.employer is not None:
        employer = agreement.employer
        details = ", ".join(x for x in (employer.representative, employer.address) if x)
        text.append(f"\nEmployeur : {employer.name}" + (f" ({details})" if details else ""))
    if agreement.funder:
        text.append(f"\nFinanceur : {agreement.funder}")
    text.append(f"\nPrix : {agreement.price.label}")
    dates = [(_sent_label(funding), agreement.sent_on), (_signed_label(funding), agreement.signed_on)]
    if funding in (FundingType.FRANCE_TRAVAIL, FundingType.OPCO):
        dates.append(("Accord de prise en charge reçu le", agreement.funder_agreed_on))
    if agreement.cpf_during_work:
        dates.append(("Demande reçue par l'employeur le", agreement.employer_request_on))
        dates.append((f"Réponse de l'employeur ({agreement.employer_answer.label}) le", agreement.employer_answer_on))
    if agreement.withdrawn_on:
        dates.append(("Renonciation ou rétractation le", agreement.withdrawn_on))
    for label, day in dates:
        text.append(f"\n{label} : {_day(day)}")
    text.append("\nJours fériés d'Alsace-Moselle : " + ("comptés" if agreement.alsace_moselle else "non"))

    text.append("\n\nÉchéances", style="bold")
    due = deadlines(agreement)
    if not due:
        text.append("\nAucune échéance calculée : saisissez les dates de transmission ou de signature.")
    for deadline in due:
        past = " (passée)" if deadline.is_past(today) else ""
        if deadline.kind in ANSWERS and not still_open(deadline, agreement):
            past = " (✓ réponse reçue)"
        text.append(f"\n• {deadline.label}{past}")
        text.append(f"\n  {deadline.basis}", style="dim")

    text.append("\n\nDébut du bilan", style="bold")
    started = bilan_started_on(sessions)
    if started is not None:
        text.append(f"\nBilan commencé le {date_label(started)}.")
    else:
        first = _first_planned(admin, today) or today
        when = "aujourd'hui" if first == today else f"le {date_label(first)} (première séance prévue)"
        check = can_start(agreement, first, today)
        if check.ok:
            text.append(f"\n✓ Le bilan peut commencer {when}.")
        else:
            text.append(f"\n✗ Le bilan ne peut pas commencer {when} :", style="bold")
            for reason in check.reasons:
                text.append(f"\n  – {reason}")
    problems = agreement_problems(agreement, today)
    if problems:
        text.append("\n\nÀ compléter ou corriger", style="bold")
        for problem in problems:
            text.append(f"\n⚠ {problem}")

    text.append("\n\nPaiements", style="bold")
    if not agreement.payments:
        text.append("\nAucun paiement enregistré (P pour en ajouter un).")
    for payment in agreement.payments:
        text.append(f"\n• {payment.paid_on:%d/%m/%Y} : {format_euros(payment.amount)}")
    text.append(f"\nPayé : {format_euros(agreement.paid)} · reste dû : {format_euros(balance(agreement))} TTC")
    for problem in payment_problems(agreement, started or _first_planned(admin, today)):
        text.append(f"\n⚠ {problem}")
    return text


def where_to_fix(missing: str) -> str:
    """The key that fixes what the convention lacks."""
    if "consultant" in missing or "bénéficiaire" in missing:
        return "fiche du dossier : E sur le dossier"
    if "employeur" in missing or "financement" in missing:
        return "financement : M"
    return "convention : C"


def held_days(sessions: Sequence[Session]) -> list[dt.date]:
    """The days of the bilan's sessions held (the information préalable aside)."""
    return [session.date for session in sessions if session.phase is not Phase.INFORMATION]


def convention_period_problems(admin: AdministrativeFile, sessions: Sequence[Session]) -> list[str]:
    """What is wrong with the convention's period (French sentences; empty without an agreement)."""
    if admin.agreement is None:
        return []
    data = admin.convention
    return period_problems(admin.agreement, data.period_start, data.period_end, held_days(sessions))


def convention_text(dossier: Dossier, admin: AdministrativeFile, sessions: Sequence[Session] = ()) -> Text:
    text = Text()
    data = admin.convention
    name, number = _split_provider(data.provider)
    text.append("Convention", style="bold")
    text.append(f"\nOrganisme prestataire : {name or '—'}")
    text.append(f"\nNuméro de déclaration d'activité : {number or '—'}")
    text.append(f"\nLieu : {data.place or '—'}")
    period = (f"du {_day(data.period_start)} au {_day(data.period_end)}"
              if data.period_start or data.period_end else "—")
    text.append(f"\nPériode de réalisation : {period}")
    view = convention_of(admin, dossier.beneficiary.display_name, dossier.consultant)
    if view is None:
        text.append("\nLa convention suit le financement : renseignez-le d'abord (M).")
    elif view.missing:
        text.append("\nAvant de l'exporter :", style="bold")
        for missing in view.missing:
            text.append(f"\n⚠ {missing.removesuffix('.')} ({where_to_fix(missing)}).")
    elif problems := convention_period_problems(admin, sessions):
        text.append("\nPériode de réalisation à corriger avant l'export (C) :", style="bold")
        for problem in problems:
            text.append(f"\n⚠ {problem}")
    else:
        text.append(f"\n✓ Prête à exporter (X) : {view.heading}.")
    return text


class FundingScreen(AppAccess, Screen[None]):
    """« Financement et convention »: the agreement, its deadlines, the start check, payments, the convention."""

    DEFAULT_CSS = """
    FundingScreen #agreement, FundingScreen #convention { padding: 0 1; height: auto; }
    FundingScreen #convention { margin-top: 1; }
    FundingScreen #exported { height: auto; padding: 0 1; color: $text-success; }
    """
    BINDINGS = [
        Binding("m", "edit_agreement", "Financement"),
        Binding("p", "add_payment", "Paiement"),
        Binding("c", "edit_convention", "Convention"),
        Binding("x", "export_convention", "Exporter la convention"),
        Binding("escape", "close", "Retour"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.last_export = ""

    def compose(self) -> ComposeResult:
        yield Header()
        if self.handle.read_only:
            yield Static(Text("Lecture seule : le financement et la convention se consultent et s'exportent ici, "
                              "sans modification."), classes="banner", id="read-only")
        with VerticalScroll(id="body"):
            yield Static(id="agreement", markup=False)
            yield Static(id="convention", markup=False)
        yield Static(id="exported", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # The sub-title only: the app's title says when the beneficiary view is on.
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Financement et convention"
        self.refresh_view()
        self.query_one("#body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.handle.read_only and action in WRITING_ACTIONS)

    def refresh_view(self) -> None:
        dossier, admin = self.handle.dossier, self.handle.admin()
        today = self.bilan.now().date()
        sessions = self.handle.sessions()
        self.query_one("#agreement", Static).update(agreement_text(dossier, admin, sessions, today))
        self.query_one("#convention", Static).update(convention_text(dossier, admin, sessions))
        exported = self.query_one("#exported", Static)
        exported.update(Text(self.last_export))
        exported.display = bool(self.last_export)

    def _writable(self, what: str) -> bool:
        if self.handle.read_only:
            self.notify(f"Dossier en lecture seule : {what}.", severity="warning", markup=False)
            return False
        return True

    def action_edit_agreement(self) -> None:
        if not self._writable("le financement ne peut pas être modifié"):
            return

        def saved(agreement: Agreement | None) -> None:
            if agreement is None:
                return
            self.refresh_view()
            self.notify(f"Financement enregistré : {agreement.funding.label}.", markup=False)

        self.app.push_screen(self.bilan.dialog(AgreementFormScreen(self.handle), consultant_only=False), saved)

    def action_add_payment(self) -> None:
        if not self._writable("aucun paiement ne peut être enregistré"):
            return
        if self.handle.admin().agreement is None:
            self.notify("Renseignez d'abord le financement (M) : le prix et les règles de paiement en dépendent.",
                        severity="warning", markup=False)
            return

        def saved(payment: Payment | None) -> None:
            if payment is None:
                return
            self.refresh_view()
            self.notify(f"Paiement enregistré : {format_euros(payment.amount)} le {payment.paid_on:%d/%m/%Y}.",
                        markup=False)

        self.app.push_screen(self.bilan.dialog(PaymentFormScreen(self.handle), consultant_only=False), saved)

    def action_edit_convention(self) -> None:
        if not self._writable("la convention ne peut pas être modifiée"):
            return

        def saved(data: ConventionData | None) -> None:
            if data is None:
                return
            self.refresh_view()
            self.notify("Convention enregistrée.", markup=False)

        self.app.push_screen(self.bilan.dialog(ConventionFormScreen(self.handle), consultant_only=False), saved)

    def action_export_convention(self) -> None:
        dossier = self.handle.dossier
        now = self.bilan.now()
        admin = self.handle.admin()
        problems = convention_period_problems(admin, self.handle.sessions())
        if problems:
            self.notify("Convention non exportée : " + " ".join(problems) + " Corrigez la période (C).",
                        severity="error", timeout=15, markup=False)
            return
        try:
            doc = convention_document(admin, beneficiary=dossier.beneficiary.display_name,
                                      consultant=dossier.consultant, made_at=now)
        except ConventionIncomplete as error:
            keys = dict.fromkeys(where_to_fix(str(error_part)) for error_part in str(error).split(". ") if error_part)
            self.notify(f"{error} Où compléter : {' ; '.join(keys)}.", severity="error", timeout=15, markup=False)
            return
        repository = self.bilan.repository

        def chosen(fmt: DocumentFormat | None) -> None:
            if fmt is None:
                return

            def done(path: Path) -> None:
                self.last_export = f"Dernier export (convention) : {path}"
                self.refresh_view()

            export_in_background(self, repository, doc, fmt, dossier_id=dossier.id, what="convention", done=done)

        folder = str(repository.root / EXPORTS_FOLDER)
        self.app.push_screen(FormatScreen(doc.title, folder), chosen)

    def action_close(self) -> None:
        self.app.pop_screen()


class FormatScreen(AppAccess, ModalScreen[DocumentFormat | None]):
    """PDF or DOCX."""

    DEFAULT_CSS = DIALOG_CSS.format(name="FormatScreen") + "FormatScreen OptionList { height: auto; }"
    BINDINGS = [Binding("escape", "cancel", "Annuler")]
    CHOICES = ((DocumentFormat.PDF, "PDF (à imprimer et signer)"), (DocumentFormat.DOCX, "DOCX (traitement de texte)"))

    def __init__(self, what: str, folder: str) -> None:
        super().__init__()
        self.what = what
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Exporter", classes="title")
            yield Static(Text(f"À exporter : {self.what}."))
            yield OptionList(*[Option(f"{i}. {label}", id=fmt.value)
                               for i, (fmt, label) in enumerate(self.CHOICES, 1)], id="formats")
            yield Static(Text(f"Le fichier sera écrit dans « {self.folder} »."), classes="muted")
            yield Static("Chiffre ou Entrée : exporter · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.CHOICES):
                event.stop()
                self.dismiss(self.CHOICES[index][0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(DocumentFormat(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- forms -----------------------------------------------------------------------------------------------


FORM_CSS = """
{name} {{ align: center middle; }}
{name} #box {{ width: 90; max-width: 100%; height: 90%; min-height: 16; border: thick $primary;
              background: $surface; padding: 0 2; }}
{name} #fields {{ height: 1fr; }}
{name} .group {{ height: auto; }}
{name} Label {{ margin-top: 1; }}
{name} Checkbox {{ height: auto; border: none; padding: 0; margin-top: 1; }}
"""


class AdminForm(AppAccess, ModalScreen[Any]):
    """What the forms of this screen share: Enter goes to the next field, a refusal names the field."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.blink

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter goes to the next field; on the last one, it saves."""
        event.stop()
        if event.input is list(self.query(Input))[-1]:
            self.action_save()
        else:
            self.focus_next()

    def value(self, field_id: str) -> str:
        return clean_text(self.query_one(f"#{field_id}", Input).value).strip()

    def refuse(self, message: str, field_id: str) -> None:
        self.query_one("#error", Static).update(message)
        self.notify(message, severity="error", markup=False)
        self.query_one(f"#{field_id}").focus()

    def date(self, field_id: str, label: str, today: dt.date) -> dt.date | None:
        """The date typed in ``field_id`` (None: left empty); :class:`_Refused` when it is not a past date."""
        typed = self.value(field_id)
        if not typed:
            return None
        try:
            day = parse_date(typed)
        except AnswerError as error:
            raise _Refused(f"{label} : {error}", field_id) from None
        if day > today:
            raise _Refused(f"{label} : le {day:%d/%m/%Y} est dans le futur ; indiquez la date à laquelle c'est arrivé "
                           f"(au plus tard aujourd'hui, {today:%d/%m/%Y}).", field_id)
        return day

    def line(self, field_id: str, label: str) -> str:
        typed = self.value(field_id)
        if problem := too_long(typed, MAX_LINE_LENGTH):
            raise _Refused(f"{label} : {problem}.", field_id)
        return typed

    def action_save(self) -> None:
        try:
            self.save()
        except _Refused as refusal:
            self.refuse(refusal.message, refusal.field)

    def save(self) -> None:
        raise NotImplementedError

    def store(self, admin: AdministrativeFile, field_id: str, dossier: Dossier | None = None) -> bool:
        """Save ``admin`` (and ``dossier`` with it, in the same write); a failure is said on the form."""
        try:
            self.handle.save_admin(admin, dossier)
        except (StorageError, OSError) as error:
            self.refuse(f"Non enregistré : {error}", field_id)
            return False
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)


class _Refused(Exception):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


DATE_FIELDS = {"sent-on": "sent_on", "signed-on": "signed_on", "funder-agreed-on": "funder_agreed_on",
               "employer-request-on": "employer_request_on", "employer-answer-on": "employer_answer_on",
               "withdrawn-on": "withdrawn_on"}


class AgreementFormScreen(AdminForm):
    """The funding agreement: type, employer or funder, price, dates, Alsace-Moselle holidays."""

    DEFAULT_CSS = FORM_CSS.format(name="AgreementFormScreen")

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__(handle)
        self.agreement = handle.admin().agreement

    def compose(self) -> ComposeResult:
        agreement = self.agreement
        beneficiary = self.handle.dossier.beneficiary
        funding = agreement.funding if agreement else (funding_type(beneficiary.funding)
                                                       if beneficiary.funding else None)
        working = agreement.working_time if agreement else beneficiary.working_time
        employer = agreement.employer if agreement else None
        price = agreement.price if agreement else Price()
        with Vertical(id="box"):
            yield Static("Financement du bilan", classes="title")
            with VerticalScroll(id="fields"):
                yield Label("Financement *")
                yield FormSelect([(f.label, f.value) for f in FundingType], id="funding",
                                 value=funding.value if funding else Select.NULL, prompt="Financement : à choisir")
                with Vertical(id="cpf-box", classes="group"):
                    yield Label("Temps de travail (CPF)")
                    yield FormSelect([(w.label, w.value) for w in WorkingTime], id="working-time",
                                     value=working.value if working else Select.NULL, prompt=NOT_GIVEN)
                with Vertical(id="employer-box", classes="group"):
                    yield Label("Employeur : raison sociale *")
                    yield CleanInput(employer.name if employer else "", id="employer-name")
                    yield Label("Contact chez l'employeur (nom et fonction de qui signe)")
                    yield CleanInput(employer.representative if employer else "", id="employer-contact")
                    yield Label("Adresse de l'employeur")
                    yield CleanInput(employer.address if employer else "", id="employer-address")
                with Vertical(id="funder-box", classes="group"):
                    yield Label("Agence France Travail ou OPCO qui prend en charge", id="funder-label")
                    yield CleanInput(agreement.funder if agreement else "", id="funder")
                yield Label("Prix HT en euros (exemple : 1 500,00)")
                yield CleanInput(format_euros(price.excl_tax).removesuffix("\u00a0€"), id="price")
                yield Label("Taux de TVA en % (0 si l'organisme est exonéré)")
                yield CleanInput(f"{(price.vat_rate * 100).normalize():f}".replace(".", ","), id="vat")
                yield Static("", id="price-label", markup=False)
                yield Static("Dates (JJ/MM/AAAA, vides tant que ce n'est pas arrivé)", classes="title")
                yield Label(_sent_label(funding), id="sent-label")
                yield CleanInput(_day_input(agreement.sent_on if agreement else None), id="sent-on")
                yield Label(_signed_label(funding), id="signed-label")
                yield CleanInput(_day_input(agreement.signed_on if agreement else None), id="signed-on")
                with Vertical(id="funder-dates", classes="group"):
                    yield Label("Accord de prise en charge reçu le")
                    yield CleanInput(_day_input(agreement.funder_agreed_on if agreement else None), id="funder-agreed-on")
                with Vertical(id="employer-dates", classes="group"):
                    yield Label("Demande d'accord reçue par l'employeur le")
                    yield CleanInput(_day_input(agreement.employer_request_on if agreement else None),
                                id="employer-request-on")
                    yield Label("Réponse de l'employeur")
                    yield FormSelect([(a.label, a.value) for a in EmployerAnswer], id="employer-answer",
                                     value=(agreement.employer_answer if agreement else EmployerAnswer.PENDING).value,
                                     allow_blank=False)
                    yield Label("Réponse reçue le")
                    yield CleanInput(_day_input(agreement.employer_answer_on if agreement else None),
                                id="employer-answer-on")
                yield Label("Renonciation ou rétractation de la personne le")
                yield CleanInput(_day_input(agreement.withdrawn_on if agreement else None), id="withdrawn-on")
                yield Checkbox("Bilan en Alsace-Moselle : Vendredi saint et Saint-Étienne fériés dans les délais",
                               agreement.alsace_moselle if agreement else False, id="alsace")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static(HINT, classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self._adapt()
        self._show_price()
        self.query_one("#funding").focus()

    def _funding(self) -> FundingType | None:
        select = self.query_one("#funding", Select)
        return None if select.is_blank() else FundingType(str(select.value))

    def _working_time(self) -> WorkingTime | None:
        select = self.query_one("#working-time", Select)
        return None if select.is_blank() else WorkingTime(str(select.value))

    def _needs_employer(self, funding: FundingType | None) -> bool:
        return funding is FundingType.EMPLOYER or (funding is FundingType.CPF
                                                    and self._working_time() is WorkingTime.DURING)

    @on(Select.Changed)
    def _adapt(self) -> None:
        """Show the fields this funding uses (the others keep what was typed, for a change of mind)."""
        funding = self._funding()
        cpf_during = funding is FundingType.CPF and self._working_time() is WorkingTime.DURING
        self.query_one("#cpf-box").display = funding is FundingType.CPF
        self.query_one("#employer-box").display = self._needs_employer(funding)
        funded = funding in (FundingType.FRANCE_TRAVAIL, FundingType.OPCO)
        self.query_one("#funder-box").display = funded
        self.query_one("#funder-dates").display = funded
        self.query_one("#employer-dates").display = cpf_during
        self.query_one("#funder-label", Label).update(
            "OPCO qui prend en charge le bilan" if funding is FundingType.OPCO
            else "Agence France Travail qui prend en charge le bilan")
        self.query_one("#sent-label", Label).update(_sent_label(funding))
        self.query_one("#signed-label", Label).update(_signed_label(funding))

    @on(Input.Changed, "#price, #vat")
    def _show_price(self) -> None:
        label = self.query_one("#price-label", Static)
        try:
            label.update(f"Prix : {self._price().label}.")
        except _Refused as refusal:
            label.update(refusal.message)

    def _price(self) -> Price:
        try:
            excl = parse_amount(self.value("price"), "Le prix HT")
        except ProcedureError as error:
            raise _Refused(f"{error} Le prix par défaut est de 1 500,00 € HT (1 800,00 € TTC).", "price") from None
        try:
            rate = parse_rate(self.value("vat"))
        except ProcedureError as error:
            raise _Refused(str(error), "vat") from None
        return Price(excl_tax=excl, vat_rate=rate)

    def save(self) -> None:
        funding = self._funding()
        if funding is None:
            raise _Refused("Choisissez le financement du bilan (Espace ouvre la liste).", "funding")
        today = self.bilan.now().date()
        working = self._working_time() if funding is FundingType.CPF else None
        employer = None
        if self._needs_employer(funding):
            name = self.line("employer-name", "Employeur")
            if is_blank(name):
                why = ("le financement par l'employeur" if funding is FundingType.EMPLOYER
                       else "un bilan CPF sur le temps de travail")
                raise _Refused(f"Indiquez l'employeur (raison sociale) : {why} le demande.", "employer-name")
            employer = Employer(name=name, representative=self.line("employer-contact", "Contact chez l'employeur"),
                                address=self.line("employer-address", "Adresse de l'employeur"))
        funder = ""
        if funding in (FundingType.FRANCE_TRAVAIL, FundingType.OPCO):
            funder = self.line("funder", "Financeur")
        price = self._price()
        visible = {"sent-on", "signed-on", "withdrawn-on"}
        if funding in (FundingType.FRANCE_TRAVAIL, FundingType.OPCO):
            visible.add("funder-agreed-on")
        if funding is FundingType.CPF and working is WorkingTime.DURING:
            visible |= {"employer-request-on", "employer-answer-on"}
        labels = {"sent-on": _sent_label(funding), "signed-on": _signed_label(funding),
                  "funder-agreed-on": "Accord de prise en charge", "employer-request-on": "Demande à l'employeur",
                  "employer-answer-on": "Réponse de l'employeur", "withdrawn-on": "Renonciation ou rétractation"}
        dates = {DATE_FIELDS[field]: self.date(field, labels[field], today) if field in visible else None
                 for field in DATE_FIELDS}
        sent, signed = dates["sent_on"], dates["signed_on"]
        if sent is not None and signed is not None and signed < sent:
            raise _Refused(f"La signature ({signed:%d/%m/%Y}) ne peut pas précéder l'envoi ({sent:%d/%m/%Y}).",
                           "signed-on")
        started = bilan_started_on(self.handle.sessions())
        if signed is not None and started is not None and signed > started:
            raise _Refused(f"Signature le {signed:%d/%m/%Y}, après le début du bilan (première séance le "
                           f"{started:%d/%m/%Y}) : la convention se signe avant le début.", "signed-on")
        answer = EmployerAnswer(str(self.query_one("#employer-answer", Select).value))
        payments = self.agreement.payments if self.agreement else ()
        try:
            agreement = Agreement(funding=funding, working_time=working, employer=employer, funder=funder, price=price,
                                  employer_answer=answer if funding is FundingType.CPF else EmployerAnswer.PENDING,
                                  payments=payments, alsace_moselle=self.query_one("#alsace", Checkbox).value, **dates)
        except ValidationError:
            raise _Refused("Certains champs ne sont pas valides : vérifiez les noms et les montants.", "funding") from None
        if agreement.paid > agreement.price.incl_tax:
            raise _Refused(f"Le prix ({format_euros(agreement.price.incl_tax)} TTC) serait inférieur aux paiements déjà "
                           f"enregistrés ({format_euros(agreement.paid)}).", "price")
        admin = self.handle.admin().model_copy(update={"agreement": agreement})
        # The beneficiary's record follows, in the same write: a kill cannot leave them saying two fundings.
        if not self.store(admin, "funding", self._synced_dossier(agreement)):
            return
        self.dismiss(agreement)

    def _synced_dossier(self, agreement: Agreement) -> Dossier | None:
        """The dossier whose beneficiary's record says the same funding (and, for CPF, working time) as the
        agreement; None when it already does."""
        dossier = self.handle.dossier
        person = dossier.beneficiary
        funding = TO_FUNDING.get(agreement.funding)
        if funding is None and person.funding is not None and funding_type(person.funding) is not None:
            funding = Funding.OTHER  # OPCO: the record no longer claims another funder
        update: dict[str, object] = {}
        if funding is not None and funding != person.funding:
            update["funding"] = funding
        if agreement.funding is FundingType.CPF and agreement.working_time is not None \
                and agreement.working_time != person.working_time:
            update["working_time"] = agreement.working_time
        if not update:
            return None
        return dossier.model_copy(update={"beneficiary": person.model_copy(update=update)})


def _day_input(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class PaymentFormScreen(AdminForm):
    """One payment: amount TTC and date; refused beyond the price or the 30 % rule of a self-funded bilan."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PaymentFormScreen") + "PaymentFormScreen Label { margin-top: 1; }"

    def compose(self) -> ComposeResult:
        agreement = self.handle.admin().agreement
        with Vertical(id="box"):
            yield Static("Nouveau paiement", classes="title")
            if agreement is not None:
                yield Static(Text(f"Prix : {format_euros(agreement.price.incl_tax)} TTC · déjà payé : "
                                  f"{format_euros(agreement.paid)} · reste : {format_euros(balance(agreement))}"),
                             classes="muted")
            yield Label("Montant TTC en euros (exemple : 540,00)")
            yield CleanInput(id="amount")
            yield Label("Payé le (JJ/MM/AAAA)")
            yield CleanInput(self.bilan.now().strftime("%d/%m/%Y"), id="paid-on")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Entrée : champ suivant · Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#amount").focus()

    def save(self) -> None:
        admin = self.handle.admin()
        agreement = admin.agreement
        if agreement is None:
            raise _Refused("Renseignez d'abord le financement (M).", "amount")
        try:
            amount = parse_amount(self.value("amount"), "Le montant")
        except ProcedureError as error:
            raise _Refused(str(error), "amount") from None
        if amount <= Decimal(0):
            raise _Refused("Le montant d'un paiement est supérieur à zéro.", "amount")
        today = self.bilan.now().date()
        paid_on = self.date("paid-on", "Date du paiement", today)
        if paid_on is None:
            raise _Refused("Date du paiement : indiquez-la (JJ/MM/AAAA).", "paid-on")
        payment = Payment(paid_on=paid_on, amount=amount)
        first = bilan_started_on(self.handle.sessions()) or _first_planned(admin, today)
        try:
            updated = add_payment(agreement, payment, first)
        except ProcedureError as error:
            raise _Refused(f"Paiement refusé : {error}", "amount") from None
        if self.store(admin.model_copy(update={"agreement": updated}), "amount"):
            self.dismiss(payment)


NDA_PATTERN = re.compile(r"[0-9]{11}")


class ConventionFormScreen(AdminForm):
    """The data of the convention: the organisme and its numéro de déclaration d'activité, place, period."""

    DEFAULT_CSS = FORM_CSS.format(name="ConventionFormScreen")

    def compose(self) -> ComposeResult:
        data = self.handle.admin().convention
        name, number = _split_provider(data.provider)
        with Vertical(id="box"):
            yield Static("Convention", classes="title")
            with VerticalScroll(id="fields"):
                yield Label("Organisme prestataire (raison sociale)")
                yield CleanInput(name, id="provider")
                yield Label("Numéro de déclaration d'activité (11 chiffres)")
                yield CleanInput(number, id="nda", placeholder="ex. : 11 75 12345 75")
                yield Label("Lieu des entretiens")
                yield CleanInput(data.place, id="place")
                yield Label("Début de la période de réalisation (JJ/MM/AAAA)")
                yield CleanInput(_day_input(data.period_start), id="period-start")
                yield Label("Fin de la période de réalisation (JJ/MM/AAAA)")
                yield CleanInput(_day_input(data.period_end), id="period-end")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Entrée : champ suivant · Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#provider").focus()

    def _period_date(self, field_id: str, label: str) -> dt.date | None:
        typed = self.value(field_id)
        if not typed:
            return None
        try:
            return parse_date(typed)
        except AnswerError as error:
            raise _Refused(f"{label} : {error}", field_id) from None

    def save(self) -> None:
        name = self.line("provider", "Organisme prestataire")
        number = re.sub(r"\s", "", self.value("nda"))
        if number and not NDA_PATTERN.fullmatch(number):
            raise _Refused(f"Numéro de déclaration d'activité : « {self.value('nda')} » n'en est pas un ; il compte "
                           "11 chiffres (exemple : 11 75 12345 75).", "nda")
        if number and is_blank(name):
            raise _Refused("Indiquez l'organisme prestataire auquel ce numéro est attribué.", "provider")
        place = self.line("place", "Lieu")
        start = self._period_date("period-start", "Début de la période")
        end = self._period_date("period-end", "Fin de la période")
        if start is not None and end is not None and end < start:
            raise _Refused(f"La fin de la période ({end:%d/%m/%Y}) précède son début ({start:%d/%m/%Y}).",
                           "period-end")
        admin = self.handle.admin()
        signed = admin.agreement.signed_on if admin.agreement else None
        if start is not None and signed is not None and signed > start:
            raise _Refused(f"La convention est signée le {signed:%d/%m/%Y}, après le début du bilan indiqué "
                           f"({start:%d/%m/%Y}) : elle doit être signée avant ; le bilan commence au plus tôt le "
                           f"jour de la signature.", "period-start")
        sessions = self.handle.sessions()
        started = bilan_started_on(sessions)
        if start is not None and started is not None and start > started:
            raise _Refused(f"Le bilan a commencé le {started:%d/%m/%Y} : la période ne peut pas commencer après "
                           f"({start:%d/%m/%Y}).", "period-start")
        if admin.agreement is not None:
            for problem in period_problems(admin.agreement, start, end, held_days(sessions)):
                raise _Refused(problem, "period-end" if "fin de la période" in problem else "period-start")
        provider = f"{name}{NDA_SEPARATOR}{number[:2]} {number[2:4]} {number[4:9]} {number[9:]}" if number else name
        dossier = self.handle.dossier
        data = admin.convention.model_copy(update={
            "provider": provider, "place": place, "period_start": start, "period_end": end,
            "beneficiary": dossier.beneficiary.display_name, "consultant": dossier.consultant})
        try:
            data = ConventionData.model_validate(data.model_dump())
        except ValidationError:
            raise _Refused("Certains champs ne sont pas valides.", "provider") from None
        if self.store(admin.model_copy(update={"agreement": admin.agreement, "convention": data}), "provider"):
            self.dismiss(data)


