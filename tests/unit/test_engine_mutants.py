"""Engine rules a user would notice, each pinned by a small flow written for the purpose.

These tests were written against mutation testing (scripts/mutation.sh): each one fails when a
rule is broken the way a slip of the keyboard would break it (one level of dependants instead of
all, a skipped step counted as done, back going two steps, ...).
"""

from __future__ import annotations

import datetime as dt

import pytest

from bilan_tui.domain.engine import Engine
from bilan_tui.domain.models import AnswerStatus, SkipReason
from bilan_tui.flows import JinjaExpressions, load_flow_text

NOW = dt.datetime(2026, 11, 26, 10, 0)
LATER = NOW + dt.timedelta(hours=1)


def engine_for(steps: str, **header: str) -> Engine:
    head = "\n".join(f"{k}: {v}" for k, v in header.items())
    text = f'id: essai\ntitle: Essai\nflow_version: "3"\nphase: preliminaire\n{head}\nsteps:\n{steps}'
    return Engine(load_flow_text(text, "essai.yaml"), JinjaExpressions())


def answer(engine: Engine, state, *pairs, now: dt.datetime = NOW):
    for step_id, raw in pairs:
        outcome = engine.answer(state, step_id, raw, now=now, accept_warnings=True)
        assert outcome.recorded, outcome.errors
        state = outcome.state
    return state


def statuses(state) -> dict[str, AnswerStatus]:
    return {step_id: record.status for step_id, record in state.answers.items()}


# -- stale marks follow dependencies transitively ---------------------------------------------------

CHAIN = """
  - {id: metier, prompt: "Votre métier ?", answer: {type: text}}
  - {id: plaisir, prompt: "Ce qui vous plaît comme {{ metier }} ?", prompt_fallback: "Ce qui vous plaît ?",
     answer: {type: text}}
  - {id: pourquoi, prompt: "Pourquoi « {{ plaisir }} » ?", prompt_fallback: "Pourquoi ?", answer: {type: text}}
  - {id: ailleurs, prompt: "Ailleurs ?", answer: {type: text}, depends_on: [pourquoi]}
  - {id: rappel, kind: info, prompt: "Vous êtes {{ metier }}."}
  - {id: libre, prompt: "Autre chose ?", answer: {type: text}}
"""


@pytest.fixture
def chain() -> Engine:
    return engine_for(CHAIN)


def answered_chain(engine: Engine):
    state = answer(engine, engine.start(), ("metier", "soudeur"), ("plaisir", "le métal"), ("pourquoi", "concret"),
                   ("ailleurs", "non"))
    return answer(engine, engine.acknowledge(state, "rappel", now=NOW), ("libre", "rien"))


def test_editing_an_answer_marks_stale_every_answer_that_depends_on_it_however_indirectly(chain):
    # metier -> plaisir (its prompt) -> pourquoi (its prompt) -> ailleurs (depends_on): three levels.
    assert chain.dependants("metier") == {"plaisir", "pourquoi", "ailleurs", "rappel"}
    state = answered_chain(chain)
    state = answer(chain, chain.edit(state, "metier"), ("metier", "chaudronnier"), now=LATER)
    assert statuses(state) == {
        "metier": AnswerStatus.ANSWERED,
        "plaisir": AnswerStatus.STALE,
        "pourquoi": AnswerStatus.STALE,
        "ailleurs": AnswerStatus.STALE,
        "rappel": AnswerStatus.ANSWERED,  # an information step has nothing to re-check
        "libre": AnswerStatus.ANSWERED,
    }
    assert [s.id for s in chain.stale_steps(state)] == ["plaisir", "pourquoi", "ailleurs"]
    assert state.answers["pourquoi"].value == "concret"  # kept, to be re-checked


def test_editing_a_middle_answer_marks_only_what_comes_from_it(chain):
    state = answered_chain(chain)
    state = answer(chain, chain.edit(state, "plaisir"), ("plaisir", "le travail d'équipe"), now=LATER)
    assert statuses(state)["metier"] is AnswerStatus.ANSWERED
    assert [s.id for s in chain.stale_steps(state)] == ["pourquoi", "ailleurs"]


