"""All the modules of one dossier together: the engines (with what each module reads from the
others), the state of each module in the plan, the portfolio kept in step, scores and
strengths-and-gaps. Screens ask this object instead of assembling engines themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bilan_tui.domain.answers import format_item, format_value
from bilan_tui.domain.engine import Engine, InterviewState, Progress
from bilan_tui.domain.flow import DOSSIER, AnswerType, Expressions, Flow, Step
from bilan_tui.domain.matching import StrengthsAndGaps
from bilan_tui.domain.models import AnswerRecord, AnswerStatus, Dossier, Note, Phase, Session, SkipReason
from bilan_tui.domain.portfolio import Place, Portfolio, SourceRef, derive, sync
from bilan_tui.domain.privacy import Audience, question_private, question_visible, strengths_and_gaps, visible_notes
from bilan_tui.domain.scoring import ScoreResult, score


class ModuleState(StrEnum):
    NOT_STARTED = "pas commencé"
    IN_PROGRESS = "en cours"
    DONE = "terminé"


@dataclass(frozen=True)
class ModuleRun:
    """One run of a module in this dossier (a repeatable module has one per subject)."""

    flow: Flow
    phase: Phase
    state: InterviewState | None
    label: str
    status: ModuleState
    progress: Progress | None
    stale: int = 0

    @property
    def instance(self) -> str:
        return self.state.instance if self.state else ""

    def describe(self) -> str:
        text = self.status.value
        if self.progress is not None and self.status is not ModuleState.NOT_STARTED:
            text += f" · {self.progress.label}"
        if self.stale:
            text += f" · {self.stale} à revoir"
        return text


@dataclass(frozen=True)
class SessionEntry:
    """A question and the answer a session holds for it, as an audience may read them."""

    question: str
    answer: str
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class SessionModule:
    """A module run worked on in a session, with the answers recorded in it."""

    label: str
    phase: Phase
    entries: tuple[SessionEntry, ...]
    """Only the questions the audience may see: the others are left out, not named."""


WORKED = frozenset({AnswerStatus.ANSWERED, AnswerStatus.STALE, AnswerStatus.SKIPPED, AnswerStatus.DEFERRED})
"""A record that is work done on a question (not a pending record that only holds notes)."""


def _in_phase_order(phases: Iterable[Phase]) -> tuple[Phase, ...]:
    order = list(Phase)
    return tuple(sorted(set(phases), key=order.index))


@dataclass(frozen=True)
class ProjectComparison:
    label: str
    required: tuple[str, ...]
    result: StrengthsAndGaps


@dataclass(frozen=True)
class SourceView:
    """An answer behind a portfolio item, as a person reads it."""

    module: str
    question: str
    answer: str
    at: dt.datetime | None
    found: bool = True


PASSAGES = "passages"
"""Where a repeatable module's runs are read by the others (``confrontation.passages``)."""
PASSAGE_NAME = "nom"
"""The name of a run in its entry (``instance_label`` rendered): it wins over an answer called so."""


def _started(state: InterviewState) -> dt.datetime:
    """When a run was started (its earliest record); runs not started yet come last."""
    return min((r.at for r in state.answers.values()), default=dt.datetime.max)


def _shared_answers(flow: Flow, state: InterviewState) -> dict[str, Any]:
    """A module's answers by variable, as other modules read them: none of the consultant-only ones."""
    return {step.variable: record.value for step in flow.steps
            if step.is_question and not question_private(step)
            and (record := state.answers.get(step.id)) is not None
            and record.status in (AnswerStatus.ANSWERED, AnswerStatus.STALE)}


def dossier_facts(dossier: Dossier) -> dict[str, Any]:
    """What the dossier form already asked, for the modules that would otherwise ask it again."""
    beneficiary = dossier.beneficiary
    return {
        "prenom": beneficiary.first_name,
        "situation": beneficiary.situation.value,
        "situation_libelle": beneficiary.situation.label,
        "situation_precision": beneficiary.situation_detail,
    }


