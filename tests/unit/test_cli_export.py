"""``bilan-tui export``: every document from the command line, and a French error with a non-zero exit
for each thing that can go wrong, with no file left half-written."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from bilan_tui.cli import main
from bilan_tui.domain.synthesis.model import SEED_SECTIONS, SectionKey
from bilan_tui.storage import Repository
from tests.synthesis_persona import save_complete_bilan

NOW = dt.datetime(2026, 11, 20, 15, 0)


@pytest.fixture(scope="module")
def bilan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("data")
    repository = Repository(root)
    return root, save_complete_bilan(repository)


def run(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--data-dir", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_export_without_a_validated_version_gives_the_working_version_in_the_exports_folder(bilan, capsys):
    root, dossier_id = bilan
    code, out, err = run(root, "export", dossier_id, "--format", "pdf", capsys=capsys)
    assert code == 0, err
    written = Path(out.strip().splitlines()[-1].removeprefix("Document écrit : "))
    assert written.parent == root / "exports" and written.suffix == ".pdf"
    text = pdf_text(written)
    for key in SEED_SECTIONS:
        assert key.heading.split(" (")[0][:30] in " ".join(text.split())
    assert "non validée" in text.lower() or "version de travail" in text.lower()
    assert oct((root / "exports").stat().st_mode & 0o777) == "0o700"


def test_the_dossier_can_be_named_by_its_beneficiary(bilan, capsys, tmp_path):
    root, _ = bilan
    repository = Repository(root)
    name = next(e.summary.beneficiary for e in repository.list_dossiers() if e.summary)
    code, out, err = run(root, "export", name.upper(), "--format", "md", "--out", str(tmp_path), capsys=capsys)
    assert code == 0, err
    written = next(tmp_path.glob("*.md"))
    assert SectionKey.ORIENTATION.heading in written.read_text(encoding="utf-8")


def test_docx_and_html_and_the_dossier_complet(bilan, capsys, tmp_path):
    root, dossier_id = bilan
    for fmt in ("docx", "html"):
        out_file = tmp_path / f"synthese.{fmt}"
        code, _, err = run(root, "export", dossier_id, "--format", fmt, "--out", str(out_file), capsys=capsys)
        assert code == 0, err
        assert out_file.stat().st_size > 0
    headings = [p.text for p in Document(str(tmp_path / "synthese.docx")).paragraphs if p.style.name.startswith("Heading")]
    assert SectionKey.PLAN.heading in headings
    assert "<script" not in (tmp_path / "synthese.html").read_text(encoding="utf-8").lower()
    code, out, err = run(root, "export", dossier_id, "--complet", "--out", str(tmp_path / "complet.pdf"), capsys=capsys)
    assert code == 0, err
    assert len(PdfReader(str(tmp_path / "complet.pdf")).pages) > 2


@pytest.mark.parametrize("args, message", [
    (["export", "personne-inconnue"], "Dossier inconnu"),
    (["export", "{id}", "--version", "7"], "La version 7 n'existe pas"),
    (["export", "{id}", "--complet", "--format", "docx"], "n'existe qu'en PDF"),
    (["export", "{id}", "--extrait", "inconnu"], "consentement"),
    (["export", "{id}", "--out", "{tmp}/absent/synthese.pdf"], "n'existe pas"),
    (["export", "{id}", "--out", "{tmp}/fichier/synthese.pdf"], "n'est pas un dossier"),
])
def test_each_error_exits_non_zero_with_its_french_message_and_no_file(bilan, capsys, tmp_path, args, message):
    root, dossier_id = bilan
    (tmp_path / "fichier").write_text("un fichier, pas un dossier")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out, err = run(root, *[a.format(id=dossier_id, tmp=tmp_path) for a in args], capsys=capsys)
    assert code != 0
    assert message.lower() in err.lower()
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_an_excerpt_needs_a_consent_and_stops_when_it_is_withdrawn(capsys, tmp_path):
    root = tmp_path / "data"
    repository = Repository(root)
    dossier_id = save_complete_bilan(repository)
    name = next(e.summary.beneficiary for e in repository.list_dossiers() if e.summary)
    out = tmp_path / "extrait.md"
    code, _, err = run(root, "export", dossier_id, "--format", "md", "--extrait", "1", "--out", str(out), capsys=capsys)
    assert code == 1 and "Aucun consentement" in err and not out.exists()

    with repository.open(dossier_id) as handle:
        record, consent = handle.synthesis().add_consent(
            recipient="Mme Durand, conseillère CEP", sections=[SectionKey.ORIENTATION, SectionKey.PLAN],
            given_on=NOW.date(), agreement=f"J'accepte, {name}", expected_beneficiary=name, now=NOW)
        handle.save_synthesis(record)
    code, stdout, err = run(root, "export", dossier_id, "--format", "md", "--extrait", consent.id, "--out", str(out),
                            capsys=capsys)
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert SectionKey.ORIENTATION.heading in text and SectionKey.PLAN.heading in text
    assert SectionKey.CIRCONSTANCES.heading not in text and SectionKey.COMPETENCES.heading not in text
    assert "Mme Durand" in text
    out.unlink()

    with repository.open(dossier_id) as handle:
        handle.save_synthesis(handle.synthesis().withdraw_consent(consent.id, now=NOW))
    code, _, err = run(root, "export", dossier_id, "--format", "md", "--extrait", consent.id, "--out", str(out),
                       capsys=capsys)
    assert code == 1 and "a été retiré" in err and not out.exists()
