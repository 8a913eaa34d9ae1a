"""Émargement: the half-days to sign, the signed records, their verification and the documents.

A held session (its end recorded) is cut at 13:00 into half-days; each is signed on the day by both,
the consultant first, each typing their full name. The record keeps both signatures with their time
and a hash chained to the record before it; a signed record is never changed nor removed (storage
refuses it). V verifies the chain against the head kept with it and says, in French, which record
was altered or removed. X exports the printable attendance sheet (blank boxes for handwritten
signatures) or the *attestation de présence* for the funder (dates and hours only).

Nothing here comes from the working file: the screen shows the same in both views (F6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from bilan_tui.domain.models import Beneficiary, Phase, Session
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.attendance import (
    AttendanceError,
    AttendanceRecord,
    PaperSignature,
    PersonName,
    Signature,
    Signer,
    half_day_of,
    new_record,
    paper_signature,
    sign,
    verify,
)
from bilan_tui.domain.procedure.calendar import date_label, time_label
from bilan_tui.domain.procedure.frame import UnsignedHalfDay, unsigned_half_days
from bilan_tui.domain.text import MAX_LINE_LENGTH
from bilan_tui.rendering.admin_documents import AdminDocument
from bilan_tui.rendering.attendance_doc import HeldSpan, attendance_sheet, first_phase, presence_attestation
from bilan_tui.rendering.documents import DocumentFormat
from bilan_tui.services.exports import EXPORTS_FOLDER
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.admin_export import export_in_background
from bilan_tui.tui.screens.dialogs import DIALOG_CSS, ConfirmScreen
from bilan_tui.tui.widgets.clean_inputs import CleanInput

WRITING_ACTIONS = frozenset({"sign", "paper"})
"""What a read-only window does not offer (nor shows in its footer)."""

NO_CONSULTANT = ("Le nom du consultant manque sur la fiche du dossier (prénom et nom, par exemple « Paul Roux ») : "
                 "Échap jusqu'au dossier, puis E pour modifier la fiche.")


def consultant_name(consultant: str) -> PersonName | None:
    """The dossier's consultant (one line, « Paul Roux ») as a first and a last name: the first word, then the
    rest (« Anne Marie Le Goff » is Anne, Marie Le Goff: the comparison of names ignores the split anyway).
    None when the line does not hold two words."""
    words = consultant.split()
    if len(words) < 2:
        return None
    return PersonName(first_name=words[0], last_name=" ".join(words[1:]))


def beneficiary_name(beneficiary: Beneficiary) -> PersonName:
    return PersonName(first_name=beneficiary.first_name, last_name=beneficiary.last_name)


def session_phase(session: Session, admin: AdministrativeFile) -> Phase:
    """The phase a half-day of ``session`` is signed under: as the hours ledger logged it, else as the session
    recorded it when it closed, else the dossier's phase when it started."""
    for logged in admin.hours.sessions:
        if logged.id == session.id:
            return first_phase(logged.phases)
    return first_phase(session.phases) if session.phases else session.phase


def held_spans(sessions: list[Session], admin: AdministrativeFile) -> list[HeldSpan]:
    """The held sessions as the attendance sheet sees them: times and phase, nothing else."""
    spans = []
    for session in sessions:
        if session.end_time is None or session.phase is Phase.INFORMATION:
            continue
        start = dt.datetime.combine(session.date, session.start_time)
        end = dt.datetime.combine(session.date, session.end_time)
        if end > start:
            spans.append(HeldSpan(session.id, start, end, session_phase(session, admin)))
    return spans


def signature_label(signature: Signature) -> str:
    return f"« {signature.typed} » à {time_label(signature.signed_at)}"


