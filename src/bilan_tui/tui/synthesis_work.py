"""The synthesis screen's one door to the domain, the storage and the renderer.

Every call the synthesis screens make to the record of rewrites and versions
(:mod:`bilan_tui.domain.synthesis.record`), to the dossier's storage of it, and to the renderer, is
here: the screens only show, ask and say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from textual.app import App

from bilan_tui.domain.flow import Expressions
from bilan_tui.domain.portfolio import Portfolio, PortfolioItem, SourceRef
from bilan_tui.domain.synthesis.build import build_synthesis
from bilan_tui.domain.synthesis.model import (
    Section,
    SectionKey,
    Synthesis,
)
from bilan_tui.domain.synthesis.record import (
    FrozenVersion,
    Rewrite,
    SectionState,
    SynthesisError,
    SynthesisRecord,
    plain_text,
)
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import FlowCatalog
from bilan_tui.rendering.documents import DocumentFormat
from bilan_tui.services.exports import EXPORTS_FOLDER, ExportError, ExportRequest, ExportResult
from bilan_tui.services.exports import export as export_document
from bilan_tui.storage import DossierHandle, Repository, StorageError
from bilan_tui.tui.portfolio_sync import sync_and_save

TEMPLATES_FOLDER = "modeles"
"""The consultant's own document templates, inside the data folder (as the command line finds them)."""

__all__ = [
    "EXPORTS_FOLDER",
    "Draft",
    "ExportFailed",
    "FrozenVersion",
    "SectionState",
    "WorkFailed",
    "export",
    "keep_rewrite",
    "load_draft",
    "save_rewrite",
    "section_text",
    "take_draft",
    "validate",
]


class WorkFailed(Exception):
    """A change to the synthesis that was refused or could not be saved; the message is French."""


class ExportFailed(Exception):
    """A document that could not be made or written; the message is French, nothing was left half-written."""


@dataclass(frozen=True)
class Draft:
    """The dossier's synthesis as it stands: the generated draft, the record, and the two together."""

    generated: Synthesis
    record: SynthesisRecord
    final: Synthesis
    """The generated draft with the rewrites applied: what a document of the working version contains."""
    workbook: Workbook
    portfolio: Portfolio

    def generated_section(self, key: SectionKey) -> Section:
        return self.generated.section(key)

    def final_section(self, key: SectionKey) -> Section:
        return self.final.section(key)

    def state(self, key: SectionKey) -> SectionState:
        return self.record.state(self.generated_section(key))

    def rewrite(self, key: SectionKey) -> Rewrite | None:
        return self.record.rewrite_of(key)

    def to_review(self) -> list[SectionKey]:
        return list(self.record.to_review(self.generated))

    @property
    def versions(self) -> tuple[FrozenVersion, ...]:
        return tuple(self.record.versions)

    @property
    def latest(self) -> FrozenVersion | None:
        return self.record.latest

    def item(self, item_id: str) -> PortfolioItem | None:
        try:
            return self.portfolio.get(item_id)
        except KeyError:
            return None

    def produced(self, ref: SourceRef) -> PortfolioItem | None:
        """The portfolio item an answer (element) produced, if any (as the portfolio screen finds it)."""
        return self.item(f"{ref.module}:{ref.step_id}:{ref.element or ''}")

    def unchanged_since_latest(self) -> bool:
        """Whether the working version is the latest validated one (same sections, word for word)."""
        latest = self.latest
        return latest is not None and latest.synthesis.sections == self.final.sections


def load_draft(app: App[Any], handle: DossierHandle, workbook: Workbook, now: dt.datetime) -> Draft:
    """Build the draft from the dossier's answers and portfolio (kept in step), with the saved rewrites."""
    portfolio, _ = sync_and_save(app, handle, workbook, now)
    generated = build_synthesis(handle.dossier, handle.sessions(), workbook, portfolio, today=now.date())
    record = handle.synthesis()
    return Draft(generated, record, record.final(generated), workbook, portfolio)


def _save(handle: DossierHandle, record: SynthesisRecord) -> None:
    try:
        handle.save_synthesis(record)
    except (StorageError, OSError) as error:
        raise WorkFailed(f"Non enregistré : {error}") from None


def save_rewrite(handle: DossierHandle, draft: Draft, key: SectionKey, text: str, now: dt.datetime) -> None:
    """Keep ``text`` as the section's rewrite, beside the generated text it replaces."""
    try:
        record = draft.record.with_rewrite(draft.generated_section(key), text, now=now)
    except SynthesisError as error:
        raise WorkFailed(str(error)) from None
    _save(handle, record)


def keep_rewrite(handle: DossierHandle, draft: Draft, key: SectionKey, now: dt.datetime) -> None:
    """The rewrite stands against the new draft (the answers changed, the rewrite still says it right)."""
    try:
        record = draft.record.keep_rewrite(draft.generated_section(key), now=now)
    except SynthesisError as error:
        raise WorkFailed(str(error)) from None
    _save(handle, record)


def take_draft(handle: DossierHandle, draft: Draft, key: SectionKey) -> None:
    """The section goes back to the generated text (the rewrite is dropped)."""
    try:
        record = draft.record.without_rewrite(key)
    except SynthesisError as error:
        raise WorkFailed(str(error)) from None
    _save(handle, record)


def validate(handle: DossierHandle, draft: Draft, consultant: str, beneficiary: str,
             now: dt.datetime) -> FrozenVersion:
    """Freeze the working version under both names typed (checked against the dossier's); the new version,
    saved."""
    dossier = handle.dossier
    try:
        record, frozen = draft.record.validate(
            draft.generated, consultant=consultant, beneficiary=beneficiary,
            expected_consultant=dossier.consultant, expected_beneficiary=dossier.beneficiary.display_name, now=now)
    except SynthesisError as error:
        raise WorkFailed(str(error)) from None
    _save(handle, record)
    return frozen


def export(repository: Repository, catalog: FlowCatalog, expressions: Expressions, dossier_id: str,
           fmt: DocumentFormat, *, complet: bool, version: int | None, now: dt.datetime) -> ExportResult:
    """Write a document through the export service the command line uses too: the working version
    (``version`` None, stamped without a number) or a frozen version, the synthesis or the dossier complet,
    into the data folder's ``exports/``, with the consultant's own templates when the folder exists.

    The service opens the dossier read-only by itself: this may run outside the interface's thread.
    """
    templates = repository.root / TEMPLATES_FOLDER
    request = ExportRequest(dossier_id=dossier_id, format=fmt, complet=complet, version=version,
                            draft=version is None)
    try:
        return export_document(repository, catalog, expressions, request, now=now,
                               template_dir=templates if templates.is_dir() else None)
    except ExportError as error:
        raise ExportFailed(str(error)) from None


def section_text(section: Section) -> str:
    """The text of a section to rewrite: one paragraph a line (the table stays data of the modules)."""
    return plain_text(section)


def quoted(text: str) -> str:
    """The beneficiary's words between French quotation marks (unless already)."""
    stripped = text.strip()
    return stripped if stripped.startswith("«") else f"« {stripped} »"

