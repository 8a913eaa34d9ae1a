"""The plan of a bilan as an iCalendar (``.ics``) file, for the consultant's agenda.

Built with the ``icalendar`` library from :class:`bilan_tui.domain.procedure.events.CalendarEvent`
view-models only: what an event may say is decided in the domain (a number, a place, at most a first
name), never here. Times are local wall-clock times of ``time_zone`` (Europe/Paris by default), sent
with their ``VTIMEZONE`` so that any agenda places them right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bilan_tui.domain.procedure.events import CalendarEvent

PRODUCT_ID = "-//bilan-tui//Planning des entretiens//FR"


def build_ics(events: Iterable[CalendarEvent], *, stamp: dt.datetime, time_zone: str = "Europe/Paris") -> bytes:
    """The ``.ics`` bytes of ``events``. ``stamp``: when the file is made (aware, or naive UTC): its ``DTSTAMP``."""
    zone = ZoneInfo(time_zone)
    stamp_utc = stamp.astimezone(dt.UTC) if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    items = tuple(events)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp_utc)
        event.add("dtstart", item.start.replace(tzinfo=zone))
        event.add("dtend", item.end.replace(tzinfo=zone))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    if items:
        # The time zone's rules over the years of the events only (a short file, valid past 2038).
        first = dt.date(min(item.start for item in items).year, 1, 1)
        last = dt.date(max(item.end for item in items).year + 1, 1, 1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    ical: bytes = calendar.to_ical()
    return ical
