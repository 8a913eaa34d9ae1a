"""Domain models of a bilan: beneficiary, dossier, session, answer records.

Every text a person wrote is a :data:`CleanLine` or :data:`CleanText` (or, for an answer's value,
cleaned element by element): a dossier file that carries terminal escape sequences is cleaned when it
is loaded, whoever wrote it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bilan_tui.domain.text import CleanLine, CleanText, clean_text, is_blank

SCHEMA_VERSION = 4
"""Version of the stored dossier format; bumped with a migration in storage when models change.

2: the dossier's module plan, repeatable module instances and the competence portfolio.
3: the synthesis table (rewrites, frozen versions, consents). Nothing to convert, but an older
bilan-tui refuses a table it does not know: the number tells it to ask for an update rather than
call the file damaged.
4: the administrative file (table « administratif »): information préalable, funding, convention,
hours, planning, attendance. Nothing to convert either: absent, it is empty."""


class Phase(StrEnum):
    INFORMATION = "information"
    PRELIMINAIRE = "preliminaire"
    INVESTIGATION = "investigation"
    CONCLUSION = "conclusion"
    REMISE = "remise"
    SUIVI = "suivi"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]


PHASE_LABELS = {
    Phase.INFORMATION: "Information préalable",
    Phase.PRELIMINAIRE: "Phase préliminaire",
    Phase.INVESTIGATION: "Investigation",
    Phase.CONCLUSION: "Conclusion",
    Phase.REMISE: "Remise de la synthèse",
    Phase.SUIVI: "Suivi post-bilan",
}


class DossierStatus(StrEnum):
    OPEN = "ouvert"
    SUSPENDED = "suspendu"
    CLOSED = "clos"


class Situation(StrEnum):
    EMPLOYED = "salarie"
    JOB_SEEKER = "demandeur_emploi"
    SELF_EMPLOYED = "independant"
    CIVIL_SERVANT = "agent_public"
    OTHER = "autre"

    @property
    def label(self) -> str:
        return SITUATION_LABELS[self]


SITUATION_LABELS = {
    Situation.EMPLOYED: "Salarié(e)",
    Situation.JOB_SEEKER: "Demandeur(se) d'emploi",
    Situation.SELF_EMPLOYED: "Indépendant(e)",
    Situation.CIVIL_SERVANT: "Agent public",
    Situation.OTHER: "Autre",
}


class Funding(StrEnum):
    """Who pays for the bilan."""

    CPF = "cpf"
    EMPLOYER = "employeur"
    FRANCE_TRAVAIL = "france_travail"
    PERSONAL = "personnel"
    OTHER = "autre"

    @property
    def label(self) -> str:
        return {
            Funding.CPF: "CPF (compte personnel de formation)",
            Funding.EMPLOYER: "Employeur (plan de développement des compétences)",
            Funding.FRANCE_TRAVAIL: "France Travail",
            Funding.PERSONAL: "Financement personnel",
            Funding.OTHER: "Autre",
        }[self]


class WorkingTime(StrEnum):
    """Whether the sessions take place during working hours (the employer then agrees to it)."""

    DURING = "sur_temps_de_travail"
    OUTSIDE = "hors_temps_de_travail"

    @property
    def label(self) -> str:
        return {WorkingTime.DURING: "Sur le temps de travail", WorkingTime.OUTSIDE: "Hors temps de travail"}[self]


class Contract(StrEnum):
    """The beneficiary's employment contract when the bilan begins."""

    CDI = "cdi"
    CDD = "cdd"
    TEMPORARY = "interim"
    CIVIL_SERVANT = "fonctionnaire"
    SELF_EMPLOYED = "independant"
    NONE = "sans_emploi"
    OTHER = "autre"

    @property
    def label(self) -> str:
        return {
            Contract.CDI: "CDI",
            Contract.CDD: "CDD",
            Contract.TEMPORARY: "Intérim",
            Contract.CIVIL_SERVANT: "Fonctionnaire",
            Contract.SELF_EMPLOYED: "Indépendant(e)",
            Contract.NONE: "Sans emploi",
            Contract.OTHER: "Autre",
        }[self]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _clean(text: str) -> str:
    return text.strip()


class Beneficiary(Model):
    first_name: CleanLine = Field(min_length=1)
    last_name: CleanLine = Field(min_length=1)
    email: CleanLine = ""
    phone: CleanLine = ""
    situation: Situation = Situation.OTHER
    situation_detail: CleanLine = ""
    """Free text: employer and job, or registration date at France Travail, ..."""
    birth_date: dt.date | None = None
    """Checked against the day it is typed (see ``answers.birth_date_problems``), not here: no clock."""
    funding: Funding | None = None
    working_time: WorkingTime | None = None
    contract: Contract | None = None
    """None: not given (dossiers created before these fields load unchanged)."""

    _strip = field_validator("first_name", "last_name", "email", "phone", "situation_detail")(_clean)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PlannedModule(Model):
    """A module (flow) chosen for this bilan, and the phase in which it is run."""

    flow_id: str
    phase: Phase


