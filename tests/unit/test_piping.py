"""Choices and facts that come from earlier answers and from the dossier: picked or confirmed, not typed again."""

from __future__ import annotations

import pytest

from bilan_tui.domain.models import Beneficiary, Dossier, Situation
from bilan_tui.domain.workbook import Workbook, dossier_facts
from bilan_tui.flows import FlowLoadError, JinjaExpressions, load_catalog, load_flow_text
from tests.persona import NOW, run

CATALOG = load_catalog()
LEADS = {"projets": [{"intitule": "Formateur technique", "code_rome": "K2111"}, {"intitule": "Technicien méthodes"}]}


def _workbook(facts=None, *modules) -> Workbook:
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions(), facts)
    for flow_id, answers in modules:
        workbook = workbook.with_state(run(workbook.engine(CATALOG.flows[flow_id]), answers))
    return workbook


def test_the_confrontation_project_is_one_of_the_leads_and_names_the_run():
    workbook = _workbook(None, ("pistes", LEADS))
    engine = workbook.engine(CATALOG.flows["confrontation"])
    state = engine.start("a1")
    step = engine.current(state)
    assert [(c.value, c.label) for c in engine.spec(step, state).choices] == [
        ("Formateur technique", "Formateur technique"), ("Technicien méthodes", "Technicien méthodes"),
        ("autre", "Un autre projet (à préciser)")]
    state = engine.answer(state, step.id, "Technicien méthodes", now=NOW).state
    assert engine.current(state).id == "activites"  # the project is not typed again
    assert workbook.label(engine, state) == "Confrontation au marché — Technicien méthodes"


def test_another_project_is_typed_and_names_the_run():
    workbook = _workbook(None, ("pistes", LEADS))
    engine = workbook.engine(CATALOG.flows["confrontation"])
    state = engine.answer(engine.start("b2"), "piste", "autre", now=NOW).state
    assert engine.current(state).id == "projet"
    state = engine.answer(state, "projet", "Boulanger", now=NOW).state
    assert workbook.label(engine, state) == "Confrontation au marché — Boulanger"


def test_without_any_lead_the_project_is_typed():
    engine = _workbook().engine(CATALOG.flows["confrontation"])
    state = engine.start("c3")
    assert engine.current(state).id == "projet"


def test_the_situation_of_the_dossier_is_offered_to_be_confirmed():
    dossier = Dossier(id="d", created_at=NOW, beneficiary=Beneficiary(
        first_name="Nadia", last_name="Roux", situation=Situation.EMPLOYED, situation_detail="aide-soignante en EHPAD"))
    engine = _workbook(dossier_facts(dossier)).engine(CATALOG.flows["analyse_demande"])
    state = run(engine, {"ad_circonstances": "Mon poste me fatigue beaucoup.", "ad_initiative": "moi"},
                until="ad_situation")
    step = engine.current(state)
    assert engine.prompt(step, state).startswith("Votre dossier indique : Salarié(e) (aide-soignante en EHPAD).")
    assert engine.default(step, state) == "salarie"
    state = engine.answer(state, step.id, "salarie", now=NOW).state
    poste = engine.current(state)
    assert poste.id == "ad_poste" and engine.default(poste, state) == "aide-soignante en EHPAD"


def test_without_the_dossier_the_situation_is_asked_plainly():
    engine = _workbook().engine(CATALOG.flows["analyse_demande"])
    state = run(engine, {"ad_circonstances": "Mon poste me fatigue beaucoup.", "ad_initiative": "moi"},
                until="ad_situation")
    step = engine.current(state)
    assert engine.prompt(step, state) == "Quelle est votre situation aujourd'hui ?"
    assert engine.default(step, state) is None


BASE = 'id: essai\ntitle: Essai\nflow_version: "1"\nphase: investigation\n'


@pytest.mark.parametrize(("head", "steps", "problem"), [
    ("", '  - {id: a, prompt: "?", default_from: dossier.situation, answer: {type: text}}',
     "default_from : le module « dossier » n'est pas déclaré dans « uses »"),
    ("uses: [dossier]\n", '  - {id: a, prompt: "?", default_from: dossier.age, answer: {type: number}}',
     "« default_from » va avec une question text, long_text, single ou list"),
    ("", '  - {id: a, prompt: "?", answer: {type: single, choices: [{value: x, label: X}], value_field: t}}',
     "« value_field » va avec « choices_from » et « label_field »"),
    ("", '  - {id: a, asked_to: consultant, prompt: "?", answer: {type: text}}\n'
         '  - {id: b, prompt: "?", default_from: a, answer: {type: text}}',
     "default_from : propose au bénéficiaire la réponse « a »"),
])
def test_mistakes_in_piping_are_reported_in_french(head, steps, problem):
    with pytest.raises(FlowLoadError) as error:
        load_flow_text(BASE + head + "steps:\n" + steps + "\n", "essai.yaml")
    assert problem in error.value.summary()


def test_no_module_may_be_called_dossier():
    with pytest.raises(FlowLoadError) as error:
        load_flow_text(BASE.replace("id: essai", "id: dossier") + 'steps:\n  - {id: a, prompt: "?", answer: {type: text}}\n',
                       "dossier.yaml")
    assert "« dossier » est réservé aux faits de la fiche du dossier" in error.value.summary()
