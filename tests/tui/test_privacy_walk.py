"""The beneficiary view (F6), walked screen by screen: no consultant-only text anywhere.

A full dossier is prepared with a unique marker (``ZZPRIVE`` and a number) in every consultant-only
field: answers to the questions asked to the consultant, the flows' hints to the consultant, the
prompt and help of a consultant-only question, private notes (and a shared note on a consultant-only
question), private portfolio items (an observed competence that matches a requirement of a confronted
project, an achievement that proves a shared competence, observed values), and a notification about a
private item. Then every screen and tab is walked by keys, first as the consultant (every marker must be
seen: the walk can see them), then under F6 (no marker may be seen, whole or truncated).

What "seen" means: the text drawn on the terminal (every line the compositor renders, modal screens
with the one beneath, toasts, header, tabs, table cells), and the content of every displayed widget of
the screen, scrolled out of view or not (a long transcript, a long table).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from bilan_tui.domain.models import Beneficiary, Note, Visibility
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from tests.persona import CONFRONTATION, NOW, PARCOURS, run
from tests.tui.helpers import pick_module, start_session, type_text

PRIVATE = re.compile(r"ZZPR")
"""Any trace of a marker, even truncated by a narrow column ("ZZPRI…")."""

FLOW = """
id: zz_prive
title: "Module de contrôle"
flow_version: "1"
phase: investigation
order: 99
steps:
  - id: accueil
    kind: info
    prompt: "Bienvenue dans le module de contrôle."
    consultant_note: "ZZPRIVE01 conseil sur une information"
  - id: realisations_privees
    kind: repeat
    prompt: "ZZPRIVE02 réalisations observées"
    asked_to: consultant
    consultant_note: "ZZPRIVE04 conseil de la question privée"
    answer:
      type: list
      fields:
        - {id: titre, label: "Titre", required: true}
    produces: {kind: realisation, title: titre}
  - id: savoirs
    kind: repeat
    prompt: "Vos savoir-faire, et ce qui les prouve."
    consultant_note: "ZZPRIVE05 conseil d'une question partagée"
    answer:
      type: list
      fields:
        - {id: intitule, label: "Savoir-faire", required: true}
        - {id: preuve, label: "Réalisation (numéro)"}
    produces: {kind: competence, title: intitule, evidence_step: realisations_privees, evidence_field: preuve}
  - id: valeurs_observees
    prompt: "Valeurs observées"
    asked_to: consultant
    answer:
      type: multi
      choices:
        - {value: autonomie, label: "ZZPRIVE06 Autonomie"}
        - {value: equite, label: "Équité"}
    produces: {kind: valeur}
  - id: avis_prive
    prompt: "ZZPRIVE07 avis du consultant"
    help: "ZZPRIVE03 aide de la question privée"
    asked_to: consultant
    answer: {type: long_text}
  - id: suivi_prive
    prompt: "ZZPRIVE20 suivi à prévoir"
    asked_to: consultant
    answer: {type: long_text}
    required: false
