"""What an agenda receives of a plan: one event per session, and nothing of the bilan.

An event says « Bilan de compétences, entretien n », where, and when: no answer, note, phase or
beneficiary detail. The consultant may choose to add the beneficiary's first name (to tell two
bilans apart in their agenda); nothing else about the person ever goes in. The ``uid`` is stable per
session, so that re-importing the calendar after a move updates the same event (a higher
``sequence``), and a cancelled session is sent as cancelled, so that the agenda drops it.

The iCalendar file itself is written in ``rendering`` (a file format); this is its view-model.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from bilan_tui.domain.models import Model
from bilan_tui.domain.procedure.planner import Plan
from bilan_tui.domain.text import CleanLine, clean_text

SUMMARY = "Bilan de compétences, entretien"
UID_DOMAIN = "bilan-tui"


class CalendarEvent(Model):
    uid: str = Field(min_length=1)
    start: dt.datetime
    end: dt.datetime
    summary: CleanLine
    location: CleanLine = ""
    sequence: int = Field(default=0, ge=0)
    cancelled: bool = False


def summary(number: int | None, first_name: str = "") -> str:
    """« Bilan de compétences, entretien 3 », with « (Nadia) » when a first name is given."""
    text = f"{SUMMARY} {number}" if number is not None else f"{SUMMARY} annulé"
    name = " ".join(clean_text(first_name).split())
    return f"{text} ({name})" if name else text


def calendar_events(plan: Plan, *, location: str = "", first_name: str = "",
                    include_cancelled: bool = True) -> tuple[CalendarEvent, ...]:
    """The events of ``plan``: the active sessions numbered in time order, then the cancelled ones.

    ``first_name``: only when the consultant chose to show it (empty: no name at all).
    ``include_cancelled``: send cancelled sessions as cancelled events (an agenda that imported
    them before then removes them); False leaves them out.
    """
    events = [CalendarEvent(uid=f"{session.id}@{UID_DOMAIN}", start=session.start, end=session.end,
                            summary=summary(number, first_name), location=location, sequence=session.revision)
              for number, session in enumerate(plan.active, start=1)]
    if include_cancelled:
        events += [CalendarEvent(uid=f"{session.id}@{UID_DOMAIN}", start=session.start, end=session.end,
                                 summary=summary(None, first_name), location=location, sequence=session.revision,
                                 cancelled=True)
                   for session in sorted(plan.sessions, key=lambda s: s.start) if not session.is_active]
    return tuple(events)
