"""The conclusion modules: Bilan des pistes (one run per project), Plan d'action, Retour sur les objectifs.

Karim's projects come from his leads and his confrontations with the market; his decisions feed the
action plan, whose steps, training and VAE join the portfolio with the answers they come from.
"""

from __future__ import annotations

import pytest

from bilan_tui.domain.engine import Engine, InterviewState
from bilan_tui.domain.models import ItemKind, Phase, SkipReason
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import FlowLoadError, JinjaExpressions, load_catalog, load_flow_text
from tests.persona import CONFRONTATION, NOW, PARCOURS, REALISATIONS, run

CATALOG = load_catalog()
FLOWS = CATALOG.flows
LEADS = {"projets": [{"intitule": "Formateur technique", "code_rome": "K2111"}, {"intitule": "Technicien méthodes"}]}
ANALYSE = {
    "ad_circonstances": "Je tourne en rond dans mon poste depuis deux ans.",
    "ad_contraintes": [{"nature": "horaires", "detail": "Pas de travail de nuit"},
                       {"nature": "mobilite", "detail": "Rester autour de Rennes"}],
    "ad_objectifs": "- Choisir un métier où transmettre\n2. Savoir quelle formation suivre\n\nGarder mon salaire",
}
MAIN = {"piste": "Formateur technique", "decision": "principal",
        "raisons": "Il rassemble ce que j'aime : transmettre et dépanner.",
        "pour": "Deux apprentis menés au CAP.", "contre": "Un salaire plus bas au début.",
        "facteurs_reussite": "Obtenir le titre FPA.",
        "vigilance": [{"nature": "contrainte", "point": "Pas de travail de nuit"},
                      {"nature": "ecart", "point": "Ingénierie de formation"}]}
ALTERNATIVE = {**MAIN, "piste": "Agent des méthodes", "decision": "alternative", "raisons": "Un plan B solide."}
SET_ASIDE = {**MAIN, "piste": "Technicien méthodes", "decision": "ecarte", "raisons": "Trop loin du terrain."}
STEPS = [{"action": "Rencontrer une formatrice de l'AFPA", "echeance": "15/12/2026", "avec": "AFPA Rennes",
          "ressources": "Réseau du club", "projet": "Formateur technique"},
         {"action": "Se renseigner sur les méthodes", "echeance": "2027-01-15", "projet": "Agent des méthodes"}]
PLAN = {
    "etapes": STEPS[:1],
    "formation": [{"intitule": "Titre professionnel FPA", "organisme": "AFPA", "duree": "9 mois",
                   "financement": "cpf", "certification": "Formateur professionnel d'adultes", "rncp": "RNCP37274"}],
    "vae": "oui",
    "vae_certification": "CAP Maintenance des matériels",
    "vae_appuis": ["Technicien de maintenance", "Deux apprentis diplômés"],
    "recommandations": "Activer le réseau du club et de l'usine.",
}


def _single(workbook: Workbook, flow_id: str, answers: dict) -> Workbook:
    return workbook.with_state(run(workbook.engine(FLOWS[flow_id]), answers))


def _passage(workbook: Workbook, flow_id: str, instance: str, answers: dict) -> Workbook:
    engine = workbook.engine(workbook.flows[flow_id])
    return workbook.with_state(run(engine, answers, engine.start(instance)))


def _karim(*decisions: dict) -> Workbook:
    """Karim's dossier up to the conclusion: two confrontations (one of a project not in his leads)."""
    workbook = Workbook(FLOWS, [], JinjaExpressions())
    for flow_id, answers in (("analyse_demande", ANALYSE), ("parcours", PARCOURS), ("realisations", REALISATIONS),
                             ("pistes", LEADS)):
        workbook = _single(workbook, flow_id, answers)
    confronted = {k: v for k, v in CONFRONTATION.items() if k != "projet"}
    workbook = _passage(workbook, "confrontation", "c1", {**confronted, "piste": "Formateur technique"})
    workbook = _passage(workbook, "confrontation", "c2", {**confronted, "piste": "autre",
                                                          "projet": "Agent des méthodes"})
    for number, answers in enumerate(decisions, start=1):
        workbook = _passage(workbook, "bilan_pistes", f"b{number}", answers)
    return workbook