"""

ANSWERS = {
    "parcours": {**PARCOURS, "observations_parcours": "ZZPRIVE08 récit fluide"},
    "competences": {
        "transversales": {"cooperer": 4},
        "observations": [{"intitule": "Sens du détail ZZPRIVE09", "categorie": "savoir_etre",
                          "indice": "ZZPRIVE10 fiches relues"}],
    },
    "confrontation": {**CONFRONTATION, "competences_requises": [
        {"intitule": "Sens du détail", "source": ""}, {"intitule": "Soudure", "source": ""},
        {"intitule": "Travailler en équipe", "source": ""}]},
    "zz_prive": {
        "realisations_privees": [{"titre": "ZZPRIVE11 soudure observée à l'atelier"}],
        "savoirs": [{"intitule": "Soudure", "preuve": "1"}],
        "valeurs_observees": ["autonomie", "equite"],
        "avis_prive": "ZZPRIVE12 avis à garder",
    },
}
NOTES = [  # (module, step, text, visibility)
    ("parcours", "experiences", "ZZPRIVE13 note privée sur le parcours", Visibility.CONSULTANT),
    ("competences", "transversales", "ZZPRIVE14 note privée sur l'auto-évaluation", Visibility.CONSULTANT),
    ("confrontation", "competences_requises", "ZZPRIVE15 note privée sur le projet", Visibility.CONSULTANT),
    ("zz_prive", "accueil", "ZZPRIVE16 note privée sur une information", Visibility.CONSULTANT),
    ("zz_prive", "savoirs", "ZZPRIVE17 note privée", Visibility.CONSULTANT),
    ("zz_prive", "avis_prive", "ZZPRIVE18 note partagée sur une question privée", Visibility.SHARED),
    ("zz_prive", "savoirs", "ZZPUBLIC note partagée", Visibility.SHARED),
    ("zz_prive", "suivi_prive", "ZZPRIVE21 note partagée sur une question privée pas encore posée", Visibility.SHARED),
]
UNTIL = {"zz_prive": "suivi_prive"}
"""The control module stops at a consultant-only question: the interview opens on it."""
MARKERS = {f"ZZPRIVE{n:02d}" for n in range(1, 22)}
"""ZZPRIVE19: a private item renamed in the walk, named by the notification that follows."""


def prepare_dossier(data_dir: Path, flows: Path) -> None:
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Karim", last_name="Benali"))
    catalog = load_catalog((flows,))
    assert "zz_prive" in catalog.flows and not catalog.refused
    workbook = Workbook(catalog.flows, [], JinjaExpressions())
    with repository.open(dossier.id) as handle:
        for flow_id, answers in ANSWERS.items():
            engine = workbook.engine(catalog.flows[flow_id])
            state = run(engine, answers, engine.start("p1" if engine.flow.repeatable else ""),
                        until=UNTIL.get(flow_id))
            for module, step_id, text, visibility in NOTES:
                if module == flow_id:
                    state = engine.add_note(state, step_id, Note(text=text, visibility=visibility, at=NOW), now=NOW)
            workbook = workbook.with_state(state)
            handle.save_interview(state)


# -- what a person sees ---------------------------------------------------------------------------


def drawn(pilot: Pilot) -> str:
    """Every line drawn on the terminal, as Textual's own screenshot renders it (modals over their screen)."""
    app = pilot.app
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True,
                      color_system=None, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def _displayed(widget: Widget) -> bool:
    node: Widget | None = widget
    while isinstance(node, Widget):
        if not node.display or not node.visible:
            return False
        node = node.parent if isinstance(node.parent, Widget) else None
    return True


def contents(pilot: Pilot) -> str:
    """The content of every displayed widget of the screen, whether scrolled into view or not."""
    parts: list[str] = []
    for widget in pilot.app.screen.walk_children(Widget, with_self=False):
        if not _displayed(widget):
            continue
        if isinstance(widget, Static):
            content = widget.content
            parts.append(content.plain if hasattr(content, "plain") else str(content))
        elif isinstance(widget, DataTable):
            parts += [str(cell) for row in range(widget.row_count) for cell in widget.get_row_at(row)]
        elif isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
    return "\n".join(parts)


class Walk:
    """What was seen at each stop of the walk."""

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.seen: list[tuple[str, str]] = []

    async def look(self, where: str) -> None:
        await self.pilot.pause()
        self.seen.append((where, drawn(self.pilot) + "\n" + contents(self.pilot)))

    async def peek(self, where: str) -> None:
        """The content of the screen's widgets only (not drawn again): for a list walked line by line,
        where only the panel of the highlighted line changes."""
        await self.pilot.pause()
        self.seen.append((where, contents(self.pilot)))

    def markers(self) -> set[str]:
        return {m for _, text in self.seen for m in re.findall(r"ZZPRIVE\d\d", text)}

    def leaks(self) -> list[tuple[str, str]]:
        return [(where, line.strip()) for where, text in self.seen for line in text.splitlines()
                if PRIVATE.search(line)]

    def text(self, where: str) -> str:
        return "\n".join(text for stop, text in self.seen if stop == where)


