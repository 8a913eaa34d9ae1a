"""The schema of a question flow (a module of the bilan), independent of how it is stored.

Flows are written in YAML by people and loaded by ``bilan_tui.flows``; this module only
describes what a valid flow is. Conditions, validator rules and prompts are expressions
in a small sandboxed language evaluated through the :class:`Expressions` protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bilan_tui.domain.models import CompetenceCategory, ItemKind, Phase, Respondent, SkipReason
from bilan_tui.domain.patterns import PatternError, compile_pattern, full_match
from bilan_tui.domain.text import CleanLine, CleanText

END = "fin"
"""The target of a ``next`` rule that ends the flow."""


DOSSIER = "dossier"
"""What a flow names in ``uses`` to read the dossier's facts (``dossier.situation``); no module may be called so."""


class ExpressionError(ValueError):
    """An expression of a flow could not be evaluated; the message (French) says why.

    Implementations of :class:`Expressions` raise it (or :class:`MissingValueError`) for any failure
    of an expression, whatever its cause, and nothing else but ``MemoryError``.
    """


class MissingValueError(ExpressionError):
    """The expression reads an answer that is not given (yet): a normal case, not a flow defect.

    A condition on it is not met; a prompt shows its fallback.
    """


class Expressions(Protocol):
    """Evaluates the expressions written in flows (implemented with a sandbox outside the domain).

    Both methods raise :class:`ExpressionError` when the expression fails.
    """

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
    MONTH = "month"
    """A year (2015) or a month (03/2015): what people remember of their past."""
    SINGLE = "single"
    MULTI = "multi"
    SCALE = "scale"
    LIST = "list"
    RATINGS = "ratings"
    """Several items, each rated on the same scale (a questionnaire page)."""
    RANKING = "ranking"
    """Some of the choices, in order of preference."""