def _plan(workbook: Workbook) -> tuple[Engine, InterviewState]:
    engine = workbook.engine(FLOWS["plan_action"])
    return engine, run(engine, {}, until="etapes")


# -- the three modules ---------------------------------------------------------------------------


def test_the_three_conclusion_modules_load_with_their_step_ids():
    assert not CATALOG.refused
    expected = {
        "bilan_pistes": ["intro", "piste", "projet", "decision", "raisons", "pour", "contre", "facteurs_reussite",
                         "vigilance"],
        "plan_action": ["intro", "sans_principal", "etapes", "formation", "vae", "vae_certification", "vae_appuis",
                        "recommandations"],
        "retour_objectifs": ["rappel", "objectifs"],
    }
    for flow_id, steps in expected.items():
        flow = FLOWS[flow_id]
        assert flow.phase is Phase.CONCLUSION
        assert [s.id for s in flow.steps] == steps
    assert FLOWS["bilan_pistes"].repeatable and not FLOWS["plan_action"].repeatable
    assert [f.id for f in CATALOG.by_phase() if f.phase is Phase.CONCLUSION] == [
        "bilan_pistes", "plan_action", "retour_objectifs"]


# -- repeatable runs read by other modules -------------------------------------------------------


def test_each_run_of_a_repeatable_module_is_readable_by_name_in_the_order_started():
    context = _karim(MAIN, ALTERNATIVE).context()
    passages = context["confrontation"]["passages"]
    assert [p["nom"] for p in passages] == ["Formateur technique", "Agent des méthodes"]
    assert passages[1]["projet"] == "Agent des méthodes" and passages[1]["verdict"] == "sous_conditions"
    assert [(p["nom"], p["decision"]) for p in context["bilan_pistes"]["passages"]] == [
        ("Formateur technique", "principal"), ("Agent des méthodes", "alternative")]


def test_a_consultant_only_answer_of_a_run_is_not_passed_on():
    flow = load_flow_text(
        'id: essai\ntitle: Essai\nflow_version: "1"\nphase: investigation\nrepeatable: true\n'
        'instance_label: "{{ nom_projet }}"\nsteps:\n'
        '  - {id: nom_projet, prompt: "Projet ?", answer: {type: text}}\n'
        '  - {id: avis, prompt: "Avis ?", asked_to: consultant, answer: {type: text}}\n', "essai.yaml")
    workbook = Workbook({"essai": flow}, [], JinjaExpressions())
    workbook = _passage(workbook, "essai", "1", {"nom_projet": "Boulanger", "avis": "MARQUEUR-PRIVE"})
    assert workbook.context()["essai"] == {"passages": [{"nom_projet": "Boulanger", "nom": "Boulanger"}]}


def test_a_consultant_only_answer_of_a_single_run_module_is_not_passed_on_either():
    context = _karim().context()
    assert context["parcours"]["fil_rouge"] == "Réparer et transmettre."
    assert "observations_parcours" not in context["parcours"]  # asked to the consultant


def test_the_projects_of_the_leads_and_those_confronted_are_offered_each_once():
    workbook = _karim()
    engine = workbook.engine(FLOWS["bilan_pistes"])
    state = run(engine, {}, engine.start("x"), until="piste")
    assert [(c.value, c.label) for c in engine.spec(engine.current(state), state).choices] == [
        ("Formateur technique", "Formateur technique"), ("Technicien méthodes", "Technicien méthodes"),
        ("Agent des méthodes", "Agent des méthodes"), ("autre", "Un autre projet (à préciser)")]


def test_without_any_project_the_project_is_typed_and_names_the_run():
    workbook = Workbook(FLOWS, [], JinjaExpressions())
    engine = workbook.engine(FLOWS["bilan_pistes"])
    state = run(engine, {}, engine.start("x"), until="projet")
    assert engine.current(state).id == "projet"
    state = engine.answer(state, "projet", "Boulanger", now=NOW).state
    assert workbook.label(engine, state) == "Bilan des pistes — Boulanger"
    assert engine.prompt(engine.current(state), state) == "Pour « Boulanger », que décidez-vous ?"


