"""The synthesis screen, by keys: read the draft and a passage's sources, rewrite a section, see it
flagged « ⚠ à revoir » when an answer changes, validate jointly, look at the versions, export."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from textual.widgets import OptionList, Static

from bilan_tui.domain.models import Beneficiary, Session
from bilan_tui.domain.synthesis.model import SectionKey
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from tests.synthesis_persona import CONSULTANT, PRIVATE, save_complete_bilan
from tests.tui.helpers import palette_pick, type_text, visible_text

BENEFICIARY = "Sophie Lemaire"
AFTER_THE_LAST_SESSION = dt.datetime(2026, 12, 1, 10, 0)
REWRITE = "Sophie a toujours rendu les chiffres clairs ; elle veut enseigner."


def prepare_dossier(data_dir: Path, clock) -> str:
    """Sophie's complete bilan (every module, five sessions closed), the day after the last session."""
    clock.now = AFTER_THE_LAST_SESSION
    return save_complete_bilan(Repository(data_dir))


def change_answer(data_dir: Path, dossier_id: str, module: str, step_id: str, value: object, now: dt.datetime) -> None:
    """Between two runs of the app, an answer is changed in a new session (the others are closed)."""
    catalog = load_catalog()
    with Repository(data_dir).open(dossier_id) as handle:
        session = Session.start(handle.dossier, "Reprendre un point du parcours", True, now)
        handle.save_session(session)
        workbook = Workbook(catalog.flows, handle.interviews(), JinjaExpressions())
        state = workbook.states[module]
        outcome = workbook.engine(catalog.flows[state.flow_id]).answer(state, step_id, value, now=now,
                                                                        session_id=session.id, accept_warnings=True)
        assert outcome.recorded, outcome.errors
        handle.save_interview(outcome.state)


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


async def validate_as(pilot, consultant: str, beneficiary: str) -> None:
    """V, both names typed, Ctrl+S."""
    await pilot.press("v")
    await pilot.pause()
    await type_text(pilot, consultant)
    await pilot.press("tab")
    await type_text(pilot, beneficiary)
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

    return spaced("\n".join(page.extract_text() or "" for page in PdfReader(path).pages))


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return spaced("\n".join([p.text for p in document.paragraphs] + cells))


