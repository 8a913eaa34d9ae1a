"""The schedule of a bilan: proposed from a start date, then moved or cancelled session by session.

The seed's pattern is the default: 24 hours at most, in sessions of about 3 hours, about one a week,
phases of 3 h (phase préliminaire), 12 h (investigation), 6 h (conclusion) and 3 h (remise de la
synthèse), i.e. 8 meetings of 3 h. Each phase's hours are split into sessions no longer than the
chosen length (whole quarters of an hour); a session serves a single phase.

:func:`propose_plan` places the sessions one after the other:

- the first one from the earliest possible day (the start date, never before the first contact nor
  before today), within ``first_within_days`` of the first contact where the start date allows it
  (otherwise the plan carries a note saying why);
- each next one ``interval_days`` after the previous one (on the preferred weekday when one is set);
- on each day, the preferred hour first, then the other quarter hours by distance to it;
- a day or an hour that breaks a rule of :mod:`.calendar` (weekend, holiday, opening hours, the
  consultant's other sessions) is passed over, so every proposed session passes :func:`check_slot`.

:func:`move_session`, :func:`cancel_session` and :func:`add_session` change one session of a plan, with the same rules
(a session does not overlap itself), and return the new plan. The plan is a frozen model, meant to
be stored in the dossier's administrative file.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from bilan_tui.domain.models import Model, Phase
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.calendar import (
    WEEKDAY_NAMES,
    BusyCalendar,
    BusySlot,
    SlotError,
    SlotRules,
    check_slot,
    date_label,
    duration_label,
    is_working_day,
    time_label,
)
from bilan_tui.domain.text import CleanLine

MAX_MINUTES = 24 * 60
"""The legal maximum of a bilan: 24 hours (L6313-4)."""

QUARTER = 15
SEARCH_DAYS = 400
"""How far past its target day the planner looks for a free slot before giving up."""


class PlanningError(ValueError):
    """A plan, a move or a cancellation that cannot be done; the message is French."""


class PhaseBudget(Model):
    """The hours planned for one phase, in minutes."""

    phase: Phase
    minutes: int = Field(ge=0, le=MAX_MINUTES)

    @field_validator("minutes")
    @classmethod
    def _quarters(cls, minutes: int) -> int:
        if minutes % QUARTER:
            raise ValueError("La durée d'une phase se compte en quarts d'heure (exemples : 3 h, 2 h 15).")
        return minutes


SEED_PHASES: tuple[PhaseBudget, ...] = (
    PhaseBudget(phase=Phase.PRELIMINAIRE, minutes=3 * 60),
    PhaseBudget(phase=Phase.INVESTIGATION, minutes=12 * 60),
    PhaseBudget(phase=Phase.CONCLUSION, minutes=6 * 60),
    PhaseBudget(phase=Phase.REMISE, minutes=3 * 60),
)
"""The seed's split of the 24 hours: 3 / 12 / 6 / 3."""


class PlanSettings(Model):
    """How the consultant wants the sessions laid out (the seed's pattern by default)."""

    session_minutes: int = Field(default=180, ge=60, le=600)
    """The longest session, in minutes (a phase's hours are split into sessions no longer than this)."""
    interval_days: int = Field(default=7, ge=1, le=60)
    """Days from one session to the next."""
    preferred_weekday: int | None = Field(default=None, ge=0, le=4)
    """0 (Monday) to 4 (Friday), or None: whichever day comes."""
    preferred_time: dt.time = dt.time(9, 0)
    first_within_days: int = Field(default=7, ge=0, le=60)
    """The first meeting comes at most this many days after the first contact, where possible."""
    phases: tuple[PhaseBudget, ...] = SEED_PHASES
    rules: SlotRules = SlotRules()

    @field_validator("session_minutes")
    @classmethod
    def _session_quarters(cls, minutes: int) -> int:
        if minutes % QUARTER:
            raise ValueError("La durée d'un entretien se compte en quarts d'heure (exemples : 3 h, 2 h 30).")
        return minutes

    @model_validator(mode="after")
    def _within_rules(self) -> PlanSettings:
        total = self.total_minutes
        if total > MAX_MINUTES:
            raise ValueError(f"Les phases totalisent {duration_label(total)} : un bilan dure au plus 24 h.")
        if total == 0:
            raise ValueError("Aucune heure prévue : donnez leur durée aux phases (au plus 24 h en tout).")
        if len({budget.phase for budget in self.phases}) != len(self.phases):
            raise ValueError("Chaque phase n'apparaît qu'une fois dans le plan.")
        opening = dt.datetime.combine(dt.date.min, self.rules.closes) - dt.datetime.combine(dt.date.min,
                                                                                          self.rules.opens)
        if self.session_minutes > opening.total_seconds() // 60:
            raise ValueError(f"Un entretien de {duration_label(self.session_minutes)} ne tient pas "
                             f"{self.rules.hours_label}.")
        return self

    @property
    def total_minutes(self) -> int:
        return sum(budget.minutes for budget in self.phases)


