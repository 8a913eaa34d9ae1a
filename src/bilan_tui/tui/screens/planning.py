"""Planning des entretiens: the planned sessions of a bilan, proposed, moved, cancelled, added, exported.

The plan lives in the administrative file (``AdministrativeFile.plan``); its sessions are proposed by
:func:`~bilan_tui.domain.procedure.planner.propose_plan` from a start date, Monday to Friday between
8:00 and 18:00, never on a public holiday, never over another dossier's session of the same
consultant. The other dossiers are not opened: their planned sessions come from the index
(``DossierSummary.frame.busy``), see :func:`consultant_busy`. A refused slot says why in the dialog,
and says when the other session is, never whose it is. No session of the bilan (the information
préalable aside) is proposed, moved or added before the first day the recorded agreement allows
(:func:`~bilan_tui.domain.procedure.funding.earliest_start_with_reason`): the refusal gives the reason
and that day. The place is the planning's, else the one typed for the convention.

The per-phase hours of a proposed plan are the dossier's hours plan (``hours.plan``, edited in the
« Heures » screen): the screen says when the planned sessions no longer add up to it.

The agenda file (``.ics``) carries one event per session: « Bilan de compétences, entretien n »,
the time and the place; the beneficiary's first name only when the consultant ticks it. Its name is
``agenda-<id>.ics`` (``agenda-<first name>-<id>.ics`` with the first name): no last name, as the file
goes to an agenda, often on a phone.

Nothing here comes from the working file: the screen shows the same in both views (F6).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static

from bilan_tui.domain.answers import AnswerError, parse_date
from bilan_tui.domain.models import Phase
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.calendar import (
    WEEKDAY_NAMES,
    BusyCalendar,
    HolidayZone,
    SlotError,
    SlotRefusal,
    SlotRules,
    date_label,
    duration_label,
    time_label,
)
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.events import calendar_events
from bilan_tui.domain.procedure.funding import EarliestStart, earliest_start_with_reason
from bilan_tui.domain.procedure.hours import COUNTED_PHASES, MAX_MINUTES, HoursPlan, parse_hours
from bilan_tui.domain.procedure.planner import (
    PhaseBudget,
    Plan,
    PlannedSession,
    PlanningError,
    PlanSettings,
    add_session,
    cancel_session,
    move_session,
    propose_plan,
)
from bilan_tui.domain.sessions import MeetingError, parse_time
from bilan_tui.domain.text import MAX_LINE_LENGTH, clean_text, is_blank, name_key, names_match, too_long
from bilan_tui.rendering.calendar import build_ics
from bilan_tui.services.admin_exports import export_bytes
from bilan_tui.services.exports import EXPORTS_FOLDER, ExportError
from bilan_tui.storage import DossierEntry, DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.screens.dialogs import DIALOG_CSS
from bilan_tui.tui.screens.dossier_form import FormSelect
from bilan_tui.tui.widgets.clean_inputs import CleanInput

WRITING_ACTIONS = frozenset({"propose", "move", "cancel_session", "add", "location"})
"""What a read-only window does not offer (nor shows in its footer)."""

ANY_DAY = "indifferent"


# -- the consultant's other sessions ------------------------------------------------------------


def same_consultant(other: str, consultant: str) -> bool:
    """Whether two dossiers are the same consultant's: the names match (case, accents, order aside), or
    either names no consultant (most data folders are one consultant's: a dossier without a name is theirs)."""
    if not name_key(other) or not name_key(consultant):
        return True
    return names_match(other, consultant)


@dataclass(frozen=True)
class OtherSessions:
    """The consultant's planned sessions in the other dossiers, as the planner avoids them."""

    calendar: BusyCalendar
    sessions: int
    dossiers: int
    unreadable: int
    """Dossiers the index could not read: their sessions are unknown."""
    error: str = ""
    """Why the other dossiers could not be listed at all (French), or empty."""

    @property
    def warning(self) -> str:
        """What the planner could not avoid (French, with a leading space), or empty."""
        text = ""
        if self.unreadable:
            text += (f" {plural(self.unreadable, 'dossier illisible', 'dossiers illisibles')}, dont les entretiens ne "
                     "peuvent pas être évités.")
        if self.error:
            text += f" {self.error}"
        return text


def consultant_busy(entries: Iterable[DossierEntry], consultant: str, dossier_id: str) -> OtherSessions:
    """The active planned sessions of the other dossiers of ``consultant``, from the index summaries
    (no dossier is opened). ``dossier_id``: this dossier, left out (its own plan is checked apart)."""
    spans: list[tuple[dt.datetime, dt.datetime, str]] = []
    dossiers = unreadable = 0
    same: dict[str, bool] = {}   # a consultant's name is compared once, not once per dossier
    for entry in entries:
        summary = entry.summary
        if entry.id == dossier_id:
            continue
        if summary is None:
            unreadable += 1
            continue
        if summary.frame is None or not summary.frame.busy:
            continue
        name = summary.consultant
        if name not in same:
            same[name] = same_consultant(name, consultant)
        if not same[name]:
            continue
        dossiers += 1
        spans.extend((start, end, summary.id) for start, end in summary.frame.busy)
    return OtherSessions(BusyCalendar.from_spans(spans), len(spans), dossiers, unreadable)


# -- what the agreement allows, where the sessions take place ---------------------------------------


def first_allowed(admin: AdministrativeFile, today: dt.date) -> EarliestStart | None:
    """The first day a session of the bilan (not of the information préalable) may take place, as the
    recorded agreement sets it, with why; None without an agreement or a date that bounds the start."""
    if admin.agreement is None:
        return None
    return earliest_start_with_reason(admin.agreement, today=today)


def too_early(admin: AdministrativeFile, phase: Phase, day: dt.date, today: dt.date) -> str:
    """Why a session of ``phase`` on ``day`` comes before the agreement allows (French), or empty."""
    found = first_allowed(admin, today)
    if phase is Phase.INFORMATION or found is None or day >= found.day:
        return ""
    return (f"le {date_label(day)} est avant le premier jour possible du bilan : {found.reason} ; "
            f"premier entretien possible le {WEEKDAY_NAMES[found.day.weekday()]} {date_label(found.day)} "
            "(Cadre du bilan, F : financement).")


def planning_place(admin: AdministrativeFile) -> str:
    """Where the sessions take place: the planning's place, else the place typed for the convention."""
    return admin.location or admin.convention.place


# -- small helpers ----------------------------------------------------------------------------------


def validation_message(error: ValidationError) -> str:
    """The French message of a model's refusal (our validators write French)."""
    first = error.errors()[0]
    message = str(first.get("msg", ""))
    return message.removeprefix("Value error, ") or "Réglage refusé."


def phases_of(plan: HoursPlan) -> tuple[PhaseBudget, ...]:
    """The planner's phases from the dossier's hours plan (phases without hours left out)."""
    return tuple(PhaseBudget(phase=phase, minutes=plan.minutes(phase)) for phase in COUNTED_PHASES
                 if plan.minutes(phase) > 0)


def session_day(session: PlannedSession) -> str:
    return f"{WEEKDAY_NAMES[session.start.weekday()]} {date_label(session.start.date())}"


def session_times(session: PlannedSession) -> str:
    return f"{time_label(session.start)} – {time_label(session.end)}"


def ics_name(first_name: str, dossier_id: str, with_name: bool) -> str:
    """``agenda-2a1924.ics``, or ``agenda-lea-2a1924.ics`` when the first name goes in the events."""
    tag = re.sub(r"[^a-z0-9]+", "", dossier_id.lower())[:6]
    name = ""
    if with_name:
        ascii_name = unicodedata.normalize("NFKD", first_name).encode("ascii", "ignore").decode("ascii")
        name = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:30].rstrip("-")
    return "-".join(part for part in ("agenda", name, tag) if part) + ".ics"


