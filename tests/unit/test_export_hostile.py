"""Exports under hostile conditions: where the file goes, names no file property can hold, templates that
never end, a kill while writing, a frozen version after later rewrites, the dossier open in the application,
and the consultant's private markers in every format of every kind of document."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from bilan_tui.cli import main
from bilan_tui.domain.models import Beneficiary
from bilan_tui.domain.synthesis.build import build_synthesis
from bilan_tui.domain.synthesis.model import NOT_COVERED, SectionKey
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.rendering import sandbox
from bilan_tui.rendering.documents import DocumentFormat, Renderer, Stamp
from bilan_tui.services.exports import ExportRequest, export, workbook_of
from bilan_tui.storage import DossierHandle, Repository
from tests.synthesis_persona import BENEFICIARY, CONSULTANT, PRIVATE, save_complete_bilan

NOW = dt.datetime(2026, 12, 2, 10, 0)
CATALOG = load_catalog()
NAME = BENEFICIARY.display_name


def run(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--data-dir", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u00ad\u2010]+", "", text)


def text_of(path: Path) -> str:
    """What a reader sees in the file: PDF text, DOCX paragraphs, tables, header, footer and properties."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if path.suffix == ".docx":
        document = docx.Document(io.BytesIO(data))
        section = document.sections[0]
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        parts += [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
        props = document.core_properties
        parts += [props.title or "", props.author or "", props.comments or ""]
        return "\n".join(parts)
    return data.decode("utf-8")


def generated(handle: DossierHandle):  # type: ignore[no-untyped-def]
    workbook = workbook_of(handle, CATALOG, JinjaExpressions())
    portfolio, _ = workbook.sync_portfolio(handle.portfolio(), NOW)
    return build_synthesis(handle.dossier, handle.sessions(), workbook, portfolio, today=NOW.date())


@pytest.fixture(scope="module")
def bilan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Sophie's bilan with its private markers: version 1 frozen, then a rewrite frozen as version 2,
    then a later rewrite not validated; a consent for two sections, and one withdrawn."""
    root = tmp_path_factory.mktemp("data")
    repository = Repository(root)
    dossier_id = save_complete_bilan(repository)
    with repository.open(dossier_id) as handle:
        draft = generated(handle)
        record, _ = handle.synthesis().validate(draft, consultant=CONSULTANT, beneficiary=NAME,
                                                expected_consultant=CONSULTANT, expected_beneficiary=NAME, now=NOW)
        record = record.with_rewrite(draft.section(SectionKey.RECOMMANDATIONS), "Réécrit en version deux.", now=NOW)
        record, _ = record.validate(draft, consultant=CONSULTANT, beneficiary=NAME, expected_consultant=CONSULTANT,
                                    expected_beneficiary=NAME, now=NOW + dt.timedelta(days=1))
        record = record.with_rewrite(draft.section(SectionKey.RECOMMANDATIONS), "Réécriture jamais validée.",
                                     now=NOW + dt.timedelta(days=2))
        record, _ = record.add_consent(recipient="Mme Durand, CEP", sections=[SectionKey.ORIENTATION, SectionKey.PLAN],
                                       given_on=NOW.date(), agreement="J'accepte", expected_beneficiary=NAME, now=NOW)
        record, withdrawn = record.add_consent(recipient="Employeur", sections=[SectionKey.COMPETENCES],
                                               given_on=NOW.date(), agreement="J'accepte",
                                               expected_beneficiary=NAME, now=NOW)
        handle.save_synthesis(record.withdraw_consent(withdrawn.id, now=NOW))
    return root, dossier_id


# -- where the file goes ---------------------------------------------------------------------------


def test_out_over_a_dossier_file_or_with_another_formats_extension_is_refused(bilan, capsys, tmp_path):
    root, dossier_id = bilan
    dossier_file = root / "dossiers" / f"{dossier_id}.json"
    before = dossier_file.read_bytes()
    code, _, err = run(root, "export", dossier_id, "--format", "md", "--out", str(dossier_file), capsys=capsys)
    assert code == 1 and "extension .md" in err and "n'a pas été écrit" in err
    code, _, err = run(root, "export", dossier_id, "--format", "md", "--out", str(root / "dossiers"), capsys=capsys)
    assert code == 1 and "fichiers de bilan-tui" in err
    assert dossier_file.read_bytes() == before
    assert sorted(p.name for p in (root / "dossiers").iterdir() if p.suffix == ".md") == []

    thesis = tmp_path / "memoire.docx"
    thesis.write_bytes(b"the consultant's own document")
    code, _, err = run(root, "export", dossier_id, "--format", "pdf", "--out", str(thesis), capsys=capsys)
    assert code == 1 and "extension .pdf" in err and "--format" in err
    assert thesis.read_bytes() == b"the consultant's own document"


def test_the_same_export_twice_replaces_the_file_whole_and_says_so(bilan, capsys, tmp_path):
    root, dossier_id = bilan
    code, out, err = run(root, "export", dossier_id, "--format", "md", "--out", str(tmp_path), capsys=capsys)
    assert code == 0, err and "remplacé" not in out
    first = next(tmp_path.glob("*.md"))
    code, out, err = run(root, "export", dossier_id, "--format", "md", "--out", str(tmp_path), capsys=capsys)
    assert code == 0, err
    assert f"« {first.name} » existait : il a été remplacé" in out
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # not numbered, no temporary left

    # A link given as the file: the link is replaced, what it points to is never written through it.
    elsewhere = tmp_path / "ailleurs.md"
    elsewhere.write_text("intact", encoding="utf-8")
    link = tmp_path / "lien.md"
    link.symlink_to(elsewhere)
    code, out, err = run(root, "export", dossier_id, "--format", "md", "--out", str(link), capsys=capsys)
    assert code == 0, err and "remplacé" in out
    assert elsewhere.read_text(encoding="utf-8") == "intact"
    assert not link.is_symlink() and "SHA-256" in link.read_text(encoding="utf-8")


def test_a_temporary_file_left_by_a_killed_export_is_swept_by_the_next(bilan, capsys, tmp_path):
    root, dossier_id = bilan
    code, out, _ = run(root, "export", dossier_id, "--format", "md", "--out", str(tmp_path), capsys=capsys)
    written = Path(out.strip().splitlines()[-1].removeprefix("Document écrit : "))
    stale = tmp_path / f".{written.name}.k1ll3d.tmp"
    stale.write_bytes(b"half a document")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    fresh = tmp_path / f".{written.name}.inflight.tmp"  # another export writing right now: left alone
    fresh.write_bytes(b"being written")
    code, _, err = run(root, "export", dossier_id, "--format", "md", "--out", str(tmp_path), capsys=capsys)
    assert code == 0, err
    assert not stale.exists() and fresh.exists()


def test_an_export_killed_while_writing_leaves_no_temporary_file(bilan, tmp_path):
    """SIGTERM (kill, the terminal closing) while the file is written: the command unwinds and cleans up."""
    root, dossier_id = bilan
    script = textwrap.dedent(f"""
        import os, signal, sys
        real_fsync = os.fsync
        def killed(fd):
            os.kill(os.getpid(), signal.SIGTERM)
            real_fsync(fd)
        os.fsync = killed
        from bilan_tui.cli import main
        sys.exit(main(["--data-dir", {str(root)!r}, "export", {dossier_id!r}, "--format", "md",
                       "--out", {str(tmp_path)!r}]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 128 + signal.SIGTERM, done.stderr.decode()
    assert list(tmp_path.iterdir()) == []


# -- names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "md", "html"])
def test_a_500_character_name_and_consultant_export_in_every_format(capsys, tmp_path, fmt):
    root = tmp_path / "data"
    repository = Repository(root)
    first, last = "Éloïse-Marie " + "A" * 236, "d'Aubigné " + "B" * 239
    dossier = repository.create_dossier(Beneficiary(first_name=first, last_name=last), consultant="C" * 500)
    code, _, err = run(root, "export", dossier.id, "--format", fmt, "--out", str(tmp_path), capsys=capsys)
    assert code == 0, err
    assert "Traceback" not in err
    text = text_of(next(tmp_path.glob(f"*.{fmt}")))
    assert "A" * 236 in text and "B" * 239 in text  # the name whole in the document itself
    assert text.count(NOT_COVERED) >= len(SectionKey)


# -- consultant's templates --------------------------------------------------------------------------


def render_in_time(renderer: Renderer, seconds: float = 60) -> str:
    result: list[str] = []
    worker = threading.Thread(target=lambda: result.append(
        renderer.synthesis(generated_empty(), DocumentFormat.MD, STAMP).decode()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"the template was still rendering after {seconds} s"
    return result[0]


STAMP = Stamp(version=None, date=NOW.date(), sha256="0" * 64)


def generated_empty():  # type: ignore[no-untyped-def]
    from bilan_tui.domain.synthesis.model import Section, Synthesis

    return Synthesis(beneficiary="Zoé L'Hôte", drafted_on=NOW.date(),
                     sections=tuple(Section(key=k, title=k.heading) for k in SectionKey))


@pytest.mark.parametrize("template, said", [
    ("{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}", "arrêté au bout de"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ 'x' * 100000 }}{% endfor %}{% endfor %}",
     "millions de caractères"),
    ("{{ 'x' * 10 ** 11 }}", "mémoire"),
])
def test_a_template_that_never_ends_or_grows_without_end_is_stopped(tmp_path, monkeypatch, template, said):
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 1.0)
    (tmp_path / "synthese.md.j2").write_text(template, encoding="utf-8")
    renderer = Renderer(tmp_path)
    started = time.monotonic()
    text = render_in_time(renderer)
    assert time.monotonic() - started < 30
    assert f"## {SectionKey.PLAN.heading}" in text  # the built-in template, whole
    assert len(renderer.problems) == 1 and said in renderer.problems[0], renderer.problems
    assert str(tmp_path / "synthese.md.j2") in renderer.problems[0]


def test_a_template_cannot_include_a_file_of_the_machine(tmp_path):
    (tmp_path / "synthese.md.j2").write_text("{% include '/etc/passwd' %}{% include '../../../../etc/passwd' %}",
                                             encoding="utf-8")
    renderer = Renderer(tmp_path)
    text = render_in_time(renderer)
    assert "root:" not in text and f"## {SectionKey.PLAN.heading}" in text
    assert "modèle introuvable" in renderer.problems[0]


# -- versions, the lock, privacy -----------------------------------------------------------------------


def test_a_frozen_version_exports_as_frozen_after_later_rewrites_even_while_the_dossier_is_open(bilan, tmp_path):
    root, dossier_id = bilan
    repository = Repository(root)
    with repository.open(dossier_id) as handle:  # the application holds the lock
        record = handle.synthesis()
        first = export(repository, CATALOG, JinjaExpressions(),
                       ExportRequest(dossier_id, DocumentFormat.MD, version=1, out=tmp_path / "v1.md"), now=NOW)
        again = export(repository, CATALOG, JinjaExpressions(),
                       ExportRequest(dossier_id, DocumentFormat.MD, version=1, out=tmp_path / "v1-bis.md"),
                       now=NOW + dt.timedelta(days=30))
        pdf = export(repository, CATALOG, JinjaExpressions(),
                     ExportRequest(dossier_id, DocumentFormat.PDF, version=2, out=tmp_path / "v2.pdf"), now=NOW)
    v1, v2 = record.version(1), record.version(2)
    assert first.stamp.sha256 == v1.sha256 and pdf.stamp.sha256 == v2.sha256
    data = first.path.read_bytes()
    assert data == again.path.read_bytes()  # byte for byte, whenever it is exported
    assert data == Renderer().synthesis(v1.synthesis, DocumentFormat.MD, Stamp(1, v1.frozen_at.date(), v1.sha256))
    text = data.decode()
    assert v1.sha256 in text and "Réécrit en version deux" not in text and "jamais validée" not in text
    v2_text = squeeze(text_of(pdf.path))
    assert squeeze(f"SHA-256 {v2.sha256}") in v2_text and "Réécritenversiondeux" in v2_text
    assert "jamaisvalidée" not in v2_text


KINDS = {
    "travail": {"draft": True},
    "version-1": {"version": 1},
    "version-2": {},
    "extrait": {"consent_id": "1"},
}


def test_no_private_marker_in_any_format_of_any_document(bilan, tmp_path):
    """Draft, every frozen version, a third-party excerpt and the dossier complet, in every format, read back."""
    root, dossier_id = bilan
    repository = Repository(root)
    written = []
    for kind, options in KINDS.items():
        for fmt in DocumentFormat:
            request = ExportRequest(dossier_id, fmt, out=tmp_path / f"{kind}.{fmt.value}", **options)  # type: ignore[arg-type]
            written.append(export(repository, CATALOG, JinjaExpressions(), request, now=NOW).path)
    written.append(export(repository, CATALOG, JinjaExpressions(),
                          ExportRequest(dossier_id, DocumentFormat.PDF, complet=True, out=tmp_path / "complet.pdf"),
                          now=NOW).path)
    for path in written:
        text = text_of(path)
        assert "Sophie" in text and "SHA-256" in squeeze(text), path.name  # read back, not an empty shell
        assert PRIVATE not in squeeze(text), path.name
        if path.suffix in (".md", ".html"):
            assert "ZZPR" not in path.read_text(encoding="utf-8"), path.name
    assert "Mme Durand" in text_of(tmp_path / "extrait.pdf")


# -- long texts ------------------------------------------------------------------------------------------


def test_a_pasted_5000_character_word_is_printed_whole_without_taking_minutes():
    """A code or a link pasted in an answer: not hyphenated (WeasyPrint took ten seconds for 3 000
    characters, minutes for 20 000), broken at the margin, every character kept."""
    from bilan_tui.domain.synthesis.model import Passage, Section, Synthesis

    token = "".join(chr(ord("a") + (i * 7) % 26) for i in range(5000))
    sections = tuple(Section(key=k, title=k.heading, passages=(Passage(text=f"Début {token} fin"),))
                     if k is SectionKey.CIRCONSTANCES else Section(key=k, title=k.heading) for k in SectionKey)
    synthesis = Synthesis(beneficiary="Zoé L'Hôte", drafted_on=NOW.date(), sections=sections)
    page = Renderer().synthesis(synthesis, DocumentFormat.HTML, STAMP).decode()
    assert f'<span class="adresse">{token}</span>' in page
    started = time.monotonic()
    data = Renderer().synthesis(synthesis, DocumentFormat.PDF, STAMP)
    assert time.monotonic() - started < 8
    lines = [line for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()
             if not line.startswith(("Confidentiel", "Version de travail"))]  # the running header and footer
    assert f"Début{token}fin" in squeeze("".join(lines))


def test_an_excerpts_footer_carries_the_versions_hash_and_its_own_said_apart(bilan, tmp_path):
    """« Version 2 … SHA-256 x » must check against version 2: an excerpt says it is one, with both hashes."""
    root, dossier_id = bilan
    repository = Repository(root)
    with repository.open(dossier_id, read_only=True) as handle:
        v2 = handle.synthesis().version(2)
    result = export(repository, CATALOG, JinjaExpressions(),
                    ExportRequest(dossier_id, DocumentFormat.MD, consent_id="1", out=tmp_path / "e.md"), now=NOW)
    footer = result.path.read_text(encoding="utf-8").strip().splitlines()[-1]
    assert footer.startswith("Extrait de la version 2 validée le ")
    assert f"(SHA-256 {v2.sha256})" in footer
    assert footer.endswith(f"SHA-256 de l'extrait {result.stamp.sha256}") and result.stamp.sha256 != v2.sha256


def test_homonyms_and_names_without_latin_letters_never_share_an_exported_file(capsys, tmp_path):
    """Two Marie Dupont (or two names in Chinese script): the second export must not replace the first's file,
    or one beneficiary would be handed the other's synthesis."""
    root = tmp_path / "data"
    repository = Repository(root)
    pairs = [("Marie", "Dupont"), ("Marie", "Dupont"), ("雷", "李"), ("梅", "韩")]
    ids = [repository.create_dossier(Beneficiary(first_name=first, last_name=last), consultant=f"Consultant {i}").id
           for i, (first, last) in enumerate(pairs)]
    for dossier_id in ids:
        code, out, err = run(root, "export", dossier_id, "--format", "md", capsys=capsys)
        assert code == 0, err
        assert "remplacé" not in out
    files = sorted((root / "exports").glob("*.md"))
    assert len(files) == 4
    assert sorted(f"Consultant {i}" in f.read_text(encoding="utf-8") for f in files for i in range(4)).count(True) == 4
    assert any(f.name.startswith("synthese-marie-dupont-") for f in files)


def test_an_unexpected_fault_is_one_french_sentence_with_no_file(bilan, capsys, tmp_path, monkeypatch):
    from bilan_tui.rendering import docx_writer

    def broken(_view: object) -> bytes:
        raise ValueError("exceeded 255 char limit for property")

    monkeypatch.setattr(docx_writer, "synthesis_docx", broken)
    root, dossier_id = bilan
    code, _, err = run(root, "export", dossier_id, "--format", "docx", "--out", str(tmp_path), capsys=capsys)
    assert code == 3 and "erreur inattendue" in err and "Aucun document n'a été écrit" in err
    assert list(tmp_path.iterdir()) == []
    templates = tmp_path / "modeles"
    templates.write_text("un fichier", encoding="utf-8")
    code, _, err = run(root, "export", dossier_id, "--modeles", str(templates), capsys=capsys)
    assert code == 2 and "n'est pas un dossier" in err


def test_a_consent_number_typed_with_spaces_finds_its_consent(bilan, capsys, tmp_path):
    root, dossier_id = bilan
    code, out, err = run(root, "export", dossier_id, "--format", "md", "--extrait", " 1 ", "--out", str(tmp_path),
                         capsys=capsys)
    assert code == 0, err
    assert "Mme Durand" in next(tmp_path.glob("extrait-*.md")).read_text(encoding="utf-8")


@pytest.mark.parametrize("element", [
    '<link rel="attachment" href="{secret}">',
    "<LINK REL='Stylesheet  ATTACHMENT' href='file://{secret}'>",
    '<a rel=attachment href="{secret}">pièce jointe</a>',
])
def test_a_template_cannot_join_a_file_of_the_machine_to_the_pdf(tmp_path, element):
    """WeasyPrint embeds a ``rel=attachment`` file whole: another beneficiary's dossier could be handed over."""
    secret = tmp_path / "autre-dossier.json"
    secret.write_text("ZZSECRET d'un autre bénéficiaire", encoding="utf-8")
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / "synthese.html.j2").write_text(
        "<html><head>" + element.format(secret=secret) + "</head><body><h1>{{ doc.title }}</h1></body></html>",
        encoding="utf-8")
    renderer = Renderer(folder)
    data = renderer.synthesis(generated_empty(), DocumentFormat.PDF, STAMP)
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments and b"ZZSECRET" not in data
    assert squeeze(SectionKey.PLAN.heading) in squeeze(" ".join(p.extract_text() for p in reader.pages))
    assert len(renderer.problems) == 1 and "joint un fichier" in renderer.problems[0]