def test_a_stale_answer_confirmed_unchanged_is_no_longer_stale(chain):
    state = answered_chain(chain)
    state = answer(chain, chain.edit(state, "metier"), ("metier", "chaudronnier"), now=LATER)
    state = answer(chain, chain.edit(state, "pourquoi"), ("pourquoi", "concret"), now=LATER)
    assert [s.id for s in chain.stale_steps(state)] == ["plaisir", "ailleurs"]
    assert [r.value for r in state.answers["pourquoi"].revisions] == ["concret"]


def test_skipped_or_deferred_dependants_keep_their_status(chain):
    state = answer(chain, chain.start(), ("metier", "soudeur"))
    state = chain.skip(state, "plaisir", SkipReason.PREFERS_NOT, now=NOW)
    state = chain.skip(state, "pourquoi", SkipReason.LATER, now=NOW)
    state = answer(chain, chain.edit(state, "metier"), ("metier", "chaudronnier"), now=LATER)
    assert statuses(state) == {"metier": AnswerStatus.ANSWERED, "plaisir": AnswerStatus.SKIPPED,
                               "pourquoi": AnswerStatus.DEFERRED}


def test_a_cycle_of_dependencies_marks_the_others_never_the_edited_answer_itself():
    engine = engine_for("""
  - {id: un, prompt: "Un ?", answer: {type: text}, depends_on: [trois]}
  - {id: deux, prompt: "Deux ?", answer: {type: text}, depends_on: [un]}
  - {id: trois, prompt: "Trois ?", answer: {type: text}, depends_on: [deux]}
""")
    assert engine.dependants("un") == {"deux", "trois"}
    state = answer(engine, engine.start(), ("un", "a"), ("deux", "b"), ("trois", "c"))
    state = answer(engine, engine.edit(state, "un"), ("un", "z"), now=LATER)
    assert statuses(state) == {"un": AnswerStatus.ANSWERED, "deux": AnswerStatus.STALE, "trois": AnswerStatus.STALE}


def test_answering_a_question_that_had_no_answer_marks_nothing_stale(chain):
    # "plaisir" was answered while "metier" was skipped: giving "metier" later is not a change.
    state = chain.skip(chain.start(), "metier", SkipReason.LATER, now=NOW)
    state = answer(chain, state, ("plaisir", "le métal"))
    state = answer(chain, state, ("metier", "soudeur"))
    assert statuses(state)["plaisir"] is AnswerStatus.ANSWERED


# -- the path: hidden steps, steps with nothing to offer, the end -------------------------------------

PATH = """
  - {id: intro, kind: info, prompt: "Bonjour"}
  - {id: age, prompt: "Âge ?", answer: {type: number}, required: false}
  - {id: senior, show_if: "age > 50", prompt: "Fin de carrière ?", answer: {type: text}}
  - {id: pause, kind: info, prompt: "Une pause."}
  - id: outils
    prompt: "Outils ?"
    required: false
    answer: {type: multi, choices: [{value: a, label: Atelier}, {value: b, label: Bureau}]}
  - {id: prefere, prompt: "Lequel ?", answer: {type: single, choices_from: outils}}
  - {id: suite, prompt: "Suite ?", answer: {type: text}, next: [{if: "suite == 'stop'", goto: fin}]}
  - {id: dernier, prompt: "Dernier ?", answer: {type: text}}
"""


@pytest.fixture
def path_engine() -> Engine:
    return engine_for(PATH)


def ids(steps) -> list[str]:
    return [s.id for s in steps]


def test_hidden_steps_and_steps_without_choices_leave_the_rest_of_the_path(path_engine):
    state = path_engine.start()
    # "senior": its condition cannot be evaluated yet (no age), so it is not met.
    assert ids(path_engine.path(state)) == ["intro", "age", "pause", "outils", "suite", "dernier"]
    assert not path_engine.is_finished(state)
    state = answer(path_engine, state, ("age", "55"), ("outils", ["b", "a"]))
    assert ids(path_engine.path(state)) == ["intro", "age", "senior", "pause", "outils", "prefere", "suite", "dernier"]
    spec = path_engine.spec(path_engine.flow.step("prefere"), state)
    assert [(c.value, c.label) for c in spec.choices] == [("b", "Bureau"), ("a", "Atelier")]