class Dossier(Model):
    """One bilan of one beneficiary."""

    id: str
    beneficiary: Beneficiary
    consultant: CleanLine = ""
    phase: Phase = Phase.PRELIMINAIRE
    status: DossierStatus = DossierStatus.OPEN
    created_at: dt.datetime
    closed_on: dt.date | None = None
    modules: tuple[PlannedModule, ...] = ()
    """The module plan; empty until the consultant chooses (every module is then offered)."""
    phase_set_at: dt.datetime | None = None
    """When the consultant last set the phase by hand; only work recorded later moves it on (see
    :meth:`bilan_tui.domain.workbook.Workbook.followed_phase`)."""

    def planned(self, flow_id: str) -> PlannedModule | None:
        return next((m for m in self.modules if m.flow_id == flow_id), None)


class SessionReport(Model):
    """The *compte-rendu* written together at the end of a session."""

    results: CleanText
    next_actions: tuple[CleanLine, ...] = ()
    written_at: dt.datetime
    next_meeting: dt.date | None = None
    """The date of the next meeting, agreed at the end of the session (none after the last one)."""
    next_meeting_time: dt.time | None = None

    def next_meeting_label(self) -> str:
        """« 03/12/2026 à 14:00 », « 03/12/2026 », or empty when no meeting was set."""
        if self.next_meeting is None:
            return ""
        label = self.next_meeting.strftime("%d/%m/%Y")
        if self.next_meeting_time is not None:
            label += " à " + self.next_meeting_time.strftime("%H:%M")
        return label


class SessionMidReview(Model):
    """What was said at the mid-bilan review held in a session: where the bilan stands, whether the
    method is understood, what is adjusted. Working-file content (it speaks of the bilan itself): the
    administrative file keeps only its trace (see ``procedure.information.MidReviewTrace``)."""

    where_we_stand: CleanText
    method_understood: bool
    adjustments: CleanText = ""
    recorded_at: dt.datetime


class Session(Model):
    """One *entretien*: objectives stated at the start, a report at the end.

    A session whose report is written is closed: it can be read, never answered into (see
    :func:`bilan_tui.domain.sessions.closed_session_writes`).
    """

    id: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time | None = None
    phase: Phase
    """The dossier's phase when the session started."""
    objectives: CleanText
    objectives_agreed: bool = False
    objectives_reason: CleanLine = ""
    """Why the session started although the objectives were not agreed (« à revoir la prochaine fois »)."""
    report: SessionReport | None = None
    phases: tuple[Phase, ...] = ()
    """The phases this session served, recorded when its report is written or set by the consultant;
    empty: they follow the modules answered in it."""
    phases_by_hand: bool = False
    """The consultant set :attr:`phases`: they no longer follow the modules answered."""
    mid_review: SessionMidReview | None = None
    """The mid-bilan review, when it was held in this session (None: sessions saved before it load)."""

    @property
    def is_open(self) -> bool:
        return self.report is None

    @property
    def agreement_label(self) -> str:
        """Whether the objectives were agreed, as a person reads it."""
        if self.objectives_agreed:
            return "acceptés"
        return "non acceptés" + (f" : {self.objectives_reason}" if self.objectives_reason else "")

    def served_phases(self, worked: tuple[Phase, ...]) -> tuple[Phase, ...]:
        """The phases this session served, given those of the modules answered in it (``worked``).

        Set by hand, or recorded at its close: as recorded. Otherwise the modules' phases, or the
        dossier's phase when it started while nothing is answered yet.
        """
        if self.phases and (self.phases_by_hand or not self.is_open):
            return self.phases
        return worked or self.phases or (self.phase,)

    @classmethod
    def start(cls, dossier: Dossier, objectives: str, agreed: bool, now: dt.datetime, reason: str = "") -> Session:
        """A new session, in the dossier's current phase, starting ``now``.

        ``reason``: why it starts although the objectives were not ``agreed`` (kept only then).
        """
        return cls(
            id=uuid.uuid4().hex[:12],
            date=now.date(),
            start_time=now.time().replace(second=0, microsecond=0),
            phase=dossier.phase,
            objectives=clean_text(objectives, multiline=True).strip(),
            objectives_agreed=agreed,
            objectives_reason="" if agreed else clean_text(reason).strip(),
        )


def phase_labels(phases: tuple[Phase, ...]) -> str:
    """« Phase préliminaire + Investigation »."""
    return " + ".join(phase.label for phase in phases)


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    SKIPPED = "skipped"
    DEFERRED = "deferred"
    STALE = "stale"
    PENDING = "pending"
    """Not answered yet; the record only carries notes taken on the question."""

    @property
    def label(self) -> str:
        return {
            AnswerStatus.PENDING: "sans réponse",
            AnswerStatus.ANSWERED: "répondu",
            AnswerStatus.SKIPPED: "passé",
            AnswerStatus.DEFERRED: "reporté",
            AnswerStatus.STALE: "à revoir",
        }[self]