class SessionStatus(StrEnum):
    PLANNED = "prevu"
    CANCELLED = "annule"

    @property
    def label(self) -> str:
        return {SessionStatus.PLANNED: "Prévu", SessionStatus.CANCELLED: "Annulé"}[self]


class PlannedSession(Model):
    """One meeting of the plan. ``id`` is stable across moves (an agenda updates the same event)."""

    id: str = Field(min_length=1)
    phase: Phase
    start: dt.datetime
    end: dt.datetime
    status: SessionStatus = SessionStatus.PLANNED
    revision: int = Field(default=0, ge=0)
    """How many times it was moved or cancelled (the ``SEQUENCE`` of its calendar event)."""

    @model_validator(mode="after")
    def _ordered(self) -> PlannedSession:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:  # a file edited by hand: no crash
            raise ValueError("Un entretien est en heure locale, sans fuseau horaire.")
        if self.end <= self.start or self.end.date() != self.start.date():
            raise ValueError("Un entretien commence et finit le même jour, la fin après le début.")
        return self

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def is_active(self) -> bool:
        return self.status is SessionStatus.PLANNED

    @property
    def label(self) -> str:
        """``mardi 01/12/2026, 9:00 – 12:00 (3 h), Phase préliminaire``."""
        return (f"{WEEKDAY_NAMES[self.start.weekday()]} {date_label(self.start.date())}, {time_label(self.start)} – "
                f"{time_label(self.end)} ({duration_label(self.minutes)}), {self.phase.label}")

    def as_busy(self) -> BusySlot:
        return BusySlot(start=self.start, end=self.end, key=self.id)


class Plan(Model):
    """The sessions of a bilan (cancelled ones kept, so that an agenda can be told), and the planner's notes."""

    sessions: tuple[PlannedSession, ...] = ()
    notes: tuple[CleanLine, ...] = ()
    """What the planner could not do as asked (French), e.g. a first meeting later than a week."""

    @property
    def active(self) -> tuple[PlannedSession, ...]:
        """The sessions still planned, in time order."""
        return tuple(sorted((s for s in self.sessions if s.is_active), key=lambda s: s.start))

    @property
    def total_minutes(self) -> int:
        return sum(session.minutes for session in self.active)

    def number(self, session_id: str) -> int | None:
        """The rank (1, 2, ...) of an active session in time order, or None (unknown or cancelled)."""
        for rank, session in enumerate(self.active, start=1):
            if session.id == session_id:
                return rank
        return None

    def session(self, session_id: str) -> PlannedSession:
        for session in self.sessions:
            if session.id == session_id:
                return session
        raise PlanningError("Cet entretien n'est pas dans le planning.")

    def minutes_by_phase(self) -> dict[Phase, int]:
        totals: dict[Phase, int] = {}
        for session in self.active:
            totals[session.phase] = totals.get(session.phase, 0) + session.minutes
        return totals

    def as_busy(self) -> tuple[BusySlot, ...]:
        """The active sessions as busy slots (to plan another dossier of the same consultant around them)."""
        return tuple(session.as_busy() for session in self.active)


