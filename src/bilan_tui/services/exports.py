"""Exporting the synthesis of a dossier: draft or frozen version, whole or third-party excerpt, or the
dossier complet, in any format, to a file written atomically.

Both front ends call :func:`export`: ``bilan-tui export`` and the synthesis screen's export key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bilan_tui.domain.flow import Expressions
from bilan_tui.domain.models import Dossier
from bilan_tui.domain.synthesis.build import build_dossier_complet, build_synthesis
from bilan_tui.domain.synthesis.model import Synthesis, content_hash
from bilan_tui.domain.synthesis.record import SynthesisError, SynthesisRecord
from bilan_tui.domain.text import names_match
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import FlowCatalog
from bilan_tui.rendering.documents import (
    DocumentError,
    DocumentFormat,
    Renderer,
    Stamp,
    document_name,
    write_document,
)
from bilan_tui.storage import DossierHandle, Repository, StorageError

EXPORTS_FOLDER = "exports"
"""The default folder of exported documents, inside the data folder (private, like the dossiers)."""


class ExportError(Exception):
    """Why an export could not be made, in French, for the person who asked."""


@dataclass(frozen=True)
class ExportRequest:
    dossier_id: str
    format: DocumentFormat
    complet: bool = False
    """The dossier complet (PDF only) instead of the synthesis."""
    version: int | None = None
    """A frozen version; None: the latest frozen version, or the working version if none is frozen."""
    draft: bool = False
    """The working version (with its rewrites) even when versions are frozen."""
    consent_id: str | None = None
    """A third-party excerpt under this consent (the synthesis only)."""
    out: Path | None = None
    """A file, or a folder to put it in; None: the data folder's ``exports/``."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    stamp: Stamp
    problems: list[str] = field(default_factory=list)
    """What went wrong with the consultant's own templates (the built-in ones were used)."""
    replaced: bool = False
    """A file of that name was there before: it has been replaced (the same export twice, or ``--out``)."""


@dataclass(frozen=True)
class Draft:
    """A dossier's working synthesis and the record of its rewrites, versions and consents."""

    dossier: Dossier
    synthesis: Synthesis
    """With the rewrites applied."""
    record: SynthesisRecord


def workbook_of(handle: DossierHandle, catalog: FlowCatalog, expressions: Expressions) -> Workbook:
    return Workbook(catalog.flows, handle.interviews(), expressions)


def draft_of(handle: DossierHandle, catalog: FlowCatalog, expressions: Expressions, now: dt.datetime) -> Draft:
    """The working synthesis as it stands (the portfolio brought in step with the answers, in memory)."""
    dossier = handle.dossier
    workbook = workbook_of(handle, catalog, expressions)
    portfolio, _ = workbook.sync_portfolio(handle.portfolio(), now)
    record = handle.synthesis()
    generated = build_synthesis(dossier, handle.sessions(), workbook, portfolio, today=now.date())
    return Draft(dossier, record.final(generated), record)


def find_dossier(repository: Repository, wanted: str) -> str:
    """A dossier id from its id or its beneficiary's name (« Marie Dupont », any case or accents)."""
    entries = repository.list_dossiers()
    if any(e.id == wanted for e in entries):
        return wanted
    found = [e for e in entries if e.summary is not None and names_match(wanted, e.summary.beneficiary)]
    if len(found) == 1:
        return found[0].id
    if len(found) > 1:
        ids = ", ".join(e.id for e in found)
        raise ExportError(f"Plusieurs dossiers au nom « {wanted} » ({ids}) : donnez l'identifiant du dossier.")
    raise ExportError(f"Dossier inconnu : « {wanted} ». `bilan-tui dossiers` liste les dossiers et leurs identifiants.")