# -- Bilan des pistes ----------------------------------------------------------------------------


def test_a_walk_through_bilan_des_pistes_answers_every_step():
    workbook = _karim()
    engine = workbook.engine(FLOWS["bilan_pistes"])
    state = engine.start("b1")
    asked = []
    while (step := engine.current(state)) is not None:
        asked.append(step.id)
        if step.id == "vigilance":  # the constraints noted at the start are recalled
            assert ("Au début du bilan, vous aviez noté ces contraintes : Pas de travail de nuit ; "
                    "Rester autour de Rennes.") in engine.prompt(step, state)
        if step.answer is None:
            state = engine.acknowledge(state, step.id, now=NOW)
            continue
        outcome = engine.answer(state, step.id, MAIN[step.id], now=NOW)
        assert outcome.recorded, outcome.errors
        state = outcome.state
    assert asked == ["intro", "piste", "decision", "raisons", "pour", "contre", "facteurs_reussite", "vigilance"]
    assert workbook.label(engine, state) == "Bilan des pistes — Formateur technique"
    assert engine.answer(state, "raisons", "", now=NOW).errors  # the reasons are required


# -- Plan d'action -------------------------------------------------------------------------------


def test_without_a_main_project_the_plan_says_so_and_refuses_the_steps_keeping_them():
    workbook = _karim(ALTERNATIVE)
    engine = workbook.engine(FLOWS["plan_action"])
    state = engine.acknowledge(engine.start(), "intro", now=NOW)
    assert engine.current(state).id == "sans_principal"
    assert "Aucun projet n'est encore retenu comme projet principal" in engine.prompt(engine.current(state), state)
    state = engine.acknowledge(state, "sans_principal", now=NOW)
    outcome = engine.answer(state, "etapes", STEPS[1:], now=NOW)
    assert outcome.errors == ("Aucun projet n'est retenu comme projet principal : décidez-en un dans « Bilan des "
                              "pistes » avant d'enregistrer le plan d'action (vos étapes restent dans le formulaire).",)
    assert not outcome.recorded and outcome.state is state


def test_the_info_on_a_missing_main_project_is_not_shown_once_one_is_decided():
    engine, state = _plan(_karim(MAIN))
    assert "sans_principal" not in [s.id for s in engine.path(state)]


def test_the_project_a_step_serves_is_chosen_among_those_kept_main_first():
    engine, state = _plan(_karim(ALTERNATIVE, SET_ASIDE, MAIN))
    projet = next(f for f in engine.spec(FLOWS["plan_action"].step("etapes"), state).fields if f.id == "projet")
    assert [(c.value, c.label) for c in projet.choices] == [("Formateur technique", "Formateur technique"),
                                                           ("Agent des méthodes", "Agent des méthodes")]


def test_a_step_in_the_past_is_refused_with_the_date_and_today():
    engine, state = _plan(_karim(MAIN))
    steps = [{**STEPS[0], "echeance": "25/11/2026"}]
    outcome = engine.answer(state, "etapes", steps, now=NOW)
    assert outcome.errors == ("Élément 1 – Échéance : 25/11/2026 est déjà passé (nous sommes le 26/11/2026) : "
                              "une échéance se fixe à aujourd'hui ou plus tard. Vérifiez l'année.",)
    assert engine.answer(state, "etapes", [{**STEPS[0], "echeance": "26/11/2026"}], now=NOW).recorded
    missing = engine.answer(state, "etapes", [{**STEPS[0], "echeance": ""}], now=NOW)
    assert missing.errors == ("Élément 1 – Échéance : ce champ est obligatoire.",)


def test_a_plan_without_a_step_for_the_main_project_is_refused_naming_it():
    engine, state = _plan(_karim(MAIN, ALTERNATIVE))
    outcome = engine.answer(state, "etapes", STEPS[1:], now=NOW)
    assert outcome.errors == ("Ajoutez au moins une étape pour le projet principal « Formateur technique » "
                              "(champ « Projet servi »).",)
    assert not outcome.recorded
    assert engine.answer(state, "etapes", STEPS, now=NOW).recorded


