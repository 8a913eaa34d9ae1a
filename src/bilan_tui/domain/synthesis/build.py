"""From a dossier to the synthesis model (pure: no files, no clock, no templates).

Every passage is drawn from what the beneficiary may see (:mod:`bilan_tui.domain.privacy`): the
answers to questions not asked to the consultant only, the portfolio items that are not private and
that the beneficiary confirmed. No note is read, no flow hint either. Each passage names the answers
(with their fingerprint, the same as the portfolio's) and the items it comes from, so that a changed
answer changes the fingerprint of exactly the sections that cite it. A section with nothing to say
has no passage at all: the documents then say :data:`~bilan_tui.domain.synthesis.model.NOT_COVERED`.

Quotations (:attr:`PassageStyle.QUOTE`) hold the person's words as typed, without guillemets: the
renderers add them with the right spacing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bilan_tui.domain.answers import format_item, format_value
from bilan_tui.domain.engine import Engine, InterviewState
from bilan_tui.domain.flow import AnswerSpec, AnswerType, Step
from bilan_tui.domain.matching import StrengthsAndGaps
from bilan_tui.domain.models import (
    COMPETENCE_LEVELS,
    AnswerRecord,
    AnswerStatus,
    CompetenceCategory,
    Dossier,
    ItemKind,
    Phase,
    Session,
    phase_labels,
)
from bilan_tui.domain.plural import plural
from bilan_tui.domain.portfolio import Portfolio, PortfolioItem, SourceRef, digest, field_text
from bilan_tui.domain.privacy import Audience, question_visible, strengths_and_gaps, visible_items
from bilan_tui.domain.scoring import ScoreResult, score
from bilan_tui.domain.synthesis.model import (
    DossierComplet,
    Entry,
    Passage,
    PassageStyle,
    Production,
    Profile,
    ScaleLine,
    Section,
    SectionKey,
    SessionLine,
    Synthesis,
    Table,
    TestDetail,
)
from bilan_tui.domain.workbook import Workbook

AUDIENCE = Audience.BENEFICIARY
"""Everything in a synthesis and a dossier complet is for the beneficiary (and is theirs)."""

USABLE = (AnswerStatus.ANSWERED, AnswerStatus.STALE)

ANALYSE = "analyse_demande"
PARCOURS = "parcours"
INTERETS = "interets"
VALEURS = "valeurs"
CONFRONTATION = "confrontation"
BILAN_PISTES = "bilan_pistes"
PLAN_ACTION = "plan_action"
RETOUR_OBJECTIFS = "retour_objectifs"

PLAN_HEADERS = ("Action", "Échéance", "Avec qui", "Ressources", "Projet")

INITIATIVE = {
    "moi": "Le bilan est à l'initiative de {prenom}.",
    "employeur": "L'idée du bilan vient de l'employeur de {prenom}.",
    "conseiller": "L'idée du bilan vient d'un conseiller (France Travail, CEP, mission locale…).",
    "proche": "L'idée du bilan vient d'un proche de {prenom}.",
}

DECISIONS = {"principal": "Projet principal", "alternative": "Projet alternatif", "ecarte": "Piste écartée"}
DECISION_ORDER = ("principal", "alternative", "ecarte")
ATTEINTE = {"atteint": "atteint", "partiel": "en partie atteint", "non_atteint": "non atteint"}
VAE = {"oui": "Une démarche de VAE est envisagée.", "a_etudier": "Une démarche de VAE est à étudier.",
       "non": "Pas de démarche de VAE envisagée à ce stade."}


# -- reading one module run ------------------------------------------------------------------------


@dataclass
class _Run:
    """One module run as the beneficiary may read it: its visible answers, formatted, with their refs."""

    engine: Engine
    state: InterviewState
    label: str
    _variables: dict[str, Any] | None = None
    _specs: dict[str, AnswerSpec | None] = field(default_factory=dict)
    _path: frozenset[str] | None = None

    @property
    def key(self) -> str:
        return self.state.key

    @property
    def flow_id(self) -> str:
        return self.state.flow_id

    @property
    def variables(self) -> dict[str, Any]:
        if self._variables is None:
            self._variables = self.engine.variables(self.state)
        return self._variables

    @property
    def path(self) -> frozenset[str]:
        """The steps that apply now (an answer left on a branch no longer taken is not read)."""
        if self._path is None:
            self._path = frozenset(step.id for step in self.engine.path(self.state))
        return self._path

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.engine.flow.steps if s.id == step_id), None)

    def visible_steps(self) -> list[Step]:
        return [s for s in self.engine.flow.steps if s.is_question and question_visible(s, AUDIENCE)]

    def record(self, step_id: str) -> AnswerRecord | None:
        """The answer the beneficiary may read (None: none, not visible, or off the path)."""
        step = self.step(step_id)
        if step is None or not step.is_question or not question_visible(step, AUDIENCE):
            return None
        record = self.state.record(step_id)
        if record is None or record.status not in USABLE or step_id not in self.path:
            return None
        return record

    def value(self, step_id: str) -> Any:
        record = self.record(step_id)
        if record is None or record.value in (None, "", [], {}):
            return None
        return record.value

    def spec(self, step_id: str) -> AnswerSpec | None:
        if step_id not in self._specs:
            step = self.step(step_id)
            self._specs[step_id] = self.engine.resolve_spec(step, self.variables) if step is not None else None
        return self._specs[step_id]

    def text(self, step_id: str) -> str:
        """The answer as a person reads it (labels, French dates); empty when there is none."""
        value = self.value(step_id)
        if value is None:
            return ""
        return format_value(self.spec(step_id), value).strip()

    def elements(self, step_id: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The elements of a list answer, numbered from 1 as the portfolio numbers them."""
        value = self.value(step_id)
        if not isinstance(value, list):
            return []
        return [(str(i), e) for i, e in enumerate(value, start=1) if isinstance(e, Mapping)]

    def ref(self, step_id: str, element: str | None = None) -> SourceRef:
        """A link to the answer (or one element of it) with its fingerprint now, as the portfolio makes it."""
        value = self.value(step_id)
        if element is not None:
            if isinstance(value, list) and element.isdigit() and 0 < int(element) <= len(value):
                value = value[int(element) - 1]
            elif isinstance(value, Mapping):
                value = value.get(element)
            elif isinstance(value, list) and element in value:
                value = element
        return SourceRef(module=self.key, step_id=step_id, element=element, digest=digest(value))

    def field_text(self, step_id: str, field_id: str, raw: Any) -> str:
        """One field of a list element as a person reads it."""
        spec = self.spec(step_id)
        item_field = next((f for f in spec.fields if f.id == field_id), None) if spec else None
        if raw in (None, ""):
            return ""
        return field_text(item_field, raw).strip() if item_field is not None else str(raw).strip()


