"""The interview engine: pure functions over an immutable :class:`InterviewState`.

Every operation returns a new state; nothing is ever deleted. Editing an answer keeps the former
value in the record's revisions and marks the answers that depend on it *stale* (to re-check);
answers of steps that a new branch no longer shows are kept as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bilan_tui.domain.answers import AnswerError, date_problems, missing_ratings, parse_answer
from bilan_tui.domain.flow import (
    END,
    AnswerSpec,
    AnswerType,
    Choice,
    ExpressionError,
    Expressions,
    Flow,
    ItemField,
    MissingValueError,
    Severity,
    Step,
)
from bilan_tui.domain.models import (
    AnswerRecord,
    AnswerStatus,
    Note,
    Respondent,
    SkipReason,
)
from bilan_tui.domain.plural import plural, word
from bilan_tui.domain.suggestions import SUGGESTERS

_LIST_MARK = re.compile(r"^\s*(?:[-*•–]|[0-9]{1,2}[.)])\s+")
"""A bullet or a number opening a line of a list typed as text (« - », « 1. », « 2) »)."""


class InterviewState(BaseModel):
    """Where one flow stands for one dossier. Treat as immutable: the engine returns new ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow_id: str
    instance: str = ""
    """For a repeatable module: which run (one per project, ...); empty otherwise."""
    answers: dict[str, AnswerRecord] = Field(default_factory=dict)
    cursor: str | None = None
    """A step the person went back to (or picked to edit); ``None`` means: the next step due."""

    @property
    def key(self) -> str:
        """Where the interview is stored: the module, and the run of a repeatable module."""
        return f"{self.flow_id}#{self.instance}" if self.instance else self.flow_id

    def record(self, step_id: str) -> AnswerRecord | None:
        return self.answers.get(step_id)

    def with_record(self, record: AnswerRecord, cursor: str | None) -> InterviewState:
        answers = dict(self.answers)
        answers[record.step_id] = record
        return self.model_copy(update={"answers": answers, "cursor": cursor})


@dataclass(frozen=True)
class Outcome:
    """The result of recording an answer: a new state, or the reasons it was not recorded."""

    state: InterviewState
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    recorded: bool = False


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def label(self) -> str:
        return f"{self.done}/{self.total} {word(self.total, 'question traitée', 'questions traitées')}"


@dataclass(frozen=True)
class ExpressionProblem:
    """An expression of the flow that failed at run time (a defect of the flow, not of the answers)."""

    step_id: str | None
    where: str
    """``show_if``, ``next.if``, ``validators.rule``, ``prompt`` or ``instance_label``."""
    reason: str
    """Why, in French (from the expression evaluator)."""

    def describe(self) -> str:
        what, consequence = _PROBLEM_WORDING.get(self.where, (self.where, ""))
        step = f", étape « {self.step_id} »" if self.step_id else ""
        return f"Parcours à corriger ({self.where}{step}) : {what} a échoué ({self.reason}){consequence}."


_PROBLEM_WORDING = {
    "show_if": ("la condition d'affichage", " ; la question n'est pas posée"),
    "next.if": ("une condition de suite", " ; elle n'est pas suivie"),
    "validators.rule": ("une règle de validation", " ; elle compte comme non respectée"),
    "prompt": ("le texte de la question", " ; le texte de secours est affiché"),
    "instance_label": ("le nom du passage", ""),
    "choices_where": ("une condition des choix proposés", " ; l'élément n'est pas proposé"),
    "produces.title_from": ("le titre de l'élément du portefeuille", " ; le nom de sa catégorie le remplace"),
}


class EngineError(ValueError):
    """A call that makes no sense for this state (a programming error, not a user error)."""


