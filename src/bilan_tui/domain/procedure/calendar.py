"""Rules of a meeting slot: weekdays, opening hours, French public holidays, the past, overlaps.

A slot is a start and an end on the same day, in local wall-clock time (naive ``datetime``: the
consultant's time zone, Europe/Paris for metropolitan France). A slot is allowed when it is:

- Monday to Friday;
- not a French public holiday (the ``holidays`` library, France; with the Alsace-Moselle days,
  Vendredi saint and 26 décembre, when the consultant works there);
- within the opening hours (8:00 to 18:00 by default: it starts at or after the opening, ends at or
  before the closing);
- not in the past (``now`` is a parameter: the domain has no clock);
- not overlapping another session of the same consultant, whatever the dossier (two slots that
  touch, 9:00-12:00 and 12:00-15:00, do not overlap).

Each refusal is a :class:`SlotError` whose message says, in French, what is allowed instead.

The consultant's busy slots are held in a :class:`BusyCalendar`: sorted starts with a running
maximum of the ends, so that "does anything overlap [start, end)?" costs a binary search plus the
overlapping slots themselves, whatever the size of the agenda (thousands of sessions).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator
from enum import StrEnum

from pydantic import model_validator

from bilan_tui.domain.models import Model
from bilan_tui.domain.procedure.workdays import public_holidays

WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
"""French names of the days, Monday first (``date.weekday()`` indexes them)."""

WORKING_DAYS = frozenset(range(5))
"""Monday (0) to Friday (4): the days a session may take place."""


def time_label(moment: dt.time | dt.datetime) -> str:
    """``7:30``, ``18:00``: an hour as the French write it on a screen (no leading zero)."""
    return f"{moment.hour}:{moment.minute:02d}"


def date_label(day: dt.date) -> str:
    """``14/07/2027``."""
    return f"{day:%d/%m/%Y}"


def duration_label(minutes: int) -> str:
    """``3 h``, ``2 h 30``, ``45 min``: a duration in hours and minutes."""
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} min"
    return f"{hours} h" if rest == 0 else f"{hours} h {rest:02d}"


class HolidayZone(StrEnum):
    """Which French public holidays apply where the consultant holds the sessions."""

    METROPOLE = "metropole"
    ALSACE_MOSELLE = "alsace_moselle"
    """Bas-Rhin, Haut-Rhin, Moselle (57, 67, 68): also Vendredi saint and 26 décembre (Saint-Étienne)."""

    @property
    def label(self) -> str:
        return {HolidayZone.METROPOLE: "France (jours fériés nationaux)",
                HolidayZone.ALSACE_MOSELLE: "Alsace-Moselle (avec le Vendredi saint et le 26 décembre)"}[self]


# The library names Alsace (67 and 68) "6AE" and Moselle "57"; both have the same days (tested).
def _holidays_of(year: int, zone: HolidayZone) -> dict[dt.date, str]:
    # One table of holidays for the deadlines and the planner (workdays caches it per year).
    return public_holidays(year, alsace_moselle=zone is HolidayZone.ALSACE_MOSELLE)


def holiday_name(day: dt.date, zone: HolidayZone = HolidayZone.METROPOLE) -> str | None:
    """The French name of the public holiday on ``day`` (« Fête nationale »), or None for a normal day."""
    return _holidays_of(day.year, zone).get(day)


def is_working_day(day: dt.date, zone: HolidayZone = HolidayZone.METROPOLE) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() in WORKING_DAYS and holiday_name(day, zone) is None


class SlotRules(Model):
    """Where and when sessions may be held: opening hours and the holidays that apply."""

    opens: dt.time = dt.time(8, 0)
    closes: dt.time = dt.time(18, 0)
    zone: HolidayZone = HolidayZone.METROPOLE

    @model_validator(mode="after")
    def _ordered(self) -> SlotRules:
        if self.opens >= self.closes:
            raise ValueError(f"L'ouverture ({time_label(self.opens)}) doit précéder la fermeture "
                             f"({time_label(self.closes)}).")
        return self

    @property
    def hours_label(self) -> str:
        """``entre 8:00 et 18:00``."""
        return f"entre {time_label(self.opens)} et {time_label(self.closes)}"


class SlotRefusal(StrEnum):
    """Why a slot is refused (for screens that point at the faulty field)."""

    EMPTY = "vide"
    SPANS_DAYS = "plusieurs_jours"
    PAST = "passe"
    WEEKEND = "week_end"
    HOLIDAY = "ferie"
    BEFORE_OPENING = "avant_ouverture"
    AFTER_CLOSING = "apres_fermeture"
    OVERLAP = "chevauchement"


class SlotError(ValueError):
    """A slot that cannot hold a session; the message is French and says what is allowed."""

    def __init__(self, message: str, refusal: SlotRefusal) -> None:
        super().__init__(message)
        self.refusal = refusal


class BusySlot(Model):
    """A slot already taken in the consultant's agenda; ``key`` names it (the session's id)."""

    start: dt.datetime
    end: dt.datetime
    key: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> BusySlot:
        if self.end <= self.start:
            raise ValueError(f"Créneau occupé vide ou à l'envers : {self.start:%d/%m/%Y %H:%M} – {self.end:%H:%M}.")
        return self


def _minute(moment: dt.datetime) -> int:
    """Minutes since 0001-01-01: integers compare faster than datetimes, and sort the same."""
    return moment.toordinal() * 1440 + moment.hour * 60 + moment.minute


def _slot(span: tuple[dt.datetime, dt.datetime, str]) -> BusySlot:
    return BusySlot.model_construct(start=span[0], end=span[1], key=span[2])


class BusyCalendar:
    """The consultant's taken slots, indexed for overlap queries.

    Built once (sorting: O(n log n)); :meth:`overlapping` then costs a binary search plus a walk back
    over the slots that may still reach the query (a running maximum of the ends stops the walk as
    soon as nothing earlier can overlap). Slots may overlap each other (an imported agenda): the
    index stays correct. Immutable: :meth:`with_slots` returns a new calendar.
    """

    __slots__ = ("_spans", "_starts", "_ends", "_reach")

    def __init__(self, slots: Iterable[BusySlot] = ()) -> None:
        self._index([(slot.start, slot.end, slot.key) for slot in slots])

    @classmethod
    def from_spans(cls, spans: Iterable[tuple[dt.datetime, dt.datetime, str]]) -> BusyCalendar:
        """A calendar from ``(start, end, key)`` triples, without building a validated model per slot.

        For a whole agenda read from storage (thousands of sessions): building a :class:`BusySlot`
        per session costs more than the index itself. Only the order of start and end is checked.
        """
        checked = list(spans)
        for start, end, _ in checked:
            if end <= start:
                raise ValueError(f"Créneau occupé vide ou à l'envers : {start:%d/%m/%Y %H:%M} – {end:%H:%M}.")
        calendar = cls.__new__(cls)
        calendar._index(checked)
        return calendar

    def _index(self, spans: list[tuple[dt.datetime, dt.datetime, str]]) -> None:
        entries = sorted((_minute(start), _minute(end), position) for position, (start, end, _) in enumerate(spans))
        self._spans = [spans[position] for _, _, position in entries]
        self._starts = [start for start, _, _ in entries]
        self._ends = [end for _, end, _ in entries]
        reach: list[int] = []
        highest = -1
        for end in self._ends:
            highest = max(highest, end)
            reach.append(highest)
        self._reach = reach
        """``_reach[i]``: the latest end among slots 0..i."""

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self) -> Iterator[BusySlot]:
        return (_slot(span) for span in self._spans)

    def with_slots(self, slots: Iterable[BusySlot]) -> BusyCalendar:
        """A calendar with ``slots`` added."""
        return BusyCalendar.from_spans([*self._spans, *((slot.start, slot.end, slot.key) for slot in slots)])

    def overlapping(self, start: dt.datetime, end: dt.datetime,
                    exclude: frozenset[str] = frozenset()) -> Iterator[BusySlot]:
        """The slots that overlap ``[start, end)``, latest first, except those whose key is in ``exclude``."""
        low, high = _minute(start), _minute(end)
        index = bisect.bisect_left(self._starts, high) - 1   # the last slot starting before ``end``
        while index >= 0 and self._reach[index] > low:
            if self._ends[index] > low and self._spans[index][2] not in exclude:
                yield _slot(self._spans[index])
            index -= 1

    def is_free(self, start: dt.datetime, end: dt.datetime, exclude: frozenset[str] = frozenset()) -> bool:
        """Whether nothing (but the ``exclude``d keys) overlaps ``[start, end)``: the planner's hot path."""
        low, high = _minute(start), _minute(end)
        index = bisect.bisect_left(self._starts, high) - 1
        while index >= 0 and self._reach[index] > low:
            if self._ends[index] > low and self._spans[index][2] not in exclude:
                return False
            index -= 1
        return True

    def first_overlap(self, start: dt.datetime, end: dt.datetime,
                      exclude: frozenset[str] = frozenset()) -> BusySlot | None:
        """One slot overlapping ``[start, end)`` (the latest), or None when the slot is free."""
        return next(self.overlapping(start, end, exclude), None)