def verification_text(records: tuple[AttendanceRecord, ...], problems: list[str]) -> str:
    """What V says: intact, or every problem found."""
    if not problems:
        if not records:
            return "Feuille d'émargement intacte : aucun émargement signé pour l'instant."
        return (f"Feuille d'émargement intacte : {plural(len(records), 'émargement vérifié', 'émargements vérifiés')}, "
                f"empreinte du dernier {records[-1].hash[:16]}…")
    lines = ["⚠ La feuille d'émargement ne se vérifie plus : elle a été modifiée hors de bilan-tui."]
    lines += [f"  • {problem}" for problem in problems]
    lines.append("Rien ne peut plus y être ajouté. Gardez le fichier du dossier tel quel et comparez-le à sa "
                 "sauvegarde ou aux feuilles papier.")
    return "\n".join(lines)


@dataclass(frozen=True)
class Row:
    """One line of the table: a half-day to sign, or a signed record."""

    unsigned: UnsignedHalfDay | None = None
    record: AttendanceRecord | None = None
    paper: PaperSignature | None = None
    phase: Phase = Phase.PRELIMINAIRE


@dataclass(frozen=True)
class ExportChoice:
    label: str
    kind: str
    fmt: DocumentFormat


EXPORT_CHOICES = (
    ExportChoice("Feuille d'émargement (PDF, à imprimer et signer à la main)", "sheet", DocumentFormat.PDF),
    ExportChoice("Feuille d'émargement (DOCX)", "sheet", DocumentFormat.DOCX),
    ExportChoice("Attestation de présence pour le financeur (PDF) : dates et heures seulement", "attestation",
                 DocumentFormat.PDF),
    ExportChoice("Attestation de présence pour le financeur (DOCX)", "attestation", DocumentFormat.DOCX),
)


