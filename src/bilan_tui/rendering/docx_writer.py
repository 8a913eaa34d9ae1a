"""The document de synthèse as DOCX: real headings, list styles, tables, a header and footer on every page.

Built from the same :class:`~bilan_tui.rendering.view.DocumentView` as the HTML, so both say the same
thing; an office suite opens it and the consultant edits it like any document.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from bilan_tui.rendering.view import DocumentView, ProfileView, SectionView


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word and LibreOffice compute when they show the page (``PAGE``, ``NUMPAGES``)."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def _header_footer(document: DocxDocument, view: DocumentView) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    header = section.header.paragraphs[0]
    header.text = view.header
    page = section.header.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.add_run("Page ")
    _field(page, "PAGE")
    page.add_run(" sur ")
    _field(page, "NUMPAGES")
    footer = section.footer.paragraphs[0]
    footer.text = view.footer
    for paragraph in (header, page, footer):
        for run in paragraph.runs:
            run.font.size = Pt(8)


def _profile(document: DocxDocument, profile: ProfileView) -> None:
    document.add_heading(profile.title, level=3)
    if profile.code:
        paragraph = document.add_paragraph("Code\u00a0: ")
        paragraph.add_run(profile.code).bold = True
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Échelle", "Profil", "Score"), strict=True):
        cell.text = text
    for bar in profile.scales:
        cells = table.add_row().cells
        cells[0].text = bar.label
        filled = round(bar.share / 5)
        cells[1].text = "█" * filled + "░" * (20 - filled)
        cells[2].text = f"{bar.score}/{bar.maximum}"
    document.add_paragraph().add_run(profile.caveat).italic = True


def _section(document: DocxDocument, section: SectionView, view: DocumentView) -> None:
    document.add_heading(section.title, level=2)
    if not section.covered:
        document.add_paragraph().add_run(view.not_covered).italic = True
    for block in section.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=3)
        elif block.kind == "quote":
            document.add_paragraph(block.text, style="Quote")
        elif block.kind == "bullets":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        else:
            document.add_paragraph(block.text)
    if section.table is not None:
        headers = section.table.headers
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in section.table.rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=False):
                cell.text = text
    if section.profiles_after:
        for profile in view.profiles:
            _profile(document, profile)


PROPERTY_LENGTH = 255
"""The longest text a DOCX core property takes (python-docx refuses more)."""


def _property(text: str) -> str:
    """``text`` cut to what a file property holds (a 500-character name stays whole in the document)."""
    return text if len(text) <= PROPERTY_LENGTH else text[: PROPERTY_LENGTH - 1] + "…"


def synthesis_docx(view: DocumentView) -> bytes:
    """The synthesis of ``view`` as the bytes of a DOCX file."""
    document = Document()
    properties = document.core_properties
    properties.title = _property(f"{view.title} · {view.beneficiary}")
    properties.author = properties.last_modified_by = _property(view.consultant)
    properties.comments = _property(view.footer)
    properties.language = "fr-FR"
    drafted = dt.datetime.strptime(view.drafted_on, "%d/%m/%Y")
    properties.created = properties.modified = drafted
    _header_footer(document, view)
    document.add_heading(view.title, level=1)
    document.add_paragraph(f"Bénéficiaire\u00a0: {view.beneficiary}")
    if view.consultant:
        document.add_paragraph(f"Consultant ou consultante\u00a0: {view.consultant}")
    document.add_paragraph(f"Rédigé le {view.drafted_on}")
    for section in view.sections:
        _section(document, section, view)
    if view.profiles_at_end:
        document.add_heading("Profils des questionnaires", level=2)
        for profile in view.profiles:
            _profile(document, profile)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
