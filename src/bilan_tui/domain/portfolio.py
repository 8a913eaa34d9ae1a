"""The competence portfolio: items produced by the answers, traceable to them, kept in step with them.

Each module's answers produce *candidate* items (:func:`derive`); :func:`sync` merges them into the
stored portfolio. Nothing silently disappears: an item whose answer changed is updated (or, if the
consultant edited it by hand, flagged to re-check); an item whose answer is gone, or whose evidence
(the achievement that proves a competence) changed, is kept and flagged. Items the consultant
removed stay removed; items added by hand are never touched by answers.

A competence the person rated themselves is a *self-assessment* (:attr:`PortfolioItem.status`)
until an achievement proves it (a proved competence of the portfolio with a matching wording lends
it its evidence, see :func:`sync`) or the consultant confirms it (:meth:`Portfolio.confirm_assessment`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import Field

from bilan_tui.domain.answers import format_date, format_month, format_number, format_value
from bilan_tui.domain.engine import Engine, InterviewState
from bilan_tui.domain.flow import AnswerSpec, AnswerType, ItemField, Produces, Step
from bilan_tui.domain.matching import ranked
from bilan_tui.domain.models import AnswerStatus, CompetenceCategory, ItemKind, Model, Respondent
from bilan_tui.domain.suggestions import evidence_number
from bilan_tui.domain.text import CleanLine, CleanText

Place = tuple[str, str, str | None]
"""(module key, step id, element): one answer, or one element of a list or choice answer."""

RECHECK_STALE = "Réponse d'origine à revoir : une réponse dont elle dépend a changé."
RECHECK_GONE = "La réponse d'origine n'existe plus (modifiée ou passée) : à garder ou à retirer."
RECHECK_EDITED = "La réponse d'origine a changé depuis la modification à la main : à revérifier."
RECHECK_EVIDENCE_CHANGED = "La réalisation qui la prouve a changé : à revérifier."
RECHECK_EVIDENCE_GONE = "La réalisation qui la prouve n'existe plus : à revérifier."
RECHECK_ASSESSMENT_CHANGED = "L'auto-évaluation a changé depuis que le consultant l'a confirmée : à revérifier."


class ItemStatus(StrEnum):
    """Where an item stands, as the portfolio shows it."""

    RECHECK = "recheck"
    SELF_ASSESSED = "self_assessed"
    CONFIRMED = "confirmed"
    PROPOSED = "proposed"

    @property
    def label(self) -> str:
        return {"recheck": "⚠ à revérifier", "self_assessed": "auto-évaluation", "confirmed": "✓ confirmé",
                "proposed": "proposé"}[self.value]


class SourceRef(Model):
    """A link to the answer (or the element of an answer) behind an item, with its fingerprint then."""

    module: str
    step_id: str
    element: str | None = None
    digest: str = ""

    @property
    def place(self) -> Place:
        return (self.module, self.step_id, self.element)


class PortfolioItem(Model):
    id: str
    kind: ItemKind
    title: CleanLine = Field(min_length=1)
    details: tuple[tuple[CleanLine, CleanText], ...] = ()
    category: CompetenceCategory | None = None
    level: int | None = Field(default=None, ge=1, le=4)
    transferable: bool | None = None
    rank: int | None = None
    source: SourceRef | None = None
    evidence: tuple[SourceRef, ...] = ()
    private: bool = False
    """Produced by a consultant-only question: hidden in the beneficiary view."""
    confirmed: bool = True
    """Confirmed by the beneficiary (their own answer, or a suggestion they accepted)."""
    self_assessed: bool = False
    """The person's rating of themselves: a self-assessment until an achievement proves it (``evidence``)
    or the consultant confirms it (``assessment_confirmed_at``)."""
    assessment_confirmed_at: dt.datetime | None = None
    """When the consultant confirmed the self-assessment (None: not confirmed by the consultant)."""
    manual: bool = False
    edited: bool = False
    recheck: CleanLine | None = None
    removed: bool = False
    added_at: dt.datetime
    updated_at: dt.datetime

    def content(self) -> tuple[Any, ...]:
        return (self.kind, self.title, self.details, self.category, self.level, self.transferable, self.rank,
                self.private, self.confirmed, self.self_assessed, tuple(e.place for e in self.evidence))

    @property
    def self_assessment_pending(self) -> bool:
        """A self-assessment neither proved by an achievement nor confirmed by the consultant."""
        return self.self_assessed and not self.evidence and self.assessment_confirmed_at is None

    @property
    def status(self) -> ItemStatus:
        if self.recheck:
            return ItemStatus.RECHECK
        if self.self_assessment_pending:
            return ItemStatus.SELF_ASSESSED
        return ItemStatus.CONFIRMED if self.confirmed else ItemStatus.PROPOSED


class Portfolio(Model):
    items: tuple[PortfolioItem, ...] = ()

    def active(self, kind: ItemKind | None = None) -> list[PortfolioItem]:
        return [i for i in self.items if not i.removed and (kind is None or i.kind is kind)]

    def get(self, item_id: str) -> PortfolioItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def _replace(self, item: PortfolioItem) -> Portfolio:
        return Portfolio(items=tuple(item if i.id == item.id else i for i in self.items))

    def add(self, kind: ItemKind, title: str, *, now: dt.datetime, **fields: Any) -> tuple[Portfolio, PortfolioItem]:
        """An item added by hand by the consultant."""
        item = PortfolioItem(id=f"manuel:{uuid.uuid4().hex[:10]}", kind=kind, title=title.strip(), manual=True,
                             confirmed=fields.pop("confirmed", False), added_at=now, updated_at=now, **fields)
        return Portfolio(items=(*self.items, item)), item

    def edit(self, item_id: str, *, now: dt.datetime, **changes: Any) -> Portfolio:
        item = self.get(item_id)
        if "title" in changes:
            changes["title"] = str(changes["title"]).strip()
        updated = PortfolioItem.model_validate({**item.model_dump(), **changes, "edited": not item.manual,
                                                "updated_at": now})
        return self._replace(updated)

    def remove(self, item_id: str, *, now: dt.datetime) -> Portfolio:
        return self._replace(self.get(item_id).model_copy(update={"removed": True, "updated_at": now}))

    def confirm_assessment(self, item_id: str, *, now: dt.datetime, confirmed: bool = True) -> Portfolio:
        """The consultant confirms a self-assessment (or, ``confirmed=False``, withdraws the confirmation)."""
        item = self.get(item_id)
        if not item.self_assessed:
            raise ValueError(f"{item_id} is not a self-assessment")
        return self._replace(item.model_copy(update={"assessment_confirmed_at": now if confirmed else None,
                                                     "updated_at": now}))

    def mark_checked(self, item_id: str, digests: Mapping[Place, str], *, now: dt.datetime) -> Portfolio:
        """The consultant re-checked the item: its links now point at the answers as they are."""
        item = self.get(item_id)

        def refreshed(ref: SourceRef) -> SourceRef:
            return ref.model_copy(update={"digest": digests.get(ref.place, ref.digest)})

        orphan = item.source is not None and item.source.place not in digests
        return self._replace(item.model_copy(update={
            "source": refreshed(item.source) if item.source else None,
            "evidence": tuple(refreshed(e) for e in item.evidence if e.place in digests),
            "recheck": None,
            "manual": item.manual or orphan,  # kept although its answer is gone: it is now the consultant's
            "updated_at": now,
        }))


# -- deriving items from answers ---------------------------------------------------------------


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def _elements(spec: AnswerSpec | None, value: Any) -> list[tuple[str | None, Any]]:
    if spec is None:
        return []
    if spec.type is AnswerType.LIST and isinstance(value, list):
        return [(str(i), element) for i, element in enumerate(value, start=1)]
    if spec.type in (AnswerType.MULTI, AnswerType.RANKING) and isinstance(value, list):
        return [(str(v), v) for v in value]
    if spec.type is AnswerType.RATINGS and isinstance(value, Mapping):
        return [(str(k), v) for k, v in value.items()]
    return [(None, value)]


def field_text(item_field: ItemField, raw: Any) -> str:
    """A list element's field as a person reads it (the choice's label, a French date or number)."""
    if item_field.type is AnswerType.SINGLE:
        return next((c.label for c in item_field.choices if c.value == raw), str(raw))
    if item_field.type is AnswerType.DATE:
        return format_date(str(raw))
    if item_field.type is AnswerType.MONTH:
        return format_month(str(raw))
    if item_field.type is AnswerType.NUMBER and isinstance(raw, (int, float)):
        return format_number(raw)
    return str(raw)


def derive(modules: Iterable[tuple[Engine, InterviewState]]) -> tuple[list[PortfolioItem], dict[Place, str]]:
    """The items every module's answers produce now, and the fingerprint of every answer element."""
    candidates: list[PortfolioItem] = []
    digests: dict[Place, str] = {}
    for engine, state in modules:
        key = state.key
        variables = engine.variables(state)
        specs: dict[str, AnswerSpec | None] = {}
        # Every label the flow knows: a value taken out of the choices it came from keeps its name.
        labels = {c.value: c.label for step in engine.flow.steps if step.answer for c in step.answer.choices}
        for step in engine.flow.steps:
            record = state.record(step.id)
            if record is None or record.status not in (AnswerStatus.ANSWERED, AnswerStatus.STALE):
                continue
            specs[step.id] = engine.resolve_spec(step, variables)
            for element, value in _elements(specs[step.id], record.value):
                digests[(key, step.id, element)] = digest(value)
        for step in engine.flow.steps:
            record = state.record(step.id)
            if step.produces is None or step.id not in specs or record is None:
                continue
            stale = record.status is AnswerStatus.STALE
            items = _produce(key, step, step.produces, specs[step.id], record.value, digests, labels, record.at)
            if step.produces.title_from or step.produces.details_from:
                items = [_linked(engine, state, step, item, specs) for item in items]
            for item in items:
                if stale and not item.evidence:
                    item = item.model_copy(update={"recheck": RECHECK_STALE})
                candidates.append(item)
    return candidates, digests


