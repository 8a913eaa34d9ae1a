"""The interview engine, one rule per test, on small flows written for the purpose."""

from __future__ import annotations

import datetime as dt

import pytest

from bilan_tui.domain.engine import Engine, EngineError, ExpressionProblem
from bilan_tui.domain.models import AnswerStatus, Note, SkipReason, Visibility
from bilan_tui.flows import JinjaExpressions, load_flow_text

NOW = dt.datetime(2026, 11, 26, 10, 0)

FLOW = """
id: essai
title: Essai
flow_version: "2.0.0"
phase: preliminaire
steps:
  - {id: intro, kind: info, prompt: "Bonjour"}
  - id: situation
    prompt: "Situation ?"
    answer: {type: single, choices: [{value: salarie, label: Salarié}, {value: chomage, label: "En recherche"}]}
    next: [{if: "situation == 'chomage'", goto: depuis}]
  - {id: poste, prompt: "Poste ?", answer: {type: text}}
  - {id: satisfaction, prompt: "Satisfait comme {{ poste }} ?", prompt_fallback: "Satisfait ?",
     answer: {type: scale, min: 1, max: 5}, next: [{goto: objectifs}]}
  - {id: depuis, prompt: "Depuis quand ?", answer: {type: date}}
  - id: objectifs
    prompt: "Objectifs ?"
    answer: {type: long_text}
    validators: [{rule: "value | length >= 10", severity: warning, message: "Un peu court."}]
  - id: age
    prompt: "Âge ?"
    answer: {type: number}
    required: false
    validators: [{rule: "value >= 16", message: "Au moins 16 ans."}]
  - {id: detail, show_if: "age and age > 50", prompt: "Fin de carrière ?", answer: {type: text}}
"""


@pytest.fixture
def engine() -> Engine:
    return Engine(load_flow_text(FLOW, "essai.yaml"), JinjaExpressions())


def run(engine, state, *pairs):
    for step_id, raw in pairs:
        outcome = engine.answer(state, step_id, raw, now=NOW, accept_warnings=True)
        assert outcome.recorded, outcome.errors
        state = outcome.state
    return state


def test_next_step_is_the_first_unanswered_on_the_path(engine):
    state = engine.start()
    assert engine.current(state).id == "intro"
    state = engine.acknowledge(state, "intro", now=NOW)
    assert engine.current(state).id == "situation"


def test_branch_follows_next_rules(engine):
    state = run(engine, engine.acknowledge(engine.start(), "intro", now=NOW), ("situation", "chomage"))
    assert engine.current(state).id == "depuis"
    assert [s.id for s in engine.path(state)] == ["intro", "situation", "depuis", "objectifs", "age"]
    state = run(engine, engine.acknowledge(engine.start(), "intro", now=NOW), ("situation", "salarie"))
    assert [s.id for s in engine.path(state)][:5] == ["intro", "situation", "poste", "satisfaction", "objectifs"]


def test_show_if_adds_a_step_only_when_true(engine):
    state = run(engine, engine.start(), ("situation", "salarie"), ("age", "40"))
    assert "detail" not in [s.id for s in engine.path(state)]
    state = run(engine, state, ("age", "55"))
    assert "detail" in [s.id for s in engine.path(state)]


def test_piped_prompt_and_fallback(engine):
    state = engine.start()
    step = engine.flow.step("satisfaction")
    assert engine.prompt(step, state) == "Satisfait ?"
    state = run(engine, state, ("poste", "[i]soudeur[/i]"))
    assert engine.prompt(step, state) == "Satisfait comme [i]soudeur[/i] ?"