def _first_answer(state: InterviewState) -> dt.datetime:
    return min((r.at for r in state.answers.values()), default=dt.datetime.max)


class _Material:
    """Everything the sections read, gathered once: the runs, the visible items, the digests."""

    def __init__(self, dossier: Dossier, workbook: Workbook, portfolio: Portfolio) -> None:
        self.dossier = dossier
        self.workbook = workbook
        self.runs = [_Run(engine, state, workbook.label(engine, state)) for engine, state in workbook.modules()]
        self.runs.sort(key=lambda r: _first_answer(r.state))
        self.items = [i for i in visible_items(portfolio, AUDIENCE) if i.confirmed]
        self.by_place = {i.source.place: i for i in self.items if i.source is not None}
        self.portfolio = portfolio
        self.first_name = dossier.beneficiary.first_name

    def run(self, flow_id: str) -> _Run | None:
        return next((r for r in self.runs if r.flow_id == flow_id and not r.state.instance), None) or next(
            (r for r in self.runs if r.flow_id == flow_id), None)

    def runs_of(self, flow_id: str) -> list[_Run]:
        return [r for r in self.runs if r.flow_id == flow_id]

    def of_kind(self, kind: ItemKind) -> list[PortfolioItem]:
        return [i for i in self.items if i.kind is kind]

    def current(self, ref: SourceRef) -> SourceRef:
        """An item's link with the fingerprint of the answer as it is now (if it is still there)."""
        run = next((r for r in self.runs if r.key == ref.module), None)
        if run is None or run.record(ref.step_id) is None:
            return ref
        return run.ref(ref.step_id, ref.element)

    def item_refs(self, *items: PortfolioItem) -> tuple[SourceRef, ...]:
        refs: list[SourceRef] = []
        for item in items:
            if item.source is not None:
                refs.append(self.current(item.source))
        return tuple(dict.fromkeys(refs))

    def compare(self, run: _Run) -> StrengthsAndGaps | None:
        """A project's strengths and gaps, as the beneficiary may see them (see ``Workbook.comparisons``)."""
        flow = run.engine.flow
        if not flow.requirements:
            return None
        step_id, _, field_id = flow.requirements.partition(".")
        required = tuple(str(e.get(field_id)).strip() for _, e in run.elements(step_id) if e.get(field_id))
        if not required:
            return None
        return strengths_and_gaps(required, self.portfolio, AUDIENCE)


def _p(text: str, *answers: SourceRef, items: Iterable[str] = (), style: PassageStyle = PassageStyle.PARAGRAPH,
       sessions: Iterable[str] = ()) -> Passage:
    return Passage(text=text, style=style, answers=tuple(dict.fromkeys(answers)), items=tuple(dict.fromkeys(items)),
                   sessions=tuple(sessions))