def test_a_rule_to_the_end_ends_the_path_and_the_flow(path_engine):
    state = path_engine.acknowledge(path_engine.start(), "intro", now=NOW)
    state = path_engine.acknowledge(answer(path_engine, state, ("age", "30")), "pause", now=NOW)
    state = answer(path_engine, state, ("outils", []), ("suite", "stop"))
    assert ids(path_engine.path(state)) == ["intro", "age", "pause", "outils", "suite"]
    assert path_engine.current(state) is None and path_engine.is_finished(state)
    assert path_engine.progress(state).label == "3/3 questions traitées"


def test_back_from_an_information_step_goes_to_the_question_before_it(path_engine):
    state = answer(path_engine, path_engine.acknowledge(path_engine.start(), "intro", now=NOW), ("age", "30"))
    assert path_engine.current(state).id == "pause"
    assert path_engine.back(state).cursor == "age"
    assert path_engine.back(path_engine.start()).cursor is None  # nothing before the first step


def test_back_once_the_flow_is_done_goes_to_the_last_question(path_engine):
    state = path_engine.acknowledge(path_engine.start(), "intro", now=NOW)
    state = path_engine.acknowledge(answer(path_engine, state, ("age", "30")), "pause", now=NOW)
    state = answer(path_engine, state, ("outils", []), ("suite", "encore"), ("dernier", "fini"))
    assert path_engine.is_finished(state)
    state = path_engine.back(state)
    assert state.cursor == "dernier" and path_engine.current(state).id == "dernier"
    assert path_engine.current(path_engine.back(state)).id == "suite"


def test_a_cursor_on_a_step_no_longer_on_the_path_is_ignored(path_engine):
    state = answer(path_engine, path_engine.start(), ("age", "55"))
    state = path_engine.edit(state, "senior")
    assert path_engine.current(state).id == "senior"
    state = state.model_copy(update={"answers": {}})  # the age is gone: "senior" is off the path
    assert path_engine.current(state).id == "intro"


def test_resume_leaves_an_edit_for_the_next_step_due(path_engine):
    state = answer(path_engine, path_engine.acknowledge(path_engine.start(), "intro", now=NOW), ("age", "30"))
    state = path_engine.edit(state, "age")
    assert path_engine.current(state).id == "age"
    state = path_engine.resume(state)
    assert state.cursor is None and path_engine.current(state).id == "pause"


def test_answering_during_an_edit_goes_on_to_the_next_step_due(path_engine):
    state = path_engine.acknowledge(path_engine.start(), "intro", now=NOW)
    state = path_engine.acknowledge(answer(path_engine, state, ("age", "30")), "pause", now=NOW)
    state = answer(path_engine, path_engine.edit(state, "age"), ("age", "31"))
    assert state.cursor is None and path_engine.current(state).id == "outils"


def test_a_note_taken_during_an_edit_keeps_the_edit_open(path_engine):
    from bilan_tui.domain.models import Note

    state = answer(path_engine, path_engine.acknowledge(path_engine.start(), "intro", now=NOW), ("age", "30"))
    state = path_engine.edit(state, "age")
    state = path_engine.add_note(state, "suite", Note(text="à creuser", at=NOW), now=NOW, session_id="s1")
    assert path_engine.current(state).id == "age"
    pending = state.answers["suite"]
    assert pending.status is AnswerStatus.PENDING and pending.session_id == "s1"
    assert pending.answered_by.value == "consultant"


# -- prompts -------------------------------------------------------------------------------------------