def spaced(text: str) -> str:
    """The documents' French non-breaking spaces (before « ; : ! ? », inside guillemets) read as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# -- the tests ------------------------------------------------------------------------------------


async def test_the_draft_section_by_section_and_the_sources_of_a_passage(make_app, data_dir, clock):
    prepare_dossier(data_dir, clock)
    async with make_app().run_test(size=(140, 50)) as pilot:
        await open_synthesis(pilot)
        shown = lines(pilot)
        for key in SectionKey:
            heading = next(line for line in shown if key.heading in line)
            assert heading.endswith("texte proposé")
        assert "   « Rendre les chiffres clairs pour les autres. »" in shown  # her own words, quoted
        assert not any(PRIVATE in line for line in shown)

        # ↑ ↓ over the passages: the one highlighted shows where it comes from.
        await move_to(pilot, "Aide-comptable (emploi")
        sources = detail(pilot)
        assert "Source : Parcours et récit de vie — « " in sources
        assert "Réponse : Élément n° 1 : " in sources and "Cabinet d'expertise comptable" in sources
        assert "Le 19/10/2026 à 14:01" in sources
        assert "Portefeuille : Expérience « Aide-comptable »" in sources
        await move_to(pilot, "Le 16/11/2026, de 09:30 à 12:15")  # a step of the bilan: its session
        assert "Entretien du 16/11/2026" in detail(pilot)
        await pilot.press("up")
        assert "Le 02/11/2026" in highlighted(pilot)

        await pilot.press("escape")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "DossierScreen"


async def test_a_section_without_material_says_so_and_can_still_be_written(make_app, data_dir):
    repository = Repository(data_dir)
    repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
    async with make_app().run_test(size=(140, 50)) as pilot:
        await open_synthesis(pilot)
        shown = lines(pilot)
        assert shown.count("   Non abordé au cours du bilan.") == len(SectionKey)
        await move_to(pilot, "Validation des acquis")
        await pilot.press("down", "enter")  # Entrée on the section: its rewrite, empty
        await pilot.pause()
        assert pilot.app.screen.query_one("#rewrite").text == ""
        assert "Non abordé au cours du bilan." in visible_text(pilot)  # the proposed text, beside
        await type_text(pilot, "Pas de VAE envisagée pour l'instant.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "   Pas de VAE envisagée pour l'instant." in lines(pilot)

        await pilot.press("escape")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "DossierScreen"


async def test_the_palette_opens_the_synthesis(make_app, data_dir, clock):
    prepare_dossier(data_dir, clock)
    async with make_app().run_test(size=(140, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await palette_pick(pilot, "synthèse", "Ouvrir le document de synthèse")
        assert type(pilot.app.screen).__name__ == "SynthesisScreen"


async def test_the_dossier_footer_shows_the_synthesis_and_consent_keys_on_a_120_column_screen(make_app, data_dir, clock):
    # A new consultant discovers the synthesis from the footer: it must be within the screen, not cut off.
    from textual.widgets._footer import FooterKey

    prepare_dossier(data_dir, clock)
    async with make_app().run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        keys = {key.description: key for key in pilot.app.screen.query(FooterKey)}
        for wanted in ("Synthèse", "Tiers", "Portefeuille"):
            assert keys[wanted].region.right <= 120, wanted
        await pilot.press("y")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SynthesisScreen"


async def test_rewriting_a_section_keeps_the_proposed_text_and_its_sources_beside_it(make_app, data_dir, clock):
    dossier_id = prepare_dossier(data_dir, clock)
    async with make_app().run_test(size=(140, 50), notifications=True) as pilot:
        await open_synthesis(pilot)
        await move_to(pilot, "Parcours professionnel")
        await pilot.press("r")
        await pilot.pause()
        area = pilot.app.screen.query_one("#rewrite")
        assert area.text.startswith("3 expériences retracées au cours du bilan :\n- Aide-comptable")  # as shown
        assert "« Rendre les chiffres clairs pour les autres. »" in area.text and "Source" not in area.text

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
        assert beside.startswith("Texte proposé") and "• Aide-comptable" in beside
        assert "↳ Parcours et récit de vie" in beside  # the sources stay with the generated text

    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        stored = handle.synthesis().rewrite_of(SectionKey.PARCOURS)
        assert stored is not None and stored.text == REWRITE


async def test_a_changed_answer_flags_the_rewritten_section_and_nothing_is_overwritten(make_app, data_dir, clock):
    dossier_id = prepare_dossier(data_dir, clock)
    async with make_app().run_test(size=(140, 50)) as pilot:
        await open_synthesis(pilot)
        await rewrite(pilot, "Parcours professionnel", REWRITE)

    # In a later session, Sophie says the thread of her career differently.
    change_answer(data_dir, dossier_id, "parcours", "fil_rouge", "Expliquer les chiffres à ceux qui les craignent.",
                  clock.now + dt.timedelta(days=1))

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
        assert "« Expliquer les chiffres à ceux qui les craignent. »" in beside
        assert not any("Expliquer les chiffres à ceux" in line for line in lines(pilot))  # not put in silently
        others = [line for line in lines(pilot) if line.startswith(tuple("123456789")) and "Parcours" not in line]
        assert all(not line.endswith("à revoir") for line in others)  # only the section that cites the answer

        # R edits the rewrite with the new draft beside it; Échap without a change leaves it as it was.
        await pilot.press("r")
        await pilot.pause()
        dialog = visible_text(pilot)
        assert "⚠ Les réponses ont changé depuis cette réécriture" in dialog
        assert "Nouveau texte proposé" in dialog and "Expliquer les chiffres à ceux qui les craignent." in dialog
        assert pilot.app.screen.query_one("#rewrite").text == REWRITE
        await pilot.press("escape")
        await pilot.pause()
        assert next(line for line in lines(pilot) if "Parcours professionnel" in line).endswith("⚠ à revoir")

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
        assert "   « Expliquer les chiffres à ceux qui les craignent. »" in lines(pilot)
        assert not any(REWRITE in line for line in lines(pilot))

    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        assert handle.synthesis().rewrite_of(SectionKey.PARCOURS) is None


async def test_joint_validation_refuses_a_wrong_name_then_freezes_version_1(make_app, data_dir, clock):
    dossier_id = prepare_dossier(data_dir, clock)
    async with make_app().run_test(size=(140, 50), notifications=True) as pilot:
        await open_synthesis(pilot)
        await rewrite(pilot, "Parcours professionnel", REWRITE)
        await validate_as(pilot, "Claire Dupont", BENEFICIARY)
        assert type(pilot.app.screen).__name__ == "ValidateScreen"  # refused: the dialog stays...
        error = str(pilot.app.screen.query_one("#error", Static).content)
        assert "ne correspond pas à celui du dossier (« Claire Dubois »)" in error
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
        assert any(f"Version 1 validée le 01/12/2026 à 10:00 · SHA-256 {version.sha256}" in n.message
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
        assert version.sha256 in text.replace("\n", "") and "Sophie a toujours rendu les chiffres" in text

        # Nothing changed: no version 2; a later rewrite makes version 2, version 1 stays.
        await pilot.press("escape", "escape")
        await pilot.pause()
        await validate_as(pilot, CONSULTANT, BENEFICIARY)
        assert "Rien n'a changé depuis la version 1" in str(pilot.app.screen.query_one("#error", Static).content)
        await pilot.press("escape")
        await pilot.pause()
        await rewrite(pilot, "Les étapes du bilan", "Cinq entretiens, d'octobre à novembre 2026.")
        await validate_as(pilot, "claire dubois", "Lemaire Sophie")  # case and order do not matter
        assert type(pilot.app.screen).__name__ == "SynthesisScreen"
        with Repository(data_dir).open(dossier_id, read_only=True) as handle:
            record = handle.synthesis()
        assert [v.number for v in record.versions] == [1, 2] and record.versions[0] == version
        await pilot.press("h")
        await pilot.pause()
        assert pilot.app.screen.query_one("#versions").row_count == 2


async def test_exports_go_to_the_private_exports_folder_and_contain_the_rewrite(make_app, data_dir, clock):
    prepare_dossier(data_dir, clock)
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
        assert "Sophie a toujours rendu les chiffres" in pdf_text(pdf)

        docx = await export(pilot, "2")
        assert docx.suffix == ".docx" and docx.exists()
        assert REWRITE in docx_text(docx)
        assert sorted(p.name for p in (data_dir / "exports").iterdir()) == sorted([pdf.name, docx.name])


async def test_an_export_that_cannot_be_written_says_why_in_french(make_app, data_dir, clock):
    prepare_dossier(data_dir, clock)
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


async def test_a_read_only_window_reads_and_exports_but_changes_nothing(make_app, data_dir, clock):
    import subprocess
    import sys
    import textwrap

    from textual.widgets._footer import FooterKey

    dossier_id = prepare_dossier(data_dir, clock)
    lock = Repository(data_dir).dossiers_dir / f"{dossier_id}.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, os, time
        fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b'{{"pid": 1, "host": "ailleurs", "since": "2026-12-01T09:00:00"}}')
        print("locked", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        async with make_app().run_test(size=(140, 50), notifications=True) as pilot:
            await open_synthesis(pilot)
            keys = {key.description for key in pilot.app.screen.query(FooterKey)}
            assert "Exporter" in keys and "Versions" in keys
            assert not keys & {"Réécrire", "Valider ensemble", "Garder la réécriture", "Prendre le texte proposé"}
            await move_to(pilot, "Parcours professionnel")
            await pilot.press("r", "enter", "v")
            await pilot.pause()
            assert type(pilot.app.screen).__name__ == "SynthesisScreen"
            path = await export(pilot, "4")
            assert path.suffix == ".md" and "Rendre les chiffres clairs pour les autres." in path.read_text("utf-8")
    finally:
        holder.kill()
        holder.wait()
    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        assert handle.synthesis().rewrites == () and handle.synthesis().versions == ()
