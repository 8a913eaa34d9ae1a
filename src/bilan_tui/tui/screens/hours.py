"""Heures du bilan: the plan per phase, the hours used against it, the sessions logged (issue 10, point 3).

The hours ledger of the administrative file is the reference: it stays when the working file is
purged, and the funder's statement is built from it. A correction made here (actual start and end,
phases served and their split) is written to the ledger, then carried to the session of the working
file (its times and phases), so that the dossier and the attendance show the same times.

Nothing here comes from the working file's content: the screen shows the same in both views.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Static

from bilan_tui.domain.models import Phase, Session, phase_labels
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.hours import (
    COUNTED_PHASES,
    MAX_MINUTES,
    HoursLedger,
    HoursPlan,
    LoggedSession,
    check_held,
    check_signed_times,
    format_hours,
    hours_plan,
    logged_session,
    parse_hours,
    plan_warnings,
    unusual_hours,
)
from bilan_tui.domain.sessions import MeetingError, parse_time
from bilan_tui.domain.text import MAX_LINE_LENGTH, clean_text, is_blank, too_long
from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.hours_sync import budget_warning, log_closed_sessions
from bilan_tui.tui.screens.dialogs import DIALOG_CSS
from bilan_tui.tui.widgets.clean_inputs import CleanInput

WRITING_ACTIONS = frozenset({"edit_plan", "correct"})
"""What a read-only window does not offer."""


def clock_time(text: str, what: str) -> dt.time:
    """« 9:00 », « 14h30 »: a time of day typed in a form; refused in French, naming the field."""
    try:
        return parse_time(text)
    except MeetingError as error:
        message = str(error).removeprefix("Prochain rendez-vous : ")
        raise ProcedureError(f"{what} : {message}", "start" if what == "Début" else "end") from None


def usage_text(ledger: HoursLedger) -> Text:
    """The hours used per phase against the plan, the total, and what is worth a warning."""
    text = Text()
    text.append(f"Heures utilisées : {ledger.total_label}", style="bold")
    remaining = ledger.remaining
    text.append(f" · reste {format_hours(remaining)}" if remaining >= 0 else "")
    text.append(f"\nPlan des heures : {ledger.plan.label}\n")
    width = max(len(phase.label) for phase in COUNTED_PHASES)
    text.append(f"\n  {'Phase':<{width}}  {'Prévu':>8}  {'Utilisé':>8}  Écart\n", style="bold")
    for row in ledger.rows():
        gap = row.planned - row.used
        gap_label = f"reste {format_hours(gap)}" if gap >= 0 else f"dépassement de {format_hours(-gap)}"
        text.append(f"  {row.phase.label:<{width}}  {format_hours(row.planned):>8}  {format_hours(row.used):>8}  "
                    f"{gap_label}\n", style="bold red" if row.over else "")
    text.append(f"  {'Total':<{width}}  {format_hours(ledger.plan.total):>8}  {format_hours(ledger.total):>8}  "
                f"sur {format_hours(MAX_MINUTES)} au plus\n", style="bold")
    used = ledger.used_by_phase()
    outside = [f"{phase.label} {format_hours(used[phase])}" for phase in (Phase.INFORMATION, Phase.SUIVI)
               if used[phase]]
    if outside:
        text.append(f"  Hors des 24 h : {', '.join(outside)}\n", style="dim")
    for warning in [*ledger.warnings(), *plan_warnings(ledger.plan)]:
        text.append(f"\n⚠ {warning}", style="bold")
    return text


def signed_labels(admin: AdministrativeFile, session_id: str) -> tuple[str, ...]:
    """The half-days of a session signed by both, in bilan-tui or on the paper sheet: its times are proven."""
    return (*(record.label for record in admin.attendance if record.session_id == session_id),
            *(paper.label for paper in admin.paper_signed if paper.session_id == session_id))


def split_label(entry: LoggedSession) -> str:
    """« Phase préliminaire 1 h + Investigation 2 h » (the split, told or equal)."""
    return " + ".join(f"{phase.label} {format_hours(minutes)}" for phase, minutes in entry.minutes_by_phase().items())


class HoursScreen(AppAccess, Screen[None]):
    """« Heures du bilan »: the plan, the hours used, the sessions logged and their corrections."""

    DEFAULT_CSS = """
    HoursScreen #top { height: auto; max-height: 60%; }
    HoursScreen #usage { padding: 0 1; height: auto; }
    HoursScreen #sessions { height: 1fr; min-height: 5; }
    HoursScreen #detail { padding: 0 1; height: auto; max-height: 8; border-top: solid $primary; }
    HoursScreen .section { text-style: bold; padding: 0 1; margin-top: 1; }
    """
    BINDINGS = [
        Binding("p", "edit_plan", "Plan des heures"),
        Binding("c", "correct", "Corriger l'entretien"),
        Binding("escape", "app.pop_screen", "Retour"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.ledger = HoursLedger()
        self.admin = AdministrativeFile()
        self.problems: dict[str, str] = {}
        self.sessions: dict[str, Session] = {}
        self.order: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        if self.handle.read_only:
            yield Static("Lecture seule : ce dossier est ouvert dans une autre fenêtre.", classes="banner")
        with VerticalScroll(id="top"):
            yield Static(id="usage", markup=False)
        yield Static("Entretiens et heures comptées", classes="section")
        table: DataTable[Text] = DataTable(id="sessions", cursor_type="row")
        table.add_columns("Date", "Horaires", "Durée", "Phases", "Remarque")
        yield table
        yield Static(id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # The sub-title only: the app's title says when the beneficiary view is on.
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Heures du bilan"
        self.refresh_view()
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.handle.read_only and action in WRITING_ACTIONS)

    def refresh_view(self, select: str | None = None) -> None:
        workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
        admin, self.problems = log_closed_sessions(self.app, self.handle, workbook)
        self.admin = admin
        self.ledger = admin.hours
        self.sessions = {session.id: session for session in self.handle.sessions()}
        self.query_one("#usage", Static).update(usage_text(self.ledger))
        logged = {entry.id: entry for entry in self.ledger.sessions}
        rows: list[tuple[dt.datetime, str]] = [(entry.start, entry.id) for entry in self.ledger.sessions]
        rows += [(dt.datetime.combine(s.date, s.start_time), s.id) for s in self.sessions.values() if s.id not in logged]
        rows.sort()
        table = self.query_one("#sessions", DataTable)
        table.clear()
        self.order = []
        for _, session_id in rows:
            entry = logged.get(session_id)
            if entry is not None:
                times = f"{entry.start:%H:%M}–{entry.end:%H:%M}"
                remark = "⚠ au-delà des 24 h" if entry.over_limit_reason else ""
                if session_id in self.problems:
                    remark = "⚠ à vérifier"
                table.add_row(Text(f"{entry.start:%d/%m/%Y}"), Text(times), Text(format_hours(entry.minutes)),
                              Text(phase_labels(entry.phases)), Text(remark), key=session_id)
            else:
                session = self.sessions[session_id]
                end = f"{session.end_time:%H:%M}" if session.end_time else "…"
                remark = "en cours (comptée à la clôture)" if session.is_open else "⚠ non comptée"
                table.add_row(Text(f"{session.date:%d/%m/%Y}"), Text(f"{session.start_time:%H:%M}–{end}"),
                              Text("—"), Text("—"), Text(remark), key=session_id)
            self.order.append(session_id)
        if self.order:
            row = self.order.index(select) if select in self.order else len(self.order) - 1
            table.move_cursor(row=row)
        self._show_detail()

    def _highlighted(self) -> str | None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0 or not 0 <= table.cursor_row < len(self.order):
            return None
        return self.order[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if not self.handle.read_only:
            self.action_correct()

    def _entry(self, session_id: str) -> LoggedSession | None:
        return next((entry for entry in self.ledger.sessions if entry.id == session_id), None)

    def _show_detail(self) -> None:
        session_id = self._highlighted()
        detail = Text()
        if session_id is None:
            detail.append("Aucun entretien pour l'instant : ses heures sont comptées quand son compte-rendu est rédigé.")
        else:
            entry = self._entry(session_id)
            if entry is not None:
                detail.append(f"Entretien du {entry.start:%d/%m/%Y}, de {entry.start:%H:%M} à {entry.end:%H:%M} "
                              f"({format_hours(entry.minutes)}, dont {format_hours(entry.counted_minutes)} "
                              "comptées dans les 24 h)\n", style="bold")
                detail.append(f"Répartition{' (parts égales)' if entry.split is None else ''} : "
                              f"{split_label(entry)}\n")
                if entry.over_limit_reason:
                    detail.append(f"Raison du dépassement des 24 h : {entry.over_limit_reason}\n")
                if warning := unusual_hours(entry.start, entry.end):
                    detail.append(f"⚠ {warning}\n")
            elif self.sessions[session_id].is_open:
                detail.append("Entretien en cours : ses heures seront comptées quand son compte-rendu sera rédigé.\n")
            else:
                detail.append("Entretien clos dont les heures ne sont pas comptées.\n", style="bold")
            if session_id in self.problems:
                detail.append(f"⚠ {self.problems[session_id]}\n")
            signed = signed_labels(self.admin, session_id)
            if signed:
                detail.append(f"Demi-journée signée ({', '.join(signed)}) : ses horaires font foi et ne se "
                              "corrigent plus.\n")
            if not self.handle.read_only and (entry is not None or not self.sessions[session_id].is_open):
                detail.append("C ou Entrée : corriger les phases et leur répartition." if signed else
                              "C ou Entrée : corriger le début, la fin, les phases et leur répartition.", style="dim")
        self.query_one("#detail", Static).update(detail)

    # -- the plan ------------------------------------------------------------------------------

    def action_edit_plan(self) -> None:
        if self.handle.read_only:
            return

        def chosen(plan: HoursPlan | None) -> None:
            if plan is None:
                return
            admin = self.handle.admin()
            try:
                self.handle.save_admin(admin.model_copy(update={"hours": admin.hours.with_plan(plan)}))
            except (StorageError, OSError) as error:
                self.notify(f"Plan des heures non enregistré : {error}", severity="error", timeout=10, markup=False)
                return
            self.refresh_view(select=self._highlighted())
            self.notify(f"Plan des heures enregistré : {plan.label}.", markup=False)
            for warning in plan_warnings(plan):
                self.notify(warning, severity="warning", timeout=10, markup=False)

        self.app.push_screen(PlanScreen(self.ledger.plan), chosen)

    # -- correcting a session ------------------------------------------------------------------

    def action_correct(self) -> None:
        if self.handle.read_only:
            return
        session_id = self._highlighted()
        if session_id is None:
            self.notify("Aucun entretien à corriger.", markup=False)
            return
        entry = self._entry(session_id)
        session = self.sessions.get(session_id)
        if entry is None and (session is None or session.is_open):
            self.notify("Cet entretien est en cours : ses heures se corrigent une fois son compte-rendu rédigé.",
                        markup=False)
            return
        if entry is None:
            assert session is not None
            workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
            day = session.date
            start = dt.datetime.combine(day, session.start_time)
            end = dt.datetime.combine(day, session.end_time) if session.end_time else None
            phases = workbook.session_phases(self.handle.dossier, session)
            split: tuple[int, ...] | None = None
            reason = ""
        else:
            day, start, end, phases, split, reason = (entry.start.date(), entry.start, entry.end, entry.phases,
                                                      entry.split, entry.over_limit_reason)

        def corrected(result: LoggedSession | None) -> None:
            if result is not None:
                self._save_correction(result)

        screen = CorrectScreen(self.ledger, session_id, day, start, end, phases, split, reason, entry is not None,
                               signed=signed_labels(self.admin, session_id))
        self.app.push_screen(screen, corrected)

    def _save_correction(self, logged: LoggedSession) -> None:
        admin = self.handle.admin()
        try:
            before = next((entry for entry in admin.hours.sessions if entry.id == logged.id), None)
            session = self.sessions.get(logged.id)
            if before is not None:
                check_signed_times((before.start, before.end), (logged.start, logged.end),
                                   signed_labels(admin, logged.id))
            elif session is not None and session.end_time is not None:
                check_signed_times((dt.datetime.combine(session.date, session.start_time),
                                    dt.datetime.combine(session.date, session.end_time)),
                                   (logged.start, logged.end), signed_labels(admin, logged.id))
            if before is not None:
                hours = admin.hours.replace(logged)
            else:
                hours = admin.hours.add(logged)
            self.handle.save_admin(admin.model_copy(update={"hours": hours}))
        except ProcedureError as error:
            self.notify(f"Correction refusée : {error}", severity="error", timeout=10, markup=False)
            return
        except (StorageError, OSError) as error:
            self.notify(f"Correction non enregistrée : {error}", severity="error", timeout=10, markup=False)
            return
        session = self.sessions.get(logged.id)
        if session is not None:
            # The working file's session follows: its times, and its phases when they were changed here.
            update: dict[str, object] = {"start_time": logged.start.time(), "end_time": logged.end.time()}
            workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
            if set(workbook.session_phases(self.handle.dossier, session)) != set(logged.phases):
                update.update({"phases": logged.phases, "phases_by_hand": True})
            try:
                self.handle.save_session(session.model_copy(update=update))
            except (StorageError, OSError) as error:
                self.notify(f"Heures corrigées, mais l'entretien du dossier n'a pas suivi : {error}",
                            severity="warning", timeout=10, markup=False)
        self.refresh_view(select=logged.id)
        self.notify(f"Entretien du {logged.start:%d/%m/%Y} corrigé : {logged.start:%H:%M}–{logged.end:%H:%M}, "
                    f"{format_hours(logged.minutes)}. Total : {hours.total_label}.", markup=False)
        if warning := budget_warning(hours):
            self.notify(warning, title="Heures du bilan", severity="warning", timeout=10, markup=False)
        if warning := unusual_hours(logged.start, logged.end):
            self.notify(warning, title="Heures du bilan", severity="warning", timeout=10, markup=False)


class PlanScreen(AppAccess, ModalScreen[HoursPlan | None]):
    """The hours planned per phase, within the 24 hours of a bilan."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PlanScreen") + """
    PlanScreen .row { height: 1; margin-top: 1; }
    PlanScreen .row Static { width: 26; }
    PlanScreen .row Input { width: 16; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, plan: HoursPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Plan des heures par phase", classes="title")
            yield Static("Un bilan dure 24 h au plus, en tout (par défaut 3 h, 12 h, 6 h et 3 h). "
                         "Exemples : 3 h, 2 h 30, 2,5, 45 min.", classes="muted", markup=False)
            for phase in COUNTED_PHASES:
                with Horizontal(classes="row"):
                    yield Static(phase.label, markup=False)
                    field = CleanInput(format_hours(self.plan.minutes(phase)), id=f"plan-{phase.value}", compact=True)
                    field.cursor_blink = self.blink
                    yield field
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab : champ suivant · Entrée ou Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#plan-{COUNTED_PHASES[0].value}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _refuse(self, message: str, phase: Phase | None = None) -> None:
        self.query_one("#error", Static).update(message)
        if phase is not None:
            self.query_one(f"#plan-{phase.value}", Input).focus()

    def action_save(self) -> None:
        minutes: dict[Phase, int] = {}
        for phase in COUNTED_PHASES:
            try:
                minutes[phase] = parse_hours(self.query_one(f"#plan-{phase.value}", Input).value)
            except ProcedureError as error:
                self._refuse(f"{phase.label} : {error}", phase)
                return
        try:
            plan = hours_plan(minutes)
        except ProcedureError as error:
            self._refuse(str(error))
            return
        self.dismiss(plan)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CorrectScreen(AppAccess, ModalScreen[LoggedSession | None]):
    """A session's actual start and end, the phases it served and their split, checked against the ledger."""

    DEFAULT_CSS = DIALOG_CSS.format(name="CorrectScreen") + """
    CorrectScreen #box { width: 90; }
    CorrectScreen .row { height: 1; margin: 1 0; }
    CorrectScreen .row Static { width: 8; }
    CorrectScreen .row Input { width: 10; }
    CorrectScreen .phase { height: 1; }
    CorrectScreen .phase Checkbox { width: 34; }
    CorrectScreen .phase Input { width: 16; }
    CorrectScreen .label { margin-top: 1; }
    CorrectScreen #reason { width: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, ledger: HoursLedger, session_id: str, day: dt.date, start: dt.datetime,
                 end: dt.datetime | None, phases: tuple[Phase, ...], split: tuple[int, ...] | None, reason: str,
                 logged: bool, *, signed: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.ledger = ledger
        self.session_id = session_id
        self.day = day
        self.start = start
        self.end = end
        self.phases = phases
        self.split = dict(zip(phases, split, strict=True)) if split is not None else {}
        self.reason = reason
        self.logged = logged
        self.signed = signed
        """The session's half-days signed by both: its times stay as they are."""

    def compose(self) -> ComposeResult:
        blink = self.blink
        with Vertical(id="box"):
            yield Static(f"Heures de l'entretien du {self.day:%d/%m/%Y}", classes="title")
            yield Static("Début et fin réels (HH:MM) ; les phases servies ; leur répartition en heures, ou rien "
                         "pour des parts égales.", classes="muted", markup=False)
            if self.signed:
                yield Static(f"Demi-journée signée ({', '.join(self.signed)}) : l'émargement fait foi, début et "
                             "fin ne se corrigent plus ; phases et répartition, oui.", classes="error-message",
                             id="signed", markup=False)
            with Horizontal(classes="row"):
                yield Static("Début", markup=False)
                start = CleanInput(f"{self.start:%H:%M}", id="start", compact=True)
                yield start
                yield Static("   Fin", markup=False)
                end = CleanInput(f"{self.end:%H:%M}" if self.end else "", placeholder="HH:MM", id="end", compact=True)
                yield end
            start.cursor_blink = end.cursor_blink = blink
            # Under the times, so that both stay in sight on a small terminal (24 lines).
            yield Static("", id="warning", markup=False)
            yield Static("", id="error", classes="error-message", markup=False)
            for phase in Phase:
                with Horizontal(classes="phase"):
                    yield Checkbox(phase.label, phase in self.phases, id=f"phase-{phase.value}", compact=True)
                    share = self.split.get(phase)
                    field = CleanInput(format_hours(share) if share is not None else "", placeholder="parts égales",
                                       id=f"share-{phase.value}", compact=True)
                    field.cursor_blink = blink
                    yield field
            yield Static("Raison, si le total dépasse 24 h", classes="label", markup=False)
            reason = CleanInput(self.reason, id="reason", compact=True)
            reason.cursor_blink = blink
            yield reason
            yield Static("Tab : champ suivant · Espace : cocher · Ctrl+S : enregistrer · Échap : annuler",
                         classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#end", Input).focus()
        self._warn()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("start", "end"):
            self._warn()

    def _warn(self) -> None:
        """The line that warns of unusual times (a Saturday, 7:30), as they are typed."""
        warning = ""
        try:
            start = dt.datetime.combine(self.day, parse_time(self.query_one("#start", Input).value))
            end = dt.datetime.combine(self.day, parse_time(self.query_one("#end", Input).value))
        except MeetingError:
            pass
        else:
            warning = unusual_hours(start, end) if end > start else ""
        self.query_one("#warning", Static).update(f"⚠ {warning}" if warning else "")

    def _refuse(self, message: str, field: str) -> None:
        self.query_one("#error", Static).update(message)
        target = {"start": "#start", "end": "#end", "reason": "#reason"}.get(field)
        if field == "phases":
            target = f"#phase-{Phase.PRELIMINAIRE.value}"
        elif field.startswith("share-"):
            target = f"#{field}"
        if target is not None:
            self.query_one(target).focus()

    def action_save(self) -> None:
        try:
            logged = self._checked()
        except ProcedureError as error:
            self._refuse(str(error), error.field)
            return
        self.dismiss(logged)

    def _checked(self) -> LoggedSession:
        start_time = clock_time(self.query_one("#start", Input).value, "Début")
        if is_blank(self.query_one("#end", Input).value):
            raise ProcedureError("Fin : indiquez l'heure de fin réelle (HH:MM).", "end")
        end_time = clock_time(self.query_one("#end", Input).value, "Fin")
        start = dt.datetime.combine(self.day, start_time)
        end = dt.datetime.combine(self.day, end_time)
        if self.signed and self.end is not None:
            check_signed_times((self.start, self.end), (start, end), self.signed)
            start, end = self.start, self.end  # unchanged to the minute: kept as signed
        phases = [phase for phase in Phase if self.query_one(f"#phase-{phase.value}", Checkbox).value]
        shares: dict[Phase, int] = {}
        for phase in Phase:
            typed = self.query_one(f"#share-{phase.value}", Input).value
            if is_blank(typed):
                continue
            if phase not in phases:
                raise ProcedureError(f"Répartition : {phase.label} n'est pas cochée ; cochez-la ou effacez sa durée.",
                                     f"share-{phase.value}")
            try:
                shares[phase] = parse_hours(typed)
            except ProcedureError as error:
                raise ProcedureError(f"Répartition, {phase.label} : {error}", f"share-{phase.value}") from None
        if shares and len(shares) != len(phases):
            missing = next(phase for phase in phases if phase not in shares)
            raise ProcedureError(f"Répartition : indiquez la durée de chaque phase cochée ({missing.label} "
                                 "manque), ou d'aucune pour des parts égales.", f"share-{missing.value}")
        reason = clean_text(self.query_one("#reason", Input).value).strip()
        problem = too_long(reason, MAX_LINE_LENGTH)
        if problem:
            raise ProcedureError(f"Raison : {problem}.", "reason")
        logged = logged_session(self.session_id, start, end, phases, shares or None, reason)
        if not self.signed:
            check_held(end, self.bilan.now())
        # Checked against the other sessions (overlap, 24 hours) as it will be saved.
        if self.logged:
            self.ledger.replace(logged)
        else:
            self.ledger.add(logged)
        return logged

    def action_cancel(self) -> None:
        self.dismiss(None)


class OverLimitScreen(AppAccess, ModalScreen[str | None]):
    """A session that takes the bilan past 24 hours: saved only with the consultant's reason."""

    DEFAULT_CSS = DIALOG_CSS.format(name="OverLimitScreen")
    BINDINGS = [
        Binding("ctrl+s", "confirm", "Enregistrer avec cette raison", priority=True),
        Binding("escape", "cancel", "Revenir au compte-rendu"),
    ]

    def __init__(self, total: int, session: LoggedSession) -> None:
        super().__init__()
        self.total = total
        self.session = session

    def compose(self) -> ComposeResult:
        after = self.total + self.session.counted_minutes
        with Vertical(id="box"):
            yield Static("Au-delà des 24 heures du bilan", classes="title")
            yield Static(
                f"Heures déjà comptées : {format_hours(self.total)}. Cette séance ({format_hours(self.session.minutes)}"
                f") porterait le total à {format_hours(after)}, au-delà du maximum légal de 24 h (dépassement de "
                f"{format_hours(after - MAX_MINUTES)}). Pour l'enregistrer quand même, notez pourquoi ; la raison "
                "reste avec la séance dans le dossier administratif.", markup=False)
            reason = CleanInput(placeholder="Raison du dépassement", id="reason")
            reason.cursor_blink = self.blink
            yield reason
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Entrée ou Ctrl+S : enregistrer avec cette raison · Échap : revenir au compte-rendu "
                         "(rien n'est enregistré)", classes="muted", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        reason = clean_text(self.query_one(Input).value).strip()
        problem = ("Notez la raison du dépassement des 24 heures, ou Échap pour revenir au compte-rendu."
                   if is_blank(reason) else too_long(reason, MAX_LINE_LENGTH))
        if problem:
            self.query_one("#error", Static).update(problem if is_blank(reason) else f"Raison : {problem}.")
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
