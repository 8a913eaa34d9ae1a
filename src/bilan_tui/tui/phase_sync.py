"""Keeping a dossier's phase, and the phases its sessions served, in step with the work done."""

from __future__ import annotations

from typing import Any

from textual.app import App

from bilan_tui.domain.models import Dossier, Session
from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import DossierHandle, StorageError


def follow_phase(app: App[Any], handle: DossierHandle, workbook: Workbook) -> Dossier:
    """The dossier with its phase moved on to the latest phase worked on, saved when it moved (the
    dossier screen shows it).

    A read-only dossier is shown with the phase it would have, never written.
    """
    dossier = handle.dossier
    phase = workbook.followed_phase(dossier)
    if phase is dossier.phase:
        return dossier
    moved = dossier.model_copy(update={"phase": phase})
    if not handle.read_only:
        try:
            handle.save_dossier(moved)
        except (StorageError, OSError) as error:
            app.notify(f"Phase du dossier non enregistrée : {error}", severity="warning", markup=False)
            return dossier
    return moved


def record_phases(handle: DossierHandle, workbook: Workbook, session: Session) -> Session:
    """The session with the phases it served recorded (at its close), unless the consultant set them."""
    if session.phases_by_hand:
        return session
    return session.model_copy(update={"phases": workbook.phases_worked(handle.dossier, session_id=session.id)})