def test_two_main_projects_each_need_a_step():
    engine, state = _plan(_karim(MAIN, {**ALTERNATIVE, "decision": "principal"}))
    outcome = engine.answer(state, "etapes", STEPS[1:], now=NOW)
    assert outcome.errors == ("Ajoutez au moins une étape pour le projet principal « Formateur technique » "
                              "(champ « Projet servi »).",)
    outcome = engine.answer(state, "etapes", [{**STEPS[0], "projet": ""}], now=NOW)
    assert outcome.errors == ("Ajoutez au moins une étape pour chacun des projets principaux « Formateur technique », "
                              "« Agent des méthodes » (champ « Projet servi »).",)
    assert engine.answer(state, "etapes", STEPS, now=NOW).recorded


def test_a_bad_rncp_code_is_refused_and_a_good_one_in_any_case_kept():
    engine, state = _plan(_karim(MAIN))
    state = run(engine, PLAN, state, until="vae")
    for code in ("RNC37274", "37274", "RNCP", "RNCP 37274x"):
        outcome = engine.answer(state, "formation", [{"intitule": "FPA", "rncp": code}], now=NOW)
        assert outcome.errors == (f"Élément 1 – Code RNCP : « {code} » : un code RNCP s'écrit « RNCP » suivi de "
                                  "chiffres (ex. RNCP37274).",), code
    assert engine.answer(state, "formation", [{"intitule": "FPA", "rncp": "rncp37274"}], now=NOW).recorded
    assert engine.answer(state, "formation", [], now=NOW).recorded  # no training is an answer too


def test_a_vae_needs_its_certification_and_rests_on_experiences_and_achievements():
    engine, state = _plan(_karim(MAIN))
    state = run(engine, PLAN, state, until="vae_certification")
    step = engine.current(state)
    assert step.id == "vae_certification"
    assert engine.answer(state, step.id, "  ", now=NOW).errors == (
        "Une réponse est attendue. Vous pouvez aussi passer la question (F4) en donnant une raison.",)
    assert step.skip_reasons == (SkipReason.LATER,)  # only put off: it comes back before the end
    deferred = engine.skip(state, step.id, SkipReason.LATER, now=NOW)
    deferred = run(engine, PLAN, deferred, until="vae_certification")
    assert engine.current(deferred).id == "vae_certification"
    state = engine.answer(state, step.id, PLAN["vae_certification"], now=NOW).state
    appuis = engine.spec(engine.current(state), state)
    assert [c.value for c in appuis.choices] == ["Technicien de maintenance", "Entraîneur de football",
                                                 "Moins de pannes sur la ligne 3", "Deux apprentis diplômés"]


def test_no_vae_asks_neither_certification_nor_support():
    engine, state = _plan(_karim(MAIN))
    state = run(engine, {**PLAN, "vae": "non"}, state)
    assert engine.is_finished(state)
    assert {"vae_certification", "vae_appuis"}.isdisjoint(s.id for s in engine.path(state))


# -- the portfolio ---------------------------------------------------------------------------------


def test_decisions_steps_training_and_vae_join_the_portfolio_with_their_sources():
    workbook = _karim(MAIN, ALTERNATIVE)
    engine, state = _plan(workbook)
    workbook = workbook.with_state(run(engine, {**PLAN, "etapes": STEPS}, state))
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
    found = {kind: [(i.title, i.details) for i in portfolio.active(kind)]
             for kind in (ItemKind.DECISION, ItemKind.STEP, ItemKind.TRAINING, ItemKind.VAE)}
    assert found == {
        ItemKind.DECISION: [
            ("Formateur technique", (("Décision", "Projet principal"), ("Raisons", MAIN["raisons"]))),
            ("Agent des méthodes", (("Décision", "Projet alternatif"), ("Raisons", "Un plan B solide."))),
        ],
        ItemKind.STEP: [
            ("Rencontrer une formatrice de l'AFPA", (("Échéance", "15/12/2026"), ("Avec qui, quel organisme", "AFPA Rennes"),
                                                     ("Ressources", "Réseau du club"), ("Projet servi", "Formateur technique"))),
            ("Se renseigner sur les méthodes", (("Échéance", "15/01/2027"), ("Projet servi", "Agent des méthodes"))),
        ],
        ItemKind.TRAINING: [("Titre professionnel FPA", (
            ("Organisme", "AFPA"), ("Durée", "9 mois"), ("Financement", "CPF"),
            ("Certification visée", "Formateur professionnel d'adultes"), ("Code RNCP", "RNCP37274")))],
        ItemKind.VAE: [("CAP Maintenance des matériels", (
            ("Décision", "Oui"),
            ("Expériences et réalisations à l'appui", "Technicien de maintenance, Deux apprentis diplômés")))],
    }
    decision = portfolio.active(ItemKind.DECISION)[0]
    source = workbook.describe(decision.source)
    assert (source.module, source.answer) == ("Bilan des pistes — Formateur technique", "Projet principal")
    step = portfolio.active(ItemKind.STEP)[1]
    assert workbook.describe(step.source).answer.startswith("Élément n° 2 : Ce qu'il faut faire : Se renseigner")
    vae = portfolio.active(ItemKind.VAE)[0]
    assert (vae.source.module, vae.source.step_id) == ("plan_action", "vae_certification")
    assert not any(i.private for i in portfolio.items)


