"""The attendance sheet's rows and the attestation, built from the administrative file and the names."""

from __future__ import annotations

import datetime as dt

import pytest

from bilan_tui.domain.models import Phase
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.attendance import AttendanceError, PersonName, Signer, half_days, new_record, sign
from bilan_tui.domain.procedure.hours import HoursLedger, logged_session
from bilan_tui.domain.procedure.planner import Plan, PlannedSession, SessionStatus
from bilan_tui.rendering.attendance_doc import HeldSpan, attendance_sheet, presence_attestation, sheet_rows
from bilan_tui.tui.screens.attendance import consultant_name

CONSULTANT = PersonName(first_name="Paul", last_name="Roux")
BENEFICIARY = PersonName(first_name="Léa", last_name="Martin")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute)


def signed(start: dt.datetime, end: dt.datetime) -> tuple:
    records: list = []
    for _, part_start, part_end in half_days(start, end):
        records.append(new_record(
            records, dossier_id="d", session_id="s1", start=part_start, end=part_end, phase=Phase.PRELIMINAIRE,
            consultant=CONSULTANT, beneficiary=BENEFICIARY,
            consultant_signature=sign(Signer.CONSULTANT, "Paul Roux", CONSULTANT, part_end),
            beneficiary_signature=sign(Signer.BENEFICIARY, "Léa Martin", BENEFICIARY, part_end + dt.timedelta(minutes=1))))
    return tuple(records)


def admin() -> AdministrativeFile:
    """Signed 01/12 11:00-15:00; held 08/12 (logged) and 09/12 (information, not on the sheet); planned 08/12
    (held since), 15/12, and 22/12 cancelled."""
    ledger = (HoursLedger().add(logged_session("s2", at(8, 9), at(8, 12), (Phase.INVESTIGATION,)))
              .add(logged_session("s3", at(9, 9), at(9, 10), (Phase.INFORMATION,))))
    plan = Plan(sessions=(
        PlannedSession(id="p1", phase=Phase.INVESTIGATION, start=at(8, 9), end=at(8, 12)),
        PlannedSession(id="p2", phase=Phase.CONCLUSION, start=at(15, 14), end=at(15, 17)),
        PlannedSession(id="p3", phase=Phase.CONCLUSION, start=at(22, 14), end=at(22, 17),
                       status=SessionStatus.CANCELLED),
    ))
    return AdministrativeFile(attendance=signed(at(1, 11), at(1, 15)), hours=ledger, plan=plan)


def test_one_row_per_half_day_signed_held_or_planned_in_time_order() -> None:
    rows = sheet_rows(admin())
    assert [(row.day.day, row.half_day.label, row.phase, row.state) for row in rows] == [
        (1, "matin", Phase.PRELIMINAIRE, "Signé dans bilan-tui (n° 1, à 13:00 et 13:01)"),
        (1, "après-midi", Phase.PRELIMINAIRE, "Signé dans bilan-tui (n° 2, à 15:00 et 15:01)"),
        (8, "matin", Phase.INVESTIGATION, "Réalisé, non signé"),   # held: the plan's line is not repeated
        (15, "après-midi", Phase.CONCLUSION, "Prévu"),
    ]


def test_held_sessions_from_the_screen_are_added_once() -> None:
    rows = sheet_rows(admin(), [HeldSpan("s4", at(10, 11), at(10, 14), Phase.INVESTIGATION),
                                HeldSpan("s2", at(8, 9), at(8, 12), Phase.INVESTIGATION)])
    assert [(row.day.day, row.start.hour, row.end.hour) for row in rows if row.day.day in (8, 10)] == [
        (8, 9, 12), (10, 11, 13), (10, 13, 14)]


def test_the_sheet_document() -> None:
    doc = attendance_sheet(admin(), beneficiary="Léa Martin", consultant="Paul Roux", made_on=dt.date(2026, 12, 1))
    assert doc.landscape and doc.kind == "feuille-emargement"
    (part,) = doc.parts
    assert part.paragraphs == ("2 demi-journées signées (4 h), 1 réalisée non signée (3 h), 1 prévue (3 h).",)
    assert part.table is not None and len(part.table.rows) == 4
    assert all(row[-2:] == ("\n\n\n", "\n\n\n") for row in part.table.rows)   # blank boxes, three lines high
    empty = attendance_sheet(AdministrativeFile(), beneficiary="Léa Martin", consultant="", made_on=dt.date(2026, 12, 1))
    assert empty.parts[0].table is None and "Consultant : à compléter" in empty.intro


def test_the_attestation_needs_a_signed_sheet_that_verifies() -> None:
    names = {"beneficiary": "Léa Martin", "consultant": "Paul Roux", "made_on": dt.date(2026, 12, 2)}
    with pytest.raises(AttendanceError, match="aucun émargement signé"):
        presence_attestation(AdministrativeFile(), **names)
    file = admin()
    with pytest.raises(AttendanceError, match="ne se vérifie pas"):
        presence_attestation(file, expected_head="0" * 64, **names)
    doc = presence_attestation(file, expected_head=file.attendance[-1].hash, **names)
    assert doc.intro[0].startswith("L'organisme prestataire atteste la présence de Léa Martin aux entretiens de son "
                                   "bilan de compétences, le 01/12/2026, avec Paul Roux pour consultant")
    assert file.attendance[-1].hash in doc.footer
    table = doc.parts[0].table
    assert table is not None and table.rows[-1] == ("Total", "2 demi-journées", "", "4 h")


@pytest.mark.parametrize(("line", "expected"), [
    ("Paul Roux", ("Paul", "Roux")),
    ("  Anne  Marie Le Goff ", ("Anne", "Marie Le Goff")),
    ("Roux", None),
    ("", None),
])
def test_the_dossier_consultant_line_is_split_into_first_and_last_name(line: str, expected: tuple | None) -> None:
    name = consultant_name(line)
    assert (None if name is None else (name.first_name, name.last_name)) == expected


def test_planned_sessions_before_the_day_the_sheet_is_made_are_left_out() -> None:
    """A planned session of a past day either happened (a held or signed row) or did not: never « Prévu »."""
    file = admin()
    missed = PlannedSession(id="p4", phase=Phase.INVESTIGATION, start=at(3, 9), end=at(3, 12))  # not held
    file = file.model_copy(update={"plan": Plan(sessions=(*file.plan.sessions, missed))})
    assert [row.day.day for row in sheet_rows(file, made_on=dt.date(2026, 12, 10))] == [1, 1, 8, 15]
    assert [row.day.day for row in sheet_rows(file, made_on=dt.date(2026, 12, 3))] == [1, 1, 3, 8, 15]  # that day: kept
    doc = attendance_sheet(file, beneficiary="Léa Martin", consultant="Paul Roux", made_on=dt.date(2026, 12, 10))
    assert doc.parts[0].paragraphs == ("2 demi-journées signées (4 h), 1 réalisée non signée (3 h), 1 prévue (3 h).",)
    table = doc.parts[0].table
    assert table is not None and [row[5] for row in table.rows].count("Prévu") == 1
