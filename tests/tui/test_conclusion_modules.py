"""The conclusion by keys, for a small dossier (leads, a parcours, achievements, one confrontation):
Bilan des pistes for the project confronted with the market, then the Plan d'action, whose past date
and missing step for the main project are refused without losing what was typed; the decision, the
step and the VAE reach the portfolio."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from bilan_tui.domain.models import ItemKind
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.storage import Repository
from tests.persona import CONFRONTATION, PARCOURS, REALISATIONS
from tests.tui.helpers import (
    fill_item,
    message,
    pick_module,
    prepare,
    question,
    start_session,
    submit,
    type_text,
    visible_text,
)

LEADS = {"projets": [{"intitule": "Formateur technique"}, {"intitule": "Technicien méthodes"}]}


async def test_bilan_des_pistes_then_the_plan_d_action_by_keys(make_app, data_dir):
    confronted = {**{k: v for k, v in CONFRONTATION.items() if k != "projet"}, "piste": "autre",
                  "projet": "Agent des méthodes"}
    dossier_id = prepare(data_dir, ("pistes", LEADS), ("parcours", PARCOURS), ("realisations", REALISATIONS),
                         ("confrontation", confronted))
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.press("enter")  # open the dossier
        await pilot.pause()
        await start_session(pilot, "Conclure")
        await pick_module(pilot, "Bilan des pistes — nouveau passage")

        # -- Bilan des pistes: the project confronted with the market, kept as the main project ---
        await pilot.press("enter")  # introduction
        await pilot.pause()
        assert "De quel projet faisons-nous le bilan ?" in question(pilot)
        offered = app.screen.query_one("#answer-choice")
        assert [str(offered.get_option_at_index(i).prompt) for i in range(offered.option_count)] == [
            "1. Formateur technique", "2. Technicien méthodes", "3. Agent des méthodes",
            "4. Un autre projet (à préciser)"]  # the leads, then the project confronted
        await pilot.press("3")  # Agent des méthodes, confronted but not among the leads
        await pilot.pause()
        assert app.screen.sub_title.endswith("Bilan des pistes — Agent des méthodes")
        assert "Pour « Agent des méthodes », que décidez-vous ?" in question(pilot)
        await pilot.press("1")  # Projet principal
        await pilot.pause()
        await type_text(pilot, "Le terrain me manquerait ailleurs.")
        await submit(pilot)
        for text in ("Mes années de maintenance.", "Le travail de bureau.", "Une formation courte."):
            await type_text(pilot, text)
            await submit(pilot)
        assert "points de vigilance" in question(pilot)
        await fill_item(pilot, [1, "Horaires de journée"])
        await submit(pilot)
        assert "terminé" in question(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert "Bilan des pistes — Agent des méthodes : terminé" in visible_text(pilot)

        # -- Plan d'action ----------------------------------------------------------------------
        await pilot.press("enter")  # the open session
        await pilot.pause()
        await pick_module(pilot, "Plan d'action")
        await pilot.press("enter")  # introduction (a main project is decided: no warning)
        await pilot.pause()
        assert "Quelles étapes allez-vous franchir" in question(pilot)
        await fill_item(pilot, ["Rencontrer le responsable méthodes", "01/10/2026", "Usine", "", ""])
        await submit(pilot)
        assert "01/10/2026 est déjà passé (nous sommes le 26/11/2026)" in message(pilot)
        # Said as a toast too: under a long list form the message line can be out of sight.
        assert any("01/10/2026 est déjà passé" in n.message and n.title == "Réponse refusée"
                   for n in app._notifications)
        # The cursor is on the faulty date of the element, back in the form as typed: corrected there.
        date = app.screen.query_one("#field-echeance")
        assert app.focused is date and date.value == "01/10/2026"
        assert app.screen.query_one("#field-action").value == "Rencontrer le responsable méthodes"
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "15/12/2026")
        await pilot.press("ctrl+o")
        await pilot.pause()
        # A step that serves no project: the main project is left without a step, refused by name.
        await fill_item(pilot, ["Se renseigner sur la formation", "10/01/2027", "", "", ""])
        await submit(pilot)
        assert message(pilot).startswith(
            "Ajoutez au moins une étape pour le projet principal « Agent des méthodes » (champ « Projet servi »).")
        assert "Quelles étapes allez-vous franchir" in question(pilot)
        await pilot.press("shift+tab", "home", "enter")  # element 1 back in the form
        await pilot.pause()
        assert app.screen.query_one("#field-action").value == "Rencontrer le responsable méthodes"
        await pilot.press(*["tab"] * 4, "enter", "down", "enter")  # Projet servi: the main project
        await pilot.press("enter")  # the choice made, Entrée on the last field puts the element back
        await pilot.pause()
        assert not app.screen.query_one("#field-projet").expanded
        assert app.screen.query_one("#field-action").value == ""  # the form is free for a new step
        await submit(pilot)
        assert "Quelle formation prévoir" in question(pilot), (message(pilot), visible_text(pilot))
        await submit(pilot)  # no training
        assert "validation des acquis" in question(pilot)
        await pilot.press("1")  # VAE: oui
        await pilot.pause()
        assert "Pour quelle certification" in question(pilot)
        await submit(pilot)  # empty: refused
        assert "Une réponse est attendue" in message(pilot)
        await type_text(pilot, "CAP Maintenance")
        await pilot.press("enter")
        await pilot.pause()
        assert "Sur quelles expériences et réalisations" in question(pilot)
        await pilot.press("1")  # Technicien de maintenance
        await submit(pilot)
        await type_text(pilot, "Activer le réseau de l'usine.")
        await submit(pilot)
        assert "terminé" in question(pilot)

        # -- the portfolio screen lists the new items, each with its source ---------------------
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        table = app.screen.query_one("#items", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[:2] for row in rows[-4:]] == [
            ["Décision sur un projet", "Agent des méthodes"],
            ["Étape du plan d'action", "Rencontrer le responsable méthodes"],
            ["Étape du plan d'action", "Se renseigner sur la formation"],
            ["Démarche VAE", "CAP Maintenance"]]
        await pilot.press(*["down"] * (len(rows) - 4))
        await pilot.pause()
        detail = visible_text(pilot)
        assert "Provenance : Bilan des pistes — Agent des méthodes" in detail
        assert "Raisons : Le terrain me manquerait ailleurs." in detail

    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        states = {s.key: s for s in handle.interviews()}
        plan = states["plan_action"]
        assert [(e["action"], e["echeance"], e.get("projet")) for e in plan.record("etapes").value] == [
            ("Rencontrer le responsable méthodes", "2026-12-15", "Agent des méthodes"),
            ("Se renseigner sur la formation", "2027-01-10", None)]
        assert plan.record("vae_appuis").value == ["Technicien de maintenance"]
        [decision_run] = [s for k, s in states.items() if k.startswith("bilan_pistes#")]
        assert decision_run.record("decision").value == "principal"
        assert decision_run.record("vigilance").value == [{"nature": "contrainte", "point": "Horaires de journée"}]
        portfolio: Portfolio = handle.portfolio()
        assert [i.title for i in portfolio.active(ItemKind.DECISION)] == ["Agent des méthodes"]
        assert [i.title for i in portfolio.active(ItemKind.STEP)] == ["Rencontrer le responsable méthodes",
                                                                     "Se renseigner sur la formation"]
        assert [i.title for i in portfolio.active(ItemKind.VAE)] == ["CAP Maintenance"]


async def test_the_objectives_stated_at_the_start_are_in_the_list_to_review(make_app, data_dir):
    analyse = {"ad_circonstances": "Je tourne en rond dans mon poste.",
               "ad_objectifs": "- Choisir un métier où transmettre\n- Savoir quelle formation suivre"}
    dossier_id = prepare(data_dir, ("analyse_demande", analyse))
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Bilan de fin")
        await pick_module(pilot, "Retour sur les objectifs")
        assert "« - Choisir un métier où transmettre" in question(pilot)  # quoted as stated
        await pilot.press("enter")
        await pilot.pause()
        items = app.screen.query_one("#items", OptionList)
        assert [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)] == [
            "1. Objectif : Choisir un métier où transmettre", "2. Objectif : Savoir quelle formation suivre"]
        await submit(pilot)  # not reviewed yet: the form goes to the first one
        assert message(pilot) == "Élément 1 – Résultat : ce champ est obligatoire."
        assert "Résultat : à choisir" in visible_text(pilot)  # not « Atteint ? : à choisir »
        assert app.focused is app.screen.query_one("#field-atteinte")
        await pilot.press("enter", "down", "enter", "tab")  # Atteint
        await type_text(pilot, "Formateur technique")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await submit(pilot)
        assert message(pilot) == "Élément 2 – Résultat : ce champ est obligatoire."
        await pilot.press("enter", "down", "down", "enter")  # Partiellement atteint
        await pilot.press("ctrl+o")
        await pilot.pause()
        await submit(pilot)
        assert "terminé" in question(pilot)

    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        [review] = [s for s in handle.interviews() if s.flow_id == "retour_objectifs"]
        assert review.record("objectifs").value == [
            {"objectif": "Choisir un métier où transmettre", "atteinte": "atteint", "commentaire": "Formateur technique"},
            {"objectif": "Savoir quelle formation suivre", "atteinte": "partiel", "commentaire": None}]