def _linked(engine: Engine, state: InterviewState, step: Step, item: PortfolioItem,
            specs: Mapping[str, AnswerSpec | None]) -> PortfolioItem:
    """An item titled and detailed from other answers of its module (``title_from``, ``details_from``)."""
    produces = step.produces
    assert produces is not None
    update: dict[str, Any] = {}
    if produces.title_from:
        title = (engine.render(produces.title_from, state, step.id, "produces.title_from") or "").strip()
        update["title"] = title[:200] or produces.kind.label
    details: list[tuple[str, str]] = []
    for step_id, label in produces.details_from.items():
        record = state.record(step_id)
        if step_id in specs and record is not None and record.value not in (None, "", []):
            details.append((label, format_value(specs[step_id], record.value)))
    if produces.details_from:
        update["details"] = tuple(details)
    return PortfolioItem.model_validate({**item.model_dump(), **update})


def _produce(key: str, step: Step, produces: Produces, spec: AnswerSpec | None, value: Any,
             digests: Mapping[Place, str], labels: Mapping[str, str], at: dt.datetime) -> list[PortfolioItem]:
    if spec is None:
        return []
    private = step.asked_to is Respondent.CONSULTANT
    items: list[PortfolioItem] = []
    fields = {f.id: f for f in spec.fields}

    def evidence_ref(number: Any) -> tuple[SourceRef, ...]:
        if produces.evidence_step is None or number in (None, ""):
            return ()
        element = str(int(number)) if isinstance(number, (int, float)) or str(number).isdigit() else str(number)
        place = (key, produces.evidence_step, element)
        return (SourceRef(module=key, step_id=produces.evidence_step, element=element, digest=digests.get(place, "")),)

    for rank, (element, raw) in enumerate(_elements(spec, value), start=1):
        common: dict[str, Any] = {
            "id": f"{key}:{step.id}:{element or ''}",
            "kind": produces.kind,
            "source": SourceRef(module=key, step_id=step.id, element=element,
                                digest=digests.get((key, step.id, element), "")),
            "private": private,
            "confirmed": not private,
            "category": produces.categories.get(element, produces.category) if element else produces.category,
            "self_assessed": produces.self_assessed,
            "added_at": at,
            "updated_at": at,
        }
        if isinstance(raw, Mapping):  # an element of a list answer
            title = str(raw.get(produces.title) or "").strip() if produces.title else ""
            details = tuple(
                (fields[fid].label, field_text(fields[fid], raw[fid]))
                for fid in produces.details
                if fid in fields and raw.get(fid) not in (None, "")
            )
            if produces.category_field and raw.get(produces.category_field) in CompetenceCategory._value2member_map_:
                common["category"] = CompetenceCategory(raw[produces.category_field])
            level = raw.get(produces.level_field) if produces.level_field else None
            if level not in (None, "") and str(level).isdigit() and 1 <= int(level) <= 4:
                common["level"] = int(level)
            if produces.transferable_field and raw.get(produces.transferable_field) in ("oui", "non"):
                common["transferable"] = raw[produces.transferable_field] == "oui"
            if produces.evidence_field:
                common["evidence"] = evidence_ref(raw.get(produces.evidence_field))
            items.append(PortfolioItem(title=title or f"{produces.kind.label} {element}", details=details, **common))
        elif spec.type in (AnswerType.MULTI, AnswerType.RANKING, AnswerType.SINGLE) and isinstance(raw, str):
            label = spec.choice_label(raw)
            label = labels.get(raw, label) if label == raw else label
            if spec.suggest:
                label = label.split(" — ")[0]
                common["evidence"] = evidence_ref(evidence_number(raw))
            if spec.type is AnswerType.RANKING:
                common["rank"] = rank
            items.append(PortfolioItem(title=label, **common))
        elif spec.type is AnswerType.RATINGS and isinstance(raw, int):
            if produces.min_rating is None or raw < produces.min_rating:
                continue
            label = next((i.label for i in spec.items if i.id == element), str(element))
            items.append(PortfolioItem(title=label, level=raw if 1 <= raw <= 4 else None,
                                       details=(("Auto-évaluation", f"{raw}/{int(spec.max or 0)}"),), **common))
        elif isinstance(raw, str) and raw.strip():
            items.append(PortfolioItem(title=raw.strip()[:200], **common))
    return items