class Engine:
    """Applies one flow's rules; holds no interview data of its own."""

    def __init__(self, flow: Flow, expressions: Expressions, context: Mapping[str, Any] | None = None) -> None:
        self.flow = flow
        self.expressions = expressions
        self.context = dict(context or {})
        """Answers of the other modules this flow ``uses``: ``{module: {variable: value}}``."""
        self._dependants = self._dependants_closure()
        self._problems: dict[ExpressionProblem, None] = {}
        self._reported = 0
        self._last_variables: tuple[InterviewState, dict[str, Any]] | None = None

    # -- reading ------------------------------------------------------------------------------

    def start(self, instance: str = "") -> InterviewState:
        return InterviewState(flow_id=self.flow.id, instance=instance)

    def variables(self, state: InterviewState) -> dict[str, Any]:
        """Earlier answers by variable name (and other modules' by module), for conditions and prompts.

        Those of the last state asked for are kept: drawing a conversation reads them once per
        message, and a state never changes (the engine returns new ones).
        """
        if self._last_variables is not None and self._last_variables[0] is state:
            return dict(self._last_variables[1])
        values: dict[str, Any] = {name: self.context.get(name, {}) for name in self.flow.uses}
        for step in self.flow.steps:
            record = state.answers.get(step.id)
            if record and record.status in (AnswerStatus.ANSWERED, AnswerStatus.STALE) and step.is_question:
                values[step.variable] = record.value
        self._last_variables = (state, values)
        return dict(values)

    def _truthy(self, expression: str, variables: Mapping[str, Any], step: Step, where: str) -> bool:
        """Whether a condition holds. One on a missing answer is simply not met; one that fails
        otherwise is not met either, and the failure is kept for the consultant to see."""
        try:
            return bool(self.expressions.evaluate(expression, variables))
        except MissingValueError:
            return False
        except ExpressionError as error:
            self._report(ExpressionProblem(step.id, where, str(error)))
            return False

    def _message(self, message: str, variables: Mapping[str, Any]) -> str:
        """A validator's message with the answers it quotes; with « … » in their place when they cannot
        be quoted (a message is never lost: the person must know why the answer is refused)."""
        if "{{" not in message:
            return message
        try:
            text = self.expressions.render(message, variables).strip()
        except ExpressionError:  # MissingValueError included
            text = ""
        return text or re.sub(r"\{\{.*?\}\}", "…", message, flags=re.DOTALL)

    def _report(self, problem: ExpressionProblem) -> None:
        self._problems.setdefault(problem, None)

    def expression_problems(self) -> list[ExpressionProblem]:
        """Every expression failure met by this engine so far, each once, oldest first."""
        return list(self._problems)

    def new_expression_problems(self) -> list[ExpressionProblem]:
        """The failures met since the last call (to notify each one once)."""
        problems = list(self._problems)[self._reported:]
        self._reported += len(problems)
        return problems

    def render(self, template: str, state: InterviewState, step_id: str | None, where: str) -> str | None:
        """A template of the flow with the answers piped in; ``None`` when it cannot be rendered
        (a failure other than a missing answer is kept for the consultant to see)."""
        try:
            return self.expressions.render(template, self.variables(state))
        except MissingValueError:
            return None
        except ExpressionError as error:
            self._report(ExpressionProblem(step_id, where, str(error)))
            return None

    def spec(self, step: Step, state: InterviewState) -> AnswerSpec | None:
        """The step's answer spec with its choices resolved when they come from an earlier answer."""
        return self.resolve_spec(step, self.variables(state))

    def resolve_spec(self, step: Step, variables: Mapping[str, Any]) -> AnswerSpec | None:
        spec = step.answer
        if spec is None:
            return spec
        if any(f.choices_from for f in spec.fields):
            spec = spec.model_copy(update={"fields": tuple(
                f.model_copy(update={"choices": tuple(self._field_choices(step, f, variables))})
                if f.choices_from and f.label_field else f
                for f in spec.fields
            )})
        if not spec.choices_from:
            return spec
        computed = self._computed_choices(spec, variables, step)
        taken = {c.value for c in spec.choices}
        choices = [c for c in computed if c.value not in taken] + list(spec.choices)
        return spec.model_copy(update={"choices": tuple(choices)})

    def default(self, step: Step, state: InterviewState) -> str | list[dict[str, str]] | None:
        """What the question offers before anything is typed (``default_from``), when it fits: a
        text, one of the question's choices, or for a list one element per line of the text (its
        ``default_field`` filled; list marks such as « - » or « 1. » left out). ``None`` otherwise."""
        if step.default_from is None:
            return None
        value = _lookup(step.default_from, self.variables(state))
        if not isinstance(value, str) or not value.strip():
            return None
        spec = self.spec(step, state)
        if spec is None:
            return None
        if spec.type is AnswerType.SINGLE:
            return value if any(c.value == value for c in spec.choices) else None
        if spec.type is AnswerType.LIST:
            if step.default_field is None:
                return None
            lines = [_LIST_MARK.sub("", line).strip() for line in value.splitlines()]
            limit = spec.max_items or len(lines)
            return [{step.default_field: line} for line in lines if line][:limit] or None
        return value

    def _field_choices(self, step: Step, item_field: ItemField, variables: Mapping[str, Any]) -> list[Choice]:
        """The choices of an element's field taken from an earlier list (numbered, or by ``value_field``)."""
        assert item_field.choices_from is not None and item_field.label_field is not None
        source = self._where(step, item_field.choices_where, _lookup(item_field.choices_from, variables), variables)
        if item_field.value_field:
            return _by_field(source, item_field.label_field, item_field.value_field) if isinstance(source, list) else []
        return _numbered(source, item_field.label_field)

    def _where(self, step: Step, conditions: tuple[str, ...], source: Any, variables: Mapping[str, Any]) -> Any:
        """The elements of a list that meet one of ``conditions`` (``element`` in them), those meeting
        the first condition first; the list itself without conditions."""
        if not conditions or not isinstance(source, list):
            return source
        groups: list[list[Any]] = [[] for _ in conditions]
        for element in source:
            scope = {**variables, "element": element}
            for group, condition in zip(groups, conditions, strict=True):
                if self._truthy(condition, scope, step, "choices_where"):
                    group.append(element)
                    break
        return [element for group in groups for element in group]

    def _computed_choices(self, spec: AnswerSpec, variables: Mapping[str, Any],
                          step: Step | None = None) -> list[Choice]:
        """The choices that come from earlier answers (not the ones written in the flow), each value once."""
        assert spec.choices_from is not None
        source = _lookup(spec.choices_from, variables)
        if spec.suggest:
            return SUGGESTERS[spec.suggest](source)
        if step is not None:
            source = self._where(step, spec.choices_where, source, variables)
        choices = self._choices_from(spec, source, variables)
        for more in spec.more_choices_from:
            taken = {c.value for c in choices}
            extra = _lookup(more.choices_from, variables)
            if not isinstance(extra, list):
                continue
            choices += [c for c in _by_field(extra, more.label_field, more.value_field) if c.value not in taken]
        return choices

    def _choices_from(self, spec: AnswerSpec, source: Any, variables: Mapping[str, Any]) -> list[Choice]:
        if not isinstance(source, list):
            return []
        if spec.label_field and spec.value_field:
            return _by_field(source, spec.label_field, spec.value_field)
        if spec.label_field:
            return _numbered(source, spec.label_field)
        origin = next((s for s in self.flow.steps if s.variable == spec.choices_from), None)
        origin_spec = self.resolve_spec(origin, variables) if origin is not None else None
        return [
            Choice(value=v, label=origin_spec.choice_label(v) if origin_spec else v)
            for v in source
            if isinstance(v, str)
        ]

    def path(self, state: InterviewState) -> list[Step]:
        """The steps that apply now, in order, following ``show_if`` and ``next`` rules.

        A step whose choices come from an earlier answer that offers none is left out (the choices
        written in the flow, such as « Un autre projet », do not count).
        """
        variables = self.variables(state)
        steps = self.flow.steps
        path: list[Step] = []
        seen: set[str] = set()
        i = 0
        while i < len(steps):
            step = steps[i]
            if step.id in seen:  # cycles are refused at load; this guards hand-made flows
                break
            seen.add(step.id)
            if step.show_if and not self._truthy(step.show_if, variables, step, "show_if"):
                i += 1
                continue
            if step.answer is not None and step.answer.choices_from:
                if not self._computed_choices(step.answer, variables, step):
                    i += 1
                    continue
            path.append(step)
            target = next(
                (r.goto for r in step.next if r.when is None or self._truthy(r.when, variables, step, "next.if")),
                None,
            )
            if target == END:
                break
            i = self.flow.index(target) if target else i + 1
        return path

    def current(self, state: InterviewState) -> Step | None:
        """The step to ask now, or ``None`` when the flow is complete."""
        path = self.path(state)
        if state.cursor is not None and any(s.id == state.cursor for s in path):
            return self.flow.step(state.cursor)
        for step in path:
            record = state.answers.get(step.id)
            if record is None or record.status is AnswerStatus.PENDING:
                return step
        for step in path:
            if state.answers[step.id].status is AnswerStatus.DEFERRED:
                return step
        return None

    def is_finished(self, state: InterviewState) -> bool:
        return self.current(state) is None

    def progress(self, state: InterviewState) -> Progress:
        questions = [s for s in self.path(state) if s.is_question]
        done = sum(
            1
            for s in questions
            if (r := state.answers.get(s.id)) is not None
            and r.status not in (AnswerStatus.DEFERRED, AnswerStatus.PENDING)
        )
        return Progress(done=done, total=len(questions))

    def stale_steps(self, state: InterviewState) -> list[Step]:
        return [s for s in self.path(state) if (r := state.answers.get(s.id)) and r.status is AnswerStatus.STALE]

    def prompt(self, step: Step, state: InterviewState) -> str:
        """The prompt with earlier answers piped in; the fallback text when that fails."""
        text = self.render(step.prompt, state, step.id, "prompt")
        return text if text and text.strip() else (step.prompt_fallback or step.prompt)

    def dependants(self, step_id: str) -> frozenset[str]:
        return self._dependants.get(step_id, frozenset())

    # -- changing -----------------------------------------------------------------------------

    def answer(
        self,
        state: InterviewState,
        step_id: str,
        raw: Any,
        *,
        now: dt.datetime,
        by: Respondent | None = None,
        session_id: str | None = None,
        accept_warnings: bool = False,
    ) -> Outcome:
        """Validate ``raw`` and record it; errors leave the state unchanged.

        Warnings leave the state unchanged too unless ``accept_warnings``: the person has read
        them and goes on.
        """
        step = self.flow.step(step_id)
        spec = self.spec(step, state)
        if spec is None:
            return Outcome(self.acknowledge(state, step_id, now=now, session_id=session_id), recorded=True)
        try:
            value = parse_answer(spec, raw, required=step.required)
        except AnswerError as error:
            return Outcome(state, errors=(str(error),))
        impossible = date_problems(spec, value, now.date())  # an end before its start, a past fact to come
        if impossible:
            return Outcome(state, errors=tuple(impossible))
        variables = {**self.variables(state), "value": value}
        errors: list[str] = []
        warnings: list[str] = []
        if spec.type is AnswerType.RATINGS and value:
            missing = missing_ratings(spec, value)
            if missing:
                shown = ", ".join(f"« {label} »" for label in missing[:3])
                if len(missing) > 3:
                    shown += f" et {plural(len(missing) - 3, 'autre')}"
                without = plural(len(missing), "élément sans note", "éléments sans note")
                warnings.append(f"{without} : {shown}. Sans {'lui' if len(missing) == 1 else 'eux'}, pas de score.")
        if value not in (None, [], ""):
            for validator in step.validators:
                if not self._truthy(validator.rule, variables, step, "validators.rule"):
                    message = self._message(validator.message, variables)
                    (errors if validator.severity is Severity.ERROR else warnings).append(message)
        if errors:
            return Outcome(state, errors=tuple(errors), warnings=tuple(warnings))
        if warnings and not accept_warnings:
            return Outcome(state, warnings=tuple(warnings))
        new_state = self._store(
            state,
            step,
            value=value,
            status=AnswerStatus.ANSWERED,
            skip_reason=None,
            by=by or step.asked_to,
            now=now,
            session_id=session_id,
        )
        return Outcome(new_state, warnings=tuple(warnings), recorded=True)

    def acknowledge(
        self, state: InterviewState, step_id: str, *, now: dt.datetime, session_id: str | None = None
    ) -> InterviewState:
        """Mark an information step as read."""
        step = self.flow.step(step_id)
        if step.answer is not None:
            raise EngineError(f"{step_id} is a question, not an information step")
        return self._store(
            state,
            step,
            value=None,
            status=AnswerStatus.ANSWERED,
            skip_reason=None,
            by=Respondent.BOTH,
            now=now,
            session_id=session_id,
        )

    def skip(
        self,
        state: InterviewState,
        step_id: str,
        reason: SkipReason,
        *,
        now: dt.datetime,
        by: Respondent = Respondent.BOTH,
        session_id: str | None = None,
    ) -> InterviewState:
        """Skip with a reason; "plus tard" defers the step, which comes back before the flow ends."""
        step = self.flow.step(step_id)
        if not step.is_question:
            raise EngineError(f"{step_id} is an information step; there is nothing to skip")
        if reason not in step.skip_reasons:
            raise EngineError(f"{reason} is not allowed for {step_id}")
        status = AnswerStatus.DEFERRED if reason is SkipReason.LATER else AnswerStatus.SKIPPED
        previous = state.answers.get(step_id)
        value = previous.value if previous else None  # a skipped edit keeps the value in sight
        return self._store(
            state, step, value=value, status=status, skip_reason=reason.value, by=by, now=now, session_id=session_id
        )

    def back(self, state: InterviewState) -> InterviewState:
        """Go to the question before the current one (or the last one once the flow is done)."""
        questions = [s for s in self.path(state) if s.is_question]
        if not questions:
            return state
        current = self.current(state)
        ids = [s.id for s in questions]
        if current is None or current.id not in ids:
            if current is None:
                return state.model_copy(update={"cursor": ids[-1]})
            path = self.path(state)
            before = [s.id for s in path[: [s.id for s in path].index(current.id)] if s.is_question]
            return state.model_copy(update={"cursor": before[-1]}) if before else state
        position = ids.index(current.id)
        return state.model_copy(update={"cursor": ids[max(position - 1, 0)]})

    def edit(self, state: InterviewState, step_id: str) -> InterviewState:
        """Put the cursor on an earlier step so that it can be answered again."""
        if step_id not in {s.id for s in self.path(state)}:
            raise EngineError(f"{step_id} is not on the current path")
        return state.model_copy(update={"cursor": step_id})

    def resume(self, state: InterviewState) -> InterviewState:
        """Leave an edit without changing anything: back to the next step due."""
        return state.model_copy(update={"cursor": None})

    def add_note(self, state: InterviewState, step_id: str, note: Note, *, now: dt.datetime,
                 session_id: str | None = None) -> InterviewState:
        """Attach a note to a step, creating a pending record if the step has no answer yet."""
        step = self.flow.step(step_id)
        record = state.answers.get(step_id) or AnswerRecord(
            step_id=step.id,
            status=AnswerStatus.PENDING,
            answered_by=Respondent.CONSULTANT,
            at=now,
            flow_version=self.flow.flow_version,
            session_id=session_id,
        )
        updated = record.model_copy(update={"notes": (*record.notes, note)})
        return state.with_record(updated, state.cursor)

    # -- internals ----------------------------------------------------------------------------

    def _store(
        self,
        state: InterviewState,
        step: Step,
        *,
        value: Any,
        status: AnswerStatus,
        skip_reason: str | None,
        by: Respondent,
        now: dt.datetime,
        session_id: str | None,
    ) -> InterviewState:
        previous = state.answers.get(step.id)
        pending = previous is not None and previous.status is AnswerStatus.PENDING
        record = AnswerRecord(
            step_id=step.id,
            value=value,
            status=status,
            skip_reason=skip_reason,
            answered_by=by,
            at=now,
            flow_version=self.flow.flow_version,
            session_id=session_id,
            # A pending record only held notes: it is not a former answer.
            revisions=(*previous.revisions, previous.as_revision()) if previous and not pending else (),
            notes=previous.notes if previous else (),
        )
        new_state = state.with_record(record, cursor=None)
        if previous is None or pending:
            return new_state
        had_value = previous.status in (AnswerStatus.ANSWERED, AnswerStatus.STALE)
        if had_value and previous.value != value:
            new_state = self._mark_stale(new_state, step.id)
        return new_state

    def _mark_stale(self, state: InterviewState, step_id: str) -> InterviewState:
        answers = dict(state.answers)
        for dependant in self.dependants(step_id):
            record = answers.get(dependant)
            if record is not None and record.status is AnswerStatus.ANSWERED and self.flow.step(dependant).is_question:
                answers[dependant] = record.model_copy(update={"status": AnswerStatus.STALE})
        return state.model_copy(update={"answers": answers})

    def _dependants_closure(self) -> dict[str, frozenset[str]]:
        direct: dict[str, set[str]] = {s.id: set() for s in self.flow.steps}
        for step in self.flow.steps:
            for source in step.depends_on:
                if source in direct:
                    direct[source].add(step.id)
        closure: dict[str, frozenset[str]] = {}
        for source in direct:
            seen: set[str] = set()
            todo = list(direct[source])
            while todo:
                current = todo.pop()
                if current in seen or current == source:
                    continue
                seen.add(current)
                todo.extend(direct[current])
            closure[source] = frozenset(seen)
        return closure


def _lookup(reference: str, variables: Mapping[str, Any]) -> Any:
    """``step`` or ``module.step`` in the variables; ``None`` when not answered."""
    value: Any = variables
    for part in reference.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _by_field(source: list[Any], label_field: str, value_field: str) -> list[Choice]:
    """The elements of a list answer as choices whose value is one of their fields (each once)."""
    choices: dict[str, Choice] = {}
    for item in source:
        if isinstance(item, Mapping) and (value := str(item.get(value_field) or "").strip()):
            choices.setdefault(value, Choice(value=value, label=str(item.get(label_field) or value)))
    return list(choices.values())


def _numbered(source: Any, label_field: str) -> list[Choice]:
    """The elements of a list answer as choices numbered from 1."""
    if not isinstance(source, list):
        return []
    return [
        Choice(value=str(i), label=str(item.get(label_field) or f"Élément {i}"))
        for i, item in enumerate(source, start=1)
        if isinstance(item, Mapping)
    ]