async def walk_interview(walk: Walk, module: str) -> None:
    """A module's interview: the transcript with the side panel, the note and report dialogs."""
    pilot = walk.pilot
    await pilot.press("enter")  # the dossier's last session, resumed: the module picker
    await walk.look("choix du module")
    await pick_module(pilot, module)
    panel = pilot.app.screen.query_one("#panel")
    if not panel.display:
        await pilot.press("f7")
    await walk.look(f"entretien {module}")
    await pilot.press("f3")  # the answers to pick from, in the transcript
    await walk.look(f"entretien {module} F3")
    await pilot.press("f2")  # back to the last question (the consultant's, in most modules)
    await walk.look(f"entretien {module} F2")
    await pilot.press("f5")
    await walk.look(f"entretien {module} note")
    await pilot.press("escape")
    await pilot.press("f4")
    await walk.look(f"entretien {module} passer")
    await pilot.press("escape")
    await pilot.press("f10")
    await walk.look(f"entretien {module} compte-rendu")
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("escape")  # leave the edit
    await pilot.pause()
    await pilot.press("escape")  # leave the interview
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "DossierScreen"


async def walk_synthesis(walk: Walk) -> None:
    """The synthesis: every line with its sources, then each dialog of the screen."""
    pilot = walk.pilot
    await pilot.press("y")
    await walk.look("synthèse")
    assert type(pilot.app.screen).__name__ == "SynthesisScreen"
    options = pilot.app.screen.query_one("#passages", OptionList)
    await pilot.press("home")
    for row in range(options.option_count):
        await walk.peek(f"synthèse, ligne {row + 1}")
        await pilot.press("down")
    for key, where in (("r", "réécriture"), ("v", "validation"), ("x", "export"), ("h", "versions")):
        await pilot.press(key)
        await walk.look(f"synthèse, {where}")
        await pilot.press("escape")
        await pilot.pause()
    assert type(pilot.app.screen).__name__ == "SynthesisScreen"
    # Validated together (the consultant's walk makes version 1, the beneficiary's version 2), then read.
    await pilot.press("v")
    await type_text(pilot, "Claire Dubois")
    await pilot.press("tab")
    await type_text(pilot, "Karim Benali")
    await pilot.press("ctrl+s")
    await walk.look("synthèse, après validation")
    assert type(pilot.app.screen).__name__ == "SynthesisScreen"
    await pilot.press("h")
    await walk.look("synthèse, versions validées")
    await pilot.press("enter")
    await walk.look("synthèse, version validée")
    assert type(pilot.app.screen).__name__ == "VersionScreen"
    await pilot.press("end")  # its lines show their sources as the working version's do (walked above)
    await walk.look("synthèse, version validée, dernière ligne")
    await pilot.press("escape", "escape")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "SynthesisScreen"
    await pilot.press("escape")
    await walk.look("dossier, après la synthèse")


FRAME_PARTS = (("i", "information préalable"), ("f", "financement"), ("h", "heures"), ("l", "planning"),
               ("e", "émargement"))


async def walk_frame(walk: Walk) -> None:
    """The frame of the bilan and each of its parts (the administrative file: nothing private in it)."""
    pilot = walk.pilot
    await pilot.press("a")
    await walk.look("cadre du bilan")
    assert type(pilot.app.screen).__name__ == "FrameScreen"
    for key, where in FRAME_PARTS:
        await pilot.press(key)
        await walk.look(f"cadre, {where}")
        await pilot.press("escape")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "FrameScreen"
    await pilot.press("escape")
    await walk.look("dossier, après le cadre")


async def walk_everything(walk: Walk) -> None:
    pilot = walk.pilot
    await walk.look("accueil")
    await pilot.press("enter")
    await walk.look("dossier")
    await pilot.press("m")
    await walk.look("plan des modules")
    await pilot.press("escape")
    await pilot.pause()
    await start_session(pilot, "Relire le portefeuille")
    await walk.look("choix du module")
    await pilot.press("escape")
    await pilot.pause()
    for module in ("Parcours", "Compétences et aptitudes", "Confrontation au marché — Formateur", "Module de contrôle"):
        await walk_interview(walk, module)
    await pilot.press("p")
    await walk.look("portefeuille")
    rows = pilot.app.screen.query_one("#items", DataTable).row_count
    for row in range(rows):
        await walk.look(f"portefeuille, élément {row + 1}")
        await pilot.press("down")
    await pilot.press("2")
    await walk.look("profils")
    await pilot.press("3")
    await walk.look("forces et écarts")
    await pilot.press("1")
    await pilot.press("escape")
    await walk.look("dossier, au retour")
    await walk_synthesis(walk)
    await walk_frame(walk)
    await pilot.press("escape")
    await walk.look("accueil, au retour")