def split_phase(minutes: int, longest: int) -> list[int]:
    """``minutes`` cut into as few sessions as ``longest`` allows, as even as whole quarters permit.

    12 h in 3 h sessions: four of 3 h; 6 h in 2 h 30 sessions: three of 2 h.
    """
    if minutes <= 0:
        return []
    count = -(-minutes // longest)
    quarters = minutes // QUARTER
    base, extra = divmod(quarters, count)
    return [(base + (1 if index < extra else 0)) * QUARTER for index in range(count)]


def _start_times(settings: PlanSettings, minutes: int) -> list[dt.time]:
    """The start times tried on a day: the preferred one, then every quarter hour by distance to it."""
    rules = settings.rules
    first = rules.opens.hour * 60 + rules.opens.minute
    first = -(-first // QUARTER) * QUARTER
    last = rules.closes.hour * 60 + rules.closes.minute - minutes
    preferred = settings.preferred_time.hour * 60 + settings.preferred_time.minute
    preferred = min(max(preferred, first), last)
    candidates = sorted(range(first, last + 1, QUARTER), key=lambda m: (abs(m - preferred), m))
    ordered = [preferred] + [m for m in candidates if m != preferred]
    return [dt.time(m // 60, m % 60) for m in ordered]


def _next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _first_free(target: dt.date, minutes: int, settings: PlanSettings, busy: BusyCalendar,
                now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The first slot of ``minutes`` from ``target`` on. The plan's own sessions need no check: each
    next one is searched from at least a day after the previous one (``interval_days`` ≥ 1)."""
    times = _start_times(settings, minutes)
    length = dt.timedelta(minutes=minutes)
    for offset in range(SEARCH_DAYS):
        day = target + dt.timedelta(days=offset)
        if not is_working_day(day, settings.rules.zone):
            continue
        for moment in times:
            start = dt.datetime.combine(day, moment)
            end = start + length
            if start >= now and busy.is_free(start, end):
                return start, end
    last = target + dt.timedelta(days=SEARCH_DAYS - 1)
    raise PlanningError(f"Aucun créneau libre de {duration_label(minutes)} du {date_label(target)} au "
                        f"{date_label(last)} ({settings.rules.hours_label}, du lundi au vendredi) : "
                        f"libérez des heures ou raccourcissez les entretiens.")


def _new_id() -> str:
    return uuid.uuid4().hex


def propose_plan(*, start: dt.date, first_contact: dt.date, now: dt.datetime,
                 settings: PlanSettings | None = None, busy: BusyCalendar | None = None,
                 new_id: Callable[[], str] = _new_id) -> Plan:
    """The whole schedule of a bilan from ``start`` (the earliest day the bilan may begin).

    ``first_contact``: the day of the first call; ``now``: the current local time (nothing is
    planned before it); ``busy``: the consultant's sessions in other dossiers; ``new_id``: makes the
    sessions' ids (random by default; tests pass a counter).
    """
    settings = settings or PlanSettings()
    busy = busy or BusyCalendar()
    earliest = max(start, first_contact, now.date())
    deadline = first_contact + dt.timedelta(days=settings.first_within_days)
    lengths = [(budget.phase, minutes) for budget in settings.phases
               for minutes in split_phase(budget.minutes, settings.session_minutes)]

    sessions: list[PlannedSession] = []
    notes: list[str] = []
    target = earliest
    if settings.preferred_weekday is not None:
        preferred = _next_weekday(earliest, settings.preferred_weekday)
        # The week after the first contact comes first; when it cannot be kept anyway, the weekday wins.
        if preferred <= deadline or earliest > deadline:
            target = preferred
    for phase, minutes in lengths:
        begin, end = _first_free(target, minutes, settings, busy, now)
        sessions.append(PlannedSession(id=new_id(), phase=phase, start=begin, end=end))
        target = begin.date() + dt.timedelta(days=settings.interval_days)
        if settings.preferred_weekday is not None:
            target = _next_weekday(target, settings.preferred_weekday)

    first_day = sessions[0].start.date()
    if first_day > deadline:
        days = (first_day - first_contact).days
        why = (f"le bilan ne peut commencer que le {date_label(start)}" if start > deadline
               else "pas de créneau libre plus tôt")
        notes.append(f"Premier entretien le {date_label(first_day)}, {plural(days, 'jour')} après le premier "
                     f"contact du {date_label(first_contact)} : {why}.")
    return Plan(sessions=tuple(sessions), notes=tuple(notes))


def move_session(plan: Plan, session_id: str, start: dt.datetime, end: dt.datetime, *, now: dt.datetime,
                 rules: SlotRules | None = None, busy: BusyCalendar | None = None) -> Plan:
    """The plan with one session moved to ``[start, end)``, checked like any slot.

    ``busy``: the consultant's agenda (it may contain this plan's sessions: the moved one is never
    its own overlap). A session already held or cancelled does not move; the total stays ≤ 24 h.
    Raises :class:`SlotError` for a bad slot, :class:`PlanningError` otherwise.
    """
    session = plan.session(session_id)
    if not session.is_active:
        raise PlanningError("Cet entretien est annulé : planifiez-en un nouveau plutôt que de le déplacer.")
    if session.start < now:
        raise PlanningError(f"L'entretien du {date_label(session.start.date())} a déjà commencé ou eu lieu : "
                            "il ne se déplace plus.")
    itself = frozenset({session_id})
    check_slot(start, end, now=now, rules=rules, busy=BusyCalendar(plan.as_busy()), exclude=itself)
    if busy is not None:
        check_slot(start, end, now=now, rules=rules, busy=busy, exclude=itself)
    moved = session.model_copy(update={"start": start, "end": end, "revision": session.revision + 1})
    total = plan.total_minutes - session.minutes + moved.minutes
    if total > MAX_MINUTES:
        raise PlanningError(f"Avec cet horaire, le planning totaliserait {duration_label(total)} : un bilan dure "
                            f"au plus 24 h (encore {duration_label(MAX_MINUTES - plan.total_minutes + session.minutes)}"
                            f" possibles pour cet entretien).")
    return _replace(plan, moved)


def add_session(plan: Plan, phase: Phase, start: dt.datetime, end: dt.datetime, *, now: dt.datetime,
                rules: SlotRules | None = None, busy: BusyCalendar | None = None,
                new_id: Callable[[], str] = _new_id) -> Plan:
    """The plan with one more session (to replace a cancelled one, or to extend a phase), checked like
    any slot; the total stays ≤ 24 h. Raises :class:`SlotError` or :class:`PlanningError`."""
    check_slot(start, end, now=now, rules=rules, busy=BusyCalendar(plan.as_busy()))
    if busy is not None:
        check_slot(start, end, now=now, rules=rules, busy=busy)
    session = PlannedSession(id=new_id(), phase=phase, start=start, end=end)
    total = plan.total_minutes + session.minutes
    if total > MAX_MINUTES:
        raise PlanningError(f"Avec cet entretien, le planning totaliserait {duration_label(total)} : un bilan dure "
                            f"au plus 24 h (encore {duration_label(MAX_MINUTES - plan.total_minutes)} possibles).")
    return plan.model_copy(update={"sessions": (*plan.sessions, session)})


def cancel_session(plan: Plan, session_id: str, *, now: dt.datetime) -> Plan:
    """The plan with one session cancelled (kept, marked « Annulé », so that an agenda drops it)."""
    session = plan.session(session_id)
    if not session.is_active:
        raise PlanningError("Cet entretien est déjà annulé.")
    if session.start < now:
        raise PlanningError(f"L'entretien du {date_label(session.start.date())} a déjà commencé ou eu lieu : "
                            "il ne s'annule plus.")
    return _replace(plan, session.model_copy(update={"status": SessionStatus.CANCELLED,
                                                     "revision": session.revision + 1}))


def _replace(plan: Plan, changed: PlannedSession) -> Plan:
    sessions = tuple(changed if session.id == changed.id else session for session in plan.sessions)
    return plan.model_copy(update={"sessions": sessions})


__all__ = ["MAX_MINUTES", "SEED_PHASES", "Plan", "PlanSettings", "PlannedSession", "PhaseBudget", "PlanningError",
           "SessionStatus", "SlotError", "add_session", "cancel_session", "move_session", "propose_plan",
           "split_phase"]