def test_a_changed_reason_updates_the_decision_in_the_portfolio():
    workbook = _karim(MAIN)
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
    engine = workbook.engine(FLOWS["bilan_pistes"])
    state = engine.answer(workbook.states["bilan_pistes#b1"], "raisons", "Transmettre, surtout.", now=NOW).state
    portfolio, _ = workbook.with_state(state).sync_portfolio(portfolio, NOW)
    (decision,) = portfolio.active(ItemKind.DECISION)
    assert decision.details == (("Décision", "Projet principal"), ("Raisons", "Transmettre, surtout."))


def test_the_new_kinds_are_named_in_french():
    assert [(k.label, k.plural) for k in (ItemKind.DECISION, ItemKind.STEP, ItemKind.TRAINING, ItemKind.VAE)] == [
        ("Décision sur un projet", "Décisions sur les projets"), ("Étape du plan d'action", "Plan d'action"),
        ("Formation", "Formations"), ("Démarche VAE", "Démarches VAE")]


# -- Retour sur les objectifs ----------------------------------------------------------------------


def test_the_objectives_stated_at_the_start_are_quoted_and_offered_one_per_line():
    workbook = _karim(MAIN)
    engine = workbook.engine(FLOWS["retour_objectifs"])
    state = engine.start()
    assert engine.prompt(engine.current(state), state).startswith(
        "Au début du bilan, nous avions formulé ensemble ces objectifs : « - Choisir un métier où transmettre")
    state = engine.acknowledge(state, "rappel", now=NOW)
    step = engine.current(state)
    assert engine.default(step, state) == [{"objectif": "Choisir un métier où transmettre"},
                                           {"objectif": "Savoir quelle formation suivre"},
                                           {"objectif": "Garder mon salaire"}]
    incomplete = engine.answer(state, "objectifs", engine.default(step, state), now=NOW)
    assert incomplete.errors == ("Élément 1 – Résultat : ce champ est obligatoire.",)
    reviewed = [{"objectif": "Choisir un métier où transmettre", "atteinte": "atteint", "commentaire": "Formateur"},
                {"objectif": "Savoir quelle formation suivre", "atteinte": "partiel"},
                {"objectif": "Garder mon salaire", "atteinte": "non_atteint", "commentaire": "Baisse au début"}]
    state = engine.answer(state, "objectifs", reviewed, now=NOW).state
    assert engine.is_finished(state)


def test_without_stated_objectives_the_review_starts_empty_with_the_fallback():
    engine = Workbook(FLOWS, [], JinjaExpressions()).engine(FLOWS["retour_objectifs"])
    state = engine.start()
    assert engine.prompt(engine.current(state), state).startswith("Reprenons un par un les objectifs")
    state = engine.acknowledge(state, "rappel", now=NOW)
    assert engine.default(engine.current(state), state) is None


# -- the flow language for these modules ------------------------------------------------------------

HEAD = 'id: essai\ntitle: Essai\nflow_version: "1"\nphase: conclusion\n'