async def test_no_consultant_only_text_anywhere_in_the_beneficiary_view(make_app, data_dir, tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "zz_prive.yaml").write_text(FLOW, encoding="utf-8")
    prepare_dossier(data_dir, flows)
    app = make_app(extra_flow_dirs=(flows,))
    async with app.run_test(size=(160, 60), notifications=True) as pilot:
        # As the consultant: the walk sees every marker.
        consultant = Walk(pilot)
        await walk_everything(consultant)
        assert "Sens du détail ≈ « Sens du détail ZZPRIVE09 »" in consultant.text("forces et écarts")
        assert "prouvée par : « ZZPRIVE11 soudure observée à l'atelier »" in consultant.text("forces et écarts")

        # A private item renamed: the notification names it (drawn as a toast)...
        await pilot.press("enter", "p")
        await pilot.pause()
        table = pilot.app.screen.query_one("#items", DataTable)
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        await pilot.press(*["down"] * titles.index("Sens du détail ZZPRIVE09"), "e")
        await pilot.pause()
        await pilot.press("end")
        await type_text(pilot, " ZZPRIVE19")
        await pilot.press("ctrl+s")
        await consultant.look("notification")
        assert "Modifié : Sens du détail ZZPRIVE09 ZZPRIVE19" in drawn(pilot)  # the toast
        assert consultant.markers() == MARKERS, sorted(MARKERS - consultant.markers())
        assert "ZZPUBLIC" in consultant.text("entretien Module de contrôle")

        # ... and is gone from the screen when the beneficiary view comes on.
        await pilot.press("f6")
        beneficiary = Walk(pilot)
        await beneficiary.look("notification")
        await pilot.press("escape", "escape")
        await walk_everything(beneficiary)
        assert "VUE BÉNÉFICIAIRE" in app.title
        assert beneficiary.leaks() == [], "\n".join(map(str, beneficiary.leaks()))
        for _, where in (("a", "cadre du bilan"), *((key, f"cadre, {part}") for key, part in FRAME_PARTS)):
            assert "VUE BÉNÉFICIAIRE" in beneficiary.text(where), where  # the banner stays on every part

        # The walk saw the screens: shared content is there, the private strength became a gap.
        assert "ZZPUBLIC" in beneficiary.text("entretien Module de contrôle")
        assert "Question réservée au consultant" in beneficiary.text("entretien Module de contrôle")
        assert "Question réservée au consultant" in beneficiary.text("entretien Module de contrôle F2")
        gaps = beneficiary.text("forces et écarts")
        assert "✓ Soudure" in gaps and "✓ Travailler en équipe" in gaps
        assert "✗ Sens du détail" in gaps
        assert "Vos savoir-faire, et ce qui les prouve." in beneficiary.text("entretien Module de contrôle")
        assert "Technicien de maintenance" in beneficiary.text("synthèse")
        assert "Technicien de maintenance" in beneficiary.text("synthèse, version validée")
        # The walk started a session more since the consultant's: its steps changed, hence version 2.
        assert "Version 2 validée le 26/11/2026" in beneficiary.text("synthèse, après validation")