def check_slot(start: dt.datetime, end: dt.datetime, *, now: dt.datetime, rules: SlotRules | None = None,
               busy: BusyCalendar | None = None, exclude: frozenset[str] = frozenset()) -> None:
    """Raise :class:`SlotError` when ``[start, end)`` cannot hold a session; return quietly otherwise.

    ``now``: the current local time (a slot starting before it is in the past). ``busy``: the
    consultant's other sessions, any dossier; ``exclude``: keys of busy slots to ignore (the session
    being moved). The first rule broken is reported, in this order: empty or over several days, past,
    weekend, holiday, opening hours, overlap.
    """
    rules = rules or SlotRules()
    if end <= start:
        raise SlotError(f"La fin ({time_label(end)}) doit venir après le début ({time_label(start)}).",
                        SlotRefusal.EMPTY)
    if end.date() != start.date():
        raise SlotError(f"Un entretien se tient sur une seule journée : de {time_label(start)} le "
                        f"{date_label(start.date())} à au plus tard {time_label(rules.closes)} le même jour.",
                        SlotRefusal.SPANS_DAYS)
    day = start.date()
    if start < now:
        raise SlotError(f"Le {date_label(day)} à {time_label(start)} est déjà passé : choisissez un créneau à "
                        f"partir du {date_label(now.date())} à {time_label(now)}.", SlotRefusal.PAST)
    if day.weekday() not in WORKING_DAYS:
        raise SlotError(f"Le {WEEKDAY_NAMES[day.weekday()]} n'est pas un jour d'entretien : du lundi au vendredi.",
                        SlotRefusal.WEEKEND)
    name = holiday_name(day, rules.zone)
    if name is not None:
        raise SlotError(f"Le {date_label(day)} est un jour férié ({name}).", SlotRefusal.HOLIDAY)
    if start.time() < rules.opens:
        raise SlotError(f"{time_label(start)} est avant l'ouverture : {rules.hours_label}.",
                        SlotRefusal.BEFORE_OPENING)
    if start.time() >= rules.closes:
        raise SlotError(f"{time_label(start)} est après la fermeture : {rules.hours_label}.",
                        SlotRefusal.AFTER_CLOSING)
    if end.time() > rules.closes:
        raise SlotError(f"Fin à {time_label(end)}, après la fermeture : {rules.hours_label}.",
                        SlotRefusal.AFTER_CLOSING)
    if busy is not None:
        taken = busy.first_overlap(start, end, exclude)
        if taken is not None:
            raise SlotError(f"Ce créneau chevauche un autre entretien, le {date_label(taken.start.date())} de "
                            f"{time_label(taken.start)} à {time_label(taken.end)} : choisissez une heure libre.",
                            SlotRefusal.OVERLAP)