def _date(label: str, text: str) -> dt.date:
    if is_blank(text):
        raise PlanningError(f"{label} : indiquez une date au format JJ/MM/AAAA (exemple : 15/12/2026).")
    try:
        return parse_date(text)
    except AnswerError as error:
        raise PlanningError(f"{label} : {error}") from None


def _time(label: str, text: str) -> dt.time:
    if is_blank(text):
        raise PlanningError(f"{label} : indiquez une heure (exemples : 14:00, 9h30).")
    try:
        return parse_time(text)
    except MeetingError as error:
        raise PlanningError(f"{label} : {str(error).removeprefix('Prochain rendez-vous : ')}") from None


class FieldError(Exception):
    """A refusal in a dialog, with the field to go back to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _field_of(refusal: SlotRefusal) -> str:
    return {SlotRefusal.EMPTY: "end", SlotRefusal.SPANS_DAYS: "end", SlotRefusal.PAST: "day",
            SlotRefusal.WEEKEND: "day", SlotRefusal.HOLIDAY: "day", SlotRefusal.BEFORE_OPENING: "start",
            SlotRefusal.AFTER_CLOSING: "end", SlotRefusal.OVERLAP: "start"}[refusal]


# -- the screen ----------------------------------------------------------------------------------------


class PlanningScreen(AppAccess, Screen[None]):
    """The planned sessions in a table; keys to propose, move, cancel, add, set the place, export."""

    DEFAULT_CSS = """
    PlanningScreen #summary { padding: 0 1; height: auto; }
    PlanningScreen #sessions { height: 1fr; }
    PlanningScreen #detail { height: auto; padding: 0 1; border-top: solid $primary; }
    PlanningScreen #exported { height: auto; padding: 0 1; color: $text-success; }
    """
    BINDINGS = [
        Binding("p", "propose", "Proposer"),
        Binding("d", "move", "Déplacer"),
        Binding("c", "cancel_session", "Annuler"),
        Binding("a", "add", "Ajouter"),
        Binding("l", "location", "Lieu"),
        Binding("x", "export", "Agenda .ics"),
        Binding("escape", "close", "Retour"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.shown: list[PlannedSession] = []
        self.admin_file = AdministrativeFile()
        self.last_export = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary", markup=False)
        table: DataTable[Text] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_columns("N°", "Jour", "Horaire", "Durée", "Phase", "État")
        yield table
        with VerticalScroll(id="detail"):
            yield Static(id="detail-text", markup=False)
            yield Static(id="exported", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # The sub-title only: the app's title says when the beneficiary view is on.
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Planning des entretiens"
        self.refresh_view()
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.handle.read_only and action in WRITING_ACTIONS)

    # -- reading ------------------------------------------------------------------------------

    def others(self) -> OtherSessions:
        """The consultant's sessions in the other dossiers, read from the index now."""
        dossier = self.handle.dossier
        try:
            entries = self.bilan.repository.list_dossiers()
        except (StorageError, OSError) as error:
            return OtherSessions(BusyCalendar(), 0, 0, 0, f"Les autres dossiers n'ont pas pu être lus ({error}) : "
                                 "leurs entretiens ne sont pas évités, vérifiez votre agenda.")
        return consultant_busy(entries, dossier.consultant, dossier.id)

    def refresh_view(self, select: str | None = None) -> None:
        admin = self.handle.admin()
        self.admin_file = admin
        plan = admin.plan
        self.shown = sorted(plan.sessions, key=lambda s: (s.start, s.id))
        table = self.query_one("#sessions", DataTable)
        highlighted = self._highlighted()
        current = select or (highlighted.id if highlighted else None)
        table.clear()
        for session in self.shown:
            number = plan.number(session.id)
            style = "" if session.is_active else "dim"
            table.add_row(Text(str(number) if number else "—", style=style), Text(session_day(session), style=style),
                          Text(session_times(session), style=style), Text(duration_label(session.minutes), style=style),
                          Text(session.phase.label, style=style), Text(session.status.label, style=style),
                          key=session.id)
        if current is not None:
            table.move_cursor(row=next((i for i, s in enumerate(self.shown) if s.id == current), 0))
        self.query_one("#summary", Static).update(self.summary(admin))
        self._show_detail()

    def summary(self, admin: AdministrativeFile) -> Text:
        plan, settings = admin.plan, admin.plan_settings
        text = Text()
        if self.handle.read_only:
            text.append("Lecture seule : le planning se modifie dans la fenêtre qui a ouvert le dossier.\n",
                        style="bold")
        active = plan.active
        text.append(plural(len(active), "entretien prévu", "entretiens prévus"), style="bold")
        if active:
            text.append(f", {duration_label(plan.total_minutes)} en tout, du {date_label(active[0].start.date())} "
                        f"au {date_label(active[-1].start.date())}")
        text.append("\n")
        place = planning_place(admin)
        if admin.location:
            text.append(f"Lieu : {place}")
        elif place:
            text.append(f"Lieu : {place} (celui de la convention ; L pour en indiquer un autre)")
        else:
            text.append("Lieu : non indiqué (L pour le saisir)")
        first = f"le {date_label(admin.first_contact)}" if admin.first_contact else "non indiqué"
        text.append(f" · Premier contact : {first}\n")
        weekday = "jour indifférent" if settings.preferred_weekday is None else \
            f"le {WEEKDAY_NAMES[settings.preferred_weekday]} de préférence"
        zone = "fériés d'Alsace-Moselle" if settings.rules.zone is HolidayZone.ALSACE_MOSELLE else "fériés nationaux"
        text.append(f"Réglages : entretiens de {duration_label(settings.session_minutes)} au plus, tous les "
                    f"{plural(settings.interval_days, 'jour')}, {weekday} vers {time_label(settings.preferred_time)}, "
                    f"du lundi au vendredi {settings.rules.hours_label}, {zone}\n")
        for note in plan.notes:
            text.append(f"⚠ {note}\n")
        early = self.early_sessions(admin)
        if early:
            text.append(f"⚠ {early}\n", style="bold")
        outside = self.outside_period(admin)
        if outside:
            text.append(f"⚠ {outside}\n", style="bold")
        used = admin.hours.total
        future = sum(session.minutes for session in plan.active if session.start >= self.bilan.now())
        if used and used + future > MAX_MINUTES:
            text.append(f"⚠ {duration_label(used)} déjà faites et {duration_label(future)} encore prévues : "
                        f"{duration_label(used + future)}, au-delà des 24 h du bilan. Annulez (C) ou raccourcissez "
                        "(D) des entretiens à venir, ou proposez à nouveau le planning (P).\n", style="bold")
        gap = self.hours_gap(admin)
        if gap:
            text.append(f"⚠ {gap}\n", style="bold")
        if not active and not self.handle.read_only:
            text.append("P : proposer tout le planning à partir d'une date de début.", style="italic")
        return text

    def early_sessions(self, admin: AdministrativeFile) -> str:
        """A sentence when planned sessions still to come are before the first day the agreement allows."""
        now = self.bilan.now()
        early = [s for s in admin.plan.active if s.start >= now
                 and too_early(admin, s.phase, s.start.date(), now.date())]
        if not early:
            return ""
        found = first_allowed(admin, now.date())
        assert found is not None  # an early session needs a first allowed day
        numbers = ", ".join(f"n° {admin.plan.number(early_one.id)} ({session_day(early_one)})" for early_one in early)
        return (f"{plural(len(early), 'entretien prévu', 'entretiens prévus')} avant le premier jour possible "
                f"({WEEKDAY_NAMES[found.day.weekday()]} {date_label(found.day)} ; {found.reason}) : {numbers}. "
                "Déplacez-les (D) ou proposez à nouveau le planning (P).")

    def outside_period(self, admin: AdministrativeFile) -> str:
        """A sentence when sessions still to come fall outside the convention's period."""
        start, end = admin.convention.period_start, admin.convention.period_end
        now = self.bilan.now()
        outside = [s for s in admin.plan.active if s.start >= now and s.phase is not Phase.INFORMATION
                   and ((start is not None and s.start.date() < start) or (end is not None and s.start.date() > end))]
        if not outside:
            return ""
        period = f"du {date_label(start) if start else '…'} au {date_label(end) if end else '…'}"
        numbers = ", ".join(f"n° {admin.plan.number(one.id)} ({session_day(one)})" for one in outside)
        return (f"{plural(len(outside), 'entretien prévu', 'entretiens prévus')} hors de la période de la convention "
                f"({period}) : {numbers}. Déplacez-les (D), ou prolongez la période avec l'accord des parties "
                "(Cadre du bilan, F, puis C).")

    @staticmethod
    def hours_gap(admin: AdministrativeFile) -> str:
        """A sentence when the planned sessions do not add up to the hours plan, phase by phase."""
        plan = admin.plan
        if not plan.active:
            return ""
        planned = plan.minutes_by_phase()
        expected = admin.hours.plan
        differ = [phase for phase in COUNTED_PHASES if planned.get(phase, 0) != expected.minutes(phase)]
        if not differ:
            return ""
        parts = ", ".join(f"{phase.label} {duration_label(planned.get(phase, 0)) if planned.get(phase) else '0 h'}"
                          f" pour {duration_label(expected.minutes(phase)) if expected.minutes(phase) else '0 h'}"
                          for phase in differ)
        return (f"Le planning ne suit pas le plan des heures ({parts}) : ajoutez ou annulez des entretiens, "
                "ou proposez à nouveau le planning (P).")

    def _highlighted(self) -> PlannedSession | None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0 or not self.shown:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        session = self._highlighted()
        detail = Text()
        if session is None:
            detail.append("Aucun entretien planifié.")
        else:
            number = self.admin_file.plan.number(session.id)
            name = f"Entretien n° {number}" if number else "Entretien annulé"
            detail.append(f"{name} : {session.label}", style="bold")
            if session.revision and session.is_active:
                detail.append(f" (déplacé {plural(session.revision, 'fois', 'fois')})")
            if self.handle.read_only:
                detail.append("\nX : exporter vers l'agenda (.ics)", style="dim")
            else:
                detail.append("\nP : proposer le planning · D : déplacer · C : annuler cet entretien · A : ajouter un "
                              "entretien · L : lieu · X : exporter vers l'agenda (.ics)", style="dim")
        self.query_one("#detail-text", Static).update(detail)
        exported = self.query_one("#exported", Static)
        exported.update(Text(self.last_export))
        exported.display = bool(self.last_export)

    # -- writing ------------------------------------------------------------------------------

    def _save(self, admin: AdministrativeFile, done: str, select: str | None = None) -> bool:
        try:
            self.handle.save_admin(admin)
        except (StorageError, OSError) as error:
            self.notify(f"Planning non enregistré : {error}", severity="error", timeout=10, markup=False)
            return False
        self.refresh_view(select=select)
        self.notify(done, markup=False)
        return True

    def _refuse_read_only(self) -> bool:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : le planning ne peut pas être modifié ici.", severity="warning",
                        markup=False)
        return self.handle.read_only

    def action_propose(self) -> None:
        if self._refuse_read_only():
            return
        admin = self.handle.admin()
        dialog = ProposeScreen(admin, self.handle.dossier.created_at.date(), self.others(), self.bilan.now())

        def proposed(result: Proposal | None) -> None:
            if result is None:
                return
            updated = admin.model_copy(update={"plan": result.plan, "plan_settings": result.settings,
                                               "first_contact": result.first_contact})
            active = admin.plan.active
            done = (f"Planning proposé : {plural(len(result.plan.active), 'entretien', 'entretiens')} à partir du "
                    f"{date_label(result.plan.active[0].start.date())}.")
            if not active:
                self._save(updated, done)
                return
            from bilan_tui.tui.screens.dialogs import ConfirmScreen

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._save(updated, done)

            question = (f"Remplacer les {plural(len(active), 'entretien prévu', 'entretiens prévus')} par le nouveau "
                        f"planning ({plural(len(result.plan.active), 'entretien', 'entretiens')} du "
                        f"{date_label(result.plan.active[0].start.date())} au "
                        f"{date_label(result.plan.active[-1].start.date())}) ? Si l'ancien planning est dans votre "
                        "agenda, retirez-le avant d'importer le nouveau.")
            self.app.push_screen(self.bilan.dialog(ConfirmScreen(question), consultant_only=False), confirmed)

        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), proposed)

    def action_move(self) -> None:
        if self._refuse_read_only():
            return
        session = self._highlighted()
        if session is None:
            self.notify("Aucun entretien à déplacer : P pour proposer le planning.", markup=False)
            return
        if not session.is_active:
            self.notify("Cet entretien est annulé : A pour en ajouter un autre.", markup=False)
            return
        if session.start < self.bilan.now():
            self.notify(f"L'entretien du {date_label(session.start.date())} a déjà commencé ou eu lieu : il ne se "
                        "déplace plus.", severity="warning", markup=False)
            return
        admin = self.handle.admin()

        def moved(plan: Plan | None) -> None:
            if plan is None:
                return
            new = plan.session(session.id)
            self._save(admin.model_copy(update={"plan": plan}),
                       f"Entretien déplacé : {session_day(new)}, {session_times(new)}.", select=session.id)

        dialog = SlotScreen(admin, self.others(), self.bilan.now(), session=session)
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), moved)

    def action_add(self) -> None:
        if self._refuse_read_only():
            return
        admin = self.handle.admin()

        def added(plan: Plan | None) -> None:
            if plan is None:
                return
            new_ids = {s.id for s in plan.sessions} - {s.id for s in admin.plan.sessions}
            new_id = next(iter(new_ids), None)
            added_session = plan.session(new_id) if new_id else None
            done = (f"Entretien ajouté : {session_day(added_session)}, {session_times(added_session)}."
                    if added_session else "Entretien ajouté.")
            self._save(admin.model_copy(update={"plan": plan}), done, select=new_id)

        dialog = SlotScreen(admin, self.others(), self.bilan.now(), session=None)
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), added)

    def action_cancel_session(self) -> None:
        if self._refuse_read_only():
            return
        session = self._highlighted()
        if session is None:
            self.notify("Aucun entretien à annuler.", markup=False)
            return
        if not session.is_active:
            self.notify("Cet entretien est déjà annulé.", markup=False)
            return
        admin = self.handle.admin()
        try:
            plan = cancel_session(admin.plan, session.id, now=self.bilan.now())
        except PlanningError as error:
            self.notify(str(error), severity="warning", timeout=10, markup=False)
            return
        from bilan_tui.tui.screens.dialogs import ConfirmScreen

        number = admin.plan.number(session.id)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._save(admin.model_copy(update={"plan": plan}),
                           f"Entretien n° {number} annulé ({session_day(session)}).", select=session.id)

        question = (f"Annuler l'entretien n° {number}, {session_day(session)}, {session_times(session)} ? Il reste "
                    "au planning, marqué annulé ; l'agenda le retire au prochain export.")
        self.app.push_screen(self.bilan.dialog(ConfirmScreen(question), consultant_only=False), confirmed)

    def action_location(self) -> None:
        if self._refuse_read_only():
            return
        admin = self.handle.admin()

        def chosen(place: str | None) -> None:
            if place is None:
                return
            fallback = admin.convention.place
            self._save(admin.model_copy(update={"location": place}),
                       f"Lieu des entretiens : {place}." if place else
                       f"Lieu des entretiens : celui de la convention ({fallback})." if fallback
                       else "Lieu des entretiens effacé.")

        self.app.push_screen(self.bilan.dialog(LocationScreen(planning_place(admin), admin.convention.place), consultant_only=False), chosen)

    def action_export(self) -> None:
        admin = self.handle.admin()
        if not admin.plan.sessions:
            self.notify("Aucun entretien planifié à exporter : P pour proposer le planning.", markup=False)
            return
        repository = self.bilan.repository
        dossier = self.handle.dossier
        first_name = dossier.beneficiary.first_name
        stamp = self.bilan.now().astimezone(dt.UTC)

        def chosen(with_name: bool | None) -> None:
            if with_name is None:
                return
            events = calendar_events(admin.plan, location=planning_place(admin),
                                     first_name=first_name if with_name else "")
            name = ics_name(first_name, dossier.id, with_name)

            def work() -> None:
                try:
                    result = export_bytes(repository, build_ics(events, stamp=stamp), name, "ics")
                except ExportError as error:
                    self.app.call_from_thread(self._export_failed, str(error))
                    return
                except Exception as error:  # an unexpected failure must be said  # noqa: BLE001
                    self.app.call_from_thread(self._export_failed, f"Export impossible : {error}")
                    return
                self.app.call_from_thread(self._exported, result.path, len(events))

            self.notify("Export en cours…", markup=False)
            self.run_worker(work, thread=True, group="export", exit_on_error=False)

        folder = str(repository.root / EXPORTS_FOLDER)
        dialog = IcsExportScreen(first_name, len(admin.plan.sessions), planning_place(admin), folder)
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=False), chosen)

    def _exported(self, path: Path, count: int) -> None:
        self.last_export = f"Agenda exporté ({plural(count, 'événement', 'événements')}) : {path}"
        self.notify(self.last_export, timeout=15, markup=False)
        self._show_detail()

    def _export_failed(self, message: str) -> None:
        self.notify(message, severity="error", timeout=15, markup=False)

    def action_close(self) -> None:
        self.app.pop_screen()


