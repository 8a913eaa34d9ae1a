"""The information préalable: what the person was told before signing, the screening, the document
handed over, and the mid-bilan review.

Before any convention is signed (seed, « Information préalable »; Qualiopi indicator 4), the consultant
goes through a checklist with the person, ticking each item with its date; checks that a bilan answers
the request, or redirects the person (VAE, a free *conseil en évolution professionnelle*, other) and
the dossier then ends with that outcome; lets the person take time to think (the dossier waits « en
réflexion » with a date to call back); and hands over the *document d'information*. During the
investigation phase a mid-bilan review records where the bilan stands, whether the method is
understood and what to adjust.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from bilan_tui.domain.models import DossierStatus, Model, Phase, SessionMidReview
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.text import CleanLine, CleanText, clean_text, is_blank


class InformationItem(StrEnum):
    """An item of the information préalable, in the order it is presented.

    The six items of issue 10, and the voluntary nature of the approach that the seed asks the
    consultant to make sure of (« s'assurera du caractère volontaire de sa démarche »; L6313-4: a
    bilan needs the person's consent).
    """

    OBJECTIVES_PHASES = "objectifs_phases"
    DURATION = "duree"
    CONFIDENTIALITY = "confidentialite"
    PRICE = "prix"
    FUNDING = "financement"
    RIGHT_TO_REFUSE = "droit_de_refuser"
    VOLUNTARY = "volontaire"

    @property
    def label(self) -> str:
        return {
            InformationItem.OBJECTIVES_PHASES: "Objectifs et phases du bilan",
            InformationItem.DURATION: "Durée du bilan (24 heures au plus) et calendrier",
            InformationItem.CONFIDENTIALITY: "Confidentialité et propriété des résultats",
            InformationItem.PRICE: "Prix de la prestation",
            InformationItem.FUNDING: "Financement et prise en charge",
            InformationItem.RIGHT_TO_REFUSE: "Droit de refuser de répondre à une question",
            InformationItem.VOLUNTARY: "Caractère volontaire de la démarche",
        }[self]


class TickedItem(Model):
    item: InformationItem
    on: dt.date


class ScreeningOutcome(StrEnum):
    """What the screening of the request concluded."""

    BILAN = "bilan"
    VAE = "vae"
    CEP = "cep"
    OTHER = "autre"
    THINKING = "en_reflexion"

    @property
    def label(self) -> str:
        return {
            ScreeningOutcome.BILAN: "Un bilan de compétences répond à la demande",
            ScreeningOutcome.VAE: "Réorientation vers une VAE (validation des acquis de l'expérience)",
            ScreeningOutcome.CEP: "Réorientation vers un conseil en évolution professionnelle (gratuit)",
            ScreeningOutcome.OTHER: "Réorientation vers une autre démarche",
            ScreeningOutcome.THINKING: "En réflexion",
        }[self]

    @property
    def short(self) -> str:
        """« réorienté vers une VAE »: what the dossier's status says of it."""
        return {
            ScreeningOutcome.BILAN: "bilan",
            ScreeningOutcome.VAE: "réorienté vers une VAE",
            ScreeningOutcome.CEP: "réorienté vers un CEP",
            ScreeningOutcome.OTHER: "réorienté vers une autre démarche",
            ScreeningOutcome.THINKING: "en réflexion",
        }[self]

    @property
    def redirects(self) -> bool:
        """Whether this outcome ends the dossier (the person goes elsewhere)."""
        return self in (ScreeningOutcome.VAE, ScreeningOutcome.CEP, ScreeningOutcome.OTHER)


class Screening(Model):
    outcome: ScreeningOutcome
    decided_on: dt.date
    reason: CleanLine = ""
    """Why: required for a redirection."""
    call_back_on: dt.date | None = None
    """« En réflexion »: the day to call the person back."""

    @property
    def label(self) -> str:
        text = f"{self.outcome.label} ({self.decided_on:%d/%m/%Y})"
        if self.reason:
            text += f" : {self.reason}"
        if self.call_back_on is not None:
            text += f" ; rappel prévu le {self.call_back_on:%d/%m/%Y}"
        return text


def screening(outcome: ScreeningOutcome, decided_on: dt.date, reason: str = "",
              call_back_on: dt.date | None = None) -> Screening:
    """A screening checked: a redirection needs its reason, « en réflexion » a call-back date not
    before the decision; only « en réflexion » takes a call-back date."""
    reason = clean_text(reason).strip()
    if outcome.redirects and is_blank(reason):
        raise ProcedureError(f"{outcome.label} : indiquez la raison de la réorientation.", "reason")
    if outcome is ScreeningOutcome.THINKING:
        if call_back_on is None:
            raise ProcedureError("En réflexion : indiquez la date à laquelle rappeler la personne.", "call_back_on")
        if call_back_on < decided_on:
            raise ProcedureError(f"La date de rappel ({call_back_on:%d/%m/%Y}) ne peut pas précéder l'entretien "
                                 f"({decided_on:%d/%m/%Y}).", "call_back_on")
    elif call_back_on is not None:
        raise ProcedureError("Une date de rappel ne s'indique que pour une personne en réflexion.", "call_back_on")
    return Screening(outcome=outcome, decided_on=decided_on, reason=reason, call_back_on=call_back_on)


class DocumentHandover(Model):
    """The *document d'information* handed over, adapted to what the person said they expect."""

    handed_on: dt.date
    adapted_to: CleanText = ""
    """The conditions or expectations the person stated, to which the document was adapted."""


class MidReview(Model):
    """The mid-bilan review, an item of a session in the investigation phase.

    What was said belongs to the working file (it speaks of the bilan's content); the administrative
    file keeps only its :meth:`trace`: that it was held, when, and whether the method was understood.
    """

    held_on: dt.date
    session_id: str = ""
    where_we_stand: CleanText
    method_understood: bool
    adjustments: CleanText = ""
    """What is changed (or « rien à ajuster »); a reminder of the method when it was not understood."""

    def for_session(self, recorded_at: dt.datetime) -> SessionMidReview:
        """What is kept with the session (the working file): the whole review, as said."""
        return SessionMidReview(where_we_stand=self.where_we_stand, method_understood=self.method_understood,
                                adjustments=self.adjustments, recorded_at=recorded_at)

    def trace(self) -> MidReviewTrace:
        """The administrative trace of this review (Qualiopi: individual follow-up), without its text."""
        return MidReviewTrace(held_on=self.held_on, session_id=self.session_id,
                              method_understood=self.method_understood, adjusted=not is_blank(self.adjustments))


class MidReviewTrace(Model):
    """That a mid-bilan review took place: the administrative side of :class:`MidReview`."""

    held_on: dt.date
    session_id: str = ""
    method_understood: bool
    adjusted: bool = False
    """Something was adjusted or the method recalled."""

    @property
    def label(self) -> str:
        """« Point à mi-parcours le 08/02/2027 : méthode comprise, ajustements faits »."""
        method = "méthode comprise" if self.method_understood else "méthode non comprise"
        return f"Point à mi-parcours le {self.held_on:%d/%m/%Y} : {method}" + (", ajustements faits" if self.adjusted else "")


def mid_review(held_on: dt.date, where_we_stand: str, method_understood: bool, adjustments: str = "",
               session_id: str = "", session_phase: Phase = Phase.INVESTIGATION) -> MidReview:
    """A mid-bilan review checked: held in a session of the investigation phase, with where the bilan
    stands; when the method was not understood, what is done about it (a reminder of the method)."""
    if session_phase is not Phase.INVESTIGATION:
        raise ProcedureError(f"Le point à mi-parcours se fait pendant l'investigation (cette séance : "
                             f"{session_phase.label}).", "session")
    where_we_stand = clean_text(where_we_stand, multiline=True).strip()
    adjustments = clean_text(adjustments, multiline=True).strip()
    if is_blank(where_we_stand):
        raise ProcedureError("Point à mi-parcours : indiquez où en est le bilan.", "where_we_stand")
    if not method_understood and is_blank(adjustments):
        raise ProcedureError("La méthode n'est pas comprise : indiquez ce qui est fait (un rappel de la méthode, "
                             "un ajustement).", "adjustments")
    return MidReview(held_on=held_on, session_id=session_id, where_we_stand=where_we_stand,
                     method_understood=method_understood, adjustments=adjustments)


class InformationRecord(Model):
    """Everything of the information préalable kept in the administrative file."""

    ticked: tuple[TickedItem, ...] = ()
    screening: Screening | None = None
    document: DocumentHandover | None = None
    mid_review: MidReviewTrace | None = None
    """Only the trace: what was said at the review stays in the working file."""
    adaptation: CleanText = ""
    """The conditions or expectations the person stated, to which the document d'information is adapted
    (typed when it is prepared; copied into :attr:`document` when it is handed over)."""

    def ticked_on(self, item: InformationItem) -> dt.date | None:
        return next((tick.on for tick in self.ticked if tick.item is item), None)

    def tick(self, item: InformationItem, on: dt.date) -> InformationRecord:
        """The record with ``item`` ticked on ``on`` (a new date replaces the former one)."""
        kept = tuple(tick for tick in self.ticked if tick.item is not item)
        ordered = sorted((*kept, TickedItem(item=item, on=on)), key=lambda tick: list(InformationItem).index(tick.item))
        return self.model_copy(update={"ticked": tuple(ordered)})

    def untick(self, item: InformationItem) -> InformationRecord:
        return self.model_copy(update={"ticked": tuple(tick for tick in self.ticked if tick.item is not item)})

    def unticked(self) -> list[InformationItem]:
        return [item for item in InformationItem if self.ticked_on(item) is None]

    def with_screening(self, result: Screening) -> InformationRecord:
        return self.model_copy(update={"screening": result})

    def with_document(self, handover: DocumentHandover) -> InformationRecord:
        return self.model_copy(update={"document": handover})

    def with_adaptation(self, text: str) -> InformationRecord:
        """The record with the conditions or expectations the document is adapted to (cleaned)."""
        return self.model_copy(update={"adaptation": clean_text(text, multiline=True).strip()})

    def handed_over(self, on: dt.date) -> InformationRecord:
        """The record with the document handed over on ``on``, adapted to :attr:`adaptation`."""
        return self.with_document(DocumentHandover(handed_on=on, adapted_to=self.adaptation))

    def with_mid_review(self, review: MidReview) -> InformationRecord:
        """The record with the trace of ``review`` (its text is for the working file)."""
        return self.model_copy(update={"mid_review": review.trace()})

    @property
    def ends_dossier(self) -> bool:
        """Whether the screening redirected the person: the dossier closes with that outcome."""
        return self.screening is not None and self.screening.outcome.redirects

    def call_back_due(self, today: dt.date) -> bool:
        """Whether a person « en réflexion » is due to be called back."""
        return (self.screening is not None and self.screening.outcome is ScreeningOutcome.THINKING
                and self.screening.call_back_on is not None and self.screening.call_back_on <= today)

    def mid_review_offered(self, phase: Phase) -> bool:
        """Whether to offer the mid-bilan review now: in the investigation phase, not yet recorded."""
        return phase is Phase.INVESTIGATION and self.mid_review is None


def missing_before_convention(record: InformationRecord, convention_on: dt.date | None = None) -> list[str]:
    """What stands in the way of signing the convention (French sentences; empty: it may be signed).

    ``convention_on``: the day it is to be signed; an item ticked or a document handed over after that
    day does not count as done before it.
    """
    missing = []
    for item in InformationItem:
        on = record.ticked_on(item)
        if on is None:
            missing.append(f"Information préalable : « {item.label} » n'est pas cochée.")
        elif convention_on is not None and on > convention_on:
            missing.append(f"Information préalable : « {item.label} » cochée le {on:%d/%m/%Y}, après la "
                           f"signature prévue le {convention_on:%d/%m/%Y}.")
    result = record.screening
    if result is None:
        missing.append("L'adéquation de la demande à un bilan n'est pas vérifiée.")
    elif result.outcome is ScreeningOutcome.THINKING:
        when = f" (rappel prévu le {result.call_back_on:%d/%m/%Y})" if result.call_back_on else ""
        missing.append(f"La personne a demandé un temps de réflexion{when}.")
    elif result.outcome.redirects:
        missing.append(f"La demande a été réorientée ({result.outcome.label}) : pas de convention.")
    if record.document is None:
        missing.append("Le document d'information n'a pas été remis.")
    elif convention_on is not None and record.document.handed_on > convention_on:
        missing.append(f"Le document d'information est remis le {record.document.handed_on:%d/%m/%Y}, après la "
                       f"signature prévue le {convention_on:%d/%m/%Y} : il doit l'être avant.")
    return missing


def status_after(status: DossierStatus, previous: Screening | None, new: Screening) -> DossierStatus:
    """The dossier's status once ``new`` replaces the ``previous`` screening.

    A redirection closes the dossier; « en réflexion » suspends it; « bilan » opens it again when the
    screening had suspended or closed it. A dossier closed for another reason (its bilan ended) stays
    closed whatever the screening says, save a redirection (closed all the same).
    """
    if new.outcome.redirects:
        return DossierStatus.CLOSED
    closed_by_screening = previous is not None and previous.outcome.redirects
    if status is DossierStatus.CLOSED and not closed_by_screening:
        return status
    if new.outcome is ScreeningOutcome.THINKING:
        return DossierStatus.SUSPENDED
    return DossierStatus.OPEN


def status_label(status: DossierStatus, closed_on: dt.date | None, record: InformationRecord) -> str:
    """The dossier's status as the dossier screen says it, with why when the screening set it:
    « clos le 26/11/2026 (réorienté vers une VAE : motif) », « suspendu (en réflexion, rappel le …) »."""
    text = status.value
    if status is DossierStatus.CLOSED and closed_on is not None:
        text += f" le {closed_on:%d/%m/%Y}"
    result = record.screening
    if result is None:
        return text
    if status is DossierStatus.CLOSED and result.outcome.redirects:
        text += f" ({result.outcome.short}" + (f" : {result.reason}" if result.reason else "") + ")"
    elif status is DossierStatus.SUSPENDED and result.outcome is ScreeningOutcome.THINKING:
        when = f", rappel le {result.call_back_on:%d/%m/%Y}" if result.call_back_on is not None else ""
        text += f" (en réflexion{when})"
    return text
