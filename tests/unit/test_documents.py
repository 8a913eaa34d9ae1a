"""The documents a beneficiary takes home: what they say, read back from the files themselves.

PDFs are read back with pypdf, DOCX with python-docx; each PDF is rendered once per module (about
half a second each).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
from pathlib import Path

import docx
import pypdf
import pytest

from bilan_tui.domain.synthesis.model import NOT_COVERED, SEED_SECTIONS, SectionKey, content_hash
from bilan_tui.domain.typography import NBSP, NNBSP
from bilan_tui.rendering import documents
from bilan_tui.rendering.documents import (
    DocumentError,
    DocumentFormat,
    PdfUnavailableError,
    Renderer,
    Stamp,
    TemplateProblem,
    document_name,
    write_document,
)
from tests.documents_fixture import BIG_FIVE, PLAN_HEADERS, PLAN_ROWS, RIASEC, SCRIPT, dossier_complet, synthesis

SYNTHESIS = synthesis()
HASH = content_hash(SYNTHESIS)
STAMP = Stamp(version=2, date=dt.date(2026, 11, 28), sha256=HASH)


def squeeze(text: str) -> str:
    """Text without any whitespace (pypdf breaks long lines where the PDF does) nor soft hyphens."""
    return re.sub(r"[\s\u00ad\u2010]+", "", text)


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def pdf() -> list[str]:
    return pdf_pages(Renderer().synthesis(SYNTHESIS, DocumentFormat.PDF, STAMP))


@pytest.fixture(scope="module")
def word() -> docx.document.Document:
    return docx.Document(io.BytesIO(Renderer().synthesis(SYNTHESIS, DocumentFormat.DOCX, STAMP)))


def html(synthesis_stamp: Stamp = STAMP, renderer: Renderer | None = None) -> str:
    return (renderer or Renderer()).synthesis(SYNTHESIS, DocumentFormat.HTML, synthesis_stamp).decode()


def markdown(renderer: Renderer | None = None) -> str:
    return (renderer or Renderer()).synthesis(SYNTHESIS, DocumentFormat.MD, STAMP).decode()


# --- The stamp and the file names ---------------------------------------------------------------

def test_stamp_label_says_version_date_and_full_hash() -> None:
    assert STAMP.label() == f"Version 2 validée le 28/11/2026 · SHA-256 {HASH}"
    draft = Stamp(version=None, date=dt.date(2026, 11, 20), sha256=HASH)
    assert draft.label().startswith("Version de travail, non validée")
    assert HASH in draft.label()


def test_document_names_are_ascii_and_safe() -> None:
    assert document_name("Dupont Marie", complet=False, version=2, fmt=DocumentFormat.PDF) == "synthese-dupont-marie-v2.pdf"
    assert document_name("Élodie N'Diaye-Lefèvre", complet=True, version=1, fmt=DocumentFormat.PDF) == (
        "dossier-complet-elodie-n-diaye-lefevre-v1.pdf")
    assert document_name("../../etc/passwd", complet=False, version=None, fmt=DocumentFormat.DOCX) == (
        "synthese-etc-passwd-version-de-travail.docx")
    assert document_name("李雷", complet=False, version=3, fmt=DocumentFormat.MD) == "synthese-beneficiaire-v3.md"


# --- PDF -------------------------------------------------------------------------------------------

def test_pdf_has_the_seed_sections_as_headings_and_every_section(pdf: list[str]) -> None:
    text = squeeze("".join(pdf))
    for key in SEED_SECTIONS:
        assert squeeze(key.heading) in text
    for key in SectionKey:
        assert squeeze(key.heading) in text


def test_pdf_header_footer_and_page_numbers_on_every_page(pdf: list[str]) -> None:
    assert len(pdf) >= 2
    for number, page in enumerate(pdf, start=1):
        flat = squeeze(page)
        assert squeeze("Confidentiel, document remis à Marie Dupont") in flat
        assert squeeze(f"Page {number} sur {len(pdf)}") in flat
        assert squeeze("Version 2 validée le 28/11/2026") in flat
        assert f"SHA-256{HASH}" in flat


def test_pdf_french_spacing(pdf: list[str]) -> None:
    text = "".join(pdf)
    # Typed with ordinary spaces (or none) in the fixture.
    assert f"«{NBSP}Je ne veux plus subir mon métier.{NBSP}»" in text
    assert f"Pourquoi maintenant{NNBSP}?" in text
    assert f"l'y oblige{NNBSP}!" in text
    assert f"raison simple{NBSP}:" in text
    assert "de 14:00 à 16:00" in text


def test_pdf_shows_markup_from_the_data_as_text(pdf: list[str]) -> None:
    assert "<script>alert('x')</script>" in "".join(pdf)
    assert squeeze("</p><b>gras</b>") in squeeze("".join(pdf))


def test_pdf_profiles_action_plan_quotes_and_not_covered(pdf: list[str]) -> None:
    text = "".join(pdf)
    flat = squeeze(text)
    for profile in (RIASEC, BIG_FIVE):
        assert squeeze(profile.title) in flat
        assert squeeze(profile.caveat.split(":")[0]) in flat
        for scale in profile.scales:
            assert squeeze(f"{scale.label}") in flat and f"{scale.score}/{scale.maximum}" in flat
    assert f"Code{NBSP}: SEC" in text
    for header in PLAN_HEADERS:
        assert squeeze(header) in flat
    for row in PLAN_ROWS:
        assert squeeze(row[0].replace("« ", "«").replace(" »", "»")) in squeeze(text.replace(NBSP, ""))
    assert f"«{NBSP}Ce que j'aime, c'est quand la personne me dit merci{NBSP}»" in text
    # The VAE section has no material: it says so, and only there.
    vae = flat[flat.index(squeeze(SectionKey.VAE.heading)):]
    assert vae.startswith(squeeze(SectionKey.VAE.heading + NOT_COVERED))
    assert flat.count(squeeze(NOT_COVERED)) == 1


def test_pdf_lists_have_a_bullet_before_every_item(pdf: list[str]) -> None:
    # The PDF writes the bullet in the text (faster to lay out than a list marker): it must still show.
    text = squeeze("".join(pdf))
    for item in ("2009 : diplôme d'aide-soignante", "Depuis 2018 : service de soins à domicile",
                 "Repérer une dégradation de l'état de santé"):
        assert "•" + squeeze(item.replace(" :", f"{NBSP}:")) in text


def test_html_lists_stay_lists_with_no_bullet_in_the_text() -> None:
    page = html()
    assert f"<ul>\n<li>2009{NBSP}: diplôme" in page
    assert "•" not in page.split("<body>")[1]


def test_making_a_pdf_leaves_the_garbage_collector_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    real = documents._weasyprint

    class Spy:
        URLFetcher = real().URLFetcher

        @staticmethod
        def HTML(**kwargs: object) -> object:  # noqa: N802 (WeasyPrint's name)
            seen.append(gc.get_threshold())
            raise ValueError("en panne")

    monkeypatch.setattr(documents, "_weasyprint", lambda: Spy)
    with pytest.raises(DocumentError, match="en panne"):
        Renderer().synthesis(SYNTHESIS, DocumentFormat.PDF, STAMP)
    assert seen[0][0] >= 20_000 and seen[0][1:] == before[1:]
    assert gc.get_threshold() == before


def test_pdf_of_a_third_party_excerpt_says_to_whom() -> None:
    stamp = Stamp(version=1, date=dt.date(2026, 11, 28), sha256=HASH, recipient="Conseil en évolution professionnelle")
    page = html(stamp)
    assert "Confidentiel, extrait remis à Conseil en évolution professionnelle avec l&#39;accord de Marie Dupont" in page


def test_dossier_complet_pdf_has_synthesis_sessions_productions_and_every_item() -> None:
    pages = pdf_pages(Renderer().dossier_complet(dossier_complet(), STAMP))
    text = "".join(pages)
    flat = squeeze(text)
    for heading in ("Document de synthèse", "Les étapes du bilan", "Vos productions",
                    "Résultats détaillés des questionnaires", SectionKey.PLAN.heading):
        assert squeeze(heading) in flat
    assert squeeze("Séance du 02/10/2026") in flat and squeeze("Séance du 28/11/2026") in flat
    assert squeeze("Savoir si je peux évoluer sans tout reprendre à zéro") in flat
    for item in ("Réparer un appareil", "Aider une personne en difficulté", "Je fais les choses avec méthode"):
        assert squeeze(item) in flat
    assert squeeze("Le tutorat de huit stagiaires en deux ans.") in flat
    assert text.count("<script>alert('x')</script>") == 2  # the synthesis and the production, as text
    for number, page in enumerate(pages, start=1):
        assert squeeze(f"Page {number} sur {len(pages)}") in squeeze(page)
        assert HASH in squeeze(page)


# --- HTML and Markdown -----------------------------------------------------------------------------

def test_html_escapes_everything_from_the_data() -> None:
    page = html()
    assert "<script>" not in page and "</p><b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; et &lt;/p&gt;&lt;b&gt;gras&lt;/b&gt;" in page
    assert '<html lang="fr">' in page
    assert f"<blockquote><p>«{NBSP}Ce que j&#39;aime" in page
    assert page.count("<tr>") == 1 + len(PLAN_ROWS) + len(RIASEC.scales) + len(BIG_FIVE.scales)
    assert f'<span class="adresse">https://www.francetravail.fr/?page=1</span>{NNBSP}!' in page


def test_html_of_a_draft_says_it_is_not_validated() -> None:
    page = html(Stamp(version=None, date=dt.date(2026, 11, 20), sha256=HASH))
    assert "Version de travail, non validée, du 20/11/2026 · SHA-256 " + HASH in page


def test_an_empty_synthesis_says_not_covered_in_every_section_and_profiles_still_print() -> None:
    bare = SYNTHESIS.model_copy(update={"sections": tuple(
        s.model_copy(update={"passages": (), "table": None}) for s in SYNTHESIS.sections
        if s.key is not SectionKey.INTERETS)})
    page = Renderer().synthesis(bare, DocumentFormat.HTML, STAMP).decode()
    assert page.count(NOT_COVERED) == len(SectionKey) - 1
    assert "<h2>Profils des questionnaires</h2>" in page and "Personnalité (Big Five)" in page
    text = Renderer().synthesis(bare, DocumentFormat.MD, STAMP).decode()
    assert text.count(NOT_COVERED) == len(SectionKey) - 1 and "## Profils des questionnaires" in text


def test_markdown_keeps_the_structure_and_escapes_the_data() -> None:
    text = markdown()
    lines = text.splitlines()
    for key in SectionKey:
        assert f"## {key.heading}" in lines
    assert "### Les étapes" in lines
    assert f"- 2010-2018{NBSP}: EHPAD «{NBSP}Les Tilleuls{NBSP}», Lille" in lines
    assert f"> «{NBSP}Ce que j'aime, c'est quand la personne me dit merci{NBSP}»" in lines
    # Data that looks like structure stays text.
    assert "\\# pas un titre\\" in lines
    assert "\\- pas une liste\\" in lines
    assert any(line.startswith("1\\. pas numéroté \\| pas une cellule \\*ni gras\\* \\[ni lien\\]") for line in lines)
    assert not any(line.startswith(("# pas", "- pas une", "1. pas")) for line in lines)
    assert "\\<script\\>" in text and "<script>" not in text
    # The action plan is a Markdown table: header, rule, six rows.
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + len(PLAN_ROWS)
    assert all(line.count(" | ") == len(PLAN_HEADERS) - 1 for line in table if "---" not in line)
    assert f"*{NOT_COVERED}*" in lines
    assert lines[-1] == STAMP.label()


# --- DOCX ------------------------------------------------------------------------------------------

def test_docx_has_real_headings_lists_quotes_and_the_plan_table(word: docx.document.Document) -> None:
    paragraphs = word.paragraphs
    headings = {p.text: p.style.name for p in paragraphs if p.style is not None and p.style.name.startswith("Heading")}
    for key in SectionKey:
        assert headings[key.heading] == "Heading 2"
    assert headings["Document de synthèse du bilan de compétences"] == "Heading 1"
    assert headings["Les étapes"] == "Heading 3"
    bullets = [p.text for p in paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert "Organiser les tournées d'une équipe de quatre personnes" in bullets
    assert f"La charge administrative de la coordination{NNBSP}?" in bullets
    quotes = [p.text for p in paragraphs if p.style is not None and p.style.name == "Quote"]
    assert quotes == [f"«{NBSP}Ce que j'aime, c'est quand la personne me dit merci{NBSP}»"]
    plan = next(t for t in word.tables if t.rows[0].cells[0].text == PLAN_HEADERS[0])
    assert [c.text for c in plan.rows[0].cells] == list(PLAN_HEADERS)
    assert len(plan.rows) == 1 + len(PLAN_ROWS)
    assert plan.rows[2].cells[0].text == f"S'informer sur le DEIS{NBSP}: «{NBSP}est-ce fait pour moi{NNBSP}?{NBSP}»"
    assert plan.rows[6].cells[1].text == "30/06/2027"
    texts = [p.text for p in paragraphs]
    assert NOT_COVERED in texts
    assert SCRIPT in texts  # python-docx writes it as text
    riasec = next(t for t in word.tables if t.rows[0].cells[0].text == "Échelle")
    assert [r.cells[0].text for r in riasec.rows[1:]] == [s.label for s in RIASEC.scales]
    assert riasec.rows[4].cells[2].text == "36/40"
    assert f"Code{NBSP}: SEC" in texts


def test_docx_header_and_footer(word: docx.document.Document) -> None:
    section = word.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert "Confidentiel, document remis à Marie Dupont" in header
    assert "Page 1 sur 1" in header  # the fields' placeholders; the office suite computes them
    assert "PAGE" in section.header._element.xml and "NUMPAGES" in section.header._element.xml
    assert section.footer.paragraphs[0].text == STAMP.label()
    assert word.core_properties.author == "Claire Martin"
    assert word.core_properties.created.date() == dt.date(2026, 11, 28)


# --- A consultant's own templates ------------------------------------------------------------------

def test_a_consultants_template_is_used_and_still_escapes(tmp_path: Path) -> None:
    (tmp_path / "synthese.html.j2").write_text(
        "<p>Cabinet Martin, bilans de compétences</p>{% for s in doc.sections %}<h2>{{ s.title }}</h2>"
        "{% for b in s.blocks %}<p>{{ b.text }}{{ b['items'] | join(', ') }}</p>{% endfor %}{% endfor %}",
        encoding="utf-8")
    renderer = Renderer(tmp_path)
    page = html(renderer=renderer)
    assert page.startswith("<p>Cabinet Martin")
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert renderer.problems == []


def test_a_template_with_a_syntax_error_names_file_and_line_and_the_builtin_is_used(tmp_path: Path) -> None:
    (tmp_path / "synthese.md.j2").write_text("# Cabinet Martin\n\n{% for s in doc.sections %}\n{{ s.title }\n",
                                             encoding="utf-8")
    renderer = Renderer(tmp_path)
    text = markdown(renderer)
    assert f"## {SectionKey.VAE.heading}" in text.splitlines()
    assert "Cabinet Martin" not in text
    [problem] = renderer.problems
    assert str(tmp_path / "synthese.md.j2") in problem
    assert "ligne 4" in problem
    assert "syntaxe" in problem and "modèle intégré" in problem


def test_a_template_with_an_undefined_variable_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "synthese.html.j2").write_text(
        "<h1>{{ doc.title }}</h1>\n<p>{{ doc.beneficiary }}</p>\n\n<p>{{ cabinet.adresse }}</p>\n", encoding="utf-8")
    renderer = Renderer(tmp_path)
    page = html(renderer=renderer)
    assert SectionKey.PLAN.heading.replace("'", "&#39;") in page  # the built-in document
    [problem] = renderer.problems
    assert "synthese.html.j2" in problem and "ligne 4" in problem and "« cabinet »" in problem
    # A misspelt attribute is caught as well (StrictUndefined), on its line.
    (tmp_path / "synthese.html.j2").write_text("<h1>{{ doc.title }}</h1>\n{{ doc.beneficiaire }}\n", encoding="utf-8")
    renderer = Renderer(tmp_path)
    html(renderer=renderer)
    assert "ligne 2" in renderer.problems[0] and "beneficiaire" in renderer.problems[0]


def test_a_broken_builtin_template_is_a_template_problem_naming_file_and_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "synthese.md.j2").write_text("# {{ doc.title }}\n{{ doc.nothing }}\n", encoding="utf-8")
    monkeypatch.setattr(documents, "TEMPLATES", tmp_path)
    with pytest.raises(TemplateProblem) as caught:
        markdown()
    assert str(caught.value).startswith(f"Modèle « {tmp_path / 'synthese.md.j2'} », ligne 2 : ")
    assert "modèle intégré" not in str(caught.value)


def test_a_template_is_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "synthese.md.j2").write_text(
        "{{ doc.__class__.__init__.__globals__['os'].system('true') }}\n", encoding="utf-8")
    renderer = Renderer(tmp_path)
    assert f"## {SectionKey.PLAN.heading}" in markdown(renderer)
    assert len(renderer.problems) == 1 and "synthese.md.j2" in renderer.problems[0]


def test_a_broken_partial_and_a_missing_folder_are_reported(tmp_path: Path) -> None:
    (tmp_path / "_profils.html.j2").write_text("{% macro profil(p) %}\n{{ p.nope }}\n{% endmacro %}\n",
                                               encoding="utf-8")
    renderer = Renderer(tmp_path)
    assert "Personnalité (Big Five)" in html(renderer=renderer)
    assert "_profils.html.j2" in renderer.problems[0] and "ligne 2" in renderer.problems[0]
    missing = Renderer(tmp_path / "absent")
    assert "n'existe pas" in missing.problems[0]
    assert "Marie Dupont" in html(renderer=missing)


def test_a_consultants_style_sheet_is_used_and_cannot_close_the_style_element(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("h2 > em { color: #123456 } </style><script>x()</script>", encoding="utf-8")
    page = html(renderer=Renderer(tmp_path))
    assert "h2 > em { color: #123456 }" in page
    assert "</style><script>" not in page
    assert page.count("</style") == 1  # only ours: the sheet's own is written <\/style, inert


def test_templates_leave_no_plural_to_the_reader() -> None:
    for path in documents.TEMPLATES.iterdir():
        assert not re.search(r"\w\((?:e)?s\)", path.read_text(encoding="utf-8")), path.name


def test_a_consultants_pdf_reports_what_weasyprint_ignored_and_never_fetches_the_network(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("@page { size: A4 }\nh2 { colour: red }\n", encoding="utf-8")
    (tmp_path / "synthese.html.j2").write_text(
        '<html><head><style>{{ css }}</style></head><body><img src="https://example.com/pixel.png">\n'
        "<p>Cabinet Martin</p>{% include '_synthese_corps.html.j2' %}</body></html>\n", encoding="utf-8")
    renderer = Renderer(tmp_path)
    text = squeeze("".join(pdf_pages(renderer.synthesis(SYNTHESIS, DocumentFormat.PDF, STAMP))))
    assert "CabinetMartin" in text and squeeze(SectionKey.VAE.heading) in text
    problems = "\n".join(renderer.problems)
    assert "« colour: red » ignoré par le PDF, ligne 2 de la feuille de style" in problems
    assert "disallowed protocol: https://example.com/pixel.png" in problems


# --- Writing the file ------------------------------------------------------------------------------

def test_write_document_writes_a_private_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "synthese.pdf"
    path.write_bytes(b"ancienne version")
    assert write_document(path, b"%PDF-nouvelle") == path
    assert path.read_bytes() == b"%PDF-nouvelle"
    assert path.stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["synthese.pdf"]


def test_write_document_refuses_a_missing_folder_a_file_as_folder_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="n'existe pas"):
        write_document(tmp_path / "absent" / "x.pdf", b"data")
    (tmp_path / "fichier").write_text("x")
    with pytest.raises(DocumentError, match="n'est pas un dossier"):
        write_document(tmp_path / "fichier" / "x.pdf", b"data")
    (tmp_path / "dossier").mkdir()
    with pytest.raises(DocumentError, match="est un dossier"):
        write_document(tmp_path / "dossier", b"data")
    assert sorted(os.listdir(tmp_path)) == ["dossier", "fichier"]
    assert os.listdir(tmp_path / "dossier") == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_write_document_refuses_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(DocumentError, match="lecture seule"):
            write_document(folder / "x.pdf", b"data")
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


def test_write_document_leaves_nothing_when_the_rename_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "synthese.docx"
    path.write_bytes(b"ancienne")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(documents.os, "replace", refuse)
    with pytest.raises(DocumentError, match="n'a pas été écrit"):
        write_document(path, b"nouvelle")
    assert os.listdir(tmp_path) == ["synthese.docx"]
    assert path.read_bytes() == b"ancienne"


# --- No PDF library --------------------------------------------------------------------------------

def test_pdf_unavailable_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pango() -> object:
        raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(documents, "_import_weasyprint", no_pango)
    with pytest.raises(PdfUnavailableError) as caught:
        Renderer().synthesis(SYNTHESIS, DocumentFormat.PDF, STAMP)
    message = str(caught.value)
    assert "apt install libpango-1.0-0 libpangoft2-1.0-0" in message
    assert "brew install pango" in message
    assert "DOCX, HTML et Markdown restent disponibles" in message
    # The other formats still work.
    assert Renderer().synthesis(SYNTHESIS, DocumentFormat.DOCX, STAMP).startswith(b"PK")


def test_pdf_unavailable_when_weasyprint_cannot_be_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(PdfUnavailableError, match="brew install pango"):
        Renderer().dossier_complet(dossier_complet(), STAMP)


def test_a_consultants_pdf_reads_files_of_its_own_folder_only(tmp_path: Path) -> None:
    """A letterhead's style sheet next to the templates is used; a file elsewhere on the machine (another
    beneficiary's dossier, a secret) is never read into the PDF."""
    templates = tmp_path / "modeles"
    templates.mkdir()
    outside = tmp_path / "ailleurs.css"
    outside.write_text('h1::before { content: "ZZDEHORS "; }', encoding="utf-8")
    (templates / "entete.css").write_text('h1::after { content: " ZZCABINET"; }', encoding="utf-8")
    (templates / "synthese.html.j2").write_text(
        f'<link rel="stylesheet" href="entete.css"><link rel="stylesheet" href="{outside.as_uri()}">'
        '<link rel="stylesheet" href="../ailleurs.css"><h1>{{ doc.title }}</h1>', encoding="utf-8")
    text = " ".join(pdf_pages(Renderer(templates).synthesis(synthesis(), DocumentFormat.PDF, STAMP)))
    assert "ZZCABINET" in text
    assert "ZZDEHORS" not in text
