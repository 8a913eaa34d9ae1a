"""The portfolio screen and the module plan, by keys, on a dossier prepared with Karim's answers."""

from __future__ import annotations

from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from bilan_tui.domain.models import ItemKind, Phase
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from tests.care_worker import CARE_WORKER
from tests.persona import NOW, PARCOURS, REALISATIONS
from tests.tui.helpers import panel_text, pick_module, prepare, start_session, type_text, visible_text

CATALOG = load_catalog()
OBSERVATIONS = {"observations": [{"intitule": "Sens du détail", "categorie": "savoir_etre", "indice": "Fiches"}]}


def rows(pilot) -> list[list[str]]:
    table = pilot.app.screen.query_one("#items", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def highlight(pilot, title: str) -> None:
    """Move the cursor of the items table to the row of ``title``, by arrow keys."""
    table = pilot.app.screen.query_one("#items", DataTable)
    delta = [r[1] for r in rows(pilot)].index(title) - table.cursor_row
    await pilot.press(*["down" if delta > 0 else "up"] * abs(delta))
    await pilot.pause()


async def open_portfolio(pilot) -> None:
    await pilot.press("enter")  # the dossier
    await pilot.pause()
    await pilot.press("p")
    await pilot.pause()


async def test_the_consultant_adds_edits_removes_and_rechecks_items(make_app, data_dir):
    dossier_id = prepare(data_dir, ("parcours", PARCOURS), ("realisations", REALISATIONS))
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await open_portfolio(pilot)
        titles = [r[1] for r in rows(pilot)]
        assert titles == ["Technicien de maintenance", "Entraîneur de football", "Moins de pannes sur la ligne 3",
                          "Deux apprentis diplômés", "Analyser", "Former", "Maintenance préventive", "Pédagogie"]

        # Add by hand: an empty title is refused in the form, nothing is lost.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "L'intitulé est obligatoire." in visible_text(pilot)
        await type_text(pilot, "Habilitation électrique")
        await pilot.press("ctrl+s")
        await pilot.pause()
        added = next(r for r in rows(pilot) if r[1] == "Habilitation électrique")
        assert added[0] == "Compétence" and added[2] == "proposé" and added[3] == "ajout manuel"

        # Edit an item produced by the answers: marked as modified by hand.
        await pilot.press("home")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*["backspace"] * 30)
        await type_text(pilot, "Technicien de maintenance industrielle")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert rows(pilot)[0][1:] == ["Technicien de maintenance industrielle", "✓ confirmé", "réponses, modifié", ""]

        # Remove asks first; "Non" keeps the item, "O" removes it.
        await pilot.press("down")
        await pilot.press("delete")
        await pilot.pause()
        assert "Retirer « Entraîneur de football » du portefeuille ?" in visible_text(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert "Entraîneur de football" in [r[1] for r in rows(pilot)]
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert "Entraîneur de football" not in [r[1] for r in rows(pilot)]

    # The achievement behind "Former" and "Pédagogie" changes elsewhere (another session).
    repository = Repository(data_dir)
    with repository.open(dossier_id) as handle:
        workbook = Workbook(CATALOG.flows, handle.interviews(), JinjaExpressions())
        engine = workbook.engine(CATALOG.flows["realisations"])
        changed = [dict(e) for e in REALISATIONS["realisations"]]
        changed[1]["resultat"] = "Un CAP, un abandon"
        state = engine.edit(handle.interview("realisations"), "realisations")
        handle.save_interview(engine.answer(state, "realisations", changed, now=NOW).state)

    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await open_portfolio(pilot)
        states = {r[1]: r[2] for r in rows(pilot)}
        assert states["Former"] == states["Pédagogie"] == "⚠ à revérifier"
        assert states["Analyser"] == states["Maintenance préventive"] == "✓ confirmé"
        titles = [r[1] for r in rows(pilot)]
        await pilot.press(*["down"] * titles.index("Pédagogie"))
        await pilot.pause()
        assert "La réalisation qui la prouve a changé : à revérifier." in visible_text(pilot)
        assert "Résultat : Un CAP, un abandon" in visible_text(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert {r[1]: r[2] for r in rows(pilot)}["Pédagogie"] == "✓ confirmé"

    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        portfolio = handle.portfolio()
        assert portfolio.get("parcours:experiences:2").removed
        assert [i.title for i in portfolio.active(ItemKind.COMPETENCE) if i.manual] == ["Habilitation électrique"]
        assert portfolio.get("realisations:competences:2").recheck is None


async def test_private_observations_are_hidden_in_the_beneficiary_view(make_app, data_dir):
    prepare(data_dir, ("competences", {"transversales": {"cooperer": 4}, **OBSERVATIONS}))
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await open_portfolio(pilot)
        assert [r[1] for r in rows(pilot)] == ["Travailler en équipe", "Sens du détail"]
        assert rows(pilot)[1][2] == "proposé · privé"
        await pilot.press("f6")
        await pilot.pause()
        assert [r[1] for r in rows(pilot)] == ["Travailler en équipe"]
        await pilot.press("f6", "escape")
        await pilot.pause()

        # The side panel of the interview too.
        await start_session(pilot, "Compétences")
        await pick_module(pilot, "Compétences")
        assert "Sens du détail" in panel_text(pilot)
        assert "Travailler en équipe (niv. 4, auto-évaluation)" in panel_text(pilot)  # her own rating
        await pilot.press("f6")
        await pilot.pause()
        assert "Sens du détail" not in panel_text(pilot) and "Travailler en équipe" in panel_text(pilot)


async def test_the_module_plan_is_chosen_by_keys_and_shown_on_the_dossier(make_app, data_dir):
    prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Aucun plan de modules" in visible_text(pilot)
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#plan", DataTable)
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        # Personality is optional: not proposed at first. Take it, drop Valeurs, move Pistes to Conclusion.
        await pilot.press(*["down"] * titles.index("Personnalité (facultatif)"), "space")
        await pilot.press("up", "space")
        await pilot.press(*["down"] * 3, "p")
        await pilot.pause()
        assert str(table.get_row_at(titles.index("Pistes d'orientation"))[2]) == "Conclusion"
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = visible_text(pilot)
        assert "Valeurs et motivations" not in text
        assert "Personnalité (facultatif) : pas commencé" in text
        assert ("Conclusion (0/4 terminés)\n  • Bilan des pistes : aucun passage (un par projet)\n"
                "  • Plan d'action : pas commencé\n  • Retour sur les objectifs : pas commencé\n"
                "  • Pistes d'orientation : pas commencé") in text

        await start_session(pilot, "Suite")
        offered = app.screen.query_one("#module-choices")
        prompts = [str(offered.get_option_at_index(i).prompt) for i in range(offered.option_count)]
        assert not any(p.startswith("Valeurs") for p in prompts)
        assert prompts[-1].startswith("Pistes d'orientation — Conclusion")

    dossier = Repository(data_dir).list_dossiers()[0]
    with Repository(data_dir).open(dossier.id, read_only=True) as handle:
        assert handle.dossier.planned("pistes").phase is Phase.CONCLUSION
        assert handle.dossier.planned("valeurs") is None


async def test_a_read_only_portfolio_cannot_be_changed(make_app, data_dir):
    from bilan_tui.storage.lock import DossierLock

    dossier_id = prepare(data_dir, ("parcours", PARCOURS))
    repository = Repository(data_dir)
    lock = DossierLock(repository.dossiers_dir / f"{dossier_id}.lock")
    import subprocess
    import sys
    import textwrap

    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(lock.path)!r}, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b'{{"pid": 1, "host": "ailleurs", "since": "2026-11-26T09:00:00"}}')
        print("locked", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        app = make_app()
        async with app.run_test(size=(150, 45)) as pilot:
            await open_portfolio(pilot)
            before = rows(pilot)
            await pilot.press("delete")
            await pilot.pause()
            assert rows(pilot) == before
            assert any("lecture seule" in n.message for n in app._notifications)
    finally:
        holder.kill()
        holder.wait()


async def test_a_portfolio_that_cannot_be_saved_is_caught_up_from_the_answers(make_app, data_dir, monkeypatch):
    from bilan_tui.storage.repository import DossierHandle
    from tests.tui.helpers import fill_item, submit

    prepare(data_dir)
    real_save = DossierHandle.save_portfolio

    def full_disk(self, portfolio):
        raise OSError(28, "Plus de place sur le disque")

    monkeypatch.setattr(DossierHandle, "save_portfolio", full_disk)
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.press("enter")
        await start_session(pilot, "Parcours")
        await pick_module(pilot, "Parcours")
        await pilot.press("enter")  # the introduction
        await pilot.pause()
        await fill_item(pilot, ["Vendeuse", 1, "2015", "", "", "", ""])
        await submit(pilot)
        assert any(n.message.startswith("Portefeuille non enregistré : [Errno 28] Plus de place sur le disque")
                   for n in app._notifications)
        assert "Vendeuse" in visible_text(pilot)  # the answer is there, and saved
        assert "Expériences (1)" in panel_text(pilot)

    monkeypatch.setattr(DossierHandle, "save_portfolio", real_save)
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await open_portfolio(pilot)
        assert [r[1] for r in rows(pilot)] == ["Vendeuse"]


async def test_editing_an_achievement_in_the_interview_flags_the_competences_it_proves(make_app, data_dir):
    from tests.tui.helpers import fill_item, question, submit

    prepare(data_dir, ("parcours", PARCOURS), ("realisations", REALISATIONS))
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.press("enter")
        await start_session(pilot, "Retour sur les réalisations")
        await pick_module(pilot, "Réalisations")
        assert "terminé" in question(pilot)
        assert "⚠" not in panel_text(pilot)

        await pilot.press("f3", "up", "up", "enter")  # the achievements, two answers up from the last
        await pilot.pause()
        assert question(pilot).startswith("Modification – Racontez une réalisation")
        await pilot.press("ctrl+r", "o")  # take out the second achievement (confirmed), then tell it again
        await fill_item(pilot, ["Deux apprentis diplômés", 1, "Deux apprentis en difficulté",
                                "Les accompagner jusqu'au CAP", "Je les ai formés avec des fiches pratiques",
                                "Un CAP obtenu, un abandon"])
        await submit(pilot)

        panel = panel_text(pilot)
        assert "✚ Deux apprentis diplômés" in panel  # the achievement follows its answer
        flagged = {line.lstrip("•✚ ").split(" (")[0].rstrip(" ⚠") for line in panel.splitlines() if "⚠" in line}
        assert flagged == {"Former", "Pédagogie"}  # exactly the competences it proves

        await pilot.press("escape", "p")
        await pilot.pause()
        states = {r[1]: r[2] for r in rows(pilot)}
        assert states["Former"] == states["Pédagogie"] == "⚠ à revérifier"
        assert states["Analyser"] == states["Maintenance préventive"] == "✓ confirmé"


async def test_self_ratings_are_self_assessments_the_consultant_confirms_and_strengths_show_proofs(make_app,
                                                                                                   data_dir):
    dossier_id = prepare(data_dir, *CARE_WORKER)
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await open_portfolio(pilot)
        state = {r[1]: r[2] for r in rows(pilot)}
        assert state["Organiser son travail et tenir les délais"] == "auto-évaluation"
        assert state["Communiquer à l'écrit comme à l'oral"] == "auto-évaluation"
        assert state["Animer ou encadrer un groupe"] == "✓ confirmé"  # proved by "Animer un groupe"
        shown = {k.key: k.description for k in pilot.app.screen.query(FooterKey)}
        assert shown["c"] == "Confirmer l'auto-évaluation"

        # The proved self-rating shows the achievement that proves it.
        await highlight(pilot, "Animer ou encadrer un groupe")
        detail = visible_text(pilot)
        assert "Auto-évaluation prouvée par une réalisation" in detail
        assert "Preuve : Élément n° 2 : Titre : Atelier mémoire" in detail

        # The consultant confirms one self-assessment; another one stays as it is.
        await highlight(pilot, "Organiser son travail et tenir les délais")
        assert "ni prouvée par une réalisation, ni confirmée" in visible_text(pilot)
        await pilot.press("c")
        await pilot.pause()
        state = {r[1]: r[2] for r in rows(pilot)}
        assert state["Organiser son travail et tenir les délais"] == "✓ confirmé"
        assert state["Communiquer à l'écrit comme à l'oral"] == "auto-évaluation"
        assert "Auto-évaluation confirmée par le consultant le" in visible_text(pilot)

        # A competence that is no self-assessment has nothing to confirm.
        await highlight(pilot, "Former des adultes")
        await pilot.press("c")
        await pilot.pause()
        assert [n.message for n in app._notifications][-1] == (
            "C confirme une auto-évaluation : cet élément n'en est pas une.")

        # Strengths: each requirement with the competence present word for word, and its proof.
        await pilot.press("3")
        await pilot.pause()
        gaps = visible_text(pilot)
        assert "✓ Former des adultes — prouvée par : « Accueil des stagiaires »" in gaps
        assert "✓ Rédiger des supports pédagogiques — prouvée par : « Accueil des stagiaires »" in gaps
        assert "✓ Animer un groupe — prouvée par : « Atelier mémoire »" in gaps
        assert "✓ Communiquer à l'oral ≈ « Communiquer à l'écrit comme à l'oral » (auto-évaluation)\n" in gaps
        assert "✗ Ingénierie de formation" in gaps

    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        portfolio = handle.portfolio()
        assert portfolio.get("competences:transversales:organiser").assessment_confirmed_at is not None
        assert portfolio.get("competences:transversales:communiquer").assessment_confirmed_at is None
