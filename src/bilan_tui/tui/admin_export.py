"""Exporting a document of the administrative file from a screen: off the interface's thread, then said.

The convention, the document d'information, the attendance sheet and the attestation all go the same
way: :func:`export_in_background` writes the document through the export service (with the consultant's
templates of ``modeles/`` when the folder exists), tells of a broken template, and says where the file
is, or why it could not be written, in French.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from bilan_tui.rendering.admin_documents import AdminDocument
from bilan_tui.rendering.documents import DocumentFormat
from bilan_tui.services.admin_exports import export_admin_document
from bilan_tui.services.exports import ExportError
from bilan_tui.storage import Repository

TEMPLATES_FOLDER = "modeles"
"""The consultant's own document templates, inside the data folder (as the synthesis export finds them)."""


def export_in_background(screen: Screen[Any], repository: Repository, doc: AdminDocument, fmt: DocumentFormat, *,
                         dossier_id: str, what: str, done: Callable[[Path], None]) -> None:
    """Write ``doc`` in ``fmt`` in a worker thread; then ``done(path)`` on the interface's thread.

    ``what`` names the document in the messages (« convention », « attestation de présence, PDF »).
    """
    templates = repository.root / TEMPLATES_FOLDER
    template_dir = templates if templates.is_dir() else None
    app = screen.app

    def failed(message: str) -> None:
        app.notify(message, severity="error", timeout=15, markup=False)

    def exported(path: Path, problems: list[str]) -> None:
        for problem in problems:  # the consultant's own template was broken: the built-in one served
            app.notify(problem, severity="warning", timeout=20, markup=False)
        app.notify(f"Exporté ({what}) : {path}", timeout=15, markup=False)
        if screen.is_attached:
            done(path)

    def work() -> None:
        try:
            result = export_admin_document(repository, doc, fmt, dossier_id=dossier_id, template_dir=template_dir)
        except ExportError as error:
            app.call_from_thread(failed, str(error))
            return
        except Exception as error:  # a renderer's surprise must not pass unsaid  # noqa: BLE001
            app.call_from_thread(failed, f"Export impossible : {error}")
            return
        app.call_from_thread(exported, result.path, result.problems)

    app.notify("Export en cours…", markup=False)
    screen.run_worker(work, thread=True, group="export", exit_on_error=False)
