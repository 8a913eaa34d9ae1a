"""What consultant and beneficiary decide about the synthesis: rewrites, frozen versions, consents.

The draft (:mod:`bilan_tui.domain.synthesis.build`) is computed from the dossier each time; this
record is what is kept beside it:

- **Rewrites.** A section rewritten together keeps the generated section it replaced (its text and
  sources). When the answers change, the draft's section changes too: the rewrite is then *à revoir*
  (its generated section's fingerprint differs from the new one). It is never overwritten: they either
  keep it (:meth:`SynthesisRecord.keep_rewrite`) or go back to the new text
  (:meth:`SynthesisRecord.without_rewrite`).
- **Frozen versions.** Validating asks both names; the final content (rewrites applied) is frozen
  with its date, both names and its SHA-256. Nothing here changes a frozen version; a later change is
  validated as version 2, 3... and storage refuses a record that drops or alters one.
- **Consents.** An excerpt for a third party (an employer, a CEP operator) is made only under a
  recorded consent: who receives it, which sections, the date, the beneficiary's typed agreement.
  A consent is withdrawn, never erased (it is part of the administrative file); once withdrawn, no
  excerpt is made under it.

The typed agreement of a consent is accepted when it carries the beneficiary's name (first and last,
in either order, as a signature under the consent shown on screen) or an explicit formula of agreement
(« j'accepte », « je consens », « j'autorise », « je donne mon accord », « je suis d'accord », « bon pour
accord »), and no negation (« pas », « non », « refuse », « jamais »...): a refusal typed in the field is
never recorded as a consent.

Pure: the clock is always given (``now``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum

from pydantic import Field, model_validator

from bilan_tui.domain.models import Model
from bilan_tui.domain.plural import plural
from bilan_tui.domain.portfolio import SourceRef
from bilan_tui.domain.synthesis.model import (
    Passage,
    PassageStyle,
    Section,
    SectionKey,
    Synthesis,
    content_hash,
)
from bilan_tui.domain.text import (
    MAX_LINE_LENGTH,
    MAX_TEXT_LENGTH,
    CleanLine,
    CleanText,
    clean_text,
    excerpt,
    is_blank,
    name_forms,
    name_key,
    names_match,
    too_long,
)


class SynthesisError(ValueError):
    """A refused change of the synthesis record; ``str(error)`` is a French sentence for a person.

    ``field`` names what was refused when a form can point at it (a consent's ``recipient``,
    ``sections``, ``given_on`` or ``agreement``); empty otherwise.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class SectionState(StrEnum):
    GENERATED = "generated"
    REWRITTEN = "rewritten"
    TO_REVIEW = "to_review"

    @property
    def label(self) -> str:
        return {
            SectionState.GENERATED: "texte proposé",
            SectionState.REWRITTEN: "réécrit",
            SectionState.TO_REVIEW: "⚠ à revoir",
        }[self]


class Rewrite(Model):
    """A section's text as rewritten together, with the generated section it replaced."""

    key: SectionKey
    text: CleanText
    generated: Section
    """The generated section when it was rewritten (or last reviewed): its text and sources, kept beside."""
    at: dt.datetime
    reviewed_at: dt.datetime | None = None
    """When the rewrite was last kept against a new draft (:meth:`SynthesisRecord.keep_rewrite`)."""

    @model_validator(mode="after")
    def _same_section(self) -> Rewrite:
        if self.generated.key != self.key:
            raise ValueError("the generated section is not the rewritten one")
        return self


class FrozenVersion(Model):
    """A validated synthesis: never changed once made."""

    number: int = Field(ge=1)
    frozen_at: dt.datetime
    consultant_name: CleanLine
    beneficiary_name: CleanLine
    synthesis: Synthesis
    """The final content: the draft with the rewrites applied."""
    sha256: str

    @model_validator(mode="after")
    def _hash_matches(self) -> FrozenVersion:
        if self.sha256 != content_hash(self.synthesis):
            raise ValueError("the content does not match its SHA-256 (frozen version altered)")
        return self

    @property
    def label(self) -> str:
        return f"version {self.number} du {self.frozen_at.strftime('%d/%m/%Y')}"