DATE_TYPES = (AnswerType.DATE, AnswerType.MONTH)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Schema(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Choice(Schema):
    value: CleanLine = Field(min_length=1)
    label: CleanLine = Field(min_length=1)


class ItemField(Schema):
    """One field of an item in a list answer (e.g. a constraint: its kind and its detail)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: CleanLine
    type: AnswerType = AnswerType.TEXT
    required: bool = False
    choices: tuple[Choice, ...] = ()
    choices_from: str | None = None
    """The elements of an earlier list answer (numbered from 1), shown by their ``label_field``."""
    label_field: str | None = None
    value_field: str | None = None
    """With ``choices_from``: the element field kept as the value (its text) instead of the element's number."""
    choices_where: tuple[str, ...] = ()
    """With ``choices_from``: conditions on each element (named ``element``); an element is offered when
    one holds, those meeting the first condition first (see :attr:`AnswerSpec.choices_where`)."""
    pattern: str | None = None
    """A regular expression the text must match (then ``pattern_message`` says what is expected).

    Compiled when the flow is loaded (RE2 syntax, matched in linear time: see ``domain.patterns``)."""
    pattern_message: CleanLine = "format inattendu"
    after: str | None = None
    """For a date or a month: another date or month field of the same element this one cannot precede
    (the end of an experience and its start); checked when the list is validated."""
    not_future: bool = False
    """For a date or a month: a fact of the past (the date of a source), never after today."""
    not_past: bool = False
    """For a date or a month: something to come (the deadline of a step), never before today."""

    @field_validator("choices_where", mode="before")
    @classmethod
    def _one_condition(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                compile_pattern(pattern)
            except PatternError as error:
                raise ValueError(str(error)) from None
        return pattern

    def matches(self, text: str) -> bool:
        """Whether ``text`` matches the whole ``pattern`` (always, without one); linear time."""
        return self.pattern is None or full_match(self.pattern, text)

    @model_validator(mode="after")
    def _simple_types_only(self) -> ItemField:
        if self.type not in (AnswerType.TEXT, AnswerType.NUMBER, AnswerType.DATE, AnswerType.MONTH,
                             AnswerType.SINGLE):
            raise ValueError(f"un champ d'élément ne peut pas être de type « {self.type} »")
        if self.type is AnswerType.SINGLE and not self.choices and not self.choices_from:
            raise ValueError("un champ à choix unique demande une liste « choices » ou « choices_from »")
        if self.choices_from and not (self.type is AnswerType.SINGLE and self.label_field):
            raise ValueError("« choices_from » va avec un champ « single » et son « label_field »")
        if (self.value_field or self.choices_where) and not self.choices_from:
            raise ValueError("« value_field » et « choices_where » vont avec « choices_from »")
        if self.choices_where and not self.value_field:
            raise ValueError(_WHERE_NEEDS_VALUE)
        if (self.after or self.not_future or self.not_past) and self.type not in DATE_TYPES:
            raise ValueError("« after », « not_future » et « not_past » vont avec un champ de type « date » ou « month »")
        if self.not_future and self.not_past:
            raise ValueError("« not_future » et « not_past » ensemble ne laissent qu'aujourd'hui : gardez-en un")
        if self.after == self.id:
            raise ValueError(f"le champ « {self.id} » ne peut pas suivre lui-même (« after »)")
        return self


class RatedItem(Schema):
    """One item of a ``ratings`` question; ``scale`` names the score it counts towards."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: CleanLine = Field(min_length=1)
    scale: str | None = None
    reverse: bool = False
    """Reverse-keyed: scored ``min + max - x`` (6 - x on a 1-5 scale)."""


class ChoiceSource(Schema):
    """Another earlier list whose elements are offered too (``more_choices_from``), by their text."""

    choices_from: str
    label_field: str
    value_field: str


_WHERE_NEEDS_VALUE = ("« choices_where » et « more_choices_from » demandent « value_field » : un élément gardé "
                      "ou venu d'une autre liste se reconnaît à son texte, pas à son numéro")


class AnswerSpec(Schema):
    type: AnswerType
    choices: tuple[Choice, ...] = ()
    choices_from: str | None = None
    """The choices come from an earlier answer: ``step`` of this flow, or ``flow.step`` of another
    module (a list answer then needs ``label_field``, the element field shown). ``choices`` given
    as well come after them (« Un autre projet »); the question is left out while the earlier
    answer offers nothing."""
    label_field: str | None = None
    value_field: str | None = None
    """With ``label_field``: the element field kept as the answer (its text), instead of the
    element's number. For choices taken from another module, whose list the answer should not
    depend on the order of (« Formateur technique », not « 2 »)."""
    more_choices_from: tuple[ChoiceSource, ...] = ()
    """Further lists offered after ``choices_from`` (the projects of the leads, then those confronted
    with the market); a value already offered is not offered again."""
    choices_where: tuple[str, ...] = ()
    """Conditions on each element of the ``choices_from`` list, named ``element`` (``element.decision ==
    'principal'``): an element is offered when one of them holds, those that meet the first condition
    first, then those that meet the second... (the main project, then the alternatives)."""
    suggest: str | None = None
    """Choices computed from the ``choices_from`` answer by a named suggester (``verbes_action``)."""
    items: tuple[RatedItem, ...] = ()
    min: float | None = None
    max: float | None = None
    min_items: int | None = Field(default=None, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    scale_labels: dict[int, CleanLine] = Field(default_factory=dict)
    fields: tuple[ItemField, ...] = ()
    placeholder: CleanLine = ""
    not_future: bool = False
    """For a date or a month: a fact of the past (the start of a job search), never after today."""
    not_past: bool = False
    """For a date or a month: something to come (a deadline), never before today."""
    other: bool = False
    """An « Autre (à préciser) » entry: the person may add choices of their own (a card of their own in a
    card sort), stored as typed; later ``choices_from`` questions offer them like the others (multi only)."""

    @field_validator("choices_where", mode="before")
    @classmethod
    def _one_condition(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _coherent(self) -> AnswerSpec:
        if self.type in (AnswerType.SINGLE, AnswerType.MULTI, AnswerType.RANKING):
            if not self.choices and not self.choices_from:
                raise ValueError(
                    f"une question de type « {self.type} » demande une liste « choices » ou « choices_from »"
                )
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError("deux choix ont la même valeur")
            if len(self.choices) > 9 and self.type is AnswerType.SINGLE:
                raise ValueError("au plus 9 choix (touches 1 à 9)")
        elif self.choices_from or self.suggest or self.more_choices_from:
            raise ValueError("« choices_from » et « suggest » vont avec single, multi ou ranking")
        if self.value_field and not (self.choices_from and self.label_field):
            raise ValueError("« value_field » va avec « choices_from » et « label_field »")
        if (self.more_choices_from or self.choices_where) and not (self.choices_from and self.label_field):
            raise ValueError("« more_choices_from » et « choices_where » vont avec « choices_from » et « label_field »")
        if (self.more_choices_from or self.choices_where) and not self.value_field:
            raise ValueError(_WHERE_NEEDS_VALUE)
        if self.more_choices_from and self.suggest:
            raise ValueError("« more_choices_from » ne va pas avec « suggest »")
        if self.other and self.type is not AnswerType.MULTI:
            raise ValueError("« other » (choix « Autre (à préciser) ») va avec une question « multi »")
        if self.suggest and not self.choices_from:
            raise ValueError("« suggest » demande « choices_from » (la réponse d'où viennent les propositions)")
        if self.type is AnswerType.RATINGS:
            if not self.items:
                raise ValueError("une grille « ratings » demande une liste « items »")
            ids = [item.id for item in self.items]
            if len(set(ids)) != len(ids):
                raise ValueError("deux éléments de la grille ont le même identifiant")
            if self.min is None or self.max is None or self.min != int(self.min) or self.max <= self.min:
                raise ValueError("une grille demande une échelle entière « min » et « max »")
        elif self.items:
            raise ValueError("« items » va avec une grille « ratings »")
        if self.type is AnswerType.SCALE:
            if self.min is None or self.max is None:
                raise ValueError("une échelle demande « min » et « max »")
            if not (self.min < self.max <= self.min + 9) or self.min != int(self.min):
                raise ValueError("une échelle va d'un entier « min » à « max », au plus 10 degrés")
        if self.type is AnswerType.LIST and not self.fields:
            raise ValueError("une liste demande au moins un champ dans « fields »")
        if (self.not_future or self.not_past) and self.type not in DATE_TYPES:
            raise ValueError("« not_future » et « not_past » vont avec une question de type « date » ou « month »")
        if self.not_future and self.not_past:
            raise ValueError("« not_future » et « not_past » ensemble ne laissent qu'aujourd'hui : gardez-en un")
        dated = {f.id for f in self.fields if f.type in DATE_TYPES}
        for item_field in self.fields:
            if item_field.after and item_field.after not in dated:
                raise ValueError(f"le champ « {item_field.id} » suit « {item_field.after} » (« after »), "
                                 "qui n'est pas un champ date ou mois de cet élément")
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
    message: CleanLine
    """Shown when the rule fails; may quote answers like a prompt (``« {{ projet }} »``, and ``value``)."""


class NextRule(Schema):
    when: str | None = Field(default=None, alias="if")
    goto: str


class Produces(Schema):
    """How an answer feeds the competence portfolio.

    A list answer gives one item per list element (``title`` and the other ``*_field`` name fields
    of the element); a choice answer gives one item per chosen value (its label is the title).
    """

    kind: ItemKind
    title: str | None = None
    details: tuple[str, ...] = ()
    category: CompetenceCategory | None = None
    categories: dict[str, CompetenceCategory] = Field(default_factory=dict)
    """The category of each rated item or choice (by its id or value), where it differs from ``category``."""
    category_field: str | None = None
    level_field: str | None = None
    transferable_field: str | None = None
    evidence_step: str | None = None
    """A list step of this flow whose elements prove the produced items (the achievements)."""
    evidence_field: str | None = None
    """The field holding the number of the proving element; without it, suggested values carry it."""
    min_rating: int | None = None
    """For a grid: each item rated at least this much gives an item (its rating is its level, 1-4)."""
    title_from: str | None = None
    """For an answer that is not a list: a template of the flow's answers giving the title of its one
    item (the project a decision is about); the kind's name when it cannot be rendered."""
    details_from: dict[str, CleanLine] = Field(default_factory=dict)
    """For an answer that is not a list: other questions of the flow (by step id, with the label shown)
    whose answers are the item's details (the decision and its reasons)."""
    self_assessed: bool = False
    """The answer is the person's rating of themselves: each competence it gives is a self-assessment
    until an achievement proves it or the consultant confirms it."""


class Step(Schema):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: StepKind = StepKind.QUESTION
    prompt: CleanText = Field(min_length=1)
    prompt_fallback: CleanText | None = None
    """Shown instead of the prompt when the prompt cannot be rendered (missing earlier answer)."""
    help: CleanText = ""
    consultant_note: CleanText = ""
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
    produces: Produces | None = None
    default_from: str | None = None
    """``module.variable`` (a module in ``uses``, or ``dossier`` for the dossier's facts such as
    ``dossier.situation``): what the question offers before anything is typed, so that a fact
    already known is confirmed or completed, not asked again. Text and single-choice questions, and lists
    (with ``default_field``: one element per line of the text, the objectives stated at the start)."""
    default_field: str | None = None
    """For a list with ``default_from``: the text field of each element that receives a line."""

    @model_validator(mode="after")
    def _answer_matches_kind(self) -> Step:
        if self.kind is StepKind.INFO:
            if self.answer is not None:
                raise ValueError("une étape « info » n'attend pas de réponse (retirer « answer »)")
        elif self.answer is None:
            raise ValueError("une question demande « answer » avec son « type »")
        elif (self.kind is StepKind.REPEAT) != (self.answer.type is AnswerType.LIST):
            raise ValueError("une étape « repeat » va avec une réponse de type « list », et seulement elle")
        if self.default_from is not None and self.answer is not None and self.answer.type is AnswerType.LIST:
            target = next((f for f in self.answer.fields if f.id == self.default_field), None)
            if target is None or target.type is not AnswerType.TEXT:
                raise ValueError("« default_from » sur une liste demande « default_field » : le champ texte "
                                 "de chaque élément qui reçoit une ligne")
        elif self.default_from is not None and (
            self.answer is None or self.answer.type not in (AnswerType.TEXT, AnswerType.LONG_TEXT, AnswerType.SINGLE)
        ):
            raise ValueError("« default_from » va avec une question text, long_text, single ou list")
        elif self.default_field is not None:
            raise ValueError("« default_field » va avec « default_from » sur une question de type list")
        return self

    @property
    def variable(self) -> str:
        """The name under which the answer is available to later conditions and prompts."""
        return self.store or self.id

    @property
    def is_question(self) -> bool:
        return self.kind is not StepKind.INFO


class ScaleDef(Schema):
    id: str = Field(min_length=1)
    label: CleanLine
    description: CleanText = ""


class Scoring(Schema):
    """Scores of a questionnaire: the sum of the rated items of each scale."""

    label: CleanLine = Field(min_length=1)
    """Said wherever the scores are shown (what the scores are, and are not)."""
    scales: tuple[ScaleDef, ...] = Field(min_length=1)
    code_length: int = Field(default=0, ge=0)
    """When > 0, a code of the highest scales (e.g. a three-letter RIASEC code), ties kept."""


class Flow(Schema):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: CleanLine
    flow_version: CleanLine
    phase: Phase
    description: CleanText = ""
    order: int = 0
    """Position among the modules of its phase (the order in which they are usually run)."""
    optional: bool = False
    """Offered but not planned by default (a tool that does not suit everyone)."""
    repeatable: bool = False
    """Run once per subject (per project, ...); each run is named by ``instance_label``."""
    instance_label: CleanLine | None = None
    uses: tuple[str, ...] = ()
    """Other modules whose answers this one reads, as ``module.variable``."""
    attribution: CleanText = ""
    scoring: Scoring | None = None
    requirements: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    """``step.field``: the list of competences the project requires (for strengths and gaps)."""
    steps: tuple[Step, ...] = Field(min_length=1)

    def rated_items(self) -> list[tuple[Step, RatedItem]]:
        return [(step, item) for step in self.steps if step.answer for item in step.answer.items]

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
