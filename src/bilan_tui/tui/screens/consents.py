"""The beneficiary's consents for a third party: listed, recorded, withdrawn.

The beneficiary alone receives the synthesis (L6313-4); an excerpt goes to a third party (an employer,
a CEP operator) only under a consent recorded here: who receives it, which sections, the date and the
beneficiary's typed agreement. A consent is withdrawn, never erased: later excerpts under it are then
refused. Consents are the beneficiary's own decision: the beneficiary view (F6) shows them as they are.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Static

from bilan_tui.domain.answers import AnswerError, parse_date
from bilan_tui.domain.plural import plural
from bilan_tui.domain.synthesis.model import SectionKey
from bilan_tui.domain.synthesis.record import Consent, SynthesisError, SynthesisRecord
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.widgets.clean_inputs import CleanInput

WRITING_ACTIONS = frozenset({"new_consent", "withdraw_consent"})

FIELDS = {"recipient": "recipient", "sections": f"section-{SectionKey.CIRCONSTANCES.value}", "given_on": "given-on",
          "agreement": "agreement"}
"""The widget to go back to for each field a refused consent names."""


def consents_line(record: SynthesisRecord) -> str:
    """The one line the dossier screen shows: the active consents, by recipient."""
    active = record.active_consents()
    if not active:
        withdrawn = len(record.consents)
        after = f" ({plural(withdrawn, 'retiré')})" if withdrawn else ""
        return f"Tiers : aucun consentement actif{after}, aucun extrait ne peut être transmis."
    recipients = ", ".join(f"{c.recipient} ({plural(len(c.sections), 'section')})" for c in active)
    return f"Tiers : {plural(len(active), 'consentement actif', 'consentements actifs')} : {recipients}."


class ConsentsScreen(AppAccess, Screen[None]):
    DEFAULT_CSS = """
    ConsentsScreen #intro { padding: 0 1; height: auto; }
    ConsentsScreen #consents { height: 1fr; }
    ConsentsScreen #detail { height: auto; max-height: 40%; border-top: solid $primary; padding: 0 1; }
    """
    BINDINGS = [
        Binding("n", "new_consent", "Nouveau consentement"),
        Binding("r", "withdraw_consent", "Retirer"),
        Binding("escape", "close", "Retour au dossier"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.shown: list[Consent] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(
            "Le bénéficiaire est le seul destinataire de sa synthèse. Un extrait n'est transmis à un tiers "
            "(employeur, opérateur CEP…) qu'avec son accord explicite, enregistré ici ; il peut le retirer "
            "à tout moment."), id="intro")
        table: DataTable[Text] = DataTable(id="consents", cursor_type="row")
        table.add_columns("N°", "Destinataire", "Sections", "Donné le", "État")
        yield table
        with VerticalScroll(id="detail"):
            yield Static(id="detail-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Consentements pour un tiers"
        self.refresh_view()
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.handle.read_only and action in WRITING_ACTIONS)

    def refresh_view(self, select: str | None = None) -> None:
        self.record = self.handle.synthesis()
        self.shown = list(self.record.consents)
        table = self.query_one("#consents", DataTable)
        table.clear()
        for consent in self.shown:
            table.add_row(Text(consent.id), Text(consent.recipient), Text(consent.sections_label),
                          Text(consent.given_on.strftime("%d/%m/%Y")),
                          Text(consent.state_label, style="" if consent.active else "dim"), key=consent.id)
        if select is not None:
            table.move_cursor(row=next((i for i, c in enumerate(self.shown) if c.id == select), 0))
        self._show_detail()

    def _highlighted(self) -> Consent | None:
        table = self.query_one("#consents", DataTable)
        if table.row_count == 0:
            return None
        return self.shown[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        consent = self._highlighted()
        detail = Text()
        if consent is None:
            detail.append("Aucun consentement enregistré : aucun extrait de la synthèse ne peut être transmis à un tiers.")
            if not self.handle.read_only:
                detail.append("\nN pour enregistrer le consentement du bénéficiaire.")
        else:
            detail.append(f"Consentement n° {consent.id} : {consent.recipient}\n", style="bold")
            detail.append(f"Sections : {consent.sections_label}\n")
            detail.append(f"Accord du bénéficiaire : « {consent.agreement} », donné le "
                          f"{consent.given_on.strftime('%d/%m/%Y')} (enregistré le "
                          f"{consent.recorded_at.strftime('%d/%m/%Y à %H:%M')})\n")
            if consent.withdrawn_at is not None:
                detail.append(f"Retiré le {consent.withdrawn_at.strftime('%d/%m/%Y à %H:%M')} : plus aucun extrait "
                              "ne peut être transmis sous ce consentement.", style="bold")
            else:
                detail.append("Actif : un extrait de ces sections peut être remis à ce destinataire.")
        self.query_one("#detail-text", Static).update(detail)

    def action_new_consent(self) -> None:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : aucun consentement ne peut être enregistré.", severity="warning",
                        markup=False)
            return

        def recorded(consent: Consent | None) -> None:
            if consent is None:
                return
            self.refresh_view(select=consent.id)
            self.notify(f"Consentement n° {consent.id} enregistré : {consent.recipient}.", markup=False)

        self.app.push_screen(self.bilan.dialog(ConsentFormScreen(self.handle), consultant_only=False), recorded)

    def action_withdraw_consent(self) -> None:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : le consentement ne peut pas être retiré.", severity="warning",
                        markup=False)
            return
        consent = self._highlighted()
        if consent is None:
            self.notify("Aucun consentement à retirer.", markup=False)
            return
        if consent.withdrawn_at is not None:
            self.notify(f"Ce consentement a déjà été retiré le {consent.withdrawn_at.strftime('%d/%m/%Y')}.",
                        markup=False)
            return
        from bilan_tui.tui.screens.dialogs import ConfirmScreen

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                record = self.handle.synthesis().withdraw_consent(consent.id, now=self.bilan.now())
                self.handle.save_synthesis(record)
            except (SynthesisError, StorageError, OSError) as error:
                self.notify(f"Consentement non retiré : {error}", severity="error", timeout=10, markup=False)
                return
            self.refresh_view(select=consent.id)
            self.notify(f"Consentement n° {consent.id} retiré : plus aucun extrait pour {consent.recipient}.",
                        markup=False)

        question = (f"Retirer le consentement n° {consent.id} ({consent.recipient}) ? Aucun extrait ne pourra plus "
                    "lui être transmis ; le consentement reste inscrit au dossier, marqué retiré.")
        self.app.push_screen(self.bilan.dialog(ConfirmScreen(question), consultant_only=False), done)

    def action_close(self) -> None:
        self.app.pop_screen()


class ConsentFormScreen(AppAccess, ModalScreen[Consent | None]):
    """A new consent: the recipient, the sections, the date, the beneficiary's typed agreement.

    Refused input leaves the form open with everything typed and says why; saved, it closes.
    """

    DEFAULT_CSS = """
    ConsentFormScreen { align: center middle; }
    ConsentFormScreen #box { width: 90; max-width: 100%; height: 90%; min-height: 16; border: thick $primary;
                             background: $surface; padding: 0 2; }
    ConsentFormScreen #fields { height: 1fr; }
    ConsentFormScreen Checkbox { height: auto; border: none; padding: 0; }
    ConsentFormScreen .label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer le consentement", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.beneficiary = handle.dossier.beneficiary.display_name

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Consentement pour un tiers", classes="title")
            with VerticalScroll(id="fields"):
                yield Static("Destinataire (qui reçoit l'extrait)", classes="label")
                yield CleanInput(id="recipient", placeholder="ex. : Cap emploi, Mme Roux ; employeur, service RH")
                yield Static("Sections transmises (Espace pour cocher)", classes="label")
                for key in SectionKey:
                    yield Checkbox(key.heading, id=f"section-{key.value}")
                yield Static("Date de l'accord (JJ/MM/AAAA)", classes="label")
                yield CleanInput(self.bilan.now().strftime("%d/%m/%Y"), id="given-on")
                yield Static(Text(
                    f"« Moi, {self.beneficiary}, j'accepte que les sections cochées de ma synthèse soient "
                    "transmises à ce destinataire. » Le bénéficiaire tape son nom ou « j'accepte » :"),
                    classes="label")
                yield CleanInput(id="agreement", placeholder="accord tapé par le bénéficiaire")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : champ suivant · Espace : cocher · Ctrl+S : enregistrer · Échap : annuler",
                         classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.blink
        self.query_one("#recipient", Input).focus()

    def _refuse(self, message: str, field: str) -> None:
        self.query_one("#error", Static).update(message)
        self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        sections = tuple(key for key in SectionKey if self.query_one(f"#section-{key.value}", Checkbox).value)
        try:
            given_on = parse_date(self.query_one("#given-on", Input).value)
        except AnswerError as error:
            self._refuse(f"Date de l'accord : {error}", "given-on")
            return
        try:
            record, consent = self.handle.synthesis().add_consent(
                recipient=self.query_one("#recipient", Input).value,
                sections=sections,
                given_on=given_on,
                agreement=self.query_one("#agreement", Input).value,
                expected_beneficiary=self.beneficiary,
                now=self.bilan.now(),
            )
        except SynthesisError as error:
            self._refuse(str(error), FIELDS.get(error.field, "agreement"))
            return
        try:
            self.handle.save_synthesis(record)
        except (StorageError, OSError) as error:
            self._refuse(f"Consentement non enregistré : {error}", "agreement")
            return
        self.dismiss(consent)

    def action_cancel(self) -> None:
        self.dismiss(None)
