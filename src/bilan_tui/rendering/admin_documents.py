"""Documents of the administrative file: document d'information, convention, attendance sheet,
attestation de présence. One plain view-model (:class:`AdminDocument`: a title, parts made of
paragraphs, bullets, a table, signature boxes) rendered by one template to HTML and PDF, and by
python-docx to DOCX, with the same header, footer and page numbers as the synthesis.

Each document is built by its own module from the administrative file alone (never a repository,
never the working file): see ``information_doc``, ``convention_doc``, ``attendance_doc``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from bilan_tui.domain.typography import french_typography
from bilan_tui.rendering.documents import DocumentError, DocumentFormat, Renderer, _slug
from bilan_tui.rendering.docx_writer import _field, _property

ADMIN_HTML = "administratif.html.j2"


@dataclass(frozen=True)
class AdminTable:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()
    """Optional column widths in percent (the HTML and PDF; DOCX lets the office suite decide)."""


@dataclass(frozen=True)
class AdminPart:
    """One titled part of a document; any of its pieces may be empty."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    table: AdminTable | None = None
    signatures: tuple[str, ...] = ()
    """Labels of empty boxes for a handwritten signature (« Le bénéficiaire », « Le consultant »)."""


@dataclass(frozen=True)
class AdminDocument:
    kind: str
    """For the file name: ``convention``, ``document-information``, ``emargement``, ``attestation-presence``."""
    title: str
    beneficiary: str
    header: str
    """The line at the top of every page."""
    footer: str
    """The line at the bottom of every page (who made it, when)."""
    intro: tuple[str, ...] = ()
    parts: tuple[AdminPart, ...] = ()
    author: str = ""
    landscape: bool = False


def admin_document_name(doc: AdminDocument, fmt: DocumentFormat, dossier_id: str = "") -> str:
    """``convention-martin-lea-2a1924.pdf``: ASCII, no folder, the dossier id to tell homonyms apart."""
    tag = re.sub(r"[^a-z0-9]+", "", dossier_id.lower())[:6]
    return f"{doc.kind}-{_slug(doc.beneficiary)}{'-' + tag if tag else ''}.{DocumentFormat(fmt).value}"


def render_admin(renderer: Renderer, doc: AdminDocument, fmt: DocumentFormat) -> bytes:
    """``doc`` as PDF, DOCX or HTML (Markdown is not offered for these documents)."""
    fmt = DocumentFormat(fmt)
    if fmt is DocumentFormat.DOCX:
        return _docx(doc)
    if fmt is DocumentFormat.HTML:
        return renderer._render(ADMIN_HTML, doc).encode("utf-8")
    if fmt is DocumentFormat.PDF:
        return renderer._pdf(renderer._render(ADMIN_HTML, doc, pdf=True), doc.beneficiary)
    raise DocumentError(f"Ce document ne s'exporte qu'en PDF, DOCX ou HTML (pas en {fmt.value}).")


def _docx(doc: AdminDocument) -> bytes:
    document = Document()
    properties = document.core_properties
    properties.title = _property(f"{doc.title} · {doc.beneficiary}")
    properties.author = properties.last_modified_by = _property(doc.author)
    properties.comments = _property(doc.footer)
    properties.language = "fr-FR"
    section = document.sections[0]
    section.page_height, section.page_width = (Mm(210), Mm(297)) if doc.landscape else (Mm(297), Mm(210))
    section.left_margin = section.right_margin = Mm(20)
    header = section.header.paragraphs[0]
    header.text = french_typography(doc.header)
    page = section.header.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.add_run("Page ")
    _field(page, "PAGE")
    page.add_run(" sur ")
    _field(page, "NUMPAGES")
    footer = section.footer.paragraphs[0]
    footer.text = french_typography(doc.footer)
    for paragraph in (header, page, footer):
        for run in paragraph.runs:
            run.font.size = Pt(8)
    document.add_heading(french_typography(doc.title), level=1)
    for text in doc.intro:
        document.add_paragraph(french_typography(text))
    for part in doc.parts:
        document.add_heading(french_typography(part.heading), level=2)
        for text in part.paragraphs:
            document.add_paragraph(french_typography(text))
        for text in part.bullets:
            document.add_paragraph(french_typography(text), style="List Bullet")
        if part.table is not None:
            table = document.add_table(rows=1, cols=len(part.table.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, part.table.header, strict=True):
                cell.text = french_typography(text)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in part.table.rows:
                for cell, text in zip(table.add_row().cells, row, strict=False):
                    cell.text = french_typography(text)
        if part.signatures:
            table = document.add_table(rows=2, cols=len(part.signatures))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, part.signatures, strict=True):
                cell.text = french_typography(text)
            table.rows[1].height = Mm(25)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