class Consent(Model):
    """The beneficiary's recorded agreement that a third party receives some sections."""

    id: str = Field(min_length=1)
    recipient: CleanLine = Field(min_length=1)
    sections: tuple[SectionKey, ...] = Field(min_length=1)
    given_on: dt.date
    agreement: CleanLine = Field(min_length=1)
    """The beneficiary's agreement, as typed."""
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def sections_label(self) -> str:
        """The sections by their headings, in the order of the document."""
        return ", ".join(key.heading for key in self.sections)

    @property
    def state_label(self) -> str:
        if self.withdrawn_at is None:
            return "actif"
        return f"retiré le {self.withdrawn_at.strftime('%d/%m/%Y')}"


class SynthesisRecord(Model):
    """Rewrites, frozen versions and consents of one dossier's synthesis."""

    rewrites: tuple[Rewrite, ...] = ()
    versions: tuple[FrozenVersion, ...] = ()
    consents: tuple[Consent, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> SynthesisRecord:
        keys = [r.key for r in self.rewrites]
        if len(keys) != len(set(keys)):
            raise ValueError("two rewrites of the same section")
        if [v.number for v in self.versions] != list(range(1, len(self.versions) + 1)):
            raise ValueError("versions not numbered 1, 2, 3...")
        ids = [c.id for c in self.consents]
        if len(ids) != len(set(ids)):
            raise ValueError("two consents with the same id")
        return self

    # -- rewrites ----------------------------------------------------------------------------------

    def rewrite_of(self, key: SectionKey) -> Rewrite | None:
        return next((r for r in self.rewrites if r.key == key), None)

    def state(self, generated: Section) -> SectionState:
        """Whether ``generated`` (the draft's section) stands, is rewritten, or its rewrite is to review."""
        rewrite = self.rewrite_of(generated.key)
        if rewrite is None:
            return SectionState.GENERATED
        if rewrite.generated.fingerprint() != generated.fingerprint():
            return SectionState.TO_REVIEW
        return SectionState.REWRITTEN

    def with_rewrite(self, generated: Section, text: str, *, now: dt.datetime) -> SynthesisRecord:
        """The section rewritten as ``text`` (one paragraph per line), the generated one kept beside."""
        cleaned = clean_rewrite(text)
        heading = generated.key.heading
        if is_blank(cleaned):
            raise SynthesisError(f"La réécriture de « {heading} » est vide : écrivez le texte, "
                                 "ou revenez au texte proposé.")
        problem = too_long(cleaned, MAX_TEXT_LENGTH)
        if problem:
            raise SynthesisError(f"Réécriture de « {heading} » non enregistrée : {problem}.")
        current = self.rewrite_of(generated.key)
        if current is None and cleaned == clean_rewrite(plain_text(generated)):
            raise SynthesisError(f"Le texte de « {heading} » n'a pas été modifié : rien à réécrire.")
        if current is not None and cleaned == current.text and current.generated == generated:
            raise SynthesisError(f"La réécriture de « {heading} » n'a pas changé.")
        rewrite = Rewrite(key=generated.key, text=cleaned, generated=generated, at=now)
        return self._replacing(rewrite)

    def without_rewrite(self, key: SectionKey) -> SynthesisRecord:
        """Back to the generated text of the section (its rewrite is dropped)."""
        if self.rewrite_of(key) is None:
            raise SynthesisError(f"« {key.heading} » n'a pas été réécrit : le texte proposé s'applique déjà.")
        return self.model_copy(update={"rewrites": tuple(r for r in self.rewrites if r.key != key)})

    def keep_rewrite(self, generated: Section, *, now: dt.datetime) -> SynthesisRecord:
        """The rewrite reviewed: it stands against the new draft ``generated`` (no longer « à revoir »)."""
        rewrite = self.rewrite_of(generated.key)
        if rewrite is None:
            raise SynthesisError(f"« {generated.key.heading} » n'a pas été réécrit : rien à conserver.")
        return self._replacing(rewrite.model_copy(update={"generated": generated, "reviewed_at": now}))

    def _replacing(self, rewrite: Rewrite) -> SynthesisRecord:
        others = tuple(r for r in self.rewrites if r.key is not rewrite.key)
        ordered = sorted((*others, rewrite), key=lambda r: list(SectionKey).index(r.key))
        return self.model_copy(update={"rewrites": tuple(ordered)})

    def final(self, draft: Synthesis) -> Synthesis:
        """The draft with the rewrites applied: what is read, validated and exported.

        A rewritten section's passages are its lines, one paragraph each, every one carrying all the
        sources of the generated section it was written from. A section's table (the action plan) is
        data of the modules, not text: it stays as the draft has it.
        """
        sections = []
        for section in draft.sections:
            rewrite = self.rewrite_of(section.key)
            sections.append(section if rewrite is None else _rewritten(section, rewrite))
        return draft.model_copy(update={"sections": tuple(sections)})

    def to_review(self, draft: Synthesis) -> list[SectionKey]:
        """The sections whose rewrite was written from a draft that has changed since."""
        return [s.key for s in draft.sections if self.state(s) is SectionState.TO_REVIEW]

    # -- joint validation ------------------------------------------------------------------------

    @property
    def latest(self) -> FrozenVersion | None:
        return self.versions[-1] if self.versions else None

    def version(self, number: int) -> FrozenVersion:
        for frozen in self.versions:
            if frozen.number == number:
                return frozen
        existing = ", ".join(str(v.number) for v in self.versions)
        known = f"versions : {existing}" if existing else "aucune version validée"
        raise SynthesisError(f"La version {number} n'existe pas ({known}).")

    # Shadows pydantic's deprecated ``BaseModel.validate`` classmethod (unused: models load with
    # ``model_validate``): here it is the joint validation the synthesis screen and the CLI call.
    def validate(  # type: ignore[override]
        self,
        draft: Synthesis,
        *,
        consultant: str,
        beneficiary: str,
        expected_consultant: str,
        expected_beneficiary: str,
        now: dt.datetime,
    ) -> tuple[SynthesisRecord, FrozenVersion]:
        """Freeze the final synthesis as the next version, once both have typed their names.

        Names match whatever the case, accents, spaces and hyphens; the beneficiary's first and last
        names in either order. With no consultant named on the dossier (``expected_consultant`` empty),
        any name typed by the consultant is accepted. The frozen version carries the names of the
        dossier (as typed when the dossier names no consultant).
        """
        typed_consultant = clean_text(consultant).strip()
        typed_beneficiary = clean_text(beneficiary).strip()
        if is_blank(typed_consultant):
            raise SynthesisError("Le consultant doit taper son nom pour valider la synthèse.")
        if is_blank(typed_beneficiary):
            raise SynthesisError("Le bénéficiaire doit taper son nom pour valider la synthèse.")
        for typed, label in ((typed_consultant, "consultant"), (typed_beneficiary, "bénéficiaire")):
            problem = too_long(typed, MAX_LINE_LENGTH)
            if problem:
                raise SynthesisError(f"Nom du {label} : {problem}.")
        expected_consultant = clean_text(expected_consultant).strip()
        expected_beneficiary = clean_text(expected_beneficiary).strip()
        if not is_blank(expected_consultant) and not names_match(typed_consultant, expected_consultant):
            raise SynthesisError(f"Le nom tapé par le consultant (« {excerpt(typed_consultant)} ») ne correspond pas "
                                 f"à celui du dossier (« {expected_consultant} »).")
        if not is_blank(expected_beneficiary) and not names_match(typed_beneficiary, expected_beneficiary):
            raise SynthesisError(f"Le nom tapé par le bénéficiaire (« {excerpt(typed_beneficiary)} ») ne correspond "
                                 f"pas à celui du dossier (« {expected_beneficiary} »).")
        review = self.to_review(draft)
        if review:
            headings = ", ".join(f"« {key.heading} »" for key in review)
            raise SynthesisError(f"Validation impossible : {plural(len(review), 'section à revoir', 'sections à revoir')} "
                                 f"({headings}). Relisez la réécriture face au nouveau texte proposé, puis "
                                 "conservez-la ou revenez au texte proposé.")
        final = self.final(draft)
        digest = content_hash(final)
        latest = self.latest
        # The day of drafting aside: a draft rebuilt another day with the same content is the same.
        if latest is not None and latest.sha256 == content_hash(final.model_copy(
                update={"drafted_on": latest.synthesis.drafted_on})):
            raise SynthesisError(f"Rien n'a changé depuis la version {latest.number} : cette synthèse est identique à "
                                 f"la version {latest.number}, déjà validée le {latest.frozen_at.strftime('%d/%m/%Y')}.")
        frozen = FrozenVersion(
            number=latest.number + 1 if latest else 1,
            frozen_at=now,
            consultant_name=expected_consultant if not is_blank(expected_consultant) else typed_consultant,
            beneficiary_name=expected_beneficiary if not is_blank(expected_beneficiary) else typed_beneficiary,
            synthesis=final,
            sha256=digest,
        )
        return self.model_copy(update={"versions": (*self.versions, frozen)}), frozen

    # -- consents ------------------------------------------------------------------------------------

    def add_consent(
        self,
        *,
        recipient: str,
        sections: tuple[SectionKey, ...] | list[SectionKey],
        given_on: dt.date,
        agreement: str,
        expected_beneficiary: str,
        now: dt.datetime,
    ) -> tuple[SynthesisRecord, Consent]:
        """Record the beneficiary's consent that ``recipient`` receives ``sections`` (see the module's rule)."""
        who = clean_text(recipient).strip()
        if is_blank(who):
            raise SynthesisError("Indiquez qui reçoit l'extrait (le destinataire : un employeur, un opérateur CEP…).",
                                 "recipient")
        problem = too_long(who, MAX_LINE_LENGTH)
        if problem:
            raise SynthesisError(f"Destinataire : {problem}.", "recipient")
        chosen = tuple(key for key in SectionKey if key in set(sections))
        if not chosen:
            raise SynthesisError("Choisissez au moins une section à transmettre.", "sections")
        if given_on > now.date():
            raise SynthesisError(f"La date du consentement ({given_on.strftime('%d/%m/%Y')}) est dans le futur : "
                                 "notez le jour où le bénéficiaire a donné son accord.", "given_on")
        typed = clean_text(agreement).strip()
        problem = too_long(typed, MAX_LINE_LENGTH)
        if problem:
            raise SynthesisError(f"Accord du bénéficiaire : {problem}.", "agreement")
        refusal = agreement_problem(typed, clean_text(expected_beneficiary).strip())
        if refusal:
            raise SynthesisError(refusal, "agreement")
        numbers = [int(c.id) for c in self.consents if c.id.isdecimal()]
        consent = Consent(id=str(max(numbers, default=0) + 1), recipient=who, sections=chosen, given_on=given_on,
                          agreement=typed, recorded_at=now)
        return self.model_copy(update={"consents": (*self.consents, consent)}), consent

    def consent(self, consent_id: str) -> Consent:
        wanted = clean_text(consent_id).strip()
        for consent in self.consents:
            if consent.id == wanted:
                return consent
        existing = ", ".join(c.id for c in self.consents)
        known = f"consentements enregistrés : {existing}" if existing else "aucun consentement enregistré"
        raise SynthesisError(f"Aucun consentement n° « {excerpt(wanted)} » ({known}) : un extrait pour un tiers "
                             "demande le consentement du bénéficiaire, enregistré d'abord.")

    def withdraw_consent(self, consent_id: str, *, now: dt.datetime) -> SynthesisRecord:
        consent = self.consent(consent_id)
        if consent.withdrawn_at is not None:
            raise SynthesisError(f"Le consentement n° {consent.id} ({consent.recipient}) a déjà été retiré le "
                                 f"{consent.withdrawn_at.strftime('%d/%m/%Y')}.")
        withdrawn = consent.model_copy(update={"withdrawn_at": now})
        return self.model_copy(update={"consents": tuple(withdrawn if c.id == consent.id else c
                                                         for c in self.consents)})

    def active_consents(self) -> list[Consent]:
        return [c for c in self.consents if c.active]

    def excerpt(self, consent_id: str, synthesis: Synthesis) -> Synthesis:
        """The sections of ``synthesis`` the consent covers, nothing else; refused without an active consent.

        The profiles (the charts of the tests) go with the section of interests only.
        """
        consent = self.consent(consent_id)
        if consent.withdrawn_at is not None:
            raise SynthesisError(f"Le consentement n° {consent.id} ({consent.recipient}) a été retiré le "
                                 f"{consent.withdrawn_at.strftime('%d/%m/%Y')} : aucun extrait ne peut plus "
                                 "être transmis sous ce consentement.")
        sections = tuple(s for s in synthesis.sections if s.key in consent.sections)
        profiles = synthesis.profiles if SectionKey.INTERETS in consent.sections else ()
        return synthesis.model_copy(update={"sections": sections, "profiles": profiles})


# -- text of a section ---------------------------------------------------------------------------------


def plain_text(section: Section) -> str:
    """A section's text as a person rewrites it: one line per passage (the table is not text)."""
    lines = []
    for passage in section.passages:
        if passage.style is PassageStyle.QUOTE:
            lines.append(f"« {passage.text} »")
        elif passage.style is PassageStyle.BULLET:
            lines.append(f"- {passage.text}")
        else:
            lines.append(passage.text)
    return "\n".join(lines)


def clean_rewrite(text: str) -> str:
    """A rewrite as kept: no control characters, each line without trailing spaces, no blank edges."""
    lines = [line.rstrip() for line in clean_text(text, multiline=True).replace("\t", " ").split("\n")]
    return "\n".join(lines).strip()


def _rewritten(section: Section, rewrite: Rewrite) -> Section:
    generated = rewrite.generated
    answers: list[SourceRef] = []
    items: list[str] = []
    sessions: list[str] = []
    for passage in generated.passages:
        answers += [a for a in passage.answers if a not in answers]
        items += [i for i in passage.items if i not in items]
        sessions += [s for s in passage.sessions if s not in sessions]
    passages = tuple(
        Passage(text=line.strip(), answers=tuple(answers), items=tuple(items), sessions=tuple(sessions))
        for line in rewrite.text.split("\n") if not is_blank(line)
    )
    return section.model_copy(update={"passages": passages, "rewritten": True})


# -- names and agreements -----------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014'.,;:!?«»\"()]+")

AGREEMENT_FORMULAS = ("j'accepte", "je consens", "j'autorise", "je donne mon accord", "je suis d'accord",
                      "bon pour accord")
"""Explicit formulas of agreement (compared without case, accents, spaces or apostrophes)."""

NEGATIONS = frozenset({"pas", "non", "jamais", "refuse", "refuser", "refus", "ni", "aucun", "aucune", "n", "ne"})
"""Words that turn a typed agreement into a refusal: such an agreement is never recorded."""


def _folded(text: str) -> str:
    """Lower case, accents off, typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", clean_text(text).translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _compact(text: str) -> str:
    return name_key(text)  # compared with the name's keys: the same reduction


def _words(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(_folded(text)) if w]


def agreement_problem(agreement: str, beneficiary: str) -> str | None:
    """Why ``agreement`` is not the beneficiary's explicit agreement (``None``: it is)."""
    if is_blank(agreement):
        return ("Le bénéficiaire doit taper son accord (son nom, ou « j'accepte ») : "
                "sans lui, aucun extrait ne peut être transmis.")
    name_words = set(_words(beneficiary))
    negations = [w for w in _words(agreement) if w in NEGATIONS and w not in name_words]
    if negations:
        shown = next((w for w in negations if len(w) > 2), "ne")
        return (f"L'accord tapé contient une négation (« {shown} ») : le consentement n'est pas enregistré. "
                "Si le bénéficiaire refuse, n'enregistrez rien.")
    compact = _compact(agreement)
    signed = bool(beneficiary) and any(form and form in compact for form in name_forms(beneficiary))
    formula = any(_compact(f) in compact for f in AGREEMENT_FORMULAS)
    if not (signed or formula):
        name = f"son nom (« {beneficiary} »)" if beneficiary else "son nom"
        return (f"L'accord n'est pas explicite : le bénéficiaire tape {name} ou une phrase comme "
                "« j'accepte » pour consentir.")
    return None