class Workbook:
    def __init__(self, flows: Mapping[str, Flow], states: Iterable[InterviewState], expressions: Expressions,
                 facts: Mapping[str, Any] | None = None) -> None:
        self.flows = dict(flows)
        self.expressions = expressions
        self.states: dict[str, InterviewState] = {s.key: s for s in states}
        self.facts = dict(facts or {})
        """The dossier's facts (:func:`dossier_facts`); empty when the screen did not give them."""

    def with_state(self, state: InterviewState) -> Workbook:
        return Workbook(self.flows, [*(s for k, s in self.states.items() if k != state.key), state], self.expressions,
                        self.facts)

    # -- engines -------------------------------------------------------------------------------

    def context(self) -> dict[str, dict[str, Any]]:
        """What the modules that read others see: each single-run module's answers by variable, and
        each repeatable module's runs as ``{"passages": [{"nom": <run name>, <variable>: <answer>...}]}``
        (in the order they were started). Consultant-only answers are not in it: the loader checks that a
        module shows none of its own to the beneficiary, but cannot see what another module would pipe."""
        context: dict[str, dict[str, Any]] = {}
        for state in self.states.values():
            flow = self.flows.get(state.flow_id)
            if flow is not None and not flow.repeatable:
                context[flow.id] = _shared_answers(flow, state)
        if self.facts:
            context[DOSSIER] = dict(self.facts)
        passages: dict[str, list[dict[str, Any]]] = {}
        for state in sorted(self.states.values(), key=_started):
            flow = self.flows.get(state.flow_id)
            if flow is None or not flow.repeatable:
                continue
            engine = Engine(flow, self.expressions, context if flow.uses else None)
            entry = _shared_answers(flow, state)
            name = engine.render(flow.instance_label, state, None, "instance_label") if flow.instance_label else None
            entry[PASSAGE_NAME] = (name or "").strip()
            passages.setdefault(flow.id, []).append(entry)
        for flow_id, entries in passages.items():
            context[flow_id] = {PASSAGES: entries}
        return context

    def engine(self, flow: Flow) -> Engine:
        return Engine(flow, self.expressions, self.context() if flow.uses else None)

    def modules(self) -> list[tuple[Engine, InterviewState]]:
        context = self.context()
        return [
            (Engine(self.flows[s.flow_id], self.expressions, context), s)
            for s in self.states.values()
            if s.flow_id in self.flows
        ]

    # -- the plan ------------------------------------------------------------------------------

    def planned_flows(self, dossier: Dossier) -> list[tuple[Flow, Phase]]:
        """The modules of the plan in order of phase; every module while no plan is made."""
        order = list(Phase)
        if dossier.modules:
            pairs = [(self.flows[m.flow_id], m.phase) for m in dossier.modules if m.flow_id in self.flows]
            # A module taken out of the plan after it was started stays in sight with its answers.
            started = {s.flow_id for s in self.states.values()} - {m.flow_id for m in dossier.modules}
            pairs += [(self.flows[f], self.flows[f].phase) for f in sorted(started) if f in self.flows]
        else:
            pairs = [(f, f.phase) for f in self.flows.values()]
        return sorted(pairs, key=lambda p: (order.index(p[1]), p[0].order, p[0].title))

    def runs(self, flow: Flow, phase: Phase) -> list[ModuleRun]:
        states = [s for s in self.states.values() if s.flow_id == flow.id]
        if not states:
            return [] if flow.repeatable else [ModuleRun(flow, phase, None, flow.title, ModuleState.NOT_STARTED, None)]
        engine = self.engine(flow)
        runs = []
        for state in sorted(states, key=_started):
            answered = any(r.status is not AnswerStatus.PENDING for r in state.answers.values())
            status = (ModuleState.DONE if engine.is_finished(state)
                      else ModuleState.IN_PROGRESS if answered else ModuleState.NOT_STARTED)
            runs.append(ModuleRun(flow, phase, state, self.label(engine, state), status, engine.progress(state),
                                  len(engine.stale_steps(state))))
        return runs

    def label(self, engine: Engine, state: InterviewState) -> str:
        flow = engine.flow
        if not flow.repeatable or not flow.instance_label:
            return flow.title
        name = (engine.render(flow.instance_label, state, None, "instance_label") or "").strip()
        return f"{flow.title} — {name or 'sans titre'}"

    def phase_progress(self, dossier: Dossier, phase: Phase) -> tuple[int, int]:
        """(modules done, modules planned) in a phase; a repeatable module counts once, done if all runs are."""
        done = total = 0
        for flow, planned_phase in self.planned_flows(dossier):
            if planned_phase is not phase:
                continue
            total += 1
            runs = self.runs(flow, planned_phase)
            if runs and all(r.status is ModuleState.DONE for r in runs):
                done += 1
        return done, total

    # -- phases and sessions -------------------------------------------------------------------

    def module_phase(self, dossier: Dossier, flow_id: str) -> Phase:
        """The phase a module is run in: the plan's, else the flow's own."""
        planned = dossier.planned(flow_id)
        if planned is not None:
            return planned.phase
        flow = self.flows.get(flow_id)
        return flow.phase if flow is not None else dossier.phase

    def _worked(self, record: AnswerRecord, session_id: str | None, since: dt.datetime | None) -> bool:
        return (record.status in WORKED and (session_id is None or record.session_id == session_id)
                and (since is None or record.at > since))

    def phases_worked(self, dossier: Dossier, *, session_id: str | None = None,
                      since: dt.datetime | None = None) -> tuple[Phase, ...]:
        """The phases of the modules with answers (in one session, recorded after ``since``), in order."""
        return _in_phase_order(
            self.module_phase(dossier, state.flow_id)
            for state in self.states.values() if state.flow_id in self.flows
            if any(self._worked(r, session_id, since) for r in state.answers.values())
        )

    def session_phases(self, dossier: Dossier, session: Session) -> tuple[Phase, ...]:
        """The phases a session served: from the modules answered in it, unless recorded or set by hand."""
        return session.served_phases(self.phases_worked(dossier, session_id=session.id))

    def followed_phase(self, dossier: Dossier) -> Phase:
        """The dossier's phase, moved on to the latest phase worked on.

        The latest in the course of the bilan (investigation once investigation modules are under
        way), never back: going over a preliminary answer during the investigation keeps it there.
        Set by hand, the phase stays until work is recorded after that in a later phase.
        """
        worked = self.phases_worked(dossier, since=dossier.phase_set_at)
        order = list(Phase)
        if worked and order.index(worked[-1]) > order.index(dossier.phase):
            return worked[-1]
        return dossier.phase

    def session_modules(self, dossier: Dossier, session_id: str, audience: Audience) -> list[SessionModule]:
        """The module runs worked on in a session and the answers it holds, as ``audience`` may read them.

        An answer changed in a later session belongs to that one (its former values stay in its history).
        """
        found: list[tuple[dt.datetime, SessionModule]] = []
        for engine, state in self.modules():
            records = [r for r in state.answers.values() if self._worked(r, session_id, None)]
            if not records:
                continue
            order = {step.id: index for index, step in enumerate(engine.flow.steps)}
            entries: list[SessionEntry] = []
            for record in sorted(records, key=lambda r: order.get(r.step_id, len(order))):
                step = next((s for s in engine.flow.steps if s.id == record.step_id), None)
                if step is None or not step.is_question or not question_visible(step, audience):
                    continue
                entries.append(SessionEntry(engine.prompt(step, state), self.answer_text(engine, step, state, record),
                                            visible_notes(step, record, audience)))
            found.append((min(r.at for r in records), SessionModule(
                self.label(engine, state), self.module_phase(dossier, state.flow_id), tuple(entries))))
        return [module for _, module in sorted(found, key=lambda pair: pair[0])]

    @staticmethod
    def answer_text(engine: Engine, step: Step, state: InterviewState, record: AnswerRecord) -> str:
        """An answer as a person reads it: the value, or that the question was passed and why."""
        if record.status in (AnswerStatus.SKIPPED, AnswerStatus.DEFERRED):
            reason = record.skip_reason or ""
            if reason in SkipReason._value2member_map_:
                reason = SkipReason(reason).label
            verb = "Reportée" if record.status is AnswerStatus.DEFERRED else "Passée"
            return f"{verb} – {reason}" if reason else verb
        text = format_value(engine.spec(step, state), record.value)
        if record.status is AnswerStatus.STALE:
            text += " (⚠ à revoir)"
        return text

    # -- results -------------------------------------------------------------------------------

    def sync_portfolio(self, portfolio: Portfolio, now: dt.datetime) -> tuple[Portfolio, dict[Place, str]]:
        modules = self.modules()
        candidates, digests = derive(modules)
        read = {state.key for _, state in modules}
        return sync(portfolio, candidates, digests, now=now, modules=read), digests

    def scores(self) -> list[ScoreResult]:
        results = []
        for flow in self.flows.values():
            if flow.scoring is not None and flow.id in self.states:
                result = score(flow, self.states[flow.id])
                if result is not None:
                    results.append(result)
        return results

    def comparisons(self, portfolio: Portfolio, audience: Audience = Audience.CONSULTANT) -> list[ProjectComparison]:
        """Strengths and gaps of the portfolio for every module run that lists required competences.

        What ``audience`` may not see plays no part (see :mod:`bilan_tui.domain.privacy`): neither
        the competences it may not see nor requirements asked to the consultant only.
        """
        found = []
        for engine, state in self.modules():
            flow = engine.flow
            if not flow.requirements:
                continue
            step_id, _, field_id = flow.requirements.partition(".")
            if step_id not in {s.id for s in flow.steps} or not question_visible(flow.step(step_id), audience):
                continue
            record = state.record(step_id)
            value = record.value if record is not None and isinstance(record.value, list) else []
            required = tuple(str(e.get(field_id)).strip() for e in value if isinstance(e, Mapping) and e.get(field_id))
            if required:
                found.append(ProjectComparison(self.label(engine, state), required,
                                               strengths_and_gaps(required, portfolio, audience)))
        return found

    def step(self, ref: SourceRef) -> Step | None:
        """The question a link points to, None when its module or the question is gone."""
        state = self.states.get(ref.module)
        flow = self.flows.get(state.flow_id) if state else None
        if flow is None:
            return None
        return next((step for step in flow.steps if step.id == ref.step_id), None)

    def describe(self, ref: SourceRef) -> SourceView:
        """The question and the answer (or the element of it) that a link points to."""
        state = self.states.get(ref.module)
        flow = self.flows.get(state.flow_id) if state else None
        if state is None or flow is None:
            return SourceView(ref.module, "", "Module introuvable.", None, found=False)
        engine = self.engine(flow)
        label = self.label(engine, state)
        try:
            step = flow.step(ref.step_id)
        except KeyError:
            return SourceView(label, ref.step_id, "Question retirée du module.", None, found=False)
        record = state.record(step.id)
        question = engine.prompt(step, state)
        if record is None or record.status not in (AnswerStatus.ANSWERED, AnswerStatus.STALE):
            return SourceView(label, question, "Plus de réponse à cette question.", None, found=False)
        spec = engine.spec(step, state)
        value = record.value
        answer = format_value(spec, value)
        if ref.element is not None and spec is not None:
            if spec.type is AnswerType.LIST and isinstance(value, list):
                index = int(ref.element) - 1 if ref.element.isdigit() else -1
                if not 0 <= index < len(value):
                    return SourceView(label, question, f"L'élément n° {ref.element} n'existe plus.", record.at,
                                      found=False)
                answer = f"Élément n° {ref.element} : " + format_item(spec, value[index])
            elif spec.type is AnswerType.RATINGS and isinstance(value, dict):
                item = next((i.label for i in spec.items if i.id == ref.element), ref.element)
                answer = f"{item} : {value.get(ref.element, '—')}"
            elif isinstance(value, list):
                if ref.element not in value:
                    return SourceView(label, question, "Ce choix a été retiré de la réponse.", record.at, found=False)
                answer = spec.choice_label(ref.element)
                if spec.type is AnswerType.RANKING:
                    answer = f"n° {value.index(ref.element) + 1} : {answer}"
        return SourceView(label, question, answer, record.at)