# -- keeping the stored portfolio in step ------------------------------------------------------


def _evidence_problem(item: PortfolioItem, digests: Mapping[Place, str]) -> str | None:
    for ref in item.evidence:
        current = digests.get(ref.place)
        if current is None:
            return RECHECK_EVIDENCE_GONE
        if current != ref.digest:
            return RECHECK_EVIDENCE_CHANGED
    return None


def sync(portfolio: Portfolio, candidates: Iterable[PortfolioItem], digests: Mapping[Place, str],
         *, now: dt.datetime, modules: set[str] | None = None) -> Portfolio:
    """Merge the items the answers produce now into the stored portfolio (see the module doc).

    ``modules``: the module runs whose answers were read. Items of other modules (a flow file that
    failed to load today) are left exactly as they are, not flagged as gone.

    A self-assessment without evidence of its own takes the evidence of the competence of the
    portfolio (as it stands after the merge: not removed, as edited by hand) that proves it and
    best matches its wording (:func:`bilan_tui.domain.matching.ranked`).
    """
    candidates = list(candidates)
    draft = _merge(portfolio, candidates, digests, now=now, modules=modules)
    proved = [i for i in draft.active(ItemKind.COMPETENCE) if i.evidence and not i.self_assessed]
    if not proved or not any(c.self_assessed for c in candidates):
        return draft
    stored = {i.id: i for i in portfolio.items}
    candidates = [_proved_by_matching(c, stored.get(c.id), proved) for c in candidates]
    return _merge(portfolio, candidates, digests, now=now, modules=modules)


