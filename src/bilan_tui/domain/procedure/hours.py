"""The hours ledger: hours used per phase against the dossier's plan, within the legal 24 hours.

Counted in whole minutes (an ``int``, never a float): a session lasts the minutes between its start
and its end, seconds dropped.

What counts towards the 24 hours (R6313-4): the four phases of the bilan itself, *préliminaire*,
*investigation*, *conclusion* and *remise*. The *information préalable* (a free meeting before any
signature) and the *suivi post-bilan* (months later) are recorded with their sessions but count
towards no budget.

A session that served several phases splits its time:
- by the consultant's split when they give one (minutes per phase, adding up to the session);
- otherwise equally between the phases served, to the minute; the minutes left over by the division
  go one each to the phases in the order of the bilan (préliminaire first), so the parts always add
  up to the session exactly.

The plan defaults to the seed's 3 / 12 / 6 / 3 hours; a dossier may change it, never beyond 24 hours
in all. From 22 hours used the ledger warns; a session that would take the total past 24 hours is
refused unless the consultant records why (the reason stays with the session).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pydantic import Field, model_validator

from bilan_tui.domain.models import Model, Phase, Session
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.text import CleanLine, clean_text, excerpt, is_blank, normalise_digits

MAX_MINUTES = 24 * 60
"""The legal maximum of a bilan (R6313-4): 24 hours."""

WARNING_MINUTES = 22 * 60
"""From this total the ledger warns that the end of the budget is near."""

MINIMUM_ADVISED_MINUTES = 13 * 60
"""A draft 2026 decree would ask for at least 13 hours of accompaniment: a plan below it is warned about."""

COUNTED_PHASES = (Phase.PRELIMINAIRE, Phase.INVESTIGATION, Phase.CONCLUSION, Phase.REMISE)
"""The phases whose hours count towards the 24 hours, in the order of the bilan."""

_ORDER = {phase: index for index, phase in enumerate(Phase)}


def format_hours(minutes: int) -> str:
    """« 13 h 45 », « 3 h », « 0 h 05 »; a negative duration keeps its sign (« -1 h 30 »)."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d}" if rest else f"{sign}{hours} h"