def _bullet(text: str, *answers: SourceRef, items: Iterable[str] = ()) -> Passage:
    return _p(text, *answers, items=items, style=PassageStyle.BULLET)


def _quote(text: str, *answers: SourceRef) -> Passage:
    return _p(text.strip(), *answers, style=PassageStyle.QUOTE)


def _heading(text: str) -> Passage:
    return Passage(text=text, style=PassageStyle.HEADING)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…»" else text + "."


def _lower_first(text: str) -> str:
    """« Comptable dans… » inside a sentence: « comptable dans… » (« AFPA » stays as typed)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _with_heading(title: str, passages: list[Passage]) -> list[Passage]:
    """A sub-heading above its passages, or nothing at all when there are none."""
    return [_heading(title), *passages] if passages else []


# -- the sections ------------------------------------------------------------------------------------


def _circonstances(m: _Material) -> list[Passage]:
    run = m.run(ANALYSE)
    if run is None:
        return []
    out: list[Passage] = []
    if text := run.text("ad_circonstances"):
        out.append(_p(f"Ce qui a amené {m.first_name} au bilan, avec ses mots :", run.ref("ad_circonstances")))
        out.append(_quote(text, run.ref("ad_circonstances")))
    initiative = run.value("ad_initiative")
    if initiative is not None:
        sentence = INITIATIVE.get(str(initiative))
        text = sentence.format(prenom=m.first_name) if sentence else f"Initiative du bilan : {run.text('ad_initiative')}."
        out.append(_p(text, run.ref("ad_initiative")))
    out += _situation(run)
    if attentes := run.text("ad_attentes"):
        out.append(_p(f"Attentes exprimées : {attentes.lower()}.", run.ref("ad_attentes")))
    contraintes = [
        _bullet(_sentence(" : ".join(t for t in (run.field_text("ad_contraintes", "nature", e.get("nature")),
                                                  run.field_text("ad_contraintes", "detail", e.get("detail"))) if t)),
                run.ref("ad_contraintes", element))
        for element, e in run.elements("ad_contraintes")
    ]
    if contraintes:
        out.append(_p("Contraintes à garder en tête :", run.ref("ad_contraintes")))
        out += contraintes
    if text := run.text("ad_deja_tente"):
        out.append(_p("Ce qui avait déjà été essayé ou exploré :", run.ref("ad_deja_tente")))
        out.append(_quote(text, run.ref("ad_deja_tente")))
    if text := run.text("ad_objectifs"):
        out.append(_p("Les objectifs du bilan, formulés ensemble :", run.ref("ad_objectifs")))
        out.append(_quote(text, run.ref("ad_objectifs")))
    return out


def _situation(run: _Run) -> list[Passage]:
    situation = run.value("ad_situation")
    if situation is None:
        return []
    refs = [run.ref("ad_situation")]
    parts = [f"Situation au début du bilan : {run.text('ad_situation')}"]
    if situation == "demandeur_emploi":
        if since := run.text("ad_recherche_depuis"):
            parts.append(f"depuis le {since}")
            refs.append(run.ref("ad_recherche_depuis"))
        if last := run.text("ad_dernier_poste"):
            parts.append(f"dernier emploi : {last}")
            refs.append(run.ref("ad_dernier_poste"))
    else:
        if poste := run.text("ad_poste"):
            parts.append(_lower_first(poste))
            refs.append(run.ref("ad_poste"))
        years = run.value("ad_anciennete")
        if isinstance(years, (int, float)) and not isinstance(years, bool):
            parts.append(f"depuis {plural(years, 'an')}" if years >= 1 else "depuis moins d'un an")
            refs.append(run.ref("ad_anciennete"))
        if run.value("ad_satisfaction") is not None:
            parts.append(f"satisfaction au travail : {run.text('ad_satisfaction')} sur 5")
            refs.append(run.ref("ad_satisfaction"))
    out = [_p(_sentence(", ".join(parts)), *refs)]
    if situation == "demandeur_emploi" and (text := run.text("ad_demarches")):
        out.append(_p(_sentence(f"Démarches en cours : {text}"), run.ref("ad_demarches")))
    return out


def _hours(session: Session) -> tuple[str, float]:
    """« de 09:30 à 12:00 (2 h 30) », and the length in hours (0 when the end is not known)."""
    start = session.start_time.strftime("%H:%M")
    if session.end_time is None:
        return f"à {start}", 0.0
    minutes = (dt.datetime.combine(session.date, session.end_time)
               - dt.datetime.combine(session.date, session.start_time)).total_seconds() // 60
    if minutes <= 0:
        return f"de {start} à {session.end_time.strftime('%H:%M')}", 0.0
    return f"de {start} à {session.end_time.strftime('%H:%M')} ({_duration(int(minutes))})", minutes / 60


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _ordered(sessions: Sequence[Session]) -> list[Session]:
    return sorted(sessions, key=lambda s: (s.date, s.start_time))


def _deroulement(m: _Material, sessions: Sequence[Session]) -> list[Passage]:
    out: list[Passage] = []
    total = 0.0
    for session in _ordered(sessions):
        hours, length = _hours(session)
        total += length
        phases = m.workbook.session_phases(m.dossier, session)
        out.append(Passage(text=f"Le {session.date.strftime('%d/%m/%Y')}, {hours} : {phase_labels(phases)}.",
                           style=PassageStyle.BULLET, sessions=(session.id,)))
    if not out:
        return []
    summary = f"Le bilan s'est déroulé en {plural(len(out), 'entretien')}"
    if total:
        summary += f", soit {_duration(round(total * 60))} d'entretien au total"
    return [Passage(text=summary + ".", sessions=tuple(s.id for s in _ordered(sessions))), *out]


def _details(item: PortfolioItem) -> dict[str, str]:
    return {label: text for label, text in item.details}


def _dates(details: Mapping[str, str]) -> str:
    start, end = details.get("Début", ""), details.get("Fin", "")
    if start and end:
        return f"de {start} à {end}"
    if start:
        return f"depuis {start}"
    if end:
        return f"jusqu'en {end}"
    return ""


def _parcours(m: _Material) -> list[Passage]:
    out: list[Passage] = []
    for item in m.of_kind(ItemKind.EXPERIENCE):
        details = _details(item)
        head = ", ".join(t for t in (details.get("Nature", "").lower(), _dates(details)) if t)
        text = f"{item.title} ({head})" if head else item.title
        if context := details.get("Contexte (structure, lieu, équipe)"):
            text += f" : {context}"
        text = _sentence(text)
        if liked := details.get("Ce que vous avez aimé"):
            text += f" Ce qui a plu : {_sentence(liked)}"
        out.append(_bullet(text, *m.item_refs(item), items=(item.id,)))
    if out:
        out.insert(0, _p(f"{plural(len(out), 'expérience')} retracée{'s' if len(out) > 1 else ''} "
                         "au cours du bilan :", *(r for p in out for r in p.answers),
                         items=[i for p in out for i in p.items]))
    run = m.run(PARCOURS)
    if run is not None:
        if text := run.text("fil_rouge"):
            out.append(_p(f"Le fil rouge de ce parcours, selon {m.first_name} :", run.ref("fil_rouge")))
            out.append(_quote(text, run.ref("fil_rouge")))
        if text := run.text("tournants"):
            out.append(_p("Les tournants du parcours :", run.ref("tournants")))
            out.append(_quote(text, run.ref("tournants")))
    return out


def _proofs(m: _Material, item: PortfolioItem) -> list[PortfolioItem]:
    achievements = {i.source.place: i for i in m.of_kind(ItemKind.ACHIEVEMENT) if i.source is not None}
    return [achievements[e.place] for e in item.evidence if e.place in achievements]


def _competence(m: _Material, item: PortfolioItem) -> Passage:
    qualities = []
    if item.level is not None and not item.self_assessed:
        qualities.append(COMPETENCE_LEVELS.get(item.level, str(item.level)))
    if item.transferable is not None:
        qualities.append("transférable" if item.transferable else "propre au métier")
    text = f"{item.title} ({', '.join(qualities)})" if qualities else item.title
    proofs = _proofs(m, item)
    rating = _details(item).get("Auto-évaluation")
    if proofs:
        said = " ; ".join(_proof_text(p) for p in proofs)
        text += f" : prouvée par {said}"
        if item.self_assessed and rating:
            text += f" (auto-évaluation : {rating})"
    elif item.self_assessed:
        text += f" : auto-évaluation{f' ({rating})' if rating else ''}"
        text += (", confirmée par le consultant" if item.assessment_confirmed_at is not None
                 else ", pas encore prouvée par une réalisation")
    refs = [*m.item_refs(item, *proofs)]
    return _bullet(_sentence(text), *refs, items=(item.id, *(p.id for p in proofs)))


def _proof_text(proof: PortfolioItem) -> str:
    result = _details(proof).get("Résultat", "")
    return f"« {proof.title} »" + (f" ({result})" if result else "")


CATEGORY_ORDER = (CompetenceCategory.KNOW_HOW, CompetenceCategory.SOFT_SKILL, CompetenceCategory.KNOWLEDGE)


def _competences(m: _Material) -> list[Passage]:
    competences = m.of_kind(ItemKind.COMPETENCE)
    out: list[Passage] = []
    for category in (*CATEGORY_ORDER, None):
        found = [c for c in competences if c.category is category]
        title = category.label if category is not None else "Autres compétences"
        out += _with_heading(title, [_competence(m, c) for c in found])
    return out


def _profile(result: ScoreResult, title: str) -> Profile:
    return Profile(title=title, caveat=result.label, code=result.code, scales=tuple(
        ScaleLine(label=s.scale.label, score=s.score, minimum=s.minimum, maximum=s.maximum) for s in result.scores))


def _scored(m: _Material) -> list[tuple[_Run, ScoreResult]]:
    """The questionnaires whose every scored question the beneficiary may see, with their scores."""
    found = []
    for run in m.runs:
        flow = run.engine.flow
        if flow.scoring is None or run.state.instance:
            continue
        if not all(question_visible(step, AUDIENCE) for step, _ in flow.rated_items()):
            continue
        result = score(flow, run.state)
        if result is not None and (result.complete or any(r.status in USABLE for r in run.state.answers.values())):
            found.append((run, result))
    return found


def _test_title(run: _Run) -> str:
    """A questionnaire's name in a document (« Personnalité », not « Personnalité (facultatif) »)."""
    return run.engine.flow.title.removesuffix(" (facultatif)").strip()


