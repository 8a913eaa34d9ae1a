"""The information préalable (issue 10, point 1): what the person was told before anything is signed.

The checklist (each item ticked with its date), the date of the first contact, the screening (a bilan,
a redirection that closes the dossier, or « en réflexion » with a date to call back), the *document
d'information* adapted to what the person stated (exported, its hand-over recorded), what is still
missing before a convention can be signed, and the mid-bilan review of the investigation phase.

An administrative screen: it shows the same in both views (F6) and nothing of the working file. What
was said at the mid-bilan review is kept with its session (working file); this screen shows its trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Footer, Header, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from bilan_tui.domain.answers import AnswerError, parse_date
from bilan_tui.domain.models import DossierStatus, Phase, Session
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.funding import funding_type
from bilan_tui.domain.procedure.information import (
    InformationItem,
    MidReview,
    Screening,
    ScreeningOutcome,
    mid_review,
    missing_before_convention,
    screening,
    status_after,
    status_label,
)
from bilan_tui.domain.text import MAX_LINE_LENGTH, MAX_TEXT_LENGTH, clean_text, too_long
from bilan_tui.rendering.documents import DocumentFormat
from bilan_tui.rendering.information_doc import information_document
from bilan_tui.services.exports import EXPORTS_FOLDER
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.admin_export import export_in_background
from bilan_tui.tui.screens.dialogs import DIALOG_CSS, ConfirmScreen
from bilan_tui.tui.widgets.choice_select import ChoiceSelect
from bilan_tui.tui.widgets.clean_inputs import CleanInput, CleanTextArea

WRITING_ACTIONS = frozenset({"tick", "item_date", "first_contact", "screening", "handover", "mid_review"})
"""What a read-only window does not offer (the document is still exported, as it stands)."""


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def investigation_session(sessions: list[Session]) -> Session | None:
    """The session a mid-bilan review is recorded with: the open session of the investigation phase if
    there is one, else the latest session that served that phase (None: no session of that phase)."""
    served = [s for s in sessions if s.phase is Phase.INVESTIGATION or Phase.INVESTIGATION in s.phases]
    open_ones = [s for s in served if s.is_open]
    chosen = open_ones or served
    return chosen[-1] if chosen else None


class InformationScreen(AppAccess, Screen[None]):
    """« Information préalable »: checklist, first contact, screening, document, mid-bilan review."""

    DEFAULT_CSS = """
    InformationScreen #body { height: 1fr; }
    InformationScreen #items { height: auto; max-height: 12; }
    InformationScreen .part { padding: 0 1; height: auto; }
    InformationScreen .section { text-style: bold; padding: 0 1; margin-top: 1; }
    InformationScreen #exported { height: auto; padding: 0 1; color: $text-success; }
    """
    BINDINGS = [
        Binding("space", "tick", "Cocher"),
        Binding("j", "item_date", "Date du point"),
        Binding("a", "screening", "Adéquation"),
        Binding("p", "first_contact", "Premier contact"),
        Binding("d", "document", "Document"),
        Binding("r", "handover", "Remise"),
        Binding("m", "mid_review", "Mi-parcours"),
        Binding("escape", "app.pop_screen", "Retour"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.last_export = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Static(id="contact", classes="part", markup=False)
            yield Static("Points présentés à la personne", classes="section", id="items-title")
            yield OptionList(id="items")
            yield Static("Adéquation de la demande", classes="section")
            yield Static(id="screening", classes="part", markup=False)
            yield Static("Document d'information", classes="section")
            yield Static(id="document", classes="part", markup=False)
            yield Static("Avant la signature de la convention", classes="section")
            yield Static(id="missing", classes="part", markup=False)
            yield Static("Point à mi-parcours", classes="section")
            yield Static(id="review", classes="part", markup=False)
        yield Static(id="exported", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # The sub-title only: the app's title says when the beneficiary view is on.
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Information préalable"
        self.refresh_view()
        self.query_one("#items", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.handle.read_only and action in WRITING_ACTIONS)

    # -- what the screen shows ------------------------------------------------------------------

    def refresh_view(self) -> None:
        admin = self.handle.admin()
        dossier = self.handle.dossier
        information = admin.information
        writable = not self.handle.read_only
        contact = Text()
        contact.append("Premier contact : ")
        contact.append(_day(admin.first_contact) if admin.first_contact else "non renseigné",
                       style="bold" if admin.first_contact else "italic")
        if writable:
            contact.append(" (P pour le modifier)" if admin.first_contact else " (P pour l'indiquer)", style="dim")
        contact.append(f"\nStatut du dossier : {status_label(dossier.status, dossier.closed_on, information)}")
        self.query_one("#contact", Static).update(contact)

        self.query_one("#items-title", Static).update(
            "Points présentés à la personne" + (" (Espace : cocher ou décocher · J : présenté un autre jour)"
                                                if writable else ""))
        items = self.query_one("#items", OptionList)
        highlighted = items.highlighted
        items.clear_options()
        for item in InformationItem:
            on = information.ticked_on(item)
            mark = "☑" if on else "☐"
            when = f"présenté le {_day(on)}" if on else "à présenter"
            items.add_option(Option(Text(f"{mark} {item.label} · {when}"), id=item.value))
        items.highlighted = highlighted if highlighted is not None else 0

        result = information.screening
        text = Text()
        if result is None:
            text.append("Non vérifiée : un bilan répond-il à la demande ?", style="italic")
        else:
            text.append(result.label)
        if writable:
            text.append("\nA : enregistrer l'issue (bilan, réorientation, en réflexion)", style="dim")
        self.query_one("#screening", Static).update(text)

        text = Text()
        handover = information.document
        if handover is None:
            text.append("Non remis.", style="italic")
        else:
            text.append(f"Remis le {_day(handover.handed_on)}.", style="bold")
        adaptation = handover.adapted_to if handover is not None else information.adaptation
        if adaptation:
            text.append(f"\nAdapté aux attentes exprimées : « {adaptation} »")
        if handover is not None and information.adaptation != handover.adapted_to:
            text.append("\nLes attentes ont changé depuis la remise : R pour enregistrer une nouvelle remise.")
        text.append("\nD : préparer et exporter le document (PDF, DOCX)", style="dim")
        if writable:
            text.append(" · R : enregistrer sa remise", style="dim")
        self.query_one("#document", Static).update(text)

        agreement = admin.agreement
        signed_on = agreement.signed_on if agreement is not None else None
        missing = missing_before_convention(information, signed_on)
        text = Text()
        unticked = information.unticked()
        if unticked:  # one line for them all: the checklist above names them
            told = {f"Information préalable : « {item.label} » n'est pas cochée." for item in unticked}
            missing = [line for line in missing if line not in told]
            text.append(f"• Information préalable : {plural(len(unticked), 'point')} à présenter et à cocher "
                        "ci-dessus.\n")
        if missing or unticked:
            for line in missing:
                text.append(f"• {line}\n")
            text.rstrip()
        else:
            text.append("Rien ne manque : la convention peut être signée." if signed_on is None
                        else f"Tout était fait avant la signature du {_day(signed_on)}.", style="bold")
        self.query_one("#missing", Static).update(text)

        text = Text()
        trace = information.mid_review
        if trace is not None:
            text.append(trace.label, style="bold")
            text.append("\nCe qui s'y est dit est conservé avec l'entretien, dans le dossier de travail "
                        "(V sur le dossier pour le relire).")
        elif information.mid_review_offered(dossier.phase):
            text.append("À proposer : le dossier est en phase d'investigation. Où en est le bilan, la méthode "
                        "est-elle comprise, faut-il ajuster ?", style="bold")
        else:
            text.append(f"Se propose pendant la phase d'investigation (phase actuelle : {dossier.phase.label}).",
                        style="italic")
        if writable:
            text.append("\nM : enregistrer le point à mi-parcours", style="dim")
        self.query_one("#review", Static).update(text)

        exported = self.query_one("#exported", Static)
        exported.update(Text(self.last_export))
        exported.display = bool(self.last_export)

    # -- saving -----------------------------------------------------------------------------------

    def _read_only(self, what: str) -> bool:
        if self.handle.read_only:
            self.notify(f"Dossier en lecture seule : {what}.", severity="warning", markup=False)
        return self.handle.read_only

    def _save(self, admin: AdministrativeFile, failure: str) -> bool:
        try:
            self.handle.save_admin(admin)
        except (StorageError, OSError) as error:
            self.notify(f"{failure} : {error}", severity="error", timeout=10, markup=False)
            return False
        return True

    def _today(self) -> dt.date:
        return self.bilan.now().date()

    # -- the checklist ----------------------------------------------------------------------------

    def _highlighted_item(self) -> InformationItem | None:
        index = self.query_one("#items", OptionList).highlighted
        items = list(InformationItem)
        return items[index] if index is not None and 0 <= index < len(items) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "items":
            event.stop()
            self.action_tick()

    def action_tick(self) -> None:
        if self._read_only("rien ne peut être coché"):
            return
        item = self._highlighted_item()
        if item is None:
            return
        on = self.handle.admin().information.ticked_on(item)
        if on is None:
            today = self._today()
            admin = self.handle.admin()
            if self._save(admin.model_copy(update={"information": admin.information.tick(item, today)}),
                          "Non enregistré"):
                self.notify(f"« {item.label} » : présenté le {_day(today)}.", markup=False)
            self.refresh_view()
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            admin = self.handle.admin()
            if self._save(admin.model_copy(update={"information": admin.information.untick(item)}),
                          "Non enregistré"):
                self.notify(f"« {item.label} » : décoché.", markup=False)
            self.refresh_view()

        question = (f"Décocher « {item.label} », présenté le {_day(on)} ? La date de présentation sera effacée "
                    "(cocher à nouveau la date du jour).")
        self.app.push_screen(self.bilan.dialog(ConfirmScreen(question), consultant_only=False), confirmed)

    def action_item_date(self) -> None:
        if self._read_only("rien ne peut être coché"):
            return
        item = self._highlighted_item()
        if item is None:
            return
        today = self._today()
        on = self.handle.admin().information.ticked_on(item)

        def check(day: dt.date) -> str | None:
            if day > today:
                return f"Un point se coche le jour où il a été présenté : le {_day(day)} est à venir."
            return None

        def chosen(day: dt.date | None) -> None:
            if day is None:
                return
            admin = self.handle.admin()
            if self._save(admin.model_copy(update={"information": admin.information.tick(item, day)}),
                          "Non enregistré"):
                self.notify(f"« {item.label} » : présenté le {_day(day)}.", markup=False)
            self.refresh_view()

        dialog = DateScreen(f"« {item.label} »", "Présenté à la personne le (JJ/MM/AAAA)", _day(on or today), check)
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), chosen)

    # -- first contact ------------------------------------------------------------------------

    def action_first_contact(self) -> None:
        if self._read_only("la date du premier contact ne peut pas être modifiée"):
            return
        today = self._today()
        current = self.handle.admin().first_contact

        def check(day: dt.date) -> str | None:
            if day > today:
                return (f"Le premier contact ne peut pas être dans le futur : le {_day(day)} vient après "
                        f"aujourd'hui ({_day(today)}).")
            return None

        def chosen(day: dt.date | None) -> None:
            if day is None:
                return
            admin = self.handle.admin()
            if self._save(admin.model_copy(update={"first_contact": day}), "Date non enregistrée"):
                self.notify(f"Premier contact : {_day(day)}.", markup=False)
            self.refresh_view()

        dialog = DateScreen("Date du premier contact", "Le jour du premier appel ou du premier échange (JJ/MM/AAAA)",
                            _day(current or today), check)
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), chosen)

    # -- the screening ------------------------------------------------------------------------

    def action_screening(self) -> None:
        if self._read_only("l'adéquation ne peut pas être enregistrée"):
            return
        previous = self.handle.admin().information.screening
        name = self.handle.dossier.beneficiary.display_name

        def chosen(result: Screening | None) -> None:
            if result is None:
                return
            dossier = self.handle.dossier
            status = status_after(dossier.status, previous, result)
            question = ""
            if result.outcome.redirects:
                question = (f"{result.outcome.label}, motif : « {result.reason} ». Le dossier de {name} sera clos "
                            "avec cette issue ; aucune convention ne sera signée. Confirmer ?")
            elif dossier.status is DossierStatus.CLOSED and status is not DossierStatus.CLOSED:
                closed = status_label(dossier.status, dossier.closed_on, self.handle.admin().information)
                question = f"Le dossier de {name} est {closed}. Le rouvrir : « {result.outcome.label} » ?"
            if not question:
                self._record_screening(result, status)
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._record_screening(result, status)

            self.app.push_screen(self.bilan.dialog(ConfirmScreen(question), consultant_only=False), confirmed)

        dialog = ScreeningScreen(previous, self._today())
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), chosen)

    def _record_screening(self, result: Screening, status: DossierStatus) -> None:
        admin = self.handle.admin()
        dossier = self.handle.dossier
        changed = None
        if status is not dossier.status:
            closed_on = (dossier.closed_on or self._today()) if status is DossierStatus.CLOSED else None
            changed = dossier.model_copy(update={"status": status, "closed_on": closed_on})
        try:  # the outcome and the status it sets, in one write: a kill keeps both or neither
            self.handle.save_admin(admin.model_copy(update={"information": admin.information.with_screening(result)}),
                                   changed)
        except (StorageError, OSError) as error:
            self.notify(f"Adéquation non enregistrée : {error}", severity="error", timeout=10, markup=False)
            self.refresh_view()
            return
        if result.outcome.redirects:
            message = f"Issue enregistrée ({result.outcome.short}) : le dossier est clos."
        elif result.outcome is ScreeningOutcome.THINKING:
            assert result.call_back_on is not None
            message = f"En réflexion : le dossier attend ; rappel prévu le {_day(result.call_back_on)}."
        else:
            message = "Adéquation enregistrée : un bilan de compétences répond à la demande."
            if dossier.status is not DossierStatus.OPEN and status is DossierStatus.OPEN:
                message += " Le dossier est rouvert."
        self.notify(message, markup=False)
        self.refresh_view()

    # -- the document d'information -----------------------------------------------------------

    def action_document(self) -> None:
        if self.handle.read_only:  # exported as it stands: the adaptation cannot be changed here
            self._choose_format()
            return

        def adapted(text: str | None) -> None:
            if text is None:
                return
            admin = self.handle.admin()
            information = admin.information.with_adaptation(text)
            if information != admin.information and not self._save(
                    admin.model_copy(update={"information": information}), "Attentes non enregistrées"):
                return
            self.refresh_view()
            self._choose_format()

        dialog = AdaptationScreen(self.handle.admin().information.adaptation)
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), adapted)

    def _choose_format(self) -> None:
        repository = self.bilan.repository
        folder = str(repository.root / EXPORTS_FOLDER)

        def chosen(fmt: DocumentFormat | None) -> None:
            if fmt is None:
                return
            dossier = self.handle.dossier
            person = dossier.beneficiary
            doc = information_document(self.handle.admin(), person.display_name, dossier.consultant,
                                       today=self._today(),
                                       envisaged=funding_type(person.funding) if person.funding else None)

            def done(path: Path) -> None:
                self.last_export = f"Dernier export (document d'information) : {path}"
                self.refresh_view()

            export_in_background(self, repository, doc, fmt, dossier_id=dossier.id, what="document d'information",
                                 done=done)

        self.app.push_screen(self.bilan.dialog(FormatScreen(folder), consultant_only=False), chosen)

    def action_handover(self) -> None:
        if self._read_only("la remise ne peut pas être enregistrée"):
            return
        information = self.handle.admin().information
        today = self._today()
        adapted = (f", adapté aux attentes exprimées (« {information.adaptation} »)" if information.adaptation
                   else ", sans adaptation (D pour noter les attentes exprimées)")
        question = f"Enregistrer la remise du document d'information aujourd'hui ({_day(today)}){adapted} ?"
        if information.document is not None:
            question = (f"Le document a été remis le {_day(information.document.handed_on)}. "
                        f"Remplacer par une remise aujourd'hui ({_day(today)}){adapted} ?")

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            admin = self.handle.admin()
            if self._save(admin.model_copy(update={"information": admin.information.handed_over(today)}),
                          "Remise non enregistrée"):
                self.notify(f"Document d'information remis le {_day(today)}.", markup=False)
            self.refresh_view()

        self.app.push_screen(self.bilan.dialog(ConfirmScreen(question), consultant_only=False), confirmed)

    # -- the mid-bilan review -------------------------------------------------------------------

    def action_mid_review(self) -> None:
        if self._read_only("le point à mi-parcours ne peut pas être enregistré"):
            return
        session = investigation_session(self.handle.sessions())
        if session is None:
            self.notify("Le point à mi-parcours se tient au cours d'un entretien de la phase d'investigation : "
                        "ce dossier n'en a aucun (S sur le dossier pour en démarrer un).", severity="warning",
                        timeout=10, markup=False)
            return

        def check(where: str, understood: bool, adjustments: str) -> MidReview:
            return mid_review(session.date, where, understood, adjustments, session_id=session.id)

        def recorded(review: MidReview | None) -> None:
            if review is None:
                return
            current = self.handle.session(session.id)
            try:
                self.handle.save_session(current.model_copy(
                    update={"mid_review": review.for_session(self.bilan.now())}))
            except (StorageError, OSError) as error:
                self.notify(f"Point à mi-parcours non enregistré : {error}", severity="error", timeout=10,
                            markup=False)
                return
            admin = self.handle.admin()
            if self._save(admin.model_copy(update={"information": admin.information.with_mid_review(review)}),
                          "Trace du point à mi-parcours non enregistrée"):
                self.notify(f"Point à mi-parcours enregistré avec l'entretien du {_day(session.date)}.",
                            markup=False)
            self.refresh_view()

        dialog = MidReviewScreen(session, check)
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), recorded)


# -- dialogs ---------------------------------------------------------------------------------------


class DateScreen(AppAccess, ModalScreen[dt.date | None]):
    """One date, typed JJ/MM/AAAA; ``check`` says why a date is refused (None: accepted)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="DateScreen")
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, title: str, prompt: str, initial: str, check: Callable[[dt.date], str | None]) -> None:
        super().__init__()
        self.heading = title
        self.prompt = prompt
        self.initial = initial
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(self.heading, classes="title", markup=False)
            yield Static(self.prompt, classes="label", markup=False)
            field = CleanInput(self.initial, id="date")
            field.cursor_blink = self.blink
            yield field
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Entrée ou Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        try:
            day = parse_date(self.query_one(Input).value)
        except AnswerError as error:
            self.query_one("#error", Static).update(str(error))
            return
        problem = self.check(day)
        if problem:
            self.query_one("#error", Static).update(problem)
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.dismiss(None)


