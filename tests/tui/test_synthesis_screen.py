"""The synthesis screen, by keys: read the draft and a passage's sources, rewrite a section, see it
flagged « ⚠ à revoir » when an answer changes, validate jointly, look at the versions, export."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import OptionList, Static

from bilan_tui.domain.models import Beneficiary
from bilan_tui.domain.synthesis.model import SectionKey
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from tests.persona import PARCOURS, REALISATIONS, run
from tests.tui.helpers import type_text, visible_text

CONSULTANT = "Claire Dubois"
BENEFICIARY = "Karim Benali"
REWRITE = "Karim a mené sa carrière dans la maintenance industrielle, en transmettant toujours son métier."


def prepare_dossier(data_dir: Path, parcours: dict[str, object] | None = None) -> str:
    """Karim's dossier: his career and achievements answered, a consultant named."""
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Karim", last_name="Benali"), consultant=CONSULTANT)
    answer(data_dir, dossier.id, ("parcours", parcours or PARCOURS), ("realisations", REALISATIONS))
    return dossier.id


def answer(data_dir: Path, dossier_id: str, *modules: tuple[str, dict[str, object]]) -> None:
    """Save the modules' answers as given (a later call replaces a module's answers: an answer changed)."""
    catalog = load_catalog()
    with Repository(data_dir).open(dossier_id) as handle:
        workbook = Workbook(catalog.flows, handle.interviews(), JinjaExpressions())
        for flow_id, answers in modules:
            engine = workbook.engine(catalog.flows[flow_id])
            state = run(engine, answers, engine.start())
            workbook = workbook.with_state(state)
            handle.save_interview(state)


# -- reading the screen ---------------------------------------------------------------------------