def _scored_refs(run: _Run) -> tuple[SourceRef, ...]:
    steps = dict.fromkeys(step.id for step, _ in run.engine.flow.rated_items())
    return tuple(run.ref(s) for s in steps if run.record(s) is not None)


def _interets(m: _Material, scored: list[tuple[_Run, ScoreResult]]) -> list[Passage]:
    out: list[Passage] = []
    for run, result in scored:
        refs = _scored_refs(run)
        if not refs:
            continue
        passages: list[Passage] = []
        if result.complete:
            by_id = {s.scale.id: s.scale.label for s in result.scores}
            if result.code:
                names = ", ".join(by_id.get(i, i) for group in result.code_groups for i in group)
                passages.append(_p(f"Profil {result.code} ({names}).", *refs))
            for s in sorted(result.scores, key=lambda s: -s.score):
                passages.append(_bullet(f"{s.scale.label} : {s.score} (échelle de {s.minimum} à {s.maximum}).", *refs))
            passages.append(_p(result.label, *refs))
        else:
            passages.append(_p(f"Questionnaire non terminé ({plural(len(result.missing), 'phrase')} sans réponse) : "
                               "pas de profil.", *refs))
        out += _with_heading(_test_title(run), passages)
    out += _ranked(m, ItemKind.INTEREST, "Centres d'intérêt", INTERETS, "centres_pourquoi")
    out += _ranked(m, ItemKind.VALUE, "Valeurs", VALEURS, "valeurs_pourquoi")
    contexts = m.of_kind(ItemKind.CONTEXT)
    out += _with_heading(ItemKind.CONTEXT.plural, [_bullet(_sentence(c.title), *m.item_refs(c), items=(c.id,))
                                                   for c in contexts])
    motivations = []
    for item in m.of_kind(ItemKind.MOTIVATION):
        text = item.title
        if shown := _details(item).get("Réalisation"):
            text += f" (réalisation : « {shown} »)"
        motivations.append(_bullet(_sentence(text), *m.item_refs(item), items=(item.id,)))
    out += _with_heading(ItemKind.MOTIVATION.plural, motivations)
    return out