async def test_a_hidden_question_is_not_answered_blind_in_the_beneficiary_view(make_app, data_dir, tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "zz_prive.yaml").write_text(FLOW, encoding="utf-8")
    prepare_dossier(data_dir, flows)
    app = make_app(extra_flow_dirs=(flows,))
    async with app.run_test(size=(160, 60), notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Suivi")
        await pick_module(pilot, "Module de contrôle")
        await pilot.press("f6")
        await pilot.pause()
        await type_text(pilot, "Vu seul")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = drawn(pilot) + contents(pilot)
        assert "Question réservée au consultant : F6 pour l'afficher et y répondre." in shown
        assert not PRIVATE.search(shown)
        await pilot.press("f6")
        await pilot.pause()
        assert "ZZPRIVE20 suivi à prévoir" in drawn(pilot)  # still the question due, nothing was lost
        [dossier] = Repository(data_dir).list_dossiers()
    with Repository(data_dir).open(dossier.id, read_only=True) as handle:
        record = handle.interview("zz_prive").record("suivi_prive")
        assert record is not None and record.value is None and len(record.notes) == 1


async def test_a_dialog_about_something_private_closes_when_the_beneficiary_view_comes_on(make_app, data_dir,
                                                                                            tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "zz_prive.yaml").write_text(FLOW, encoding="utf-8")
    prepare_dossier(data_dir, flows)
    app = make_app(extra_flow_dirs=(flows,))
    closed = "Fenêtre fermée : élément réservé au consultant."
    async with app.run_test(size=(160, 60), notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Suivi")
        await pick_module(pilot, "Module de contrôle")  # on a consultant-only question
        await pilot.press("f4")
        await pilot.pause()
        assert "ZZPRIVE20 suivi à prévoir" in drawn(pilot)  # the skip dialog names it
        await pilot.press("f6")
        await pilot.pause()
        await pilot.pause()  # the toast is mounted on the screen beneath
        shown = drawn(pilot) + contents(pilot)
        assert type(app.screen).__name__ == "InterviewScreen"
        assert not PRIVATE.search(shown) and closed in shown
        await pilot.press("f6", "escape")
        await pilot.pause()

        await pilot.press("p")
        await pilot.pause()
        table = app.screen.query_one("#items", DataTable)
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        for key in ("e", "delete"):  # the edit form and the removal question show its title
            await pilot.press(*["up"] * table.cursor_row, *["down"] * titles.index("Sens du détail ZZPRIVE09"))
            assert str(table.get_row_at(table.cursor_row)[1]) == "Sens du détail ZZPRIVE09"
            await pilot.press(key)
            await pilot.pause()
            assert "Sens du détail ZZPRIVE09" in drawn(pilot)
            await pilot.press("f6")
            await pilot.pause()
            await pilot.pause()
            shown = drawn(pilot) + contents(pilot)
            assert type(app.screen).__name__ == "PortfolioScreen"
            assert not PRIVATE.search(shown) and closed in shown
            await pilot.press("f6")
            await pilot.pause()
        table = app.screen.query_one("#items", DataTable)
        assert "Sens du détail ZZPRIVE09" in [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def document_text(path: Path) -> str:
    """A document's text as a reader gets it: the PDF's text, the DOCX's paragraphs and tables, or the file."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        sections = [paragraph.text for section in document.sections for part in (section.header, section.footer)
                    for paragraph in part.paragraphs]
        return "\n".join([p.text for p in document.paragraphs] + cells + sections)
    return path.read_text(encoding="utf-8")


async def test_no_consultant_only_text_in_any_exported_document(make_app, data_dir, tmp_path):
    """Every format of the synthesis and the dossier complet, exported from the synthesis screen by keys,
    then read back: no marker, whole or truncated; the shared answers are there."""
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "zz_prive.yaml").write_text(FLOW, encoding="utf-8")
    prepare_dossier(data_dir, flows)
    app = make_app(extra_flow_dirs=(flows,))
    documents: list[Path] = []
    async with app.run_test(size=(160, 60), notifications=True) as pilot:
        await pilot.press("enter", "y")
        await pilot.pause()
        for choice in "12345":  # PDF, DOCX, HTML, Markdown, dossier complet (PDF)
            await pilot.press("x")
            await pilot.pause()
            await pilot.press(choice)
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = str(app.screen.query_one("#exported", Static).content)
            documents.append(Path(shown.split(" : ", 1)[1]))
    assert len(set(documents)) == 5 and all(p.exists() for p in documents)
    assert {p.suffix for p in documents} == {".pdf", ".docx", ".html", ".md"}
    for path in documents:
        text = document_text(path)
        assert "Technicien de maintenance" in text, path.name
        assert not PRIVATE.search(text), (path.name, [line for line in text.splitlines() if PRIVATE.search(line)])
        if path.suffix in (".html", ".md"):
            assert not PRIVATE.search(path.read_bytes().decode("utf-8")), path.name  # nor in comments, attributes
