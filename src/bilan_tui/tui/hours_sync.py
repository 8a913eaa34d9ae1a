"""Keeping the hours ledger of the administrative file in step with the sessions of the working file.

A session enters the ledger when its report is written (:mod:`bilan_tui.tui.screens.report`). Dossiers
whose sessions were closed before the ledger existed, or whose logging failed (a disk full at that
moment), are caught up here when the dossier or its hours are shown. From then on the ledger is the
reference for the hours (it stays when the working file is purged); the hours screen corrects both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import App

from bilan_tui.domain.models import Phase, Session
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.hours import (
    COUNTED_PHASES,
    WARNING_MINUTES,
    HoursLedger,
    format_hours,
    from_session,
    logged_session,
)
from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import DossierHandle, StorageError

BACKFILL_REASON = "enregistrée avant le suivi des heures"
"""The reason recorded for a session caught up past 24 hours (nobody was asked at the time)."""


def catch_up(ledger: HoursLedger, sessions: list[Session], workbook: Workbook, handle: DossierHandle
             ) -> tuple[HoursLedger, dict[str, str]]:
    """The ledger with the closed sessions it misses, and the phases set by hand since carried in.

    Returns the ledger and, per session that could not be logged, why (a French sentence).
    """
    problems: dict[str, str] = {}
    logged = {entry.id: entry for entry in ledger.sessions}
    dossier = handle.dossier
    for session in sessions:
        if session.is_open:
            continue
        entry = logged.get(session.id)
        phases = workbook.session_phases(dossier, session)
        if entry is not None:
            # The phases corrected by hand on the session (its « Phases » dialog) follow into the ledger.
            if session.phases_by_hand and set(entry.phases) != set(phases):
                try:
                    ledger = ledger.replace(logged_session(entry.id, entry.start, entry.end, phases,
                                                           over_limit_reason=entry.over_limit_reason))
                except ProcedureError as error:
                    problems[session.id] = str(error)  # kept as logged; the hours screen corrects it
            continue
        written = session.report.written_at.date() if session.report is not None else session.date
        if written != session.date:  # its end is the time of the report, another day: not a duration
            problems[session.id] = (f"Entretien commencé le {session.date:%d/%m/%Y}, compte-rendu rédigé le "
                                    f"{written:%d/%m/%Y} : indiquez son heure de fin réelle.")
            continue
        try:
            candidate = from_session(session, phases)
            if ledger.needs_reason(candidate):
                candidate = candidate.model_copy(update={"over_limit_reason": BACKFILL_REASON})
            ledger = ledger.add(candidate)
        except ProcedureError as error:
            problems[session.id] = str(error)
    return ledger, problems


def log_closed_sessions(app: App[Any], handle: DossierHandle, workbook: Workbook
                        ) -> tuple[AdministrativeFile, dict[str, str]]:
    """The administrative file with its ledger caught up (saved when it changed and may be written)."""
    admin = handle.admin()
    ledger, problems = catch_up(admin.hours, handle.sessions(), workbook, handle)
    if ledger == admin.hours:
        return admin, problems
    admin = admin.model_copy(update={"hours": ledger})
    if not handle.read_only:
        try:
            handle.save_admin(admin)
        except (StorageError, OSError) as error:
            app.notify(f"Heures des entretiens non enregistrées : {error}", severity="warning", markup=False)
    return admin, problems


def budget_warning(ledger: HoursLedger) -> str:
    """The warning on the 24 hours (from 22 h; beyond 24 h), empty below 22 h."""
    return ledger.warnings()[0] if ledger.total >= WARNING_MINUTES else ""


def hours_panel(ledger: HoursLedger, session: Session | None, phases: tuple[Phase, ...], now: dt.datetime) -> Text:
    """A few short lines for the interview's side panel: hours per phase against the plan, the total,
    the session under way (``phases``: those it serves so far), the warnings."""
    text = Text()
    text.append(f"Heures : {ledger.total_label}", style="bold")
    for row in ledger.rows():
        over = f" (+{format_hours(row.used - row.planned)})" if row.over else ""
        text.append(f"\n  {row.phase.label} : {format_hours(row.used)} / {format_hours(row.planned)}{over}",
                    style="bold" if row.over else "")
    if session is not None and session.is_open and session.id not in {s.id for s in ledger.sessions}:
        start = dt.datetime.combine(session.date, session.start_time)
        running = max(int((now - start).total_seconds() // 60), 0)
        text.append(f"\nCet entretien : {format_hours(running)} (depuis {session.start_time:%H:%M})")
        counted = running if any(phase in COUNTED_PHASES for phase in phases) else 0
        after = ledger.total + counted
        if counted and after >= WARNING_MINUTES:
            text.append(f"\n⚠ Avec cet entretien : {format_hours(after)} / 24 h", style="bold")
    if warning := budget_warning(ledger):  # the phases over their plan are marked above
        text.append(f"\n⚠ {warning}", style="bold")
    return text