def test_a_prompt_that_renders_blank_shows_its_fallback_or_its_text():
    engine = engine_for("""
  - {id: poste, prompt: "Poste ?", answer: {type: text}, required: false}
  - {id: avec, prompt: "{{ poste or '' }}", prompt_fallback: "Votre poste ?", answer: {type: text}}
  - {id: sans, prompt: "{{ poste or '' }} ", answer: {type: text}}
""")
    state = answer(engine, engine.start(), ("poste", ""))
    assert engine.prompt(engine.flow.step("avec"), state) == "Votre poste ?"
    assert engine.prompt(engine.flow.step("sans"), state) == "{{ poste or '' }} "
    state = answer(engine, state, ("poste", "Soudeur"))
    assert engine.prompt(engine.flow.step("sans"), state) == "Soudeur "


# -- what is recorded ------------------------------------------------------------------------------------

RECORDS = """
  - {id: intro, kind: info, prompt: "Bonjour"}
  - id: projet
    prompt: "Votre projet ?"
    answer: {type: long_text}
    required: false
    validators: [{rule: "value | length >= 10", severity: warning, message: "Un peu court."},
                 {rule: "value != 'non'", message: "Dites-en plus."}]
  - id: grille
    prompt: "Notez"
    answer:
      type: ratings
      min: 0
      max: 4
      items: [{id: g1, label: Un}, {id: g2, label: Deux}, {id: g3, label: Trois}, {id: g4, label: Quatre},
              {id: g5, label: Cinq}]
  - {id: avis, prompt: "Avis ?", asked_to: consultant, answer: {type: text}}
"""


@pytest.fixture
def records() -> Engine:
    return engine_for(RECORDS)


def test_every_record_carries_the_session_and_who_answered(records):
    from bilan_tui.domain.models import Respondent

    state = records.acknowledge(records.start(), "intro", now=NOW, session_id="s1")
    state = records.answer(state, "intro", None, now=NOW, session_id="s2").state  # information: acknowledged again
    state = records.answer(state, "projet", "Devenir formateur", now=NOW, session_id="s1").state
    state = records.answer(state, "avis", "Réaliste", now=NOW, session_id="s1").state
    state = records.skip(state, "grille", SkipReason.LATER, now=NOW, session_id="s3")
    by = {k: (r.session_id, r.answered_by) for k, r in state.answers.items()}
    assert by == {"intro": ("s2", Respondent.BOTH), "projet": ("s1", Respondent.BENEFICIARY),
                  "avis": ("s1", Respondent.CONSULTANT), "grille": ("s3", Respondent.BOTH)}
    state = records.answer(state, "projet", "Autre projet", now=NOW, by=Respondent.BOTH, session_id="s4").state
    assert (state.answers["projet"].answered_by, state.answers["projet"].session_id) == (Respondent.BOTH, "s4")


def test_skipping_an_answered_question_keeps_its_value_in_sight(records):
    state = records.answer(records.start(), "projet", "Devenir formateur", now=NOW).state
    state = records.skip(records.edit(state, "projet"), "projet", SkipReason.PREFERS_NOT, now=LATER)
    record = state.answers["projet"]
    assert (record.status, record.value, record.skip_reason) == (
        AnswerStatus.SKIPPED, "Devenir formateur", "prefere_ne_pas_repondre")
    assert records.skip(records.start(), "projet", SkipReason.LATER, now=NOW).answers["projet"].value is None


def test_an_empty_optional_answer_is_not_checked_by_the_validators(records):
    outcome = records.answer(records.start(), "projet", "", now=NOW)
    assert outcome.recorded and outcome.warnings == () and outcome.errors == ()


def test_errors_come_with_the_warnings_and_accepted_warnings_are_reported(records):
    refused = records.answer(records.start(), "projet", "non", now=NOW, accept_warnings=True)
    assert not refused.recorded and refused.errors == ("Dites-en plus.",) and refused.warnings == ("Un peu court.",)
    accepted = records.answer(records.start(), "projet", "Court", now=NOW, accept_warnings=True)
    assert accepted.recorded and accepted.warnings == ("Un peu court.",)