class AttendanceScreen(AppAccess, Screen[None]):
    """The half-days to sign and the signed records of one dossier."""

    DEFAULT_CSS = """
    AttendanceScreen #intro { padding: 0 1; height: auto; }
    AttendanceScreen #halfdays { height: auto; max-height: 50%; }
    AttendanceScreen #detail { height: 1fr; min-height: 4; border-top: solid $primary; padding: 0 1; }
    AttendanceScreen #exported { height: auto; padding: 0 1; color: $text-success; }
    """
    BINDINGS = [
        Binding("s", "sign", "Signer"),
        Binding("p", "paper", "Signée sur papier"),
        Binding("v", "verify", "Vérifier"),
        Binding("x", "export", "Exporter"),
        Binding("escape", "close", "Retour"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.rows: list[Row] = []
        self.verification = ""
        self.last_export = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="intro", markup=False)
        table: DataTable[Text] = DataTable(id="halfdays", cursor_type="row")
        table.add_columns("N°", "Date", "Horaires", "Phase", "Consultant", "Signature du consultant",
                          "Signature du bénéficiaire")
        yield table
        with VerticalScroll(id="detail"):
            yield Static(id="detail-text", markup=False)
            yield Static(id="verification", markup=False)
        yield Static(id="exported", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # The sub-title only: the app's title says when the beneficiary view is on.
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Émargement"
        self.refresh_view()
        if self.rows:
            self.query_one("#halfdays", DataTable).move_cursor(row=self._next_row())
        problems = self.problems()
        if problems:  # said at once: nothing can be signed on a sheet that no longer verifies
            self.verification = verification_text(self.handle.admin().attendance, problems)
            self._show_detail()
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.handle.read_only and action in WRITING_ACTIONS)

    def problems(self) -> list[str]:
        return verify(self.handle.admin().attendance, self.handle.attendance_head())

    # -- view ----------------------------------------------------------------------------------

    def refresh_view(self) -> None:
        dossier = self.handle.dossier
        admin = self.handle.admin()
        sessions = self.handle.sessions()
        by_id = {session.id: session for session in sessions}
        unsigned = unsigned_half_days(sessions, admin)
        self.rows = [Row(unsigned=half, phase=session_phase(by_id[half.session_id], admin)) for half in unsigned]
        self.rows += [Row(record=record, phase=record.phase) for record in reversed(admin.attendance)]
        self.rows += [Row(paper=paper, phase=paper.phase) for paper in reversed(admin.paper_signed)]
        consultant = dossier.consultant or "nom à renseigner"
        intro = Text()
        intro.append(f"Bénéficiaire : {dossier.beneficiary.display_name} · Consultant : {consultant}\n")
        intro.append(f"{plural(len(unsigned), 'demi-journée', 'demi-journées')} à signer · "
                     f"{plural(len(admin.attendance), 'demi-journée signée', 'demi-journées signées')}.", style="bold")
        if consultant_name(dossier.consultant) is None:
            intro.append(f"\n⚠ {NO_CONSULTANT}", style="bold")
        elif unsigned and not self.handle.read_only:
            intro.append("\nChaque demi-journée se signe le jour même, par les deux : S (ou Entrée) sur sa ligne, le "
                         "consultant tape son prénom et son nom, puis le bénéficiaire.")
        self.query_one("#intro", Static).update(intro)
        table = self.query_one("#halfdays", DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row, dossier.consultant))
        self._show_detail()

    def _cells(self, row: Row, consultant: str) -> list[Text]:
        if row.record is not None:
            record = row.record
            return [Text(str(record.index + 1)), Text(date_label(record.day)),
                    Text(f"{time_label(record.start)} – {time_label(record.end)}"), Text(record.phase.label),
                    Text(record.consultant.full), Text(signature_label(record.consultant_signature)),
                    Text(signature_label(record.beneficiary_signature))]
        if row.paper is not None:
            paper = row.paper
            return [Text("papier"), Text(date_label(paper.day)),
                    Text(f"{time_label(paper.start)} – {time_label(paper.end)}"), Text(paper.phase.label),
                    Text(consultant or "—"), Text("sur la feuille papier"), Text("sur la feuille papier")]
        half = row.unsigned
        assert half is not None
        return [Text("à signer", style="bold"), Text(date_label(half.start.date())),
                Text(f"{time_label(half.start)} – {time_label(half.end)}"), Text(row.phase.label),
                Text(consultant or "—"), Text("—"), Text("—")]

    def _next_row(self, record: AttendanceRecord | None = None) -> int:
        """The first half-day that can be signed now, else ``record``'s row, else the first."""
        for index, row in enumerate(self.rows):
            if row.unsigned is not None and not self._not_signable(row.unsigned):
                return index
        return next((index for index, row in enumerate(self.rows)
                     if row.record is not None and record is not None and row.record.hash == record.hash), 0)

    def _highlighted(self) -> Row | None:
        table = self.query_one("#halfdays", DataTable)
        if table.row_count == 0 or not self.rows:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self._highlighted()
        if row is not None and row.unsigned is not None and not self.handle.read_only:
            self.action_sign()

    def _show_detail(self) -> None:
        row = self._highlighted()
        detail = Text()
        if row is None:
            detail.append("Aucune demi-journée à signer : une demi-journée apparaît ici quand un entretien est "
                          "terminé (son heure de fin enregistrée). X exporte la feuille d'émargement à imprimer.")
        elif row.record is not None:
            record = row.record
            detail.append(f"{record.label} : {time_label(record.start)} – {time_label(record.end)}, "
                          f"{record.phase.label}\n", style="bold")
            detail.append(f"Consultant : {record.consultant.full}, signé {signature_label(record.consultant_signature)}"
                          f" le {date_label(record.consultant_signature.signed_at.date())}\n")
            detail.append(f"Bénéficiaire : {record.beneficiary.full}, signé "
                          f"{signature_label(record.beneficiary_signature)} le "
                          f"{date_label(record.beneficiary_signature.signed_at.date())}\n")
            detail.append(f"Empreinte : {record.hash[:16]}… (chaînée à l'émargement précédent)", style="dim")
        elif row.paper is not None:
            paper = row.paper
            detail.append(f"{paper.label} : {time_label(paper.start)} – {time_label(paper.end)}, {paper.phase.label}\n",
                          style="bold")
            detail.append(f"Signée à la main par les deux sur la feuille d'émargement papier, notée le "
                          f"{date_label(paper.noted_at.date())} à {time_label(paper.noted_at)}. La feuille signée reste "
                          "au dossier.")
        else:
            half = row.unsigned
            assert half is not None
            detail.append(f"À signer : {half.label}, {row.phase.label}\n", style="bold")
            problem = self._not_signable(half)
            if self.handle.read_only:
                detail.append("Dossier en lecture seule : la signature se fait dans la fenêtre qui l'a ouvert en "
                              "écriture.")
            elif problem:
                detail.append(problem)
            else:
                detail.append("S ou Entrée : signer cette demi-journée (le consultant, puis le bénéficiaire).")
        self.query_one("#detail-text", Static).update(detail)
        verification = self.query_one("#verification", Static)
        verification.update(Text(self.verification, style="bold" if self.verification.startswith("⚠") else ""))
        verification.display = bool(self.verification)
        exported = self.query_one("#exported", Static)
        exported.update(Text(self.last_export))
        exported.display = bool(self.last_export)

    # -- signing -------------------------------------------------------------------------------

    def _not_signable(self, half: UnsignedHalfDay) -> str:
        """Why ``half`` cannot be signed now (empty: it can)."""
        if consultant_name(self.handle.dossier.consultant) is None:
            return NO_CONSULTANT
        now = self.bilan.now()
        day = half.start.date()
        if now.date() > day:
            return (f"La signature dans bilan-tui se donne le jour même ({date_label(day)}) : ce jour est passé. "
                    "Faites signer la feuille d'émargement papier (X pour l'imprimer), gardez-la au dossier, puis P "
                    "pour noter ici que cette demi-journée est signée sur papier.")
        if now < half.start:
            return (f"Cette demi-journée commence le {date_label(day)} à {time_label(half.start)} : elle se signe ce "
                    "jour-là, à partir de cette heure.")
        return ""

    def action_sign(self) -> None:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : aucun émargement ne peut être signé ici.", severity="warning",
                        markup=False)
            return
        row = self._highlighted()
        if row is None:
            self.notify("Aucune demi-journée à signer.", markup=False)
            return
        if row.record is not None or row.paper is not None:
            label = row.record.label if row.record is not None else row.paper.label  # type: ignore[union-attr]
            self.notify(f"{label} est déjà signé : un émargement signé ne se modifie pas.", markup=False)
            return
        half = row.unsigned
        assert half is not None
        problem = self._not_signable(half)
        if problem:
            self.notify(problem, severity="warning", timeout=10, markup=False)
            return
        problems = self.problems()
        if problems:
            self.verification = verification_text(self.handle.admin().attendance, problems)
            self._show_detail()
            self.notify("La feuille d'émargement ne se vérifie plus : rien ne peut y être ajouté (le détail est "
                        "affiché).", severity="error", timeout=10, markup=False)
            return
        dossier = self.handle.dossier
        consultant = consultant_name(dossier.consultant)
        assert consultant is not None
        beneficiary = beneficiary_name(dossier.beneficiary)
        phase = row.phase
        signed: list[AttendanceRecord] = []

        def attempt(consultant_signature: Signature, beneficiary_signature: Signature) -> str | None:
            admin = self.handle.admin()
            try:
                record = new_record(admin.attendance, dossier_id=dossier.id, session_id=half.session_id,
                                    start=half.start, end=half.end, phase=phase, consultant=consultant,
                                    beneficiary=beneficiary, consultant_signature=consultant_signature,
                                    beneficiary_signature=beneficiary_signature)
                self.handle.save_admin(admin.model_copy(update={"attendance": (*admin.attendance, record)}))
            except (AttendanceError, StorageError, OSError) as error:
                return f"Émargement non enregistré : {error}"
            signed.append(record)
            return None

        def done(saved: bool | None) -> None:
            if not saved or not signed:
                return
            self.verification = ""
            self.refresh_view()
            self.query_one("#halfdays", DataTable).move_cursor(row=self._next_row(signed[0]))
            self._show_detail()
            self.notify(f"{signed[0].label} enregistré, signé par les deux.", markup=False)

        heading = f"{half.label}, {half_day_label(half)}, {phase.label}"
        self.app.push_screen(self.bilan.dialog(SignScreen(heading, consultant, beneficiary, self.bilan.now, attempt),
                                               consultant_only=False), done)

    def action_paper(self) -> None:
        """Note that the highlighted half-day was signed by both on the paper sheet (after a confirmation)."""
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : rien ne peut être noté ici.", severity="warning", markup=False)
            return
        row = self._highlighted()
        if row is None or row.unsigned is None:
            self.notify("Choisissez une demi-journée « à signer » (↑ ↓), puis P.", markup=False)
            return
        half, phase = row.unsigned, row.phase
        try:
            paper = paper_signature(session_id=half.session_id, start=half.start, end=half.end, phase=phase,
                                    now=self.bilan.now())
        except AttendanceError as error:
            self.notify(str(error), severity="warning", timeout=10, markup=False)
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            admin = self.handle.admin()
            try:
                self.handle.save_admin(admin.model_copy(update={"paper_signed": (*admin.paper_signed, paper)}))
            except (StorageError, OSError) as error:
                self.notify(f"Rien n'a été noté : {error}", severity="error", markup=False)
                return
            self.refresh_view()
            self.notify(f"{paper.label} : noté, signé sur papier par les deux.", markup=False)

        question = (f"{half.label} : la feuille d'émargement papier de cette demi-journée est-elle signée par le "
                    "bénéficiaire et par le consultant ? Elle reste au dossier ; ce qui est noté ici ne s'efface pas.")
        self.app.push_screen(self.bilan.dialog(ConfirmScreen(question), consultant_only=False), confirmed)

    # -- verification --------------------------------------------------------------------------

    def action_verify(self) -> None:
        records = self.handle.admin().attendance
        problems = self.problems()
        self.verification = verification_text(records, problems)
        self._show_detail()
        if problems:
            self.notify(f"Feuille d'émargement modifiée : {problems[0]}", severity="error", timeout=15, markup=False)
        else:
            self.notify(self.verification, markup=False)

    # -- documents -----------------------------------------------------------------------------

    def action_export(self) -> None:
        folder = str(self.bilan.repository.root / EXPORTS_FOLDER)

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.start_export(choice)

        self.app.push_screen(AttendanceExportScreen(folder), chosen)

    def document(self, kind: str) -> AdminDocument:
        """The sheet or the attestation, from the administrative file and the two names."""
        dossier = self.handle.dossier
        admin = self.handle.admin()
        made_on = self.bilan.now().date()
        names = {"beneficiary": dossier.beneficiary.display_name, "consultant": dossier.consultant}
        if kind == "sheet":
            return attendance_sheet(admin, made_on=made_on, held=held_spans(self.handle.sessions(), admin), **names)
        return presence_attestation(admin, made_on=made_on, expected_head=self.handle.attendance_head(), **names)

    def start_export(self, choice: ExportChoice) -> None:
        try:
            doc = self.document(choice.kind)
        except AttendanceError as error:
            self.notify(str(error), severity="error", timeout=15, markup=False)
            return
        if choice.kind == "attestation" and not self.handle.admin().convention.provider:
            self.notify("Le nom de l'organisme prestataire n'est pas renseigné (convention, F dans le cadre du "
                        "bilan) : l'attestation dit « L'organisme prestataire ».", severity="warning", timeout=10,
                        markup=False)
        what = f"{doc.title.lower()}, {choice.fmt.value.upper()}"

        def done(path: Path) -> None:
            self.last_export = f"Dernier export ({what}) : {path}"
            self._show_detail()

        export_in_background(self, self.bilan.repository, doc, choice.fmt, dossier_id=self.handle.dossier.id,
                             what=what, done=done)

    def action_close(self) -> None:
        self.app.pop_screen()


