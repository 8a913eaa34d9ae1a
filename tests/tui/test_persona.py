"""Karim's bilan by keys, over two sessions with a restart: Parcours (an element corrected in place)
and Réalisations first, then Intérêts and Confrontation au marché; the side panel fills up, the
portfolio screen shows the items with their evidence, and the strengths of his project with their
proofs; both sessions are closed by their report and read back, never answered into again."""

from __future__ import annotations

from textual.widgets import DataTable

from bilan_tui.domain.models import ItemKind
from bilan_tui.storage import Repository
from tests.tui.helpers import (
    create_dossier,
    fill_item,
    message,
    panel_text,
    pick_module,
    question,
    start_session,
    submit,
    type_text,
    visible_text,
)


async def test_karim_over_two_sessions(make_app, data_dir, clock):
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await create_dossier(pilot, "Karim", "Benali")
        await pilot.press("enter")  # open the dossier
        await pilot.pause()
        await pilot.press("m")  # the module plan: the usual modules are proposed
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Plan enregistré : 11 modules." in [n.message for n in app._notifications]
        await start_session(pilot, "Retracer le parcours")
        await pick_module(pilot, "Parcours et récit de vie")

        # -- Parcours -----------------------------------------------------------------------
        await pilot.press("enter")  # introduction
        await pilot.pause()
        assert "Quelles expériences" in question(pilot)
        await fill_item(pilot, ["Technicien", 1, "2008", "", "Usine agroalimentaire", "Dépanner",
                                "Horaires postés"])
        await fill_item(pilot, ["Entraîneur de football", 3, "03/2015", "", "Club de quartier", "Les jeunes", ""])
        # Element 1 was cut short: corrected in place, element 2 untouched.
        await pilot.press("shift+tab")  # from the form up into the elements
        await pilot.press("home", "enter")  # element 1 back in the form
        await pilot.pause()
        await type_text(pilot, " de maintenance")
        await pilot.press("ctrl+o")  # back in its place
        await pilot.pause()
        assert "Aucun" not in panel_text(pilot)
        await submit(pilot)
        assert "✚ Technicien de maintenance" in panel_text(pilot)
        assert "✚ Entraîneur de football" in panel_text(pilot)
        assert "Expériences (2)" in panel_text(pilot)
        await type_text(pilot, "Réparer et transmettre")
        await submit(pilot)
        await submit(pilot)  # the turning points: optional, left empty
        await type_text(pilot, "Fierté sur la transmission")  # the consultant's observations
        await submit(pilot)
        assert "Parcours terminé" in question(pilot)
        await pilot.press("escape")
        await pilot.pause()

        # -- Réalisations -------------------------------------------------------------------
        await pilot.press("enter")  # resume the open session
        await pilot.pause()
        await pick_module(pilot, "Réalisations (STAR)")
        await pilot.press("enter")
        await pilot.pause()
        assert "De quelles expériences" in question(pilot)
        await pilot.press("1")
        await submit(pilot)
        assert "Racontez une réalisation" in question(pilot)
        # Half a story is not added: the missing parts are named.
        await fill_item(pilot, ["Ligne 3", 1, "Pannes répétées", "", "", ""])
        assert any("À compléter avant d'ajouter : Tâche, Action (ce que j'ai fait), Résultat." == n.message
                   for n in app._notifications)
        await pilot.press("shift+tab", "shift+tab")  # from Résultat back to Tâche
        await type_text(pilot, "Trouver la cause")
        await pilot.press("tab")
        await type_text(pilot, "J'ai analysé les arrêts et formé deux collègues")
        await pilot.press("tab")
        await type_text(pilot, "40 % de pannes en moins")
        await pilot.press("enter")
        await pilot.pause()
        await submit(pilot)
        assert "✚ Ligne 3" in panel_text(pilot)

        assert "nous repérons ces savoir-faire" in question(pilot)
        offered = app.screen.query_one("#answer-multi")
        assert [str(offered.get_option_at_index(i).prompt) for i in range(offered.option_count)] == [
            "1. Analyser — Ligne 3", "2. Former — Ligne 3"]
        await pilot.press("1")  # Analyser: confirmed; Former: not
        await submit(pilot)
        assert "✚ Analyser" in panel_text(pilot)
        assert "Former" not in panel_text(pilot)

        assert "Quelles autres compétences" in question(pilot)
        await fill_item(pilot, ["Pédagogie", 3, 3, 1, 1])
        await submit(pilot)
        assert "✚ Pédagogie (niv. 3)" in panel_text(pilot)
        assert "Compétences (2)" in panel_text(pilot)
        await pilot.press("f10")  # the report closes the first session
        await pilot.pause()
        await type_text(pilot, "Parcours et réalisations faits.")
        await pilot.press("ctrl+s")
        await pilot.pause()

    # -- an app restart, and a second session a week later -------------------------------------
    clock.advance(days=7)
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Parcours et récit de vie : terminé" in visible_text(pilot)
        assert "Réalisations (STAR) : terminé" in visible_text(pilot)
        await start_session(pilot, "Intérêts et confrontation")
        await pick_module(pilot, "Intérêts professionnels")
        assert "Expériences (2)" in panel_text(pilot)  # the portfolio is back

        await pilot.press("enter")
        await pilot.pause()
        # Six pages of ten activities, one digit each; the letters are mixed on every page.
        for page in range(1, 7):
            assert f"page {page} sur 6" in question(pilot)
            grid = app.screen.query_one("#answer-ratings")
            flow = app.catalog.flows["interets"]
            letters = [item.scale for item in flow.step(f"activites_{page}").answer.items]
            await pilot.press(*[{"S": "4", "R": "3", "I": "2", "C": "2", "E": "1", "A": "0"}[x] for x in letters])
            assert grid.highlighted == 9
            await submit(pilot)
        assert "lesquels vous parlent" in question(pilot)
        assert "Code intérêts professionnels : S > R > I = C" in panel_text(pilot)
        await submit(pilot)  # no card chosen
        assert "Il faut au moins 1 choix." in message(pilot)
        await pilot.press("4", "2")  # J'ai le sens du contact, J'ai l'âme d'un chef
        await submit(pilot)
        assert "Classez" in question(pilot)
        await pilot.press("enter")  # the highlighted card first: "J'ai l'âme d'un chef / d'une cheffe"
        await pilot.press("1")  # then the only card left
        await submit(pilot)
        assert "✚ J'ai l'âme d'un chef / d'une cheffe (n° 1)" in panel_text(pilot)
        await submit(pilot)  # why: optional
        assert "terminé" in question(pilot)
        await pilot.press("escape")
        await pilot.pause()

        # -- Confrontation au marché, one run for the project -----------------------------------
        await pilot.press("enter")
        await pilot.pause()
        await pick_module(pilot, "Confrontation au marché — nouveau passage")
        await type_text(pilot, "Formateur technique")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.sub_title.endswith("Confrontation au marché — Formateur technique")
        await type_text(pilot, "Animer des formations en maintenance")
        await submit(pilot)
        assert "Quelles compétences ce métier demande" in question(pilot)
        await fill_item(pilot, ["PEDAGOGIE", "Fiche ROME K2111"])
        await fill_item(pilot, ["Analyser des pannes", ""])
        await fill_item(pilot, ["Ingénierie de formation", ""])
        await submit(pilot)
        assert "conditions de travail" in question(pilot)
        await pilot.press("escape")  # the rest of the confrontation waits for the job interview
        await pilot.pause()
        assert "Confrontation au marché — Formateur technique : en cours" in visible_text(pilot)
        await pilot.press("enter")  # the run is resumed where it stopped
        await pilot.pause()
        await pick_module(pilot, "Confrontation au marché — Formateur technique")
        assert "conditions de travail" in question(pilot)
        await pilot.press("escape")
        await pilot.pause()

        # -- the portfolio screen ---------------------------------------------------------------
        await pilot.press("p")
        await pilot.pause()
        table = app.screen.query_one("#items", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        titles = [row[1] for row in rows]
        assert titles[:5] == ["Technicien de maintenance", "Entraîneur de football", "Ligne 3", "Analyser",
                              "Pédagogie"]
        assert ["Compétence", "Pédagogie", "✓ confirmé", "réponses",
                "Savoir-être, niveau 3 (maîtrise), transférable"] in rows
        await pilot.press(*["down"] * titles.index("Pédagogie"))
        await pilot.pause()
        detail = visible_text(pilot)
        assert "Provenance : Réalisations (STAR) — « Quelles autres compétences" in detail
        assert "Preuve : Élément n° 1 : Titre : Ligne 3" in detail
        assert "Résultat : 40 % de pannes en moins" in detail

        await pilot.press("3")
        await pilot.pause()
        assert app.screen.query_one("TabbedContent").active == "ecarts"
        gaps = visible_text(pilot)
        assert "Confrontation au marché — Formateur technique" in gaps
        assert "Forces (2)" in gaps and "✓ PEDAGOGIE — prouvée par : « Ligne 3 »" in gaps
        assert "✓ Analyser des pannes ≈ « Analyser » — prouvée par : « Ligne 3 »" in gaps
        assert "Écarts (1)" in gaps and "✗ Ingénierie de formation" in gaps

        await pilot.press("2")
        await pilot.pause()
        charts = visible_text(pilot)
        assert "Forces (2)" not in charts  # the other tab is hidden
        assert "Code : S > R > I = C" in charts and "S Social" in charts and "40/40" in charts

        # -- the second session is closed too, and both are read back -------------------------------
        await pilot.press("escape")  # back to the dossier
        await pilot.pause()
        await pilot.press("enter")  # the open session (the last one): the module picker
        await pilot.pause()
        await pick_module(pilot, "Confrontation au marché — Formateur technique")
        await pilot.press("f10")
        await pilot.pause()
        await type_text(pilot, "Intérêts faits, confrontation commencée.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        reports = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert reports == ["✓ rédigé", "✓ rédigé"]
        await pilot.press("up", "enter")  # the first session, closed: read, not answered into
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionViewScreen"
        shown = visible_text(pilot)
        assert "Parcours et réalisations faits." in shown and "Technicien de maintenance" in shown
        await pilot.press("escape")
        await pilot.pause()

    with Repository(data_dir).open(Repository(data_dir).list_dossiers()[0].id, read_only=True) as handle:
        portfolio = handle.portfolio()
        assert [i.title for i in portfolio.active(ItemKind.COMPETENCE)] == ["Analyser", "Pédagogie"]
        assert [i.title for i in portfolio.active(ItemKind.EXPERIENCE)] == ["Technicien de maintenance",
                                                                           "Entraîneur de football"]
        sessions = handle.sessions()
        assert len(sessions) == 2 and all(not session.is_open for session in sessions)
