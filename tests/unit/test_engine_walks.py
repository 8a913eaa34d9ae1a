"""Random walks through the real flows: never a crash, never a lost answer."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilan_tui.domain.engine import Engine
from bilan_tui.domain.flow import AnswerType, Step
from bilan_tui.domain.models import AnswerStatus, Note, SkipReason
from bilan_tui.flows import JinjaExpressions, load_catalog

CATALOG = load_catalog()
NOW = dt.datetime(2026, 11, 26, 10, 0)


def raw_values(step: Step) -> st.SearchStrategy:
    """Plausible and implausible raw input for a step, as the interface could hand it over."""
    junk = st.sampled_from(["", "   ", "douze", "[bold]x[/bold]", "31/02/2026", None])
    spec = step.answer
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
    elif spec.type is AnswerType.MULTI:
        good = st.lists(st.sampled_from([c.value for c in spec.choices]), max_size=len(spec.choices))
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
    engine = Engine(flow, JinjaExpressions())

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def walk(data: st.DataObject) -> None:
        state = engine.start()
        ever_recorded: dict[str, list] = {}
        for _ in range(data.draw(st.integers(5, 60), label="steps")):
            step = engine.current(state)
            action = data.draw(actions, label="action")
            if step is None and action in ("answer", "skip"):
                action = "edit"
            if action == "answer":
                raw = data.draw(raw_values(step), label=f"raw {step.id}")
                state = engine.answer(state, step.id, raw, now=NOW, accept_warnings=data.draw(st.booleans())).state
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
            progress = engine.progress(state)
            assert 0 <= progress.done <= progress.total
            engine.prompt(step or flow.steps[0], state)

    return walk


test_random_walk_analyse_de_la_demande = make_walk("analyse_demande")


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_a_walk_that_always_answers_validly_finishes(data):
    flow = CATALOG.flows["analyse_demande"]
    engine = Engine(flow, JinjaExpressions())
    state = engine.start()
    for _ in range(200):
        step = engine.current(state)
        if step is None:
            break
        if step.is_question and data.draw(st.booleans()):
            state = engine.skip(state, step.id, SkipReason.NOT_APPLICABLE, now=NOW)
            continue
        outcome = engine.answer(state, step.id, _valid(step), now=NOW, accept_warnings=True)
        assert outcome.recorded, (step.id, outcome.errors)
        state = outcome.state
    assert engine.current(state) is None
    progress = engine.progress(state)
    assert progress.done == progress.total


def _valid(step: Step):
    spec = step.answer
    if spec is None:
        return None
    return {
        AnswerType.TEXT: "Une réponse",
        AnswerType.LONG_TEXT: "Une réponse assez longue pour tous les validateurs.",
        AnswerType.NUMBER: "3",
        AnswerType.DATE: "02/03/2025",
        AnswerType.SINGLE: spec.choices[0].value if spec.choices else None,
        AnswerType.SCALE: int(spec.min or 0),
        AnswerType.MULTI: [spec.choices[0].value] if spec.choices else [],
        AnswerType.LIST: [{f.id: (f.choices[0].value if f.choices else "x") for f in spec.fields}],
    }[spec.type]