def parse_hours(text: str) -> int:
    """Minutes from what a person types: « 3 », « 3 h », « 3h30 », « 3 h 30 », « 2,5 », « 1.25 », « 45 min ».

    A decimal number of hours is rounded to the minute (half up).
    """
    cleaned = normalise_digits(clean_text(text)).strip().lower()
    if len(cleaned) <= 20:
        if match := re.fullmatch(r"([0-9]{1,3})\s*(?:h|heures?)\s*([0-9]{1,2})?(?:\s*(?:min|mn))?", cleaned):
            hours, minutes = int(match.group(1)), int(match.group(2) or 0)
            if minutes > 59:
                raise ProcedureError(f"« {cleaned} » : les minutes vont de 00 à 59.", "hours")
            return hours * 60 + minutes
        if match := re.fullmatch(r"([0-9]{1,4})\s*(?:min|mn|minutes?)", cleaned):
            return int(match.group(1))
        if re.fullmatch(r"[0-9]{1,3}(?:[.,][0-9]{1,2})?", cleaned):
            try:
                hours_value = Decimal(cleaned.replace(",", "."))
            except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
                pass
            else:
                return int((hours_value * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    raise ProcedureError(f"« {excerpt(cleaned)} » n'est pas une durée (exemples : 3 h, 3 h 30, 2,5, 45 min).",
                         "hours")


class HoursPlan(Model):
    """Minutes planned per counted phase; the seed's 3 / 12 / 6 / 3 hours by default."""

    preliminaire: int = Field(default=3 * 60, ge=0)
    investigation: int = Field(default=12 * 60, ge=0)
    conclusion: int = Field(default=6 * 60, ge=0)
    remise: int = Field(default=3 * 60, ge=0)

    def minutes(self, phase: Phase) -> int:
        """The minutes planned for ``phase`` (0 for a phase that counts towards no budget)."""
        return {
            Phase.PRELIMINAIRE: self.preliminaire,
            Phase.INVESTIGATION: self.investigation,
            Phase.CONCLUSION: self.conclusion,
            Phase.REMISE: self.remise,
        }.get(phase, 0)

    @property
    def total(self) -> int:
        return self.preliminaire + self.investigation + self.conclusion + self.remise

    @property
    def label(self) -> str:
        """« 3 h / 12 h / 6 h / 3 h (24 h) »."""
        parts = " / ".join(format_hours(self.minutes(phase)) for phase in COUNTED_PHASES)
        return f"{parts} ({format_hours(self.total)})"


def hours_plan(minutes: Mapping[Phase, int]) -> HoursPlan:
    """The plan of a dossier from the minutes per phase (a phase not given keeps the default).

    Refused: a negative duration, a phase that counts towards no budget, a total beyond 24 hours.
    """
    values: dict[str, int] = {}
    for phase, value in minutes.items():
        if phase not in COUNTED_PHASES:
            raise ProcedureError(f"{phase.label} : cette phase ne compte pas dans les 24 heures du bilan, "
                                 "elle n'a pas d'heures prévues.", "plan")
        if value < 0:
            raise ProcedureError(f"{phase.label} : une durée ne peut pas être négative.", "plan")
        values[phase.value] = value
    plan = HoursPlan.model_validate(values)
    if plan.total > MAX_MINUTES:
        raise ProcedureError(f"Le plan prévoit {format_hours(plan.total)} : un bilan dure 24 h au plus "
                             f"(dépassement de {format_hours(plan.total - MAX_MINUTES)}).", "plan")
    return plan


def plan_warnings(plan: HoursPlan) -> list[str]:
    """What is worth a second look in a plan that is allowed (French sentences; empty: nothing)."""
    warnings = []
    if plan.total < MINIMUM_ADVISED_MINUTES:
        warnings.append(f"Le plan prévoit {format_hours(plan.total)} : moins des 13 h d'accompagnement "
                        "qu'un projet de décret de 2026 demanderait.")
    warnings.extend(f"{phase.label} : aucune heure prévue." for phase in COUNTED_PHASES if plan.minutes(phase) == 0)
    return warnings


class LoggedSession(Model):
    """One session as the hours ledger sees it: when it actually ran and which phases it served."""

    id: str
    start: dt.datetime
    end: dt.datetime
    phases: tuple[Phase, ...]
    split: tuple[int, ...] | None = None
    """The consultant's split in minutes, one per phase of :attr:`phases`; None: equal shares."""
    over_limit_reason: CleanLine = ""
    """Why the session was recorded although it takes the total past 24 hours."""

    @model_validator(mode="after")
    def _split_matches(self) -> LoggedSession:
        # A stored ledger edited by hand must not load with a split that does not fit its phases.
        if not self.phases:
            raise ValueError("a logged session serves at least one phase")
        # Nor with times that make its minutes negative, unreadable or off its split (a ledger edited
        # by hand would otherwise lower the total below the 24 hours, or crash the home screen).
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("a logged session is in local time, without a time zone")
        if self.end <= self.start or self.end.date() != self.start.date():
            raise ValueError("a logged session ends after its start, the same day")
        if self.split is not None:
            if len(self.split) != len(self.phases):
                raise ValueError("the split has one share per phase served")
            if any(share < 0 for share in self.split) or sum(self.split) != self.minutes:
                raise ValueError("the split adds up to the session, without negative shares")
        return self

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def minutes_by_phase(self) -> dict[Phase, int]:
        """The minutes of this session per phase served (see the module for the split)."""
        if self.split is not None:
            shares: dict[Phase, int] = {}
            for phase, share in zip(self.phases, self.split, strict=True):
                shares[phase] = shares.get(phase, 0) + share
            return shares
        phases = sorted(set(self.phases), key=_ORDER.__getitem__)
        base, left = divmod(self.minutes, len(phases))
        return {phase: base + (1 if index < left else 0) for index, phase in enumerate(phases)}

    @property
    def counted_minutes(self) -> int:
        """The minutes that count towards the 24 hours."""
        return sum(share for phase, share in self.minutes_by_phase().items() if phase in COUNTED_PHASES)


def logged_session(session_id: str, start: dt.datetime, end: dt.datetime, phases: Iterable[Phase],
                   split: Mapping[Phase, int] | None = None, over_limit_reason: str = "") -> LoggedSession:
    """A session checked before it enters the ledger.

    Refused: an end not after the start, a session over two days, no phase, a split that names a
    phase the session did not serve, has a negative share, or does not add up to the session.
    """
    served = tuple(sorted(set(phases), key=_ORDER.__getitem__))
    if not served:
        raise ProcedureError("Indiquez la ou les phases servies par cette séance.", "phases")
    if (start.tzinfo is None) != (end.tzinfo is None):
        raise ProcedureError("Début et fin doivent être donnés de la même façon (avec ou sans fuseau).", "end")
    if end <= start:
        raise ProcedureError(f"La fin ({end:%H:%M}) doit venir après le début ({start:%H:%M}).", "end")
    if end.date() != start.date():
        raise ProcedureError(f"Une séance commence et finit le même jour (début le {start:%d/%m/%Y}, "
                             f"fin le {end:%d/%m/%Y}).", "end")
    session = LoggedSession(id=session_id, start=start, end=end, phases=served,
                            over_limit_reason=clean_text(over_limit_reason).strip())
    if split is None:
        return session
    unknown = [phase for phase in split if phase not in served]
    if unknown:
        raise ProcedureError(f"Répartition : « {unknown[0].label} » n'est pas une phase servie par cette séance.",
                             "split")
    if any(share < 0 for share in split.values()):
        raise ProcedureError("Répartition : une durée ne peut pas être négative.", "split")
    shares = tuple(split.get(phase, 0) for phase in served)
    if sum(shares) != session.minutes:
        raise ProcedureError(f"Répartition : {format_hours(sum(shares))} réparties pour une séance de "
                             f"{format_hours(session.minutes)} ; la répartition doit couvrir toute la séance.",
                             "split")
    return session.model_copy(update={"split": shares})


USUAL_DAYS = range(5)
"""Monday to Friday (``date.weekday()``): the days sessions usually happen."""

USUAL_START = dt.time(8)
USUAL_END = dt.time(18)
"""The usual hours of a session: from 8:00 to 18:00."""

_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def check_held(end: dt.datetime, now: dt.datetime) -> None:
    """A session's corrected times are those it was held at: refused (French) when it ends after ``now``."""
    if end > now:
        raise ProcedureError(f"Fin : la séance ne peut pas finir dans le futur (fin le {end:%d/%m/%Y} à "
                             f"{end:%H:%M}, il est {now:%H:%M} le {now:%d/%m/%Y}) ; indiquez l'heure de fin réelle.",
                             "end")


def unusual_hours(start: dt.datetime, end: dt.datetime) -> str:
    """A French warning for a session outside Monday-Friday 8:00-18:00 (allowed: it happens), or ``""``."""
    problems: list[str] = []
    if start.weekday() not in USUAL_DAYS:
        problems.append(f"un {_WEEKDAYS[start.weekday()]}")
    if start.time() < USUAL_START or end.time() > USUAL_END or end.date() != start.date():
        problems.append(f"de {start:%H:%M} à {end:%H:%M}")
    if not problems:
        return ""
    return (f"Horaires inhabituels : séance {' et '.join(problems)}, hors du lundi au vendredi de 8:00 à 18:00. "
            "Possible, mais vérifiez qu'il n'y a pas d'erreur de saisie.")


def check_signed_times(before: tuple[dt.datetime, dt.datetime], after: tuple[dt.datetime, dt.datetime],
                       signed: Iterable[str]) -> None:
    """A session with a signed half-day keeps its times: refused (French) when ``after`` changes them.

    ``signed``: the labels of its half-days signed by both (in bilan-tui or on the paper sheet). The
    signed attendance is the proof of the times, and a signed record is never changed; the phases
    served and their split may still be corrected. Compared to the minute (seconds are not typed).
    """
    labels = list(signed)
    start, end = (moment.replace(second=0, microsecond=0) for moment in before)
    new_start, new_end = (moment.replace(second=0, microsecond=0) for moment in after)
    if not labels or (start, end) == (new_start, new_end):  # to the minute, as they are typed
        return
    field = "start" if new_start != start else "end"
    raise ProcedureError(f"Début et fin : cette séance a une demi-journée signée ({', '.join(labels)}) ; "
                         f"l'émargement signé fait foi et un émargement signé ne se modifie jamais : ses horaires "
                         f"restent {start:%H:%M}–{end:%H:%M}. Seules ses phases et leur répartition se corrigent.",
                         field)


def from_session(session: Session, worked: tuple[Phase, ...] = (), split: Mapping[Phase, int] | None = None,
                 over_limit_reason: str = "") -> LoggedSession:
    """The ledger's view of an interview :class:`Session` whose end is recorded.

    ``worked``: the phases of the modules answered in it (see :meth:`Session.served_phases`).
    """
    if session.end_time is None:
        raise ProcedureError("Cette séance n'a pas d'heure de fin : indiquez-la pour compter ses heures.", "end")
    start = dt.datetime.combine(session.date, session.start_time)
    end = dt.datetime.combine(session.date, session.end_time)
    return logged_session(session.id, start, end, session.served_phases(worked), split, over_limit_reason)


class PhaseUsage(Model):
    """One row of the hours table: a phase, its minutes used and planned."""

    phase: Phase
    used: int
    planned: int

    @property
    def over(self) -> bool:
        return self.used > self.planned

    @property
    def label(self) -> str:
        """« Investigation : 13 h 15 / 12 h (dépassement de 1 h 15) »."""
        text = f"{self.phase.label} : {format_hours(self.used)} / {format_hours(self.planned)}"
        return text + (f" (dépassement de {format_hours(self.used - self.planned)})" if self.over else "")


class HoursLedger(Model):
    """The plan of a dossier and the sessions logged against it."""

    plan: HoursPlan = HoursPlan()
    sessions: tuple[LoggedSession, ...] = ()

    @model_validator(mode="after")
    def _plan_within_limit(self) -> HoursLedger:
        # :func:`hours_plan` refuses a plan beyond 24 hours; a stored one edited by hand is refused too.
        if self.plan.total > MAX_MINUTES:
            raise ValueError("the plan of a bilan is 24 hours at most")
        return self

    def used_by_phase(self) -> dict[Phase, int]:
        """Minutes used per phase, every phase present (those outside the 24 hours included)."""
        used = dict.fromkeys(Phase, 0)
        for session in self.sessions:
            for phase, share in session.minutes_by_phase().items():
                used[phase] += share
        return used

    @property
    def total(self) -> int:
        """Minutes used that count towards the 24 hours."""
        return sum(session.counted_minutes for session in self.sessions)

    @property
    def remaining(self) -> int:
        """Minutes left before the legal maximum (negative once it is exceeded)."""
        return MAX_MINUTES - self.total

    def rows(self) -> list[PhaseUsage]:
        """The counted phases with their minutes used and planned, in the order of the bilan."""
        used = self.used_by_phase()
        return [PhaseUsage(phase=phase, used=used[phase], planned=self.plan.minutes(phase)) for phase in COUNTED_PHASES]

    @property
    def total_label(self) -> str:
        """« 13 h 45 / 24 h »."""
        return f"{format_hours(self.total)} / {format_hours(MAX_MINUTES)}"

    def warnings(self) -> list[str]:
        """The budget warnings to show (French sentences; empty: nothing to say)."""
        warnings = []
        if self.total > MAX_MINUTES:
            warnings.append(f"{format_hours(self.total)} utilisées : au-delà du maximum légal de 24 h "
                            f"(dépassement de {format_hours(-self.remaining)}).")
        elif self.total >= WARNING_MINUTES:
            warnings.append(f"{format_hours(self.total)} utilisées sur 24 h : il reste {format_hours(self.remaining)}.")
        warnings.extend(row.label + "." for row in self.rows() if row.over)
        return warnings

    def with_plan(self, plan: HoursPlan) -> HoursLedger:
        return self.model_copy(update={"plan": plan})

    def total_with(self, session: LoggedSession) -> int:
        """The total (minutes counted towards the 24 hours) once ``session`` is added."""
        return self.total + session.counted_minutes

    def needs_reason(self, session: LoggedSession) -> bool:
        """Whether ``session`` takes the total past 24 hours, so a reason must be asked before adding it."""
        return self.total_with(session) > MAX_MINUTES

    def add(self, session: LoggedSession) -> HoursLedger:
        """The ledger with ``session``; refused when it overlaps a logged session, reuses an id, or
        takes the total past 24 hours without a recorded reason."""
        for other in self.sessions:
            if other.id == session.id:
                raise ProcedureError("Cette séance est déjà enregistrée.", "id")
            if session.start < other.end and other.start < session.end:
                raise ProcedureError(f"Cette séance chevauche celle du {other.start:%d/%m/%Y} de "
                                     f"{other.start:%H:%M} à {other.end:%H:%M}.", "start")
        after = self.total_with(session)
        if after > MAX_MINUTES and is_blank(session.over_limit_reason):
            raise ProcedureError(f"Cette séance porterait le total à {format_hours(after)}, au-delà du maximum "
                                 f"légal de 24 h (il reste {format_hours(max(self.remaining, 0))}). Indiquez la "
                                 "raison pour l'enregistrer quand même.", "reason")
        sessions = sorted((*self.sessions, session), key=lambda s: s.start)
        return self.model_copy(update={"sessions": tuple(sessions)})

    def replace(self, session: LoggedSession) -> HoursLedger:
        """The ledger with the session of the same id corrected (same checks as :meth:`add`)."""
        kept = self.model_copy(update={"sessions": tuple(s for s in self.sessions if s.id != session.id)})
        if len(kept.sessions) == len(self.sessions):
            raise ProcedureError("Cette séance n'est pas enregistrée.", "id")
        return kept.add(session)