# -- dialogs ---------------------------------------------------------------------------------------


FORM_CSS = """
{name} {{ align: center middle; }}
{name} #box {{ width: 84; max-width: 100%; height: auto; max-height: 100%; border: thick $primary;
              background: $surface; padding: 0 1; }}
{name} #fields {{ height: auto; max-height: 1fr; }}
{name} .row {{ height: 1; }}
{name} #fields {{ margin-top: 1; }}
{name} .row > .name {{ width: 30; }}
{name} .row > Input, {name} .row > Select {{ width: 1fr; }}
{name} .label {{ margin-top: 1; }}
{name} Checkbox {{ height: auto; border: none; padding: 0; margin-top: 1; }}
"""


def row(label: str, field: Input | Select[str]) -> Horizontal:
    """One line of a form: the label, then the field (compact, one line high)."""
    return Horizontal(Static(label, classes="name", markup=False), field, classes="row")


T = TypeVar("T")


class FormDialog(AppAccess, ModalScreen[T | None], Generic[T]):
    """A small form: Entrée goes to the next field (saves on the last), Ctrl+S saves, Échap cancels.

    A refusal is shown under the fields and the faulty field gets the focus; what was typed stays.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.blink
        first = next(iter(self.query("#fields Input, #fields Select, Input")), None)
        if first is not None:
            first.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        if inputs and event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def value(self, field: str) -> str:
        return clean_text(self.query_one(f"#{field}", Input).value).strip()

    def refuse(self, message: str, field: str) -> None:
        self.query_one("#error", Static).update(Text(message))
        self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Proposal:
    plan: Plan
    settings: PlanSettings
    first_contact: dt.date


class ProposeScreen(FormDialog[Proposal]):
    """The whole schedule from a start date: first contact, start, length, interval, weekday, hour, holidays."""

    DEFAULT_CSS = FORM_CSS.format(name="ProposeScreen")

    def __init__(self, admin: AdministrativeFile, created: dt.date, others: OtherSessions, now: dt.datetime) -> None:
        super().__init__()
        self.admin = admin
        self.created = created
        self.others = others
        self.now = now

    def compose(self) -> ComposeResult:
        settings = self.admin.plan_settings
        contact = self.admin.first_contact or self.created
        weekdays = [("Indifférent", ANY_DAY)] + [(WEEKDAY_NAMES[day].capitalize(), str(day)) for day in range(5)]
        hours = self.admin.hours.plan
        with Vertical(id="box"):
            yield Static("Proposer le planning", classes="title")
            with VerticalScroll(id="fields"):
                yield row("Premier contact (JJ/MM/AAAA)", CleanInput(f"{contact:%d/%m/%Y}", id="contact", compact=True))
                allowed = first_allowed(self.admin, self.now.date())
                start = max(self.now.date(), contact, allowed.day if allowed else self.now.date())
                yield row("Début, au plus tôt (JJ/MM/AAAA)", CleanInput(f"{start:%d/%m/%Y}", id="start", compact=True))
                yield row("Durée d'un entretien (3 h)",
                          CleanInput(duration_label(settings.session_minutes), id="length", compact=True))
                yield row("Jours entre deux entretiens",
                          CleanInput(str(settings.interval_days), id="interval", compact=True))
                yield row("Jour préféré", FormSelect(
                    weekdays, id="weekday", allow_blank=False, compact=True,
                    value=ANY_DAY if settings.preferred_weekday is None else str(settings.preferred_weekday)))
                yield row("Heure préférée (9:00, 14h)",
                          CleanInput(time_label(settings.preferred_time), id="time", compact=True))
                yield Checkbox("Jours fériés d'Alsace-Moselle (Vendredi saint, 26 décembre)", id="alsace",
                               value=settings.rules.zone is HolidayZone.ALSACE_MOSELLE)
                others = self.others
                text = (f"Premier entretien possible le {WEEKDAY_NAMES[allowed.day.weekday()]} "
                        f"{date_label(allowed.day)} : {allowed.reason}. " if allowed else "")
                text += ("Le premier entretien vient dans la semaine qui suit le premier contact, quand c'est "
                        f"possible. Heures par phase, selon le plan des heures : {hours.label}. "
                        f"Du lundi au vendredi {settings.rules.hours_label}, hors jours fériés. ")
                text += (f"Évités : {plural(others.sessions, 'entretien prévu', 'entretiens prévus')} dans "
                         f"{plural(others.dossiers, 'autre dossier', 'autres dossiers')} du même consultant."
                         if others.sessions else "Aucun entretien prévu dans les autres dossiers du même consultant.")
                text += others.warning
                yield Static(text, classes="label muted", markup=False)
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab ou Entrée : champ suivant · Ctrl+S : proposer · Échap : annuler", classes="muted")
        yield Footer()

    def _settings(self) -> PlanSettings:
        try:
            length = parse_hours(self.value("length"))
        except ProcedureError as error:
            raise FieldError(f"Durée d'un entretien : {error}", "length") from None
        if not 60 <= length <= 600:
            raise FieldError(f"Durée d'un entretien : {duration_label(length) if length else '0 h'} ; un entretien dure "
                             "de 1 h à 10 h (exemples : 3 h, 2 h 30).", "length")
        interval_text = self.value("interval")
        if not re.fullmatch(r"[0-9]{1,2}", interval_text) or not 1 <= int(interval_text) <= 60:
            raise FieldError(f"« {interval_text[:20]} » : le nombre de jours d'un entretien au suivant va de 1 à 60 "
                             "(7 : une fois par semaine).", "interval")
        try:
            preferred = _time("Heure préférée", self.value("time"))
        except PlanningError as error:
            raise FieldError(str(error), "time") from None
        weekday = self.query_one("#weekday", Select).value
        zone = HolidayZone.ALSACE_MOSELLE if self.query_one("#alsace", Checkbox).value else HolidayZone.METROPOLE
        current = self.admin.plan_settings
        try:
            return PlanSettings(
                session_minutes=length,
                interval_days=int(interval_text),
                preferred_weekday=None if weekday == ANY_DAY else int(str(weekday)),
                preferred_time=preferred,
                first_within_days=current.first_within_days,
                phases=phases_of(self.admin.hours.plan),
                rules=SlotRules(opens=current.rules.opens, closes=current.rules.closes, zone=zone),
            )
        except ValidationError as error:
            message = validation_message(error)
            field = "length" if "entretien" in message else "time"
            if "phase" in message or "24 h" in message or "Aucune heure" in message:
                message += " Le plan des heures se règle dans l'écran des heures (H, depuis le cadre du bilan)."
                field = "length"
            raise FieldError(message, field) from None

    def action_save(self) -> None:
        today = self.now.date()
        try:
            try:
                contact = _date("Premier contact", self.value("contact"))
            except PlanningError as error:
                raise FieldError(str(error), "contact") from None
            if contact > today:
                raise FieldError(f"Premier contact : le {date_label(contact)} est dans le futur ; indiquez le jour de "
                                 f"l'appel ou du premier rendez-vous (au plus tard aujourd'hui, {date_label(today)}).",
                                 "contact")
            try:
                start = _date("Début du bilan", self.value("start"))
            except PlanningError as error:
                raise FieldError(str(error), "start") from None
            if start < today:
                raise FieldError(f"Début du bilan : le {date_label(start)} est déjà passé ; le planning commence au "
                                 f"plus tôt aujourd'hui, {date_label(today)}.", "start")
            if start < contact:
                raise FieldError(f"Début du bilan : le {date_label(start)} est avant le premier contact du "
                                 f"{date_label(contact)}.", "start")
            early = too_early(self.admin, Phase.PRELIMINAIRE, start, today)
            if early:
                raise FieldError(f"Début du bilan : {early}", "start")
            settings = self._settings()
            try:
                plan = propose_plan(start=start, first_contact=contact, now=self.now, settings=settings,
                                    busy=self.others.calendar)
            except PlanningError as error:
                raise FieldError(str(error), "start") from None
        except FieldError as error:
            self.refuse(str(error), error.field)
            return
        self.dismiss(Proposal(plan, settings, contact))


class SlotScreen(FormDialog[Plan]):
    """One session moved (``session`` given) or added: the day, the start, the end, and for a new one the phase."""

    DEFAULT_CSS = FORM_CSS.format(name="SlotScreen")

    def __init__(self, admin: AdministrativeFile, others: OtherSessions, now: dt.datetime,
                 session: PlannedSession | None) -> None:
        super().__init__()
        self.admin = admin
        self.others = others
        self.now = now
        self.session = session

    def _suggested_phase(self) -> Phase:
        """The first phase whose planned sessions fall short of the hours plan (else the last one)."""
        planned = self.admin.plan.minutes_by_phase()
        for phase in COUNTED_PHASES:
            if planned.get(phase, 0) < self.admin.hours.plan.minutes(phase):
                return phase
        return COUNTED_PHASES[-1]

    def compose(self) -> ComposeResult:
        session = self.session
        with Vertical(id="box"):
            if session is None:
                yield Static("Ajouter un entretien", classes="title")
            else:
                number = self.admin.plan.number(session.id)
                yield Static(Text(f"Déplacer l'entretien n° {number} ({session.phase.label}), prévu {session_day(session)}"
                                  f", {session_times(session)}"), classes="title")
            with VerticalScroll(id="fields"):
                if session is None:
                    yield row("Phase", FormSelect([(phase.label, phase.value) for phase in COUNTED_PHASES], id="phase",
                                                  allow_blank=False, value=self._suggested_phase().value,
                                                  compact=True))
                yield row("Jour (JJ/MM/AAAA)", CleanInput(f"{session.start:%d/%m/%Y}" if session else "", id="day",
                                                          placeholder="ex. : 15/12/2026", compact=True))
                yield row("Début (9:00, 14h)", CleanInput(time_label(session.start) if session else "9:00", id="start",
                                                          compact=True))
                yield row("Fin", CleanInput(time_label(session.end) if session else "12:00", id="end", compact=True))
                rules = self.admin.plan_settings.rules
                yield Static(f"Du lundi au vendredi {rules.hours_label}, hors jours fériés, sans chevaucher un autre "
                             f"entretien du consultant.{self.others.warning}", classes="label muted", markup=False)
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Tab ou Entrée : champ suivant · Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def action_save(self) -> None:
        try:
            day = _date("Jour", self.value("day"))
        except PlanningError as error:
            self.refuse(str(error), "day")
            return
        try:
            start = dt.datetime.combine(day, _time("Début", self.value("start")))
        except PlanningError as error:
            self.refuse(str(error), "start")
            return
        try:
            end = dt.datetime.combine(day, _time("Fin", self.value("end")))
        except PlanningError as error:
            self.refuse(str(error), "end")
            return
        phase = self.session.phase if self.session is not None else Phase(str(self.query_one("#phase", Select).value))
        early = too_early(self.admin, phase, day, self.now.date())
        if early:
            self.refuse(f"Jour : {early}", "day")
            return
        rules = self.admin.plan_settings.rules
        busy = self.others.calendar
        try:
            if self.session is not None:
                plan = move_session(self.admin.plan, self.session.id, start, end, now=self.now, rules=rules, busy=busy)
            else:
                plan = add_session(self.admin.plan, phase, start, end, now=self.now, rules=rules, busy=busy)
        except SlotError as error:
            self.refuse(str(error), _field_of(error.refusal))
            return
        except PlanningError as error:
            self.refuse(str(error), "end")
            return
        self.dismiss(plan)


class LocationScreen(FormDialog[str]):
    """Where the sessions take place (the only detail, beside the time, that goes to the agenda)."""

    DEFAULT_CSS = FORM_CSS.format(name="LocationScreen")

    def __init__(self, location: str, convention_place: str = "") -> None:
        super().__init__()
        self.location = location
        self.convention_place = convention_place

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Lieu des entretiens", classes="title")
            empty = (f"vide : celui de la convention (« {self.convention_place} »)" if self.convention_place
                     else "vide : aucun lieu")
            yield Static("Adresse du cabinet, salle, ou « visioconférence ». Il figure dans chaque événement de "
                         f"l'agenda exporté ; {empty}.", classes="label muted", markup=False)
            yield row("Lieu", CleanInput(self.location, id="place", placeholder="ex. : Cabinet, 12 rue des Lilas, Metz",
                                         compact=True))
            yield Static("", id="error", classes="error-message", markup=False)
            yield Static("Entrée ou Ctrl+S : enregistrer · Échap : annuler", classes="muted")
        yield Footer()

    def action_save(self) -> None:
        place = " ".join(self.value("place").split())
        problem = too_long(place, MAX_LINE_LENGTH)
        if problem:
            self.refuse(f"Lieu : {problem}.", "place")
            return
        self.dismiss("" if is_blank(place) else place)


class IcsExportScreen(AppAccess, ModalScreen[bool | None]):
    """What goes to the agenda, and whether the first name does: returns True (with it), False, or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="IcsExportScreen") + \
        "IcsExportScreen Checkbox { height: auto; border: none; padding: 0; margin: 1 0; }"
    BINDINGS = [
        Binding("ctrl+s,enter", "export", "Exporter", priority=True),
        Binding("escape", "cancel", "Annuler"),
    ]

    def __init__(self, first_name: str, count: int, location: str, folder: str) -> None:
        super().__init__()
        self.first_name = first_name
        self.count = count
        self.location = location
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Exporter vers l'agenda (.ics)", classes="title")
            place = f"le lieu (« {self.location} »)" if self.location else "aucun lieu (L pour le saisir)"
            yield Static(Text(
                f"{plural(self.count, 'événement', 'événements')} : « Bilan de compétences, entretien n », "
                f"l'heure et {place}. Rien d'autre du bilan ni de la personne. Les entretiens annulés partent "
                f"annulés, pour que l'agenda les retire. Le fichier est écrit dans {self.folder}."), classes="muted")
            yield Checkbox(f"Ajouter le prénom ({self.first_name}) au titre des événements", id="first-name",
                           value=False)
            yield Static("Espace : cocher · Entrée ou Ctrl+S : exporter · Échap : annuler", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Checkbox).focus()

    def action_export(self) -> None:
        self.dismiss(self.query_one(Checkbox).value)

    def action_cancel(self) -> None:
        self.dismiss(None)
