"""Flow files: every static check on a small broken file, and the catalogue's behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilan_tui.flows import FlowLoadError, load_catalog, load_flow_text

HEAD = 'id: essai\ntitle: Essai\nflow_version: "1.0.0"\nphase: preliminaire\nsteps:\n'


def problems(steps_yaml: str) -> str:
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(HEAD + steps_yaml, "essai.yaml")
    summary = caught.value.summary()
    assert summary.startswith("Parcours refusé (essai.yaml)")
    return summary


def test_duplicate_ids():
    text = problems("""
  - {id: a, prompt: "A ?", answer: {type: text}}
  - {id: a, prompt: "B ?", answer: {type: text}}
""")
    assert "étape « a » : identifiant en double" in text


def test_unknown_next_reference():
    text = problems("""
  - {id: a, prompt: "A ?", answer: {type: text}, next: [{goto: zz}]}
""")
    assert "étape « a » : next : l'étape « zz » n'existe pas" in text


def test_unknown_depends_on():
    text = problems("""
  - {id: a, prompt: "A ?", answer: {type: text}, depends_on: [b]}
""")
    assert "depends_on : l'étape « b » n'existe pas" in text


def test_cycle():
    text = problems("""
  - {id: a, prompt: "A ?", answer: {type: text}}
  - {id: b, prompt: "B ?", answer: {type: text}, next: [{if: "a == 'x'", goto: a}]}
""")
    assert "boucle sans fin : a → b → a" in text


def test_unreachable_step():
    text = problems("""
  - {id: a, prompt: "A ?", answer: {type: text}, next: [{goto: c}]}
  - {id: b, prompt: "B ?", answer: {type: text}}
  - {id: c, prompt: "C ?", answer: {type: text}}
""")
    assert "étape « b » : étape inatteignable" in text


def test_undefined_variable_in_condition():
    text = problems("""
  - {id: a, prompt: "A ?", answer: {type: text}, store: nom}
  - {id: b, prompt: "B ?", answer: {type: text}, show_if: "prenom == 'x'"}
""")
    assert "étape « b » : show_if : variable inconnue prenom" in text


def test_undefined_variable_in_prompt():
    text = problems("""
  - {id: a, prompt: "Bonjour {{ inconnu }} ?", answer: {type: text}}
""")
    assert "étape « a » : prompt : variable inconnue inconnu" in text


def test_malformed_expression():
    text = problems("""
  - {id: a, prompt: "A ?", answer: {type: text}, show_if: "a ==="}
""")
    assert "étape « a » : expression mal formée" in text


def test_schema_errors_name_the_step_and_speak_french():
    text = problems("""
  - {id: a, prompt: "A ?", answer: {type: couleur}}
  - {id: b, prompt: "B ?", answer: {type: single}}
  - {id: c, prompt: "C ?", answer: {type: text}, requis: true}
""")
    assert "étape « a » : answer.type : valeur « couleur » non permise" in text
    assert "étape « b »" in text and "demande une liste « choices »" in text
    assert "étape « c » : requis : champ inconnu" in text


def test_unreadable_yaml_names_the_line():
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text("id: x\nsteps: [\n  - a: b\n", "casse.yaml")
    assert "YAML illisible (ligne" in caught.value.summary()


def test_implicit_dependencies_come_from_expressions():
    flow = load_flow_text(HEAD + """
  - {id: a, prompt: "A ?", answer: {type: text}, store: nom}
  - {id: b, prompt: "Merci {{ nom }}", answer: {type: text}}
""", "essai.yaml")
    assert flow.step("b").depends_on == ("a",)


def test_builtin_flows_load(catalog):
    assert "analyse_demande" in catalog.flows
    assert catalog.refused == []
    flow = catalog.flows["analyse_demande"]
    questions = [s for s in flow.steps if s.is_question]
    assert len(flow.steps) >= 12 and len(questions) >= 12
    assert any(s.next for s in flow.steps)  # a branch
    assert any(s.answer and s.answer.type == "list" for s in flow.steps)  # a list


def test_a_broken_file_is_refused_and_the_others_still_load(tmp_path: Path):
    (tmp_path / "casse.yaml").write_text(HEAD + '  - {id: a, prompt: "A ?", answer: {type: text}, next: [{goto: zz}]}\n')
    (tmp_path / "bon.yaml").write_text(HEAD.replace("id: essai", "id: perso") + '  - {id: a, prompt: "A ?", answer: {type: text}}\n')
    catalog = load_catalog([tmp_path])
    assert {"analyse_demande", "perso"} <= set(catalog.flows)
    [refused] = catalog.refused
    assert refused.source == "casse.yaml"


def test_categories_and_self_assessment_of_produced_items_are_checked():
    text = problems("""
  - id: notes
    prompt: "Où en êtes-vous ?"
    answer: {type: ratings, min: 1, max: 4, items: [{id: animer, label: "Animer"}]}
    produces: {kind: competence, categories: {animer: savoir_faire, organiser: savoir_faire}, self_assessed: true}
  - id: gouts
    prompt: "Qu'aimez-vous ?"
    answer: {type: multi, choices: [{value: lire, label: "Lire"}]}
    produces: {kind: interet, categories: {lire: savoir}, self_assessed: true}
""")
    assert "étape « notes » : produces.categories : élément ou choix inconnu organiser" in text
    assert "étape « gouts » : produces : « categories » et « self_assessed » vont avec kind: competence" in text
    assert "étape « gouts » : produces.categories" not in text  # "lire" is one of its choices
    flow = load_flow_text(HEAD + """
  - id: notes
    prompt: "Où en êtes-vous ?"
    answer: {type: ratings, min: 1, max: 4, items: [{id: animer, label: "Animer"}]}
    produces: {kind: competence, categories: {animer: savoir_faire}, self_assessed: true}
""", "essai.yaml")
    assert flow.step("notes").produces.self_assessed