@pytest.mark.parametrize(("ratings", "warning"), [
    ({"g1": 1}, "4 éléments sans note : « Deux », « Trois », « Quatre » et 1 autre. Sans eux, pas de score."),
    ({"g1": 1, "g5": 0}, "3 éléments sans note : « Deux », « Trois », « Quatre ». Sans eux, pas de score."),
    ({"g1": 1, "g2": 2, "g3": 3, "g4": 4}, "1 élément sans note : « Cinq ». Sans lui, pas de score."),
])
def test_a_grid_with_holes_says_how_many_and_which_items_have_no_rating(records, ratings, warning):
    outcome = records.answer(records.start(), "grille", ratings, now=NOW)
    assert not outcome.recorded and outcome.warnings == (warning,)
    assert records.answer(records.start(), "grille", dict.fromkeys(["g1", "g2", "g3", "g4", "g5"], 0),
                          now=NOW).warnings == ()


# -- choices taken from earlier answers ----------------------------------------------------------------


def test_choices_from_a_list_answer_are_its_elements_numbered_with_their_label():
    engine = engine_for("""
  - id: experiences
    kind: repeat
    prompt: "Vos expériences ?"
    answer: {type: list, fields: [{id: intitule, label: Intitulé}, {id: lieu, label: Lieu}]}
  - {id: choisie, prompt: "Laquelle ?", answer: {type: single, choices_from: experiences, label_field: intitule}}
""")
    state = answer(engine, engine.start(), ("experiences", [{"intitule": "Soudeur", "lieu": "Brest"},
                                                            {"intitule": "", "lieu": "Lorient"}]))
    spec = engine.spec(engine.flow.step("choisie"), state)
    assert [(c.value, c.label) for c in spec.choices] == [("1", "Soudeur"), ("2", "Élément 2")]


def test_choices_from_another_module_keep_their_values_as_labels():
    text = """
  - {id: retenu, prompt: "Lequel ?", answer: {type: single, choices_from: autre.outils}}
"""
    flow = load_flow_text(f'id: essai\ntitle: Essai\nflow_version: "3"\nphase: preliminaire\nuses: [autre]\n'
                          f"steps:\n{text}", "essai.yaml")
    engine = Engine(flow, JinjaExpressions(), {"autre": {"outils": ["tour", "fraiseuse"]}})
    spec = engine.spec(flow.step("retenu"), engine.start())
    assert [(c.value, c.label) for c in spec.choices] == [("tour", "tour"), ("fraiseuse", "fraiseuse")]
    assert Engine(flow, JinjaExpressions()).path(engine.start()) == []  # nothing to choose from: left out


def test_a_dependency_cycle_back_to_the_edited_answer_does_not_hide_the_others():
    engine = engine_for("""
  - {id: un, prompt: "Un ?", answer: {type: text}, depends_on: [a, b, c]}
  - {id: a, prompt: "A ?", answer: {type: text}, depends_on: [un]}
  - {id: b, prompt: "B ?", answer: {type: text}, depends_on: [un]}
  - {id: c, prompt: "C ?", answer: {type: text}, depends_on: [un]}
""")
    assert engine.dependants("un") == {"a", "b", "c"}
    assert engine.dependants("inconnu") == frozenset()


def test_choices_taken_from_choices_taken_from_a_list_keep_the_list_labels():
    engine = engine_for("""
  - id: pistes
    kind: repeat
    prompt: "Vos pistes ?"
    answer: {type: list, fields: [{id: nom, label: Nom}]}
  - {id: retenues, prompt: "Lesquelles ?", answer: {type: multi, choices_from: pistes, label_field: nom}}
  - {id: ordre, prompt: "Dans quel ordre ?", answer: {type: ranking, choices_from: retenues}}
""")
    state = answer(engine, engine.start(), ("pistes", [{"nom": "Formateur"}, {"nom": "Méthodes"}, {"nom": "Achat"}]),
                   ("retenues", ["3", "1"]))
    spec = engine.spec(engine.flow.step("ordre"), state)
    assert [(c.value, c.label) for c in spec.choices] == [("3", "Achat"), ("1", "Formateur")]