def half_day_label(half: UnsignedHalfDay) -> str:
    part = half_day_of(half.start.time(), half.end.time())
    return part.label if part is not None else ""


class SignScreen(AppAccess, ModalScreen[bool]):
    """Both sign one half-day: the consultant types their full name and Entrée, then the beneficiary.

    A name that does not match is refused in French, what was typed stays in its field. ``attempt``
    records the half-day with both signatures and returns None, or returns why not (said here).
    """

    DEFAULT_CSS = DIALOG_CSS.format(name="SignScreen") + """
    SignScreen #box { width: 90; }
    SignScreen .title { text-style: bold; }
    SignScreen .label { margin-top: 1; }
    SignScreen .signed { color: $text-success; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Signer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, heading: str, consultant: PersonName, beneficiary: PersonName,
                 now: Callable[[], dt.datetime], attempt: Callable[[Signature, Signature], str | None]) -> None:
        super().__init__()
        self.heading = heading
        self.consultant = consultant
        self.beneficiary = beneficiary
        self.now = now
        self.attempt = attempt
        self.consultant_signature: Signature | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(Text(f"Émargement : {self.heading}"), classes="title")
            yield Static(Text(f"1. Le consultant, {self.consultant.full} : tapez votre prénom et votre nom, puis "
                              "Entrée."), classes="label")
            yield CleanInput(id="consultant", max_length=MAX_LINE_LENGTH)
            yield Static("", id="consultant-signed", classes="signed", markup=False)
            yield Static(Text(f"2. Le bénéficiaire, {self.beneficiary.full} : tapez votre prénom et votre nom, puis "
                              "Entrée."), classes="label")
            yield CleanInput(id="beneficiary", max_length=MAX_LINE_LENGTH, disabled=True)
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Entrée : signer · Échap : annuler (rien n'est enregistré)", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(CleanInput):
            field.cursor_blink = self.blink
        self.query_one("#consultant", CleanInput).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "consultant":
            self._sign_consultant()
        else:
            self._sign_beneficiary()

    def _refuse(self, message: str, field: str) -> None:
        self.query_one("#error", Static).update(message)
        self.query_one(f"#{field}", CleanInput).focus()

    def _sign_consultant(self) -> bool:
        if self.consultant_signature is not None:
            return True
        field = self.query_one("#consultant", CleanInput)
        try:
            self.consultant_signature = sign(Signer.CONSULTANT, field.value, self.consultant, self.now())
        except AttendanceError as error:
            self._refuse(str(error), "consultant")
            return False
        field.disabled = True
        self.query_one("#consultant-signed", Static).update(
            f"✓ Signé par le consultant à {time_label(self.consultant_signature.signed_at)}.")
        self.query_one("#error", Static).update("")
        beneficiary = self.query_one("#beneficiary", CleanInput)
        beneficiary.disabled = False
        beneficiary.focus()
        return True

    def _sign_beneficiary(self) -> None:
        if not self._sign_consultant():
            return
        assert self.consultant_signature is not None
        try:
            signature = sign(Signer.BENEFICIARY, self.query_one("#beneficiary", CleanInput).value, self.beneficiary,
                             self.now())
        except AttendanceError as error:
            self._refuse(str(error), "beneficiary")
            return
        problem = self.attempt(self.consultant_signature, signature)
        if problem:
            self._refuse(problem, "beneficiary")
            return
        self.dismiss(True)

    def action_save(self) -> None:
        if self.consultant_signature is None:
            self._sign_consultant()
        else:
            self._sign_beneficiary()

    def action_cancel(self) -> None:
        self.dismiss(False)


class AttendanceExportScreen(AppAccess, ModalScreen[ExportChoice | None]):
    """Which attendance document to write, and in which format."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AttendanceExportScreen") + """
    AttendanceExportScreen #box { width: 100; }
    AttendanceExportScreen .title { text-style: bold; }
    AttendanceExportScreen OptionList { height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Exporter un document d'émargement", classes="title")
            yield OptionList(*[Option(f"{i}. {choice.label}", id=str(i)) for i, choice in enumerate(EXPORT_CHOICES, 1)],
                             id="documents")
            yield Static(Text("L'attestation ne contient que des dates et des heures signées : rien du contenu du "
                              "bilan."), classes="muted")
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
                self.dismiss(EXPORT_CHOICES[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(EXPORT_CHOICES[int(str(event.option.id)) - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)