def _proved_by_matching(candidate: PortfolioItem, stored: PortfolioItem | None,
                        proved: Sequence[PortfolioItem]) -> PortfolioItem:
    """The self-assessment with the evidence of the proved competence that best matches it, if any."""
    if not candidate.self_assessed or candidate.evidence or candidate.kind is not ItemKind.COMPETENCE:
        return candidate
    title = stored.title if stored is not None and stored.edited else candidate.title
    # A shared self-assessment rests only on shared proofs: it is shown to the beneficiary as proved.
    eligible = [p for p in proved if candidate.private or not p.private]
    matches = ranked(title, eligible)
    return candidate.model_copy(update={"evidence": matches[0].item.evidence}) if matches else candidate


def _merge(portfolio: Portfolio, candidates: Iterable[PortfolioItem], digests: Mapping[Place, str],
           *, now: dt.datetime, modules: set[str] | None) -> Portfolio:
    fresh = {c.id: c for c in candidates}
    result: list[PortfolioItem] = []
    for old in portfolio.items:
        candidate = fresh.pop(old.id, None)
        unread = modules is not None and old.source is not None and old.source.module not in modules
        if old.manual or old.removed or unread:
            result.append(old)
            continue
        if candidate is None:
            result.append(old.model_copy(update={"recheck": RECHECK_GONE}))
            continue
        assert old.source is not None and candidate.source is not None
        source_changed = old.source.digest != candidate.source.digest
        if old.edited:
            update: dict[str, Any] = {"recheck": RECHECK_EDITED if source_changed else None}
            if old.self_assessed:  # its proof comes from the achievements, not from the hand edit
                update["evidence"] = candidate.evidence
            result.append(old.model_copy(update=update))
            continue
        confirmation = old.assessment_confirmed_at if candidate.self_assessed else None
        if source_changed or old.content() != candidate.content():
            # The answer itself was changed: the item follows it, links included. A proof it still
            # points to keeps the fingerprint it had when last checked, so that a proof changed in the
            # same edit is flagged (and stays flagged until the consultant re-checks it). A consultant's
            # confirmation of a self-assessment is kept, and re-checked when the rating changed.
            checked = {ref.place: ref for ref in old.evidence}
            evidence = tuple(checked.get(ref.place, ref) for ref in candidate.evidence)
            followed = candidate.model_copy(update={"added_at": old.added_at, "updated_at": now, "evidence": evidence,
                                                    "assessment_confirmed_at": confirmation})
            recheck = _evidence_problem(followed, digests) or candidate.recheck
            if recheck is None and confirmation is not None and source_changed:
                recheck = RECHECK_ASSESSMENT_CHANGED
            result.append(followed.model_copy(update={"recheck": recheck}))
            continue
        kept = old.recheck if old.recheck == RECHECK_ASSESSMENT_CHANGED and confirmation is not None else None
        recheck = _evidence_problem(old, digests) or candidate.recheck or kept
        result.append(old if recheck == old.recheck else old.model_copy(update={"recheck": recheck}))
    for candidate in fresh.values():
        result.append(candidate.model_copy(update={
            "added_at": now, "updated_at": now, "recheck": _evidence_problem(candidate, digests) or candidate.recheck,
        }))
    return Portfolio(items=tuple(result))