@pytest.mark.parametrize(("head", "steps", "problem"), [
    ("", '  - {id: a, prompt: "?", answer: {type: single, choices: [{value: x, label: X}]},'
         ' produces: {kind: decision, details_from: {b: "B"}}}',
     "produces.details_from : question inconnue b dans ce parcours"),
    ("", '  - {id: a, prompt: "?", answer: {type: single, choices: [{value: x, label: X}]},'
         ' produces: {kind: decision, details_from: {b: "B"}}}\n'
         '  - {id: b, prompt: "?", asked_to: consultant, answer: {type: text}}',
     "produces.details_from : un élément du portefeuille visible du bénéficiaire reprendrait la réponse « b »"),
    ("", '  - {id: b, prompt: "?", asked_to: consultant, answer: {type: text}}\n'
         '  - {id: a, prompt: "?", answer: {type: text}, validators: [{rule: "value != b", message: "Pas {{ b }}"}]}',
     "validators.message : montre au bénéficiaire la réponse « b », réservée au consultant"),
    ("", '  - {id: a, kind: repeat, prompt: "?", answer: {type: list, fields: [{id: t, label: T}]},'
         ' produces: {kind: etape, title: t, title_from: "{{ t }}"}}',
     "« title_from » et « details_from » vont avec une réponse qui n'est pas une liste"),
    ("", '  - {id: a, prompt: "?", answer: {type: single, choices_from: autre.passages, label_field: nom,'
         ' value_field: nom, more_choices_from: [{choices_from: pistes.projets, label_field: intitule,'
         ' value_field: intitule}]}}',
     "more_choices_from : le module « pistes » n'est pas déclaré dans « uses »"),
    ("uses: [autre]\n", '  - {id: a, prompt: "?", answer: {type: single, choices_from: autre.passages, label_field: nom,'
                        ' value_field: nom, choices_where: "element.decision == inconnu"}}',
     "choices_where : variable inconnue inconnu"),
    ("uses: [autre]\n", '  - {id: a, prompt: "?", answer: {type: single, choices_from: autre.passages, label_field: nom,'
                        ' choices_where: "element.decision"}}',
     "« choices_where » et « more_choices_from » demandent « value_field »"),
    ("uses: [autre]\n", '  - {id: a, kind: repeat, prompt: "?", answer: {type: list, fields: [{id: p, label: P, type: single,'
                        ' choices_from: autre.passages, label_field: nom, choices_where: "element.decision"}]}}',
     "« choices_where » et « more_choices_from » demandent « value_field »"),
    ("", '  - {id: a, kind: repeat, prompt: "?", answer: {type: list, fields: [{id: t, label: T}]}, default_from: a.b}',
     "« default_from » sur une liste demande « default_field »"),
])
def test_mistakes_in_the_new_flow_rules_are_reported_in_french(head, steps, problem):
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(HEAD + head + "steps:\n" + steps + "\n", "essai.yaml")
    assert problem in caught.value.summary()


def test_a_message_whose_quote_fails_is_still_shown():
    flow = load_flow_text(HEAD + 'steps:\n  - {id: a, prompt: "?", answer: {type: text}, validators: '
                                 '[{rule: "value == \'oui\'", message: "Répondez oui, pas {{ value | int(1, 2, 3) }}."}]}\n',
                          "essai.yaml")
    engine = Engine(flow, JinjaExpressions())
    assert engine.answer(engine.start(), "a", "non", now=NOW).errors == ("Répondez oui, pas ….",)


def test_the_questions_for_the_people_of_the_enquete_are_not_asked_when_nobody_is_planned():
    engine = Engine(CATALOG.flows["confrontation"], JinjaExpressions())
    state = engine.start("sans-enquete")
    state = engine.answer(state, "projet", "Chargée de recrutement", now=NOW).state
    planned = engine.answer(state, "enquete_contacts", [{"personne": "Une chargée de recrutement"}], now=NOW).state
    assert "enquete_questions" in [s.id for s in engine.path(planned)]
    passed = engine.skip(state, "enquete_contacts", SkipReason.NOT_APPLICABLE, now=NOW)
    assert "enquete_questions" not in [s.id for s in engine.path(passed)]
    assert "enquete_appris" in [s.id for s in engine.path(passed)]  # what was learned, from anyone, stays