def _ranked(m: _Material, kind: ItemKind, title: str, flow_id: str, why_step: str) -> list[Passage]:
    items = sorted(m.of_kind(kind), key=lambda i: (i.rank is None, i.rank or 0))
    passages = [_bullet(f"{f'{i.rank}. ' if i.rank else ''}{i.title}", *m.item_refs(i), items=(i.id,)) for i in items]
    run = m.run(flow_id)
    if run is not None and (why := run.text(why_step)):
        passages.append(_p(f"Pourquoi, selon {m.first_name} :", run.ref(why_step)))
        passages.append(_quote(why, run.ref(why_step)))
    return _with_heading(title, passages)


def _project_name(run: _Run) -> str:
    piste = run.value("piste")
    if isinstance(piste, str) and piste and piste != "autre":
        return piste
    projet = run.value("projet")
    return str(projet).strip() if projet else run.label


def _strengths(m: _Material, run: _Run, result: StrengthsAndGaps) -> list[Passage]:
    step_id = run.engine.flow.requirements.partition(".")[0] if run.engine.flow.requirements else ""
    req = run.ref(step_id) if step_id else None
    out: list[Passage] = []
    for strength in result.strengths:
        shown = strength.proof or strength.item
        proofs = _proofs(m, shown)
        text = f"Atout : {strength.required}"
        if strength.item.title.casefold() != strength.required.casefold():
            text += f" (« {strength.item.title} » dans le portefeuille)"
        if proofs:
            text += ", prouvé par " + " ; ".join(_proof_text(p) for p in proofs)
        elif strength.item.self_assessment_pending:
            text += ", selon l'auto-évaluation"
        refs = [r for r in (req,) if r] + list(m.item_refs(strength.item, shown, *proofs))
        out.append(_bullet(_sentence(text), *refs, items=(strength.item.id, shown.id, *(p.id for p in proofs))))
    for gap in result.gaps:
        out.append(_bullet(_sentence(f"Écart à combler : {gap}"), *[r for r in (req,) if r]))
    return out


