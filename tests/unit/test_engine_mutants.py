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