OUTCOMES = tuple(ScreeningOutcome)


class ScreeningScreen(AppAccess, ModalScreen[Screening | None]):
    """The screening: its outcome, the reason (required for a redirection), the call-back date (en
    réflexion). Refused, the form stays open with everything typed and says why."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ScreeningScreen") + """
    ScreeningScreen #box { width: 96; padding: 0 2; }
    ScreeningScreen .label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, current: Screening | None, today: dt.date) -> None:
        super().__init__()
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="box"):
            yield Static("Adéquation de la demande", classes="title")
            yield Static("Un bilan de compétences répond-il à la demande de la personne ?", classes="label")
            options = [(outcome.label, outcome.value) for outcome in OUTCOMES]
            if current is not None:
                yield ChoiceSelect(options, id="outcome", label="Issue", value=current.outcome.value)
            else:
                yield ChoiceSelect(options, id="outcome", label="Issue")
            yield Static("Motif (obligatoire pour une réorientation)", classes="label")
            yield CleanInput(current.reason if current is not None else "", id="reason",
                             placeholder="ex. : dix ans d'expérience dans le métier visé, une VAE suffit")
            yield Static("En réflexion : date à laquelle rappeler la personne (JJ/MM/AAAA)", classes="label")
            call_back = current.call_back_on if current is not None else None
            yield CleanInput(_day(call_back) if call_back else "", id="call-back",
                             placeholder=f"ex. : {_day(self.today + dt.timedelta(days=7))}")
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : suivant · Entrée : liste · Ctrl+S : enregistrer · Échap : annuler",
                         classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.blink
        self.query_one("#outcome").focus()

    def _refuse(self, message: str, field: str) -> None:
        self.query_one("#error", Static).update(message)
        self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        value = self.query_one("#outcome", Select).value
        if value is Select.BLANK or not isinstance(value, str):
            self._refuse("Choisissez l'issue : un bilan, une réorientation (VAE, CEP, autre) ou « en réflexion ».",
                         "outcome")
            return
        outcome = ScreeningOutcome(value)
        reason = clean_text(self.query_one("#reason", Input).value).strip()
        problem = too_long(reason, MAX_LINE_LENGTH)
        if problem:
            self._refuse(f"Motif : {problem}.", "reason")
            return
        call_back: dt.date | None = None
        typed = self.query_one("#call-back", Input).value
        if outcome is ScreeningOutcome.THINKING and typed.strip():
            try:
                call_back = parse_date(typed)
            except AnswerError as error:
                self._refuse(f"Date de rappel : {error}", "call-back")
                return
        try:
            result = screening(outcome, self.today, reason, call_back)
        except ProcedureError as error:
            self._refuse(str(error), "reason" if error.field == "reason" else "call-back")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AdaptationScreen(AppAccess, ModalScreen[str | None]):
    """The conditions or expectations the person stated, to which the document d'information is adapted."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AdaptationScreen") + "AdaptationScreen TextArea { height: 8; }"
    BINDINGS = [
        Binding("ctrl+s", "save", "Continuer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Document d'information", classes="title")
            yield Static("Conditions ou attentes particulières exprimées par la personne (le document les reprend ; "
                         "laisser vide : le document type) :", markup=False)
            area = CleanTextArea(self.text, id="adaptation", soft_wrap=True)
            area.cursor_blink = self.blink
            yield area
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Ctrl+S : choisir le format et exporter · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        text = clean_text(self.query_one(TextArea).text, multiline=True).strip()
        problem = too_long(text, MAX_TEXT_LENGTH)
        if problem:
            self.query_one("#error", Static).update(f"Attentes : {problem}.")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


FORMATS: tuple[tuple[str, DocumentFormat], ...] = (
    ("PDF, à imprimer et remettre à la personne", DocumentFormat.PDF),
    ("DOCX, à retoucher dans un traitement de texte", DocumentFormat.DOCX),
)


class FormatScreen(AppAccess, ModalScreen[DocumentFormat | None]):
    """PDF or DOCX (a digit or Entrée)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="FormatScreen") + "FormatScreen OptionList { height: auto; }"
    BINDINGS = [Binding("escape", "cancel", "Annuler")]

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Exporter le document d'information", classes="title")
            yield OptionList(*[Option(f"{i}. {label}", id=str(i)) for i, (label, _) in enumerate(FORMATS, 1)])
            yield Static(Text(f"Le fichier sera écrit dans « {self.folder} »."), classes="muted")
            yield Static("Chiffre ou Entrée : exporter · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(FORMATS):
                event.stop()
                self.dismiss(FORMATS[index][1])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(FORMATS[int(str(event.option.id)) - 1][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class MidReviewScreen(AppAccess, ModalScreen[MidReview | None]):
    """The mid-bilan review: where the bilan stands, whether the method is understood, what to adjust."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MidReviewScreen") + """
    MidReviewScreen #box { width: 96; padding: 0 2; }
    MidReviewScreen TextArea { height: 5; }
    MidReviewScreen Checkbox { height: auto; border: none; padding: 0; margin-top: 1; }
    MidReviewScreen .label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, session: Session, check: Callable[[str, bool, str], MidReview]) -> None:
        super().__init__()
        self.session = session
        self.check = check

    def compose(self) -> ComposeResult:
        earlier = self.session.mid_review
        with Vertical(id="box"):
            yield Static(f"Point à mi-parcours · entretien du {_day(self.session.date)}", classes="title",
                         markup=False)
            yield Static("Où en est le bilan ?", classes="label")
            yield CleanTextArea(earlier.where_we_stand if earlier else "", id="where", soft_wrap=True)
            yield Checkbox("La méthode est comprise par la personne", earlier.method_understood if earlier else False,
                           id="understood")
            yield Static("Ajustements (un rappel de la méthode si elle n'est pas comprise)", classes="label")
            yield CleanTextArea(earlier.adjustments if earlier else "", id="adjustments", soft_wrap=True)
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : suivant · Espace : cocher · Ctrl+S : enregistrer · Échap : annuler",
                         classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.cursor_blink = self.blink
        self.query_one("#where", TextArea).focus()

    def action_save(self) -> None:
        where = self.query_one("#where", TextArea).text
        adjustments = self.query_one("#adjustments", TextArea).text
        for text, label, field in ((where, "Où en est le bilan", "where"),
                                   (adjustments, "Ajustements", "adjustments")):
            problem = too_long(text, MAX_TEXT_LENGTH)
            if problem:
                self.query_one("#error", Static).update(f"{label} : {problem}.")
                self.query_one(f"#{field}").focus()
                return
        try:
            review = self.check(where, self.query_one("#understood", Checkbox).value, adjustments)
        except ProcedureError as error:
            self.query_one("#error", Static).update(str(error))
            self.query_one("#adjustments" if error.field == "adjustments" else "#where").focus()
            return
        self.dismiss(review)

    def action_cancel(self) -> None:
        self.dismiss(None)