def _projets(m: _Material) -> list[Passage]:
    out: list[Passage] = []
    for run in m.runs_of(CONFRONTATION):
        passages: list[Passage] = []
        for step_id, lead in (("activites", "Le métier au quotidien"), ("conditions", "Conditions de travail")):
            if text := run.text(step_id):
                passages.append(_p(_sentence(f"{lead} : {text}"), run.ref(step_id)))
        contacts = []
        for element, e in run.elements("enquete_contacts"):
            who = run.field_text("enquete_contacts", "personne", e.get("personne"))
            where = run.field_text("enquete_contacts", "structure", e.get("structure"))
            when = run.field_text("enquete_contacts", "date", e.get("date"))
            text = who + (f" ({where})" if where else "") + (f", le {when}" if when else "")
            contacts.append(_bullet(_sentence(f"Enquête métier auprès de : {text}"), run.ref("enquete_contacts", element)))
        passages += contacts
        for step_id, lead in (("enquete_appris", "Ce que l'enquête a appris"),
                              ("enquete_surprises", "Ce qui a surpris")):
            if text := run.text(step_id):
                passages.append(_p(f"{lead} :", run.ref(step_id)))
                passages.append(_quote(text, run.ref(step_id)))
        for element, e in run.elements("marche"):
            nature = run.field_text("marche", "nature", e.get("nature"))
            fait = run.field_text("marche", "fait", e.get("fait"))
            source = ", ".join(t for t in (run.field_text("marche", "source", e.get("source")),
                                           run.field_text("marche", "date", e.get("date"))) if t)
            text = f"{nature} : {fait}" if nature else fait
            text = _sentence(text.rstrip(".") + (f" (source : {source})" if source else ""))
            passages.append(_bullet(text, run.ref("marche", element)))
        if text := run.text("formation"):
            passages.append(_p(_sentence(f"Formation nécessaire : {text}"), run.ref("formation")))
        if verdict := run.text("verdict"):
            passages.append(_p(f"Avis à ce stade : {verdict.lower()}.", run.ref("verdict")))
        if text := run.text("verdict_pourquoi"):
            passages.append(_quote(text, run.ref("verdict_pourquoi")))
        result = m.compare(run)
        if result is not None:
            passages += _strengths(m, run, result)
        out += _with_heading(_project_name(run), passages)
    return out


def _decided(m: _Material) -> list[_Run]:
    runs = m.runs_of(BILAN_PISTES)
    rank = {d: i for i, d in enumerate(DECISION_ORDER)}
    return sorted(runs, key=lambda r: rank.get(str(r.value("decision")), len(rank)))


def _orientation(m: _Material) -> list[Passage]:
    out: list[Passage] = []
    for run in _decided(m):
        passages: list[Passage] = []
        decision = run.value("decision")
        if decision is not None:
            passages.append(_p(_sentence(DECISIONS.get(str(decision), run.text("decision"))), run.ref("decision")))
        for step_id, lead in (("raisons", "Pourquoi"), ("pour", "Ce qui joue pour ce projet"),
                              ("contre", "Ce qui joue contre"), ("facteurs_reussite", "Les facteurs de réussite")):
            if text := run.text(step_id):
                spec = run.spec(step_id)
                if spec is not None and spec.type is AnswerType.LONG_TEXT:
                    passages.append(_p(f"{lead} :", run.ref(step_id)))
                    passages.append(_quote(text, run.ref(step_id)))
                else:
                    passages.append(_p(_sentence(f"{lead} : {text}"), run.ref(step_id)))
        out += _with_heading(_project_name(run), passages)
    return out


def _vigilance(m: _Material) -> list[Passage]:
    out: list[Passage] = []
    set_aside = set()
    for run in _decided(m):
        name = _project_name(run)
        if run.value("decision") == "ecarte":
            set_aside.add(name.casefold())
            continue
        for element, e in run.elements("vigilance"):
            nature = run.field_text("vigilance", "nature", e.get("nature"))
            point = run.field_text("vigilance", "point", e.get("point"))
            if not point:
                continue
            text = f"{name} — " + (f"{nature} : {point}" if nature else point)
            out.append(_bullet(_sentence(text), run.ref("vigilance", element)))
    for run in m.runs_of(CONFRONTATION):
        name = _project_name(run)
        result = m.compare(run)
        if result is None or not result.gaps or name.casefold() in set_aside:
            continue
        step_id = (run.engine.flow.requirements or "").partition(".")[0]
        out.append(_bullet(_sentence(f"{name} — Compétences à acquérir : {', '.join(result.gaps)}"),
                           run.ref(step_id)))
    return out