class Respondent(StrEnum):
    BENEFICIARY = "beneficiary"
    CONSULTANT = "consultant"
    BOTH = "both"


class Visibility(StrEnum):
    CONSULTANT = "consultant"
    SHARED = "shared"


class SkipReason(StrEnum):
    LATER = "plus_tard"
    NOT_APPLICABLE = "ne_s_applique_pas"
    PREFERS_NOT = "prefere_ne_pas_repondre"

    @property
    def label(self) -> str:
        return {
            SkipReason.LATER: "Plus tard (la question reviendra)",
            SkipReason.NOT_APPLICABLE: "Ne s'applique pas",
            SkipReason.PREFERS_NOT: "Préfère ne pas répondre",
        }[self]


class Note(Model):
    text: CleanText = Field(min_length=1)
    visibility: Visibility = Visibility.CONSULTANT
    at: dt.datetime

    @field_validator("text")
    @classmethod
    def _written(cls, value: str) -> str:
        if is_blank(value):
            raise ValueError("une note ne peut pas être vide ou faite d'espaces")
        return value


def clean_value(value: Any) -> Any:
    """An answer's value with control characters removed from every text in it (lists, items, grids).

    Newlines and tabs stay: a long text keeps its lines; the value of a one-line answer never had any.
    """
    if isinstance(value, str):
        return clean_text(value, multiline=True)
    if isinstance(value, list | tuple):
        return type(value)(clean_value(v) for v in value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    return value


def _without_blank_notes(notes: Any) -> Any:
    """Notes read from a file, less those that show nothing (older versions stored them)."""
    if not isinstance(notes, list | tuple):
        return notes
    return tuple(n for n in notes if not (isinstance(n, dict) and isinstance(n.get("text"), str)
                                          and is_blank(clean_text(n["text"], multiline=True))))


class Revision(Model):
    """A former state of an answer, kept when it is changed."""

    value: Any = None
    status: AnswerStatus
    skip_reason: CleanLine | None = None
    answered_by: Respondent
    at: dt.datetime
    flow_version: str

    _clean_value = field_validator("value")(clean_value)


class AnswerRecord(Model):
    step_id: str
    value: Any = None
    status: AnswerStatus
    skip_reason: CleanLine | None = None
    answered_by: Respondent = Respondent.BENEFICIARY
    at: dt.datetime
    flow_version: str
    session_id: str | None = None
    revisions: tuple[Revision, ...] = ()
    notes: tuple[Note, ...] = ()

    _clean_value = field_validator("value")(clean_value)
    _notes = field_validator("notes", mode="before")(_without_blank_notes)

    def as_revision(self) -> Revision:
        return Revision(
            value=self.value,
            status=self.status,
            skip_reason=self.skip_reason,
            answered_by=self.answered_by,
            at=self.at,
            flow_version=self.flow_version,
        )


class ItemKind(StrEnum):
    """The kinds of item in the competence portfolio."""

    EXPERIENCE = "experience"
    ACHIEVEMENT = "realisation"
    COMPETENCE = "competence"
    INTEREST = "interet"
    VALUE = "valeur"
    CONTEXT = "contexte"
    MOTIVATION = "motivation"
    PROJECT = "projet"
    DECISION = "decision"
    STEP = "etape"
    TRAINING = "formation"
    VAE = "vae"

    @property
    def label(self) -> str:
        return ITEM_KIND_LABELS[self][0]

    @property
    def plural(self) -> str:
        return ITEM_KIND_LABELS[self][1]


ITEM_KIND_LABELS = {
    ItemKind.EXPERIENCE: ("Expérience", "Expériences"),
    ItemKind.ACHIEVEMENT: ("Réalisation", "Réalisations"),
    ItemKind.COMPETENCE: ("Compétence", "Compétences"),
    ItemKind.INTEREST: ("Centre d'intérêt", "Centres d'intérêt"),
    ItemKind.VALUE: ("Valeur", "Valeurs"),
    ItemKind.CONTEXT: ("Contexte de travail souhaité", "Contextes de travail souhaités"),
    ItemKind.MOTIVATION: ("Motivation", "Motivations"),
    ItemKind.PROJECT: ("Piste", "Pistes et projets"),
    ItemKind.DECISION: ("Décision sur un projet", "Décisions sur les projets"),
    ItemKind.STEP: ("Étape du plan d'action", "Plan d'action"),
    ItemKind.TRAINING: ("Formation", "Formations"),
    ItemKind.VAE: ("Démarche VAE", "Démarches VAE"),
}


class CompetenceCategory(StrEnum):
    KNOWLEDGE = "savoir"
    KNOW_HOW = "savoir_faire"
    SOFT_SKILL = "savoir_etre"

    @property
    def label(self) -> str:
        return {"savoir": "Savoir", "savoir_faire": "Savoir-faire", "savoir_etre": "Savoir-être"}[self.value]


COMPETENCE_LEVELS = {1: "notions", 2: "pratique", 3: "maîtrise", 4: "expertise"}
