"""French calendar rules shared by the deadlines and, later, the planner.

Public holidays come from the ``holidays`` library (the list of L3133-1 of the Code du travail,
Lundi de Pentecôte included), with the two extra days of Alsace-Moselle (Vendredi saint, Saint-Étienne)
when the consultant says the bilan takes place there.

How a legal period of *n* days is counted (``deadline_end``), as the Code de procédure civile
(articles 641 and 642) and the Code de la consommation (L221-19) count them, and as we apply them
to the ten days of R6313-8 and L6353-5:

- calendar days (*jours calendaires*): weekends and holidays inside the period count;
- the day of the event that starts the period (transmission, signature) is not counted: a contract
  signed on the 2nd has ten days from the 3rd to the 12th included;
- the period ends at the end of its last day;
- a period whose last day is a Saturday, a Sunday or a public holiday runs on to the next day that is
  none of these (``extend=True``, the default and the reading that protects the person: no refusal is
  assumed, no start allowed, before that day is over).

*Jours ouvrés* (the Mon Compte Formation rules) are Monday to Friday, public holidays excepted.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

ALSACE_MOSELLE_SUBDIVISION = "57"
"""The ``holidays`` subdivision for Moselle; Bas-Rhin and Haut-Rhin (``6AE``) have the same two extra days."""

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@lru_cache(maxsize=256)
def public_holidays(year: int, alsace_moselle: bool = False) -> dict[dt.date, str]:
    """The French public holidays of ``year``, with their French names."""
    subdivision = ALSACE_MOSELLE_SUBDIVISION if alsace_moselle else None
    days = holidays.country_holidays("FR", subdiv=subdivision, years=year, language="fr")
    return {day: str(name) for day, name in days.items()}


def holiday_name(day: dt.date, *, alsace_moselle: bool = False) -> str | None:
    """The name of the public holiday on ``day`` (« Lundi de Pâques »), or None."""
    return public_holidays(day.year, alsace_moselle).get(day)


def is_working_day(day: dt.date, *, alsace_moselle: bool = False) -> bool:
    """A *jour ouvré*: Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and holiday_name(day, alsace_moselle=alsace_moselle) is None


def next_working_day(day: dt.date, *, alsace_moselle: bool = False) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, alsace_moselle=alsace_moselle):
        day += dt.timedelta(days=1)
    return day


def deadline_end(start: dt.date, days: int, *, extend: bool = True, alsace_moselle: bool = False) -> dt.date:
    """The last day (included) of a period of ``days`` calendar days that starts with the event of ``start``.

    See the module: ``start`` is not counted; a last day on a weekend or a holiday moves to the next
    working day when ``extend``.
    """
    if days < 0:
        raise ValueError("a period cannot be negative")
    end = start + dt.timedelta(days=days)
    return next_working_day(end, alsace_moselle=alsace_moselle) if extend else end


def add_working_days(start: dt.date, days: int, *, alsace_moselle: bool = False) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("a number of working days cannot be negative")
    day = start
    for _ in range(days):
        day = next_working_day(day + dt.timedelta(days=1), alsace_moselle=alsace_moselle)
    return day


def date_label(day: dt.date) -> str:
    """« lundi 12/01/2027 »: a deadline reads better with its weekday."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m/%Y}"