def _plan(m: _Material) -> tuple[list[Passage], Table | None]:
    run = m.run(PLAN_ACTION)
    if run is None:
        return [], None
    rows: list[tuple[str, ...]] = []
    row_refs: list[tuple[SourceRef, ...]] = []
    fields = ("action", "echeance", "avec", "ressources", "projet")
    for element, e in run.elements("etapes"):
        rows.append(tuple(run.field_text("etapes", f, e.get(f)) for f in fields))
        row_refs.append((run.ref("etapes", element),))
    table = Table(headers=PLAN_HEADERS, rows=tuple(rows), row_answers=tuple(row_refs)) if rows else None
    passages: list[Passage] = []
    for element, e in run.elements("formation"):
        spec = run.spec("formation")
        title = run.field_text("formation", "intitule", e.get("intitule"))
        rest = {k: v for k, v in e.items() if k != "intitule"}
        details = format_item(spec, rest) if spec is not None else ""
        text = (title + (f" — {details}" if details else "")) if title else details
        if text:
            passages.append(_bullet(_sentence(text), run.ref("formation", element)))
    if passages:
        passages.insert(0, _p("Parcours de formation :", run.ref("formation")))
    if table is not None:
        passages.insert(0, _p(f"Le plan d'action compte {plural(len(rows), 'étape')} :", run.ref("etapes")))
    return passages, table


def _vae(m: _Material) -> list[Passage]:
    run = m.run(PLAN_ACTION)
    if run is None:
        return []
    out: list[Passage] = []
    choice = run.value("vae")
    if choice is not None:
        out.append(_p(VAE.get(str(choice), _sentence(f"VAE : {run.text('vae')}")), run.ref("vae")))
    if choice != "non":
        if text := run.text("vae_certification"):
            out.append(_p(_sentence(f"Certification visée : {text}"), run.ref("vae_certification")))
        value = run.value("vae_appuis")
        spec = run.spec("vae_appuis")
        if isinstance(value, list) and spec is not None:
            # The experiences and achievements chosen, linked to their items of the portfolio.
            grounds = {i.title.casefold(): i for i in (*m.of_kind(ItemKind.EXPERIENCE), *m.of_kind(ItemKind.ACHIEVEMENT))}
            bullets = []
            for v in value:
                label = spec.choice_label(str(v))
                found = grounds.get(str(v).casefold()) or grounds.get(label.casefold())
                kind = f"{found.kind.label.lower()} : " if found is not None else ""
                bullets.append(_bullet(_sentence(f"{kind}{label}"), run.ref("vae_appuis", str(v)),
                                       *(m.item_refs(found) if found else ()), items=[found.id] if found else []))
            if bullets:
                out.append(_p("La VAE s'appuierait sur :", run.ref("vae_appuis")))
                out += bullets
        elif text := run.text("vae_appuis"):
            out.append(_p(_sentence(f"Appuis : {text}"), run.ref("vae_appuis")))
    return out


def _lines(text: str, ref: SourceRef) -> list[Passage]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line[:2] in ("- ", "• ", "* "):
            out.append(_bullet(line[2:].strip(), ref))
        else:
            out.append(_p(line, ref))
    return out


def _recommandations(m: _Material) -> list[Passage]:
    run = m.run(PLAN_ACTION)
    if run is None or not (text := run.text("recommandations")):
        return []
    return _lines(text, run.ref("recommandations"))


def _objectifs(m: _Material) -> list[Passage]:
    run = m.run(RETOUR_OBJECTIFS)
    if run is None:
        return []
    out = []
    for element, e in run.elements("objectifs"):
        objective = run.field_text("objectifs", "objectif", e.get("objectif"))
        if not objective:
            continue
        reached = str(e.get("atteinte") or "")
        said = ATTEINTE.get(reached) or run.field_text("objectifs", "atteinte", reached).lower()
        text = f"{objective.rstrip('.')} : {said}" if said else objective
        text = _sentence(text)
        if comment := run.field_text("objectifs", "commentaire", e.get("commentaire")):
            text += f" {_sentence(comment)}"
        out.append(_bullet(text, run.ref("objectifs", element)))
    return out


# -- the whole ----------------------------------------------------------------------------------------


def _linked(m: _Material, passage: Passage) -> Passage:
    """The passage with the portfolio items its answers produced (a decision, a step, a training...)."""
    found = [m.by_place[r.place].id for r in passage.answers if r.place in m.by_place]
    if not found or set(found) <= set(passage.items):
        return passage
    return passage.model_copy(update={"items": tuple(dict.fromkeys((*passage.items, *found)))})