def export(repository: Repository, catalog: FlowCatalog, expressions: Expressions, request: ExportRequest, *,
           now: dt.datetime, template_dir: Path | None = None,
           handle: DossierHandle | None = None,
           progress: Callable[[str], None] | None = None) -> ExportResult:
    """Make the document asked for and write it; :class:`ExportError` (French) when it cannot be.

    ``handle``: the dossier already open (the synthesis screen); otherwise it is opened read-only,
    so an export works while the dossier is open in the application.
    """
    say = progress or (lambda _message: None)
    if request.complet and request.format is not DocumentFormat.PDF:
        raise ExportError("Le dossier complet n'existe qu'en PDF (--format pdf).")
    if request.complet and request.consent_id:
        raise ExportError("Un extrait pour un tiers ne porte que sur la synthèse, pas sur le dossier complet.")
    opened = handle is None
    try:
        current = handle or repository.open(request.dossier_id, read_only=True)
    except StorageError as error:
        raise ExportError(f"Ce dossier ne peut pas être lu : {error}") from None
    try:
        say("Rédaction de la synthèse…")
        draft = draft_of(current, catalog, expressions, now)
        record = draft.record
        try:
            if request.version is not None:
                frozen = record.version(request.version)
                synthesis, stamp = frozen.synthesis, Stamp(frozen.number, frozen.frozen_at.date(), frozen.sha256)
            elif record.latest is not None and not request.draft:
                frozen = record.latest
                synthesis, stamp = frozen.synthesis, Stamp(frozen.number, frozen.frozen_at.date(), frozen.sha256)
            else:
                synthesis = draft.synthesis
                stamp = Stamp(None, now.date(), content_hash(synthesis))
            if request.consent_id:
                synthesis = record.excerpt(request.consent_id, synthesis)
                consent = record.consent(request.consent_id)  # found as excerpt() finds it (« 1 » typed « 1 »)
                stamp = Stamp(stamp.version, stamp.date, content_hash(synthesis), recipient=consent.recipient,
                              whole_sha256=stamp.sha256)
        except SynthesisError as error:
            raise ExportError(str(error)) from None
        name = document_name(draft.dossier.beneficiary.display_name, complet=request.complet,
                             version=stamp.version, fmt=request.format, dossier_id=draft.dossier.id)
        if request.consent_id:
            name = name.replace("synthese", "extrait", 1)
        target = _target(repository, request.out, name, request.format)  # said before the work
        renderer = Renderer(template_dir)
        say("Mise en page du document…")
        try:
            if request.complet:
                workbook = workbook_of(current, catalog, expressions)
                portfolio, _ = workbook.sync_portfolio(current.portfolio(), now)
                complet = build_dossier_complet(draft.dossier, current.sessions(), workbook, portfolio, today=now.date())
                complet = complet.model_copy(update={"synthesis": synthesis})
                data = renderer.dossier_complet(complet, stamp)
            else:
                data = renderer.synthesis(synthesis, request.format, stamp)
            say("Écriture du fichier…")
            replaced = target.is_file() or target.is_symlink()
            path = write_document(target, data)
        except DocumentError as error:
            raise ExportError(str(error)) from None
        return ExportResult(path, stamp, list(renderer.problems), replaced=replaced)
    finally:
        if opened:
            current.close()


def _target(repository: Repository, out: Path | None, name: str, fmt: DocumentFormat | str) -> Path:
    """Where the document goes; refused (French) when that place cannot or must not take it.

    A file given by name must carry the format's extension (a PDF written as ``notes.docx``, or over
    a dossier's ``.json``, would destroy a file of another kind), and nothing is written among the
    dossier files of the data folder.
    """
    if out is None:
        folder = repository.root / EXPORTS_FOLDER
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as error:
            raise ExportError(f"Le dossier des exports « {folder} » ne peut pas être créé : "
                              f"{error.strerror or error}.") from None
        return folder / name
    out = out.expanduser()
    target = out / name if out.is_dir() else out
    folder = target.parent
    if not folder.exists():
        raise ExportError(f"Le dossier « {folder} » n'existe pas : le document n'a pas été écrit.")
    if not folder.is_dir():
        raise ExportError(f"« {folder} » n'est pas un dossier : le document n'a pas été écrit.")
    extension = f".{fmt.value if isinstance(fmt, DocumentFormat) else fmt}"
    if target.suffix.lower() != extension:
        raise ExportError(f"« {target.name} » ne porte pas l'extension {extension} du format demandé : nommez le "
                          f"fichier « {target.stem or 'synthese'}{extension} », ou choisissez le format avec --format. "
                          "Le document n'a pas été écrit.")
    with contextlib.suppress(OSError):
        # The folder resolved (links followed), the name itself not: writing over a link replaces the link.
        if folder.resolve().is_relative_to(repository.dossiers_dir.resolve()):
            raise ExportError(f"« {folder} » est le dossier des fichiers de bilan-tui : un document n'y est jamais "
                              "écrit. Indiquez un autre dossier. Le document n'a pas été écrit.")
    return target
