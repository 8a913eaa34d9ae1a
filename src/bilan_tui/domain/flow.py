"""The schema of a question flow (a module of the bilan), independent of how it is stored.

Flows are written in YAML by people and loaded by ``bilan_tui.flows``; this module only
describes what a valid flow is. Conditions, validator rules and prompts are expressions
in a small sandboxed language evaluated through the :class:`Expressions` protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bilan_tui.domain.models import Phase, Respondent, SkipReason

END = "fin"
"""The target of a ``next`` rule that ends the flow."""


class Expressions(Protocol):
    """Evaluates the expressions written in flows (implemented with a sandbox outside the domain)."""

    def evaluate(self, expression: str, variables: Mapping[str, Any]) -> Any: ...

    def render(self, template: str, variables: Mapping[str, Any]) -> str: ...


class StepKind(StrEnum):
    INFO = "info"
    QUESTION = "question"
    REPEAT = "repeat"


class AnswerType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    SINGLE = "single"
    MULTI = "multi"
    SCALE = "scale"
    LIST = "list"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Schema(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Choice(Schema):
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)


class ItemField(Schema):
    """One field of an item in a list answer (e.g. a constraint: its kind and its detail)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: AnswerType = AnswerType.TEXT
    required: bool = False
    choices: tuple[Choice, ...] = ()

    @model_validator(mode="after")
    def _simple_types_only(self) -> ItemField:
        if self.type in (AnswerType.LIST, AnswerType.MULTI, AnswerType.LONG_TEXT, AnswerType.SCALE):
            raise ValueError(f"un champ d'élément ne peut pas être de type « {self.type} »")
        if self.type is AnswerType.SINGLE and not self.choices:
            raise ValueError("un champ à choix unique demande une liste « choices »")
        return self


class AnswerSpec(Schema):
    type: AnswerType
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    min_items: int | None = Field(default=None, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    scale_labels: dict[int, str] = Field(default_factory=dict)
    fields: tuple[ItemField, ...] = ()
    placeholder: str = ""

    @model_validator(mode="after")
    def _coherent(self) -> AnswerSpec:
        if self.type in (AnswerType.SINGLE, AnswerType.MULTI):
            if not self.choices:
                raise ValueError(f"une question de type « {self.type} » demande une liste « choices »")
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError("deux choix ont la même valeur")
            if len(self.choices) > 9 and self.type is AnswerType.SINGLE:
                raise ValueError("au plus 9 choix (touches 1 à 9)")
        if self.type is AnswerType.SCALE:
            if self.min is None or self.max is None:
                raise ValueError("une échelle demande « min » et « max »")
            if not (self.min < self.max <= self.min + 9) or self.min != int(self.min):
                raise ValueError("une échelle va d'un entier « min » à « max », au plus 10 degrés")
        if self.type is AnswerType.LIST and not self.fields:
            raise ValueError("une liste demande au moins un champ dans « fields »")
        if self.min_items is not None and self.max_items is not None and self.min_items > self.max_items:
            raise ValueError("« min_items » dépasse « max_items »")
        return self

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


class Validator(Schema):
    rule: str
    """An expression over ``value`` (and the flow's variables) that must be true."""
    severity: Severity = Severity.ERROR
    message: str


class NextRule(Schema):
    when: str | None = Field(default=None, alias="if")
    goto: str


class Step(Schema):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: StepKind = StepKind.QUESTION
    prompt: str = Field(min_length=1)
    prompt_fallback: str | None = None
    """Shown instead of the prompt when the prompt cannot be rendered (missing earlier answer)."""
    help: str = ""
    consultant_note: str = ""
    asked_to: Respondent = Respondent.BENEFICIARY
    answer: AnswerSpec | None = None
    store: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    required: bool = True
    validators: tuple[Validator, ...] = ()
    show_if: str | None = None
    depends_on: tuple[str, ...] = ()
    next: tuple[NextRule, ...] = ()
    skip_reasons: tuple[SkipReason, ...] = (SkipReason.LATER, SkipReason.NOT_APPLICABLE, SkipReason.PREFERS_NOT)
    sensitive: bool = False

    @model_validator(mode="after")
    def _answer_matches_kind(self) -> Step:
        if self.kind is StepKind.INFO:
            if self.answer is not None:
                raise ValueError("une étape « info » n'attend pas de réponse (retirer « answer »)")
        elif self.answer is None:
            raise ValueError("une question demande « answer » avec son « type »")
        elif (self.kind is StepKind.REPEAT) != (self.answer.type is AnswerType.LIST):
            raise ValueError("une étape « repeat » va avec une réponse de type « list », et seulement elle")
        return self

    @property
    def variable(self) -> str:
        """The name under which the answer is available to later conditions and prompts."""
        return self.store or self.id

    @property
    def is_question(self) -> bool:
        return self.kind is not StepKind.INFO


class Flow(Schema):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    flow_version: str
    phase: Phase
    description: str = ""
    steps: tuple[Step, ...] = Field(min_length=1)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def index(self, step_id: str) -> int:
        for i, step in enumerate(self.steps):
            if step.id == step_id:
                return i
        raise KeyError(step_id)