def _synthesis(m: _Material, sessions: Sequence[Session], today: dt.date,
               scored: list[tuple[_Run, ScoreResult]]) -> Synthesis:
    plan_passages, plan_table = _plan(m)
    drafted: dict[SectionKey, tuple[list[Passage], Table | None]] = {
        SectionKey.CIRCONSTANCES: (_circonstances(m), None),
        SectionKey.DEROULEMENT: (_deroulement(m, sessions), None),
        SectionKey.PARCOURS: (_parcours(m), None),
        SectionKey.COMPETENCES: (_competences(m), None),
        SectionKey.INTERETS: (_interets(m, scored), None),
        SectionKey.PROJETS: (_projets(m), None),
        SectionKey.ORIENTATION: (_orientation(m), None),
        SectionKey.VIGILANCE: (_vigilance(m), None),
        SectionKey.PLAN: (plan_passages, plan_table),
        SectionKey.VAE: (_vae(m), None),
        SectionKey.RECOMMANDATIONS: (_recommandations(m), None),
        SectionKey.OBJECTIFS: (_objectifs(m), None),
    }
    sections = tuple(Section(key=key, title=key.heading, passages=tuple(_linked(m, p) for p in drafted[key][0]),
                             table=drafted[key][1]) for key in SectionKey)
    profiles = tuple(_profile(result, _test_title(run)) for run, result in scored if result.complete)
    return Synthesis(beneficiary=m.dossier.beneficiary.display_name, consultant=m.dossier.consultant,
                     drafted_on=today, sections=sections, profiles=profiles)


def build_synthesis(dossier: Dossier, sessions: Sequence[Session], workbook: Workbook, portfolio: Portfolio,
                    *, today: dt.date) -> Synthesis:
    """The draft synthesis of a dossier, from what the beneficiary may see only."""
    material = _Material(dossier, workbook, portfolio)
    return _synthesis(material, sessions, today, _scored(material))


def _session_line(m: _Material, session: Session) -> SessionLine:
    hours, _ = _hours(session)
    report = ""
    if session.report is not None:
        report = session.report.results.strip()
        if session.report.next_actions:
            report += "\nÀ faire d'ici la prochaine séance :\n" + "\n".join(f"- {a}" for a in session.report.next_actions)
        if next_meeting := session.report.next_meeting_label():
            report += f"\nProchain entretien : {next_meeting}"
    return SessionLine(date=session.date, hours=hours, phases=phase_labels(m.workbook.session_phases(m.dossier, session)),
                       objectives=session.objectives, report=report.strip())


def _production(m: _Material, run: _Run) -> Production | None:
    rated = {step.id for step, _ in run.engine.flow.rated_items()} if run.engine.flow.scoring else set()
    entries = []
    for step in run.visible_steps():
        record = run.state.record(step.id)
        if step.id in rated or record is None or record.status is AnswerStatus.PENDING or step.id not in run.path:
            continue
        entries.append(Entry(question=run.engine.prompt(step, run.state),
                             answer=Workbook.answer_text(run.engine, step, run.state, record)))
    if not entries:
        return None
    return Production(title=run.label, phase=m.workbook.module_phase(m.dossier, run.flow_id).label,
                      entries=tuple(entries))


def _test_detail(run: _Run, result: ScoreResult) -> TestDetail:
    entries = []
    for step, item in run.engine.flow.rated_items():
        record = run.record(step.id)
        value = record.value.get(item.id) if record is not None and isinstance(record.value, dict) else None
        spec = step.answer
        label = spec.scale_labels.get(value) if spec is not None and isinstance(value, int) else None
        shown = "—" if value is None else f"{value} ({label})" if label else str(value)
        entries.append(Entry(question=item.label, answer=shown))
    return TestDetail(profile=_profile(result, _test_title(run)), items=tuple(entries))


def build_dossier_complet(dossier: Dossier, sessions: Sequence[Session], workbook: Workbook, portfolio: Portfolio,
                          *, today: dt.date) -> DossierComplet:
    """The synthesis plus every stage, every production and the detailed test results."""
    m = _Material(dossier, workbook, portfolio)
    scored = _scored(m)
    order = list(Phase)
    runs = sorted(m.runs, key=lambda r: order.index(workbook.module_phase(dossier, r.flow_id)))
    productions = [p for p in (_production(m, run) for run in runs) if p is not None]
    return DossierComplet(
        synthesis=_synthesis(m, sessions, today, scored),
        sessions=tuple(_session_line(m, s) for s in _ordered(sessions)),
        productions=tuple(productions),
        tests=tuple(_test_detail(run, result) for run, result in scored),
    )


__all__ = ["build_dossier_complet", "build_synthesis"]
