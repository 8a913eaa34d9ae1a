"""Writing the documents of the administrative file (and the agenda file) where the synthesis goes.

The document modules build an :class:`~bilan_tui.rendering.admin_documents.AdminDocument` from the
administrative file alone; this writes it, whole or not at all, in the exports folder of the data
folder (or where the consultant says), with the same refusals as the synthesis export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bilan_tui.rendering.admin_documents import AdminDocument, admin_document_name, render_admin
from bilan_tui.rendering.documents import DocumentError, DocumentFormat, Renderer, write_document
from bilan_tui.services.exports import ExportError, _target
from bilan_tui.storage import Repository


@dataclass(frozen=True)
class AdminExport:
    path: Path
    problems: list[str] = field(default_factory=list)
    """What went wrong with the consultant's own templates (the built-in ones were used)."""
    replaced: bool = False


def export_admin_document(repository: Repository, doc: AdminDocument, fmt: DocumentFormat, *, dossier_id: str,
                          out: Path | None = None, template_dir: Path | None = None) -> AdminExport:
    """Write ``doc`` in ``fmt``; :class:`ExportError` (French) when it cannot be made or written."""
    fmt = DocumentFormat(fmt)
    target = _target(repository, out, admin_document_name(doc, fmt, dossier_id), fmt)
    renderer = Renderer(template_dir)
    try:
        data = render_admin(renderer, doc, fmt)
        replaced = target.is_file() or target.is_symlink()
        path = write_document(target, data)
    except DocumentError as error:
        raise ExportError(str(error)) from None
    return AdminExport(path, list(renderer.problems), replaced)


def export_bytes(repository: Repository, data: bytes, name: str, fmt: DocumentFormat | str, *,
                 out: Path | None = None) -> AdminExport:
    """Write ready-made bytes (an ``.ics`` agenda file) under ``name`` in the exports folder."""
    target = _target(repository, out, name, fmt)
    try:
        replaced = target.is_file() or target.is_symlink()
        path = write_document(target, data)
    except DocumentError as error:
        raise ExportError(str(error)) from None
    return AdminExport(path, [], replaced)
