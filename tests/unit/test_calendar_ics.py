"""The .ics export: it parses back with icalendar, one event per session, nothing of the bilan or the person
beyond « Bilan de compétences, entretien n », the place and, when chosen, the first name."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bilan_tui.domain.procedure.events import CalendarEvent, calendar_events
from bilan_tui.domain.procedure.planner import Plan, cancel_session, move_session, propose_plan
from bilan_tui.rendering.calendar import build_ics

NOW = dt.datetime(2026, 11, 28, 18, 5)
STAMP = dt.datetime(2026, 11, 28, 17, 5, tzinfo=dt.UTC)
PARIS = ZoneInfo("Europe/Paris")
PLACE = "Cabinet Orientation, 12 rue des Lilas, Metz"
# What a dossier holds and an agenda must never see (the beneficiary's details, an answer, a note, a phase).
SECRETS = ("Roux", "nadia.roux@example.org", "06 12 34 56 78", "Aide-soignante", "Mon poste va être supprimé",
           "Observation du consultant", "Investigation", "préliminaire", "Conclusion", "Remise", "synthèse")


def plan() -> Plan:
    numbers = itertools.count(1)
    return propose_plan(start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 27), now=NOW,
                        new_id=lambda: f"s{next(numbers)}")


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_one_event_per_session_that_parses_back_with_its_times() -> None:
    schedule = plan()
    data = build_ics(calendar_events(schedule, location=PLACE), stamp=STAMP)
    events = parse(data).walk("VEVENT")
    assert len(events) == len(schedule.active) == 8
    for number, (event, session) in enumerate(zip(events, schedule.active, strict=True), start=1):
        assert str(event["SUMMARY"]) == f"Bilan de compétences, entretien {number}"
        assert str(event["LOCATION"]) == PLACE
        assert str(event["UID"]) == f"{session.id}@bilan-tui"
        assert event.decoded("DTSTART") == session.start.replace(tzinfo=PARIS)
        assert event.decoded("DTEND") == session.end.replace(tzinfo=PARIS)
        assert str(event["STATUS"]) == "CONFIRMED"
    # 9:00 in Paris in winter is 8:00 UTC: the time zone travels with the file.
    assert events[0].decoded("DTSTART").astimezone(dt.UTC).hour == 8
    assert parse(data).walk("VTIMEZONE")


def test_nothing_personal_or_of_the_bilan_is_in_the_file() -> None:
    text = build_ics(calendar_events(plan(), location=PLACE), stamp=STAMP).decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    for secret in (*SECRETS, "Nadia"):
        assert secret.casefold() not in unfolded.casefold(), secret
    allowed = {"SUMMARY", "LOCATION", "UID", "DTSTART", "DTEND", "DTSTAMP", "SEQUENCE", "STATUS", "TRANSP"}
    for event in parse(text.encode()).walk("VEVENT"):
        assert set(event.keys()) <= allowed
        assert "DESCRIPTION" not in event and "ATTENDEE" not in event and "ORGANIZER" not in event


def test_the_first_name_only_when_chosen() -> None:
    text = build_ics(calendar_events(plan(), location=PLACE, first_name="Nadia"), stamp=STAMP).decode("utf-8")
    events = parse(text.encode()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events][:2] == ["Bilan de compétences, entretien 1 (Nadia)",
                                                      "Bilan de compétences, entretien 2 (Nadia)"]
    for secret in SECRETS:
        assert secret.casefold() not in text.replace("\r\n ", "").casefold(), secret


def test_moved_and_cancelled_sessions_keep_their_uid_with_a_higher_sequence() -> None:
    schedule = cancel_session(plan(), "s3", now=NOW)
    schedule = move_session(schedule, "s2", dt.datetime(2026, 12, 9, 14), dt.datetime(2026, 12, 9, 17), now=NOW)
    events = {str(e["UID"]): e for e in parse(build_ics(calendar_events(schedule), stamp=STAMP)).walk("VEVENT")}
    assert len(events) == 8
    assert str(events["s3@bilan-tui"]["STATUS"]) == "CANCELLED" and int(events["s3@bilan-tui"]["SEQUENCE"]) == 1
    assert str(events["s3@bilan-tui"]["SUMMARY"]) == "Bilan de compétences, entretien annulé"
    assert int(events["s2@bilan-tui"]["SEQUENCE"]) == 1
    assert events["s2@bilan-tui"].decoded("DTSTART") == dt.datetime(2026, 12, 9, 14, tzinfo=PARIS)
    assert str(events["s4@bilan-tui"]["SUMMARY"]) == "Bilan de compétences, entretien 3"
    without = parse(build_ics(calendar_events(schedule, include_cancelled=False), stamp=STAMP)).walk("VEVENT")
    assert len(without) == 7
    assert "LOCATION" not in without[0]   # no place given: none written


def test_an_empty_plan_is_an_empty_calendar() -> None:
    calendar = parse(build_ics((), stamp=STAMP))
    assert calendar.walk("VEVENT") == []


def test_a_summary_cannot_carry_control_characters() -> None:
    event = CalendarEvent(uid="u", start=NOW, end=NOW + dt.timedelta(hours=1), summary="Bilan\x1b[31m", location="")
    assert "\x1b" not in event.summary