@pytest.mark.parametrize(
    ("step_id", "raw", "message"),
    [
        ("poste", "   ", "Une réponse est attendue"),
        ("age", "douze", "n'est pas un nombre"),
        ("depuis", "31/02/2026", "n'existe pas dans le calendrier"),
        ("depuis", "demain", "n'est pas une date"),
        ("satisfaction", 9, "entre 1 et 5"),
        ("age", "12", "Au moins 16 ans."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_changes(engine, step_id, raw, message):
    state = engine.start()
    outcome = engine.answer(state, step_id, raw, now=NOW)
    assert not outcome.recorded
    assert outcome.state is state
    assert message in " ".join(outcome.errors)


def test_values_are_parsed(engine):
    state = run(engine, engine.start(), ("age", "52"), ("depuis", "03/09/2025"), ("satisfaction", "4"))
    assert state.answers["age"].value == 52
    assert state.answers["depuis"].value == "2025-09-03"
    assert state.answers["satisfaction"].value == 4


def test_optional_question_accepts_empty(engine):
    state = run(engine, engine.start(), ("age", ""))
    assert state.answers["age"].status is AnswerStatus.ANSWERED
    assert state.answers["age"].value is None


def test_warning_informs_then_lets_the_person_go_on(engine):
    state = engine.start()
    first = engine.answer(state, "objectifs", "Court", now=NOW)
    assert not first.recorded and first.warnings == ("Un peu court.",)
    second = engine.answer(state, "objectifs", "Court", now=NOW, accept_warnings=True)
    assert second.recorded and second.state.answers["objectifs"].value == "Court"


def test_skip_later_defers_and_the_step_comes_back_before_the_end(engine):
    state = engine.acknowledge(engine.start(), "intro", now=NOW)
    state = engine.skip(state, "situation", SkipReason.LATER, now=NOW)
    assert state.answers["situation"].status is AnswerStatus.DEFERRED
    assert engine.current(state).id == "poste"
    state = run(engine, state, ("poste", "x"), ("satisfaction", 3), ("objectifs", "Assez long pour passer"), ("age", ""))
    assert engine.current(state).id == "situation"
    state = run(engine, state, ("situation", "salarie"))
    assert engine.current(state) is None


def test_skip_with_other_reason_is_final_and_counted(engine):
    state = engine.skip(engine.start(), "situation", SkipReason.PREFERS_NOT, now=NOW)
    record = state.answers["situation"]
    assert record.status is AnswerStatus.SKIPPED and record.skip_reason == "prefere_ne_pas_repondre"
    assert engine.progress(state).done == 1


def test_skipping_an_information_step_is_refused(engine):
    with pytest.raises(EngineError):
        engine.skip(engine.start(), "intro", SkipReason.LATER, now=NOW)


def test_back_goes_to_the_previous_question(engine):
    state = run(engine, engine.acknowledge(engine.start(), "intro", now=NOW), ("situation", "salarie"), ("poste", "x"))
    assert engine.current(state).id == "satisfaction"
    state = engine.back(state)
    assert engine.current(state).id == "poste"
    state = engine.back(state)
    assert engine.current(state).id == "situation"
    assert engine.back(state).cursor == "situation"  # nothing before the first question


def test_answering_after_back_returns_to_the_next_step_due(engine):
    state = run(engine, engine.start(), ("situation", "salarie"), ("poste", "x"))
    state = engine.back(state)
    state = run(engine, state, ("poste", "x"))
    assert state.cursor is None


def test_edit_keeps_history_and_marks_dependants_stale(engine):
    state = run(engine, engine.start(), ("situation", "salarie"), ("poste", "soudeur"), ("satisfaction", 2))
    state = engine.edit(state, "poste")
    assert engine.current(state).id == "poste"
    state = run(engine, state, ("poste", "chaudronnier"))
    record = state.answers["poste"]
    assert record.value == "chaudronnier"
    assert [r.value for r in record.revisions] == ["soudeur"]
    assert state.answers["satisfaction"].status is AnswerStatus.STALE  # its prompt reads "poste"
    assert state.answers["satisfaction"].value == 2  # kept, visible
    assert state.answers["situation"].status is AnswerStatus.ANSWERED


def test_edit_with_same_value_marks_nothing_stale(engine):
    state = run(engine, engine.start(), ("poste", "soudeur"), ("satisfaction", 2))
    state = run(engine, engine.edit(state, "poste"), ("poste", "soudeur"))
    assert state.answers["satisfaction"].status is AnswerStatus.ANSWERED


def test_answers_of_a_branch_no_longer_taken_are_kept(engine):
    state = run(engine, engine.start(), ("situation", "chomage"), ("depuis", "01/01/2026"))
    state = run(engine, engine.edit(state, "situation"), ("situation", "salarie"))
    assert "depuis" not in [s.id for s in engine.path(state)]
    assert state.answers["depuis"].value == "2026-01-01"


def test_progress_counts_relevant_questions_only(engine):
    state = engine.start()
    assert engine.progress(state).total == 5  # situation, poste, satisfaction, objectifs, age
    state = run(engine, state, ("situation", "chomage"))
    progress = engine.progress(state)
    assert (progress.done, progress.total) == (1, 4)
    assert progress.label == "1/4 questions traitées"


def test_note_on_an_unanswered_step_does_not_count_as_an_answer(engine):
    state = engine.acknowledge(engine.start(), "intro", now=NOW)
    note = Note(text="Hésite", visibility=Visibility.CONSULTANT, at=NOW)
    state = engine.add_note(state, "situation", note, now=NOW)
    assert engine.current(state).id == "situation"
    assert engine.progress(state).done == 0
    state = run(engine, state, ("situation", "salarie"))
    assert state.answers["situation"].notes == (note,)
    assert state.answers["situation"].revisions == ()  # the note holder was not an answer


def test_records_carry_who_when_and_the_flow_version(engine):
    state = run(engine, engine.start(), ("poste", "x"))
    record = state.answers["poste"]
    assert record.at == NOW and record.flow_version == "2.0.0"
    assert record.answered_by.value == "beneficiary"


def test_operations_never_mutate_the_given_state(engine):
    state = run(engine, engine.start(), ("poste", "x"))
    before = state.model_dump()
    engine.answer(state, "poste", "y", now=NOW)
    engine.skip(state, "age", SkipReason.LATER, now=NOW)
    engine.back(state)
    assert state.model_dump() == before


# -- expressions that fail at run time are reported, not silently false --------------------------

BROKEN = """
id: casse
title: Casse
flow_version: "1.0.0"
phase: preliminaire
steps:
  - {id: poste, prompt: "Poste ?", answer: {type: text}}
  - {id: suite, prompt: "Pourquoi {{ poste * 2 ** 200 }} ?", prompt_fallback: "Pourquoi ?",
     show_if: "poste > 3", answer: {type: text}}
  - {id: derniere, prompt: "Fin ?", answer: {type: text}}
"""


def test_a_run_time_expression_error_is_reported_to_the_consultant():
    engine = Engine(load_flow_text(BROKEN, "casse.yaml"), JinjaExpressions())
    state = run(engine, engine.start(), ("poste", "soudeur"))
    # ``'soudeur' > 3`` fails: the condition is not met, and the failure is kept, once.
    assert [s.id for s in engine.path(state)] == ["poste", "derniere"]
    engine.path(state)
    [problem] = engine.expression_problems()
    assert (problem.step_id, problem.where) == ("suite", "show_if")
    assert problem.describe() == (
        "Parcours à corriger (show_if, étape « suite ») : la condition d'affichage a échoué (types incompatibles, "
        "par exemple un texte comparé à un nombre) ; la question n'est pas posée."
    )
    assert engine.new_expression_problems() == [problem]
    assert engine.new_expression_problems() == []
    # A prompt that fails shows its fallback, and says why.
    assert engine.prompt(engine.flow.step("suite"), state) == "Pourquoi ?"
    assert [(p.where, p.reason) for p in engine.new_expression_problems()] == [
        ("prompt", "résultat trop grand (plus de 200000 caractères ou éléments)")
    ]


def test_a_condition_on_a_missing_answer_is_simply_not_met(engine):
    state = run(engine, engine.start(), ("intro", None), ("situation", "salarie"), ("poste", "x"))
    engine.path(state)
    engine.prompt(engine.flow.step("satisfaction"), engine.start())  # a missing answer: the fallback
    assert engine.expression_problems() == []


class _Exhausted:
    def evaluate(self, expression, variables):
        raise MemoryError

    def render(self, template, variables):
        raise MemoryError


def test_a_memory_error_is_never_swallowed():
    from bilan_tui.domain.workbook import Workbook

    flow = load_flow_text(FLOW, "essai.yaml")
    engine = Engine(flow, _Exhausted())
    with pytest.raises(MemoryError):
        engine.path(engine.start())
    with pytest.raises(MemoryError):
        engine.prompt(flow.step("satisfaction"), engine.start())
    repeatable = flow.model_copy(update={"repeatable": True, "instance_label": "{{ poste }}"})
    with pytest.raises(MemoryError):
        Workbook({flow.id: repeatable}, [], _Exhausted()).label(Engine(repeatable, _Exhausted()), engine.start())


@pytest.mark.parametrize(("problem", "said"), [
    (ExpressionProblem("suite", "show_if", "types incompatibles"),
     "Parcours à corriger (show_if, étape « suite ») : la condition d'affichage a échoué (types incompatibles) ; "
     "la question n'est pas posée."),
    (ExpressionProblem("a", "next.if", "x"),
     "Parcours à corriger (next.if, étape « a ») : une condition de suite a échoué (x) ; elle n'est pas suivie."),
    (ExpressionProblem("a", "validators.rule", "x"),
     "Parcours à corriger (validators.rule, étape « a ») : une règle de validation a échoué (x) ; "
     "elle compte comme non respectée."),
    (ExpressionProblem(None, "instance_label", "x"),
     "Parcours à corriger (instance_label) : le nom du passage a échoué (x)."),
    (ExpressionProblem("a", "ailleurs", "x"), "Parcours à corriger (ailleurs, étape « a ») : ailleurs a échoué (x)."),
])
def test_each_kind_of_expression_failure_is_said_to_the_consultant_with_its_consequence(problem, said):
    assert problem.describe() == said
