"""The synthesis as data: sections of passages, each passage with the answers and items it comes from.

Pure data (pydantic, frozen). :mod:`bilan_tui.domain.synthesis.build` makes it from a dossier;
:mod:`bilan_tui.domain.synthesis.record` keeps the rewrites, the frozen versions and the consents;
:mod:`bilan_tui.rendering` turns it into documents. Nothing in these models is consultant-only: the
builder only ever reads what the beneficiary may see (see :mod:`bilan_tui.domain.privacy`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from enum import StrEnum

from bilan_tui.domain.models import Model
from bilan_tui.domain.portfolio import SourceRef

NOT_COVERED = "Non abordé au cours du bilan."
"""Said by a section with no material: never a generic paragraph in its place."""


class SectionKey(StrEnum):
    """The sections of the synthesis, in the order of the document.

    The first six retrace the bilan; the last six are the seed's five parts of a synthesis
    (orientation, vigilance, training and action plan, VAE, recommendations) and the review of the
    objectives the quality framework asks for.
    """

    CIRCONSTANCES = "circonstances"
    DEROULEMENT = "deroulement"
    PARCOURS = "parcours"
    COMPETENCES = "competences"
    INTERETS = "interets"
    PROJETS = "projets"
    ORIENTATION = "orientation"
    VIGILANCE = "vigilance"
    PLAN = "plan"
    VAE = "vae"
    RECOMMANDATIONS = "recommandations"
    OBJECTIFS = "objectifs"

    @property
    def heading(self) -> str:
        return SECTION_TITLES[self]


SECTION_TITLES = {
    SectionKey.CIRCONSTANCES: "Circonstances et demande initiale",
    SectionKey.DEROULEMENT: "Les étapes du bilan",
    SectionKey.PARCOURS: "Parcours professionnel",
    SectionKey.COMPETENCES: "Compétences et aptitudes",
    SectionKey.INTERETS: "Intérêts, valeurs et motivations",
    SectionKey.PROJETS: "Les projets confrontés à la réalité",
    SectionKey.ORIENTATION: "Possibilités d'orientation et projets",
    SectionKey.VIGILANCE: "Points de vigilance",
    SectionKey.PLAN: "Formation et plan d'action",
    SectionKey.VAE: "Validation des acquis de l'expérience (VAE)",
    SectionKey.RECOMMANDATIONS: "Recommandations pour la recherche d'emploi et le repositionnement",
    SectionKey.OBJECTIFS: "Retour sur les objectifs du bilan",
}

SEED_SECTIONS = (SectionKey.ORIENTATION, SectionKey.VIGILANCE, SectionKey.PLAN, SectionKey.VAE,
                 SectionKey.RECOMMANDATIONS)
"""The five parts the seed asks every synthesis to retrace."""


class PassageStyle(StrEnum):
    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    QUOTE = "quote"
    """The beneficiary's own words, shown as a quotation (« … »)."""
    HEADING = "heading"
    """A sub-heading inside a section (a project's name, a test's name)."""


class Passage(Model):
    """One sentence, bullet, quotation or sub-heading, with what it comes from."""

    text: str
    style: PassageStyle = PassageStyle.PARAGRAPH
    answers: tuple[SourceRef, ...] = ()
    """The answers (or elements of answers) it comes from, each with its fingerprint when drafted."""
    items: tuple[str, ...] = ()
    """The ids of the portfolio items it comes from."""
    sessions: tuple[str, ...] = ()
    """The ids of the sessions it comes from (the steps of the bilan)."""


class Table(Model):
    """A table of a section (the action plan): headers and rows of text, each row with its sources."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_answers: tuple[tuple[SourceRef, ...], ...] = ()


class Section(Model):
    key: SectionKey
    title: str
    passages: tuple[Passage, ...] = ()
    table: Table | None = None
    rewritten: bool = False
    """The text is a rewrite typed by consultant and beneficiary (one paragraph per line)."""

    @property
    def empty(self) -> bool:
        return not self.passages and self.table is None

    def fingerprint(self) -> str:
        """Changes whenever the text or any source of the section changes (text, answers' digests).

        Fields at their default are left out: a field added later with a default does not change the
        fingerprint of a section that does not use it (rewrites are not all flagged after an update).
        """
        return _sha256(self.model_dump(mode="json", exclude={"rewritten"}, exclude_defaults=True))


class ScaleLine(Model):
    label: str
    score: int
    minimum: int
    maximum: int


class Profile(Model):
    """A questionnaire's profile, summarised (never its items): for the charts of the documents."""

    title: str
    caveat: str
    code: str = ""
    scales: tuple[ScaleLine, ...] = ()


class Synthesis(Model):
    beneficiary: str
    consultant: str = ""
    drafted_on: dt.date
    sections: tuple[Section, ...]
    profiles: tuple[Profile, ...] = ()

    def section(self, key: SectionKey) -> Section:
        return next(s for s in self.sections if s.key is key)


class Entry(Model):
    """A question and its answer as the beneficiary may read them (dossier complet)."""

    question: str
    answer: str


class Production(Model):
    """A module run's answers, for the dossier complet."""

    title: str
    phase: str
    entries: tuple[Entry, ...] = ()


class TestDetail(Model):
    """A questionnaire's detailed results for the dossier complet: every item and its answer, the scores."""

    profile: Profile
    items: tuple[Entry, ...] = ()


class SessionLine(Model):
    """A session as the dossier complet lists it: date, hours, phases, objectives, report."""

    date: dt.date
    hours: str
    phases: str
    objectives: str
    report: str = ""


class DossierComplet(Model):
    synthesis: Synthesis
    sessions: tuple[SessionLine, ...] = ()
    productions: tuple[Production, ...] = ()
    tests: tuple[TestDetail, ...] = ()


def _sha256(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def content_hash(synthesis: Synthesis) -> str:
    """The SHA-256 of a synthesis's content: what a frozen version carries and every footer prints.

    Fields at their default are left out, so that a field added to these models later (always with a
    default) leaves the hash of a version frozen before unchanged: it must still match when read back.
    """
    return _sha256(synthesis.model_dump(mode="json", exclude_defaults=True))
