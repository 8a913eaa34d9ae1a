"""The frame at a glance: unsigned half-days, deadlines due, alerts (issue 10, point 7)."""

from __future__ import annotations

import datetime as dt

from bilan_tui.domain.models import Beneficiary, Dossier, Phase, Session
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.attendance import PersonName, Signer, new_record, sign
from bilan_tui.domain.procedure.frame import frame_status, unsigned_half_days
from bilan_tui.domain.procedure.funding import Agreement, FundingType

DOSSIER = Dossier(id="d", beneficiary=Beneficiary(first_name="Léa", last_name="Martin"), consultant="Paul Roux",
                  created_at=dt.datetime(2026, 11, 2, 9, 0))
LEA = PersonName(first_name="Léa", last_name="Martin")
PAUL = PersonName(first_name="Paul", last_name="Roux")


def session(sid: str, day: dt.date, start: int, end: int | None, phase: Phase = Phase.INVESTIGATION) -> Session:
    return Session(id=sid, date=day, start_time=dt.time(start), end_time=dt.time(end) if end else None,
                   phase=phase, objectives="x")


def test_a_held_session_across_13_00_leaves_two_half_days_to_sign() -> None:
    day = dt.date(2026, 12, 1)
    sessions = [session("s1", day, 11, 15), session("open", day, 16, None),
                session("info", dt.date(2026, 11, 20), 9, 10, Phase.INFORMATION)]
    missing = unsigned_half_days(sessions, AdministrativeFile())
    assert [(m.start.hour, m.end.hour) for m in missing] == [(11, 13), (13, 15)]
    start, end = dt.datetime(2026, 12, 1, 11), dt.datetime(2026, 12, 1, 13)
    record = new_record((), dossier_id="d", session_id="s1", start=start, end=end, phase=Phase.INVESTIGATION,
                        consultant=PAUL, beneficiary=LEA,
                        consultant_signature=sign(Signer.CONSULTANT, "Paul Roux", PAUL, end),
                        beneficiary_signature=sign(Signer.BENEFICIARY, "Léa Martin", LEA, end))
    left = unsigned_half_days(sessions, AdministrativeFile(attendance=(record,)))
    assert [(m.start.hour, m.end.hour) for m in left] == [(13, 15)]
    assert left[0].label == "01/12/2026, 13:00 – 15:00"


def test_deadlines_are_kept_and_shown_until_their_day() -> None:
    agreement = Agreement(funding=FundingType.EMPLOYER, sent_on=dt.date(2026, 11, 20))
    frame = frame_status(DOSSIER, [], AdministrativeFile(agreement=agreement))
    due = frame.deadlines[0].due
    assert frame.due(due) and not frame.due(due + dt.timedelta(days=1))
    assert any("Réponse du salarié" in line for line in frame.alerts(due))
    assert not any("Réponse du salarié" in line for line in frame.alerts(due + dt.timedelta(days=1)))


def test_an_empty_file_asks_for_the_information_prealable_only() -> None:
    frame = frame_status(DOSSIER, [], AdministrativeFile())
    assert frame.alerts(dt.date(2026, 11, 26)) == [
        "Information préalable : 7 points à présenter avant la signature (Cadre du bilan, I)"]
    assert frame.short_alert == ""
    assert frame.next_session_label(dt.datetime(2026, 11, 26)) == "—"
    assert frame.hours_label == "0 h / 24 h"


def test_an_answer_once_given_is_no_longer_a_deadline_due() -> None:
    sent = dt.date(2026, 11, 20)
    waiting = frame_status(DOSSIER, [], AdministrativeFile(
        agreement=Agreement(funding=FundingType.EMPLOYER, sent_on=sent)))
    assert any("Réponse du salarié" in d.label for d in waiting.deadlines)
    signed = frame_status(DOSSIER, [], AdministrativeFile(
        agreement=Agreement(funding=FundingType.EMPLOYER, sent_on=sent, signed_on=sent + dt.timedelta(days=2))))
    assert not any("Réponse du salarié" in d.label for d in signed.deadlines)
    withdrawal = frame_status(DOSSIER, [], AdministrativeFile(
        agreement=Agreement(funding=FundingType.SELF_FUNDED, signed_on=sent)))
    assert any("rétractation" in d.label for d in withdrawal.deadlines)  # runs until its day, signed or not


def test_the_home_screen_names_what_a_deadline_is() -> None:
    agreement = Agreement(funding=FundingType.SELF_FUNDED, signed_on=dt.date(2026, 11, 27))
    frame = frame_status(DOSSIER, [], AdministrativeFile(agreement=agreement))
    assert [d.short for d in frame.deadlines] == ["Fin de rétractation", "Premier paiement"]
