"""Keeping a dossier's stored portfolio in step with its answers, from any screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import App

from bilan_tui.domain.portfolio import Place, Portfolio
from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import DossierHandle, StorageError


def sync_and_save(app: App[Any], handle: DossierHandle, workbook: Workbook, now: dt.datetime,
                  stored: Portfolio | None = None) -> tuple[Portfolio, dict[Place, str]]:
    """The portfolio brought in step with the answers, saved when it changed.

    A read-only dossier is only shown, never written. A failed save is said; the answers are saved
    already, and the portfolio is derived from them again the next time the dossier opens.
    """
    stored = handle.portfolio() if stored is None else stored
    synced, digests = workbook.sync_portfolio(stored, now)
    if synced != stored and not handle.read_only:
        try:
            handle.save_portfolio(synced)
        except (StorageError, OSError) as error:
            app.notify(f"Portefeuille non enregistré : {error}. Les réponses, elles, sont enregistrées.",
                       severity="warning", markup=False)
    return synced, digests
