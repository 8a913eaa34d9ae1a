"""Random walks through the real flows: never a crash, never a lost answer."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilan_tui.domain.engine import Engine
from bilan_tui.domain.flow import AnswerSpec, AnswerType, ItemField
from bilan_tui.domain.models import AnswerStatus, Note, SkipReason
from bilan_tui.domain.portfolio import Portfolio, derive, sync
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from tests.conftest import THOROUGH
from tests.persona import CONFRONTATION, PARCOURS, REALISATIONS, run

CATALOG = load_catalog()
WALKS = 25 if THOROUGH else 10
"""Random walks per module and per run (``BILAN_TUI_THOROUGH=1``: 25); each walk is 5 to 60 actions."""
NOW = dt.datetime(2026, 11, 26, 10, 0)


def _context() -> dict:
    """What the modules that read other modules see: Karim's parcours, achievements and leads, one
    project confronted with the market and decided as his main project."""
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions())
    for flow_id, answers in (("parcours", PARCOURS), ("realisations", REALISATIONS),
                             ("pistes", {"projets": [{"intitule": "Formateur", "code_rome": "K2111"}]}),
                             ("analyse_demande", {"ad_objectifs": "- Choisir un métier\n- Trouver une formation"})):
        workbook = workbook.with_state(run(workbook.engine(CATALOG.flows[flow_id]), answers))
    for flow_id, answers in (("confrontation", {**CONFRONTATION, "piste": "autre"}),
                             ("bilan_pistes", {"piste": "Formateur", "decision": "principal", "raisons": "Mon choix."})):
        engine = workbook.engine(CATALOG.flows[flow_id])
        workbook = workbook.with_state(run(engine, answers, engine.start("1")))
    return workbook.context()


CONTEXT = _context()


def raw_values(spec: AnswerSpec | None) -> st.SearchStrategy:
    """Plausible and implausible raw input for a step, as the interface could hand it over."""
    junk = st.sampled_from(["", "   ", "douze", "[bold]x[/bold]", "31/02/2026", None, {}, []])
    if spec is None:
        return st.none()
    if spec.type in (AnswerType.TEXT, AnswerType.LONG_TEXT):
        good = st.text(min_size=1, max_size=60)
    elif spec.type is AnswerType.NUMBER:
        good = st.integers(-5, 80).map(str)
    elif spec.type is AnswerType.DATE:
        good = st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y"))
    elif spec.type is AnswerType.SINGLE:
        good = st.sampled_from([c.value for c in spec.choices])
    elif spec.type is AnswerType.SCALE:
        good = st.integers(int(spec.min) - 1, int(spec.max) + 1)
    elif spec.type is AnswerType.MONTH:
        good = st.sampled_from(["2015", "03/2015", "13/2015", "2015-07", "hier"])
    elif spec.type is AnswerType.MULTI:
        good = st.lists(st.sampled_from([c.value for c in spec.choices] or ["x"]), max_size=len(spec.choices))
    elif spec.type is AnswerType.RANKING:
        # Duplicates and unknown values included: the engine must refuse them in French.
        good = st.lists(st.sampled_from([c.value for c in spec.choices] + ["inconnu"]), max_size=6)
    elif spec.type is AnswerType.RATINGS:
        good = st.dictionaries(st.sampled_from([i.id for i in spec.items] + ["zz"]),
                               st.one_of(st.integers(-1, 6), st.just("x")), max_size=len(spec.items))
    else:
        item = st.fixed_dictionaries({
            f.id: (st.sampled_from([c.value for c in f.choices]) if f.choices else st.text(max_size=20))
            for f in spec.fields
        })
        good = st.lists(item, max_size=4)
    return st.one_of(good, good, junk)


actions = st.sampled_from(["answer", "answer", "answer", "skip", "back", "edit", "note", "resume"])


def make_walk(flow_id: str):
    flow = CATALOG.flows[flow_id]
    engine = Engine(flow, JinjaExpressions(), CONTEXT)

    @settings(max_examples=WALKS, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def walk(data: st.DataObject) -> None:
        state = engine.start()
        portfolio = Portfolio()
        ever_recorded: dict[str, list] = {}
        for _ in range(data.draw(st.integers(5, 60), label="steps")):
            step = engine.current(state)
            action = data.draw(actions, label="action")
            if step is None and action in ("answer", "skip"):
                action = "edit"
            if action == "answer":
                raw = data.draw(raw_values(engine.spec(step, state)), label=f"raw {step.id}")
                outcome = engine.answer(state, step.id, raw, now=NOW, accept_warnings=data.draw(st.booleans()))
                assert all(isinstance(e, str) and e for e in outcome.errors)
                state = outcome.state
            elif action == "skip" and step.is_question:
                state = engine.skip(state, step.id, data.draw(st.sampled_from(step.skip_reasons)), now=NOW)
            elif action == "back":
                state = engine.back(state)
            elif action == "edit":
                answered = [s.id for s in engine.path(state) if s.id in state.answers]
                if answered:
                    state = engine.edit(state, data.draw(st.sampled_from(answered)))
            elif action == "note" and step is not None:
                state = engine.add_note(state, step.id, Note(text="n", at=NOW), now=NOW)
            elif action == "resume":
                state = engine.resume(state)

            # Invariants: every value ever recorded is still there, in the record or its history.
            for step_id, record in state.answers.items():
                history = [r.value for r in record.revisions] + [record.value]
                for value in ever_recorded.get(step_id, []):
                    assert value in history
                if record.status in (AnswerStatus.ANSWERED, AnswerStatus.STALE):
                    ever_recorded.setdefault(step_id, [])
                    if record.value not in ever_recorded[step_id]:
                        ever_recorded[step_id].append(record.value)
            assert set(ever_recorded) <= set(state.answers)
            # The portfolio follows without ever losing an item.
            candidates, digests = derive([(engine, state)])
            synced = sync(portfolio, candidates, digests, now=NOW)
            assert {i.id for i in portfolio.items} <= {i.id for i in synced.items}
            portfolio = synced
            progress = engine.progress(state)
            assert 0 <= progress.done <= progress.total
            engine.prompt(step or flow.steps[0], state)

    return walk


test_random_walk_analyse_de_la_demande = make_walk("analyse_demande")
test_random_walk_parcours = make_walk("parcours")
test_random_walk_realisations = make_walk("realisations")
test_random_walk_interets = make_walk("interets")
test_random_walk_valeurs = make_walk("valeurs")
test_random_walk_personnalite = make_walk("personnalite")
test_random_walk_competences = make_walk("competences")
test_random_walk_pistes = make_walk("pistes")
test_random_walk_confrontation = make_walk("confrontation")
test_random_walk_bilan_pistes = make_walk("bilan_pistes")
test_random_walk_plan_action = make_walk("plan_action")
test_random_walk_retour_objectifs = make_walk("retour_objectifs")


def test_every_built_in_module_has_a_random_walk():
    walked = {name.removeprefix("test_random_walk_") for name in globals() if name.startswith("test_random_walk_")}
    assert {f.replace("analyse_demande", "analyse_de_la_demande") for f in CATALOG.flows} == walked


@pytest.mark.parametrize("flow_id", sorted(CATALOG.flows))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_a_walk_that_always_answers_validly_finishes(flow_id, data):
    flow = CATALOG.flows[flow_id]
    engine = Engine(flow, JinjaExpressions(), CONTEXT)
    state = engine.start()
    for _ in range(200):
        step = engine.current(state)
        if step is None:
            break
        # (A question that may only be put off, such as the certification of a VAE, is answered.)
        if step.is_question and SkipReason.NOT_APPLICABLE in step.skip_reasons and data.draw(st.booleans()):
            state = engine.skip(state, step.id, SkipReason.NOT_APPLICABLE, now=NOW)
            continue
        outcome = engine.answer(state, step.id, _valid(engine.spec(step, state)), now=NOW, accept_warnings=True)
        assert outcome.recorded, (step.id, outcome.errors)
        state = outcome.state
    assert engine.current(state) is None
    progress = engine.progress(state)
    assert progress.done == progress.total


def _valid(spec: AnswerSpec | None):
    if spec is None:
        return None
    return {
        AnswerType.TEXT: "Une réponse",
        AnswerType.LONG_TEXT: "Une réponse assez longue pour tous les validateurs.",
        AnswerType.NUMBER: "3",
        AnswerType.DATE: "02/03/2030" if spec.not_past else "02/03/2025",
        AnswerType.SINGLE: spec.choices[0].value if spec.choices else None,
        AnswerType.SCALE: int(spec.min or 0),
        AnswerType.MULTI: [c.value for c in spec.choices][: max(spec.min_items or 1, 1)],
        AnswerType.MONTH: "03/2015",
        AnswerType.LIST: [{f.id: (f.choices[0].value if f.choices else _valid_field(f)) for f in spec.fields}]
        * max(spec.min_items or 1, 1),
        AnswerType.RANKING: [c.value for c in spec.choices][: spec.max_items or None],
        AnswerType.RATINGS: {i.id: int(spec.min or 0) for i in spec.items},
    }[spec.type]


def _valid_field(item_field: ItemField) -> str | None:
    if item_field.pattern:  # only a hand-picked value would match; leave the optional ones empty
        return None
    date = "01/02/2030" if item_field.not_past else "01/02/2026"  # a deadline to come, a fact of the past
    return {AnswerType.DATE: date, AnswerType.MONTH: "2015", AnswerType.NUMBER: "3"}.get(item_field.type, "x")