def lines(pilot) -> list[str]:
    options = pilot.app.screen.query_one("#passages", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def highlighted(pilot) -> str:
    options = pilot.app.screen.query_one("#passages", OptionList)
    assert options.highlighted is not None
    return lines(pilot)[options.highlighted]


def detail(pilot) -> str:
    return str(pilot.app.screen.query_one("#detail-text", Static).content)


def proposed(pilot) -> str:
    panel = pilot.app.screen.query_one("#proposed")
    return str(pilot.app.screen.query_one("#proposed-text", Static).content) if panel.display else ""


async def move_to(pilot, text: str) -> None:
    """Move the highlight by ↑ ↓ to the first line that contains ``text``."""
    found = [i for i, line in enumerate(lines(pilot)) if text in line]
    assert found, f"« {text} » n'est pas dans la synthèse :\n" + "\n".join(lines(pilot))
    options = pilot.app.screen.query_one("#passages", OptionList)
    delta = found[0] - (options.highlighted or 0)
    await pilot.press(*["down" if delta > 0 else "up"] * abs(delta))
    await pilot.pause()
    assert text in highlighted(pilot)


async def open_synthesis(pilot) -> None:
    await pilot.press("enter")  # the dossier
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "SynthesisScreen"


async def rewrite(pilot, heading: str, text: str) -> None:
    """R on a section, its text replaced by ``text``, Ctrl+S."""
    await move_to(pilot, heading)
    await pilot.press("r")
    await pilot.pause()
    await pilot.press("f7", "backspace")  # select all, clear
    await type_text(pilot, text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def export(pilot, choice: str) -> Path:
    """X, then the document's number; the path the screen shows afterwards."""
    await pilot.press("x")
    await pilot.pause()
    await pilot.press(choice)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    shown = str(pilot.app.screen.query_one("#exported", Static).content)
    return Path(shown.split(" : ", 1)[1])


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# -- the tests ------------------------------------------------------------------------------------


async def test_the_draft_section_by_section_and_the_sources_of_a_passage(make_app, data_dir):
    prepare_dossier(data_dir)
    async with make_app().run_test(size=(140, 50)) as pilot:
        await open_synthesis(pilot)
        shown = lines(pilot)
        for key in SectionKey:
            heading = next(line for line in shown if key.heading in line)
            assert "texte proposé" in heading
        assert "Non abordé au cours du bilan." in "\n".join(shown)  # nothing about VAE was said

        # ↑ ↓ over the passages: the one highlighted shows where it comes from.
        await move_to(pilot, "Technicien de maintenance")
        sources = detail(pilot)
        assert "Source : Parcours et récit de vie" in sources
        assert "Réponse :" in sources and "Technicien de maintenance" in sources
        assert "Le 26/11/2026" in sources

        await pilot.press("escape")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "DossierScreen"


async def test_the_palette_opens_the_synthesis(make_app, data_dir):
    prepare_dossier(data_dir)
    async with make_app().run_test(size=(140, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "synthèse")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SynthesisScreen"


async def test_rewriting_a_section_keeps_the_proposed_text_and_its_sources_beside_it(make_app, data_dir):
    dossier_id = prepare_dossier(data_dir)
    async with make_app().run_test(size=(140, 50), notifications=True) as pilot:
        await open_synthesis(pilot)
        await move_to(pilot, "Parcours professionnel")
        await pilot.press("r")
        await pilot.pause()
        area = pilot.app.screen.query_one("#rewrite")
        assert "Technicien de maintenance" in area.text  # prefilled with the current text
        assert "Source" not in area.text

        # An empty rewrite is refused; the dialog stays.
        await pilot.press("f7", "backspace", "ctrl+s")
        await pilot.pause()
        assert "La réécriture est vide" in visible_text(pilot)
        assert type(pilot.app.screen).__name__ == "RewriteScreen"

        # Escape after typing asks first; « non » keeps what was typed.
        await type_text(pilot, REWRITE)
        await pilot.press("escape")
        await pilot.pause()
        assert "Abandonner la réécriture ?" in visible_text(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert pilot.app.screen.query_one("#rewrite").text == REWRITE
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert type(pilot.app.screen).__name__ == "SynthesisScreen"
        heading = next(line for line in lines(pilot) if "Parcours professionnel" in line)
        assert heading.endswith("réécrit")
        assert any(REWRITE in line for line in lines(pilot))
        await move_to(pilot, REWRITE)
        beside = proposed(pilot)
        assert beside.startswith("Texte proposé") and "Technicien de maintenance" in beside
        assert "Parcours et récit de vie" in beside  # the sources stay with the generated text

    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        stored = handle.synthesis().rewrite_of(SectionKey.PARCOURS)
        assert stored is not None and stored.text == REWRITE


async def test_a_changed_answer_flags_the_rewritten_section_and_nothing_is_overwritten(make_app, data_dir):
    dossier_id = prepare_dossier(data_dir)
    async with make_app().run_test(size=(140, 50)) as pilot:
        await open_synthesis(pilot)
        await rewrite(pilot, "Parcours professionnel", REWRITE)

    # Between two sessions the career is corrected: the first job had another title.
    experiences = [dict(PARCOURS["experiences"][0], intitule="Technicien de maintenance industrielle"),  # type: ignore[index]
                   PARCOURS["experiences"][1]]  # type: ignore[index]
    answer(data_dir, dossier_id, ("parcours", {**PARCOURS, "experiences": experiences}))

    async with make_app().run_test(size=(140, 50), notifications=True) as pilot:
        await open_synthesis(pilot)
        heading = next(line for line in lines(pilot) if "Parcours professionnel" in line)
        assert heading.endswith("⚠ à revoir")
        assert "⚠ 1 à revoir" in str(pilot.app.screen.query_one("#status", Static).content)
        await move_to(pilot, "Parcours professionnel")
        assert "⚠ À revoir" in detail(pilot)
        assert any(REWRITE in line for line in lines(pilot))  # the rewrite is still what the section says
        beside = proposed(pilot)
        assert beside.startswith("Nouveau texte proposé")
        assert "Technicien de maintenance industrielle" in beside

        # G keeps the rewrite against the new draft.
        await pilot.press("g")
        await pilot.pause()
        heading = next(line for line in lines(pilot) if "Parcours professionnel" in line)
        assert heading.endswith("réécrit")
        assert any(REWRITE in line for line in lines(pilot))

        # P takes the proposed text instead, after confirmation.
        await pilot.press("p")
        await pilot.pause()
        assert "La réécriture sera perdue." in visible_text(pilot)
        await pilot.press("o")
        await pilot.pause()
        heading = next(line for line in lines(pilot) if "Parcours professionnel" in line)
        assert heading.endswith("texte proposé")
        assert any("Technicien de maintenance industrielle" in line for line in lines(pilot))
        assert not any(REWRITE in line for line in lines(pilot))

    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        assert handle.synthesis().rewrite_of(SectionKey.PARCOURS) is None


async def test_joint_validation_refuses_a_wrong_name_then_freezes_version_1(make_app, data_dir):
    dossier_id = prepare_dossier(data_dir)
    async with make_app().run_test(size=(140, 50), notifications=True) as pilot:
        await open_synthesis(pilot)
        await rewrite(pilot, "Parcours professionnel", REWRITE)
        await pilot.press("v")
        await pilot.pause()
        await type_text(pilot, "Claire Dupont")
        await pilot.press("tab")
        await type_text(pilot, BENEFICIARY)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "ValidateScreen"  # refused: the dialog stays...
        error = str(pilot.app.screen.query_one("#error", Static).content)
        assert error
        assert pilot.app.screen.query_one("#consultant").value == "Claire Dupont"  # ... with what was typed
        assert pilot.app.screen.query_one("#beneficiary").value == BENEFICIARY

        await pilot.press("shift+tab")  # back to the consultant's name, selected whole: typed over
        await type_text(pilot, CONSULTANT)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SynthesisScreen"
        with Repository(data_dir).open(dossier_id, read_only=True) as handle:
            version = handle.synthesis().latest
        assert version is not None and version.number == 1
        assert version.consultant_name == CONSULTANT and version.beneficiary_name == BENEFICIARY
        assert any(f"Version 1 validée le 26/11/2026 à 09:30 · SHA-256 {version.sha256}" in n.message
                   for n in pilot.app._notifications)
        assert version.sha256 in str(pilot.app.screen.query_one("#status", Static).content)

        # The versions: number, date, names; one opens read-only.
        await pilot.press("h")
        await pilot.pause()
        assert "Claire Dubois" in visible_text(pilot) and version.sha256 in visible_text(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "VersionScreen"
        assert any(REWRITE in line for line in lines(pilot))
        await pilot.press("r")  # read-only: nothing to rewrite here
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "VersionScreen"
        path = await export(pilot, "1")
        assert path.name.endswith(".pdf") and path.exists()
        text = pdf_text(path)
        assert version.sha256 in text.replace("\n", "") and "Karim a mené sa carrière" in text


async def test_exports_go_to_the_private_exports_folder_and_contain_the_rewrite(make_app, data_dir):
    prepare_dossier(data_dir)
    async with make_app().run_test(size=(140, 50), notifications=True) as pilot:
        await open_synthesis(pilot)
        await rewrite(pilot, "Parcours professionnel", REWRITE)
        await pilot.press("x")
        await pilot.pause()
        assert "version de travail, non validée" in visible_text(pilot)
        await pilot.press("escape")
        await pilot.pause()

        pdf = await export(pilot, "1")
        assert pdf.parent == data_dir / "exports" and pdf.suffix == ".pdf" and pdf.exists()
        assert stat.S_IMODE(pdf.parent.stat().st_mode) == 0o700
        assert any(str(pdf) in n.message for n in pilot.app._notifications)
        assert "Karim a mené sa carrière" in pdf_text(pdf)

        docx = await export(pilot, "2")
        assert docx.suffix == ".docx" and docx.exists()
        assert REWRITE in docx_text(docx)
        assert sorted(p.name for p in (data_dir / "exports").iterdir()) == sorted([pdf.name, docx.name])


async def test_an_export_that_cannot_be_written_says_why_in_french(make_app, data_dir):
    prepare_dossier(data_dir)
    (data_dir / "exports").write_text("un fichier à la place du dossier", encoding="utf-8")
    async with make_app().run_test(size=(140, 50), notifications=True) as pilot:
        await open_synthesis(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("4")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in pilot.app._notifications]
        assert any("ne peut pas être créé" in m for m in messages), messages
        assert not pilot.app.screen.query_one("#exported", Static).display
        assert type(pilot.app.screen).__name__ == "SynthesisScreen"
