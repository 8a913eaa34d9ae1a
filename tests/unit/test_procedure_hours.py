"""The hours ledger: per-phase plan, the warning from 22 h, the refusal past 24 h, splits that add up."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bilan_tui.domain.models import Phase, Session
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.hours import (
    COUNTED_PHASES,
    MAX_MINUTES,
    HoursLedger,
    HoursPlan,
    LoggedSession,
    check_held,
    check_signed_times,
    format_hours,
    from_session,
    hours_plan,
    logged_session,
    parse_hours,
    plan_warnings,
    unusual_hours,
)

DAY = dt.date(2027, 1, 11)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute)


def session(n: int, hours: int, phase: Phase = Phase.INVESTIGATION, minutes: int = 0, reason: str = "") -> LoggedSession:
    start = at(n, 9)
    return logged_session(f"s{n}", start, start + dt.timedelta(hours=hours, minutes=minutes), [phase],
                          over_limit_reason=reason)


def test_format_hours_in_french() -> None:
    assert [format_hours(m) for m in (825, 180, 5, 0, 1440, -90)] == ["13 h 45", "3 h", "0 h 05", "0 h", "24 h",
                                                                       "-1 h 30"]


@pytest.mark.parametrize(("text", "minutes"), [("3", 180), ("3 h", 180), ("3h30", 210), ("3 h 30", 210),
                                                ("2,5", 150), ("1.25", 75), ("45 min", 45), ("12 heures", 720)])
def test_parse_hours(text: str, minutes: int) -> None:
    assert parse_hours(text) == minutes


@pytest.mark.parametrize("text", ["", "trois", "3 h 75", "-2", "1e3"])
def test_parse_hours_refuses(text: str) -> None:
    with pytest.raises(ProcedureError):
        parse_hours(text)


def test_default_plan_is_the_seed() -> None:
    plan = HoursPlan()
    assert [plan.minutes(p) for p in COUNTED_PHASES] == [180, 720, 360, 180]
    assert plan.total == MAX_MINUTES and plan.minutes(Phase.SUIVI) == 0
    assert plan.label == "3 h / 12 h / 6 h / 3 h (24 h)"
    assert plan_warnings(plan) == []


def test_plan_adjusted_within_24_hours() -> None:
    plan = hours_plan({Phase.INVESTIGATION: 600, Phase.CONCLUSION: 480})
    assert (plan.investigation, plan.conclusion, plan.total) == (600, 480, 24 * 60)
    with pytest.raises(ProcedureError, match="24 h au plus") as caught:
        hours_plan({Phase.INVESTIGATION: 721})
    assert "dépassement de 0 h 01" in str(caught.value) and caught.value.field == "plan"
    with pytest.raises(ProcedureError, match="négative"):
        hours_plan({Phase.REMISE: -60})
    with pytest.raises(ProcedureError, match="ne compte pas"):
        hours_plan({Phase.SUIVI: 60})


def test_small_plan_warned() -> None:
    plan = hours_plan({Phase.PRELIMINAIRE: 120, Phase.INVESTIGATION: 480, Phase.CONCLUSION: 120, Phase.REMISE: 0})
    warnings = plan_warnings(plan)
    assert any("13 h" in w for w in warnings) and "Remise de la synthèse : aucune heure prévue." in warnings


def test_warning_from_22_hours() -> None:
    ledger = HoursLedger()
    for n in range(1, 8):  # 7 x 3 h = 21 h
        ledger = ledger.add(session(n, 3))
    assert ledger.total == 21 * 60
    assert not any("sur 24 h" in w for w in ledger.warnings())
    at_22 = ledger.add(session(8, 1))
    assert at_22.warnings()[0] == "22 h utilisées sur 24 h : il reste 2 h."
    just_below = ledger.add(session(8, 0, minutes=59))
    assert not any("sur 24 h" in w for w in just_below.warnings())


def test_refusal_past_24_hours_unless_a_reason() -> None:
    ledger = HoursLedger()
    for n in range(1, 9):  # 8 x 3 h = 24 h: allowed, exactly the maximum
        ledger = ledger.add(session(n, 3, Phase.PRELIMINAIRE if n == 1 else Phase.INVESTIGATION))
    assert ledger.total == MAX_MINUTES and ledger.remaining == 0
    assert not ledger.needs_reason(session(9, 2, Phase.SUIVI)) and ledger.needs_reason(session(9, 0, minutes=1))
    with pytest.raises(ProcedureError, match="porterait le total à 24 h 30") as caught:
        ledger.add(session(9, 0, minutes=30))
    assert caught.value.field == "reason"
    over = ledger.add(session(9, 0, minutes=30, reason="Remise reportée à la demande de la personne"))
    assert over.total == MAX_MINUTES + 30
    assert "au-delà du maximum légal" in over.warnings()[0]
    # the information préalable and the follow-up count towards nothing
    assert ledger.add(session(10, 2, Phase.SUIVI)).total == MAX_MINUTES


def test_per_phase_usage_against_the_plan() -> None:
    ledger = HoursLedger(plan=hours_plan({Phase.PRELIMINAIRE: 120}))
    ledger = ledger.add(session(1, 3, Phase.PRELIMINAIRE)).add(session(2, 3)).add(session(3, 1, Phase.INFORMATION))
    rows = {row.phase: row for row in ledger.rows()}
    assert rows[Phase.PRELIMINAIRE].over and rows[Phase.PRELIMINAIRE].label == \
        "Phase préliminaire : 3 h / 2 h (dépassement de 1 h)"
    assert rows[Phase.INVESTIGATION].label == "Investigation : 3 h / 12 h"
    assert ledger.used_by_phase()[Phase.INFORMATION] == 60
    assert ledger.total == 360 and ledger.total_label == "6 h / 24 h"
    assert "Phase préliminaire : 3 h / 2 h (dépassement de 1 h)." in ledger.warnings()


def test_a_session_of_two_phases_splits_equally_or_as_told() -> None:
    equal = logged_session("s1", at(11, 9), at(11, 12, 1), [Phase.INVESTIGATION, Phase.PRELIMINAIRE])
    assert equal.phases == (Phase.PRELIMINAIRE, Phase.INVESTIGATION)
    assert equal.minutes_by_phase() == {Phase.PRELIMINAIRE: 91, Phase.INVESTIGATION: 90}  # the odd minute: first phase
    told = logged_session("s1", at(11, 9), at(11, 12), [Phase.PRELIMINAIRE, Phase.INVESTIGATION],
                          split={Phase.PRELIMINAIRE: 60, Phase.INVESTIGATION: 120})
    assert told.minutes_by_phase() == {Phase.PRELIMINAIRE: 60, Phase.INVESTIGATION: 120}
    with pytest.raises(ProcedureError, match="couvrir toute la séance"):
        logged_session("s1", at(11, 9), at(11, 12), [Phase.PRELIMINAIRE, Phase.INVESTIGATION],
                       split={Phase.PRELIMINAIRE: 60})
    with pytest.raises(ProcedureError, match="n'est pas une phase servie"):
        logged_session("s1", at(11, 9), at(11, 12), [Phase.PRELIMINAIRE], split={Phase.REMISE: 180})
    mixed = logged_session("s2", at(12, 9), at(12, 11), [Phase.INFORMATION, Phase.PRELIMINAIRE])
    assert mixed.counted_minutes == 60


def test_bad_sessions() -> None:
    with pytest.raises(ProcedureError, match="après le début"):
        logged_session("s", at(11, 12), at(11, 9), [Phase.PRELIMINAIRE])
    with pytest.raises(ProcedureError, match="même jour"):
        logged_session("s", at(11, 17), at(12, 9), [Phase.PRELIMINAIRE])
    with pytest.raises(ProcedureError, match="phases servies"):
        logged_session("s", at(11, 9), at(11, 12), [])
    ledger = HoursLedger().add(session(11, 3))
    with pytest.raises(ProcedureError, match="chevauche"):
        ledger.add(logged_session("x", at(11, 11), at(11, 13), [Phase.INVESTIGATION]))
    with pytest.raises(ProcedureError, match="déjà enregistrée"):
        ledger.add(session(11, 3).model_copy(update={"start": at(12, 9), "end": at(12, 10)}))
    corrected = ledger.replace(logged_session("s11", at(11, 9), at(11, 11), [Phase.INVESTIGATION]))
    assert corrected.total == 120


@st.composite
def session_lists(draw: st.DrawFn) -> list[LoggedSession]:
    sessions = []
    for n in range(draw(st.integers(0, 12))):
        day = dt.datetime(2027, 1, 4) + dt.timedelta(days=n)
        start = day + dt.timedelta(hours=8, minutes=draw(st.integers(0, 120)))
        length = draw(st.integers(1, 360))
        phases = draw(st.lists(st.sampled_from(list(Phase)), min_size=1, max_size=3))
        served = sorted(set(phases), key=list(Phase).index)
        split = None
        if len(served) > 1 and draw(st.booleans()):
            cut = draw(st.integers(0, length))
            split = {served[0]: cut, served[1]: length - cut, **{p: 0 for p in served[2:]}}
        sessions.append(logged_session(f"s{n}", start, start + dt.timedelta(minutes=length), phases, split,
                                       over_limit_reason="accord écrit"))
    return sessions


@given(session_lists())
def test_totals_add_up(sessions: list[LoggedSession]) -> None:
    ledger = HoursLedger()
    for logged in sessions:
        ledger = ledger.add(logged)
    used = ledger.used_by_phase()
    assert sum(used.values()) == sum(s.minutes for s in sessions)
    assert ledger.total == sum(used[p] for p in COUNTED_PHASES) == sum(row.used for row in ledger.rows())
    for logged in sessions:
        assert sum(logged.minutes_by_phase().values()) == logged.minutes
        assert set(logged.minutes_by_phase()) <= set(logged.phases)
    assert ledger.remaining == MAX_MINUTES - ledger.total
    assert any("au-delà" in w for w in ledger.warnings()) == (ledger.total > MAX_MINUTES)


@given(st.lists(st.integers(1, 300), max_size=15))
def test_without_reason_the_ledger_never_passes_24_hours(lengths: list[int]) -> None:
    ledger = HoursLedger()
    for n, length in enumerate(lengths):
        start = dt.datetime(2027, 2, 1, 8) + dt.timedelta(days=n)
        try:
            ledger = ledger.add(logged_session(f"s{n}", start, start + dt.timedelta(minutes=length),
                                               [Phase.INVESTIGATION]))
        except ProcedureError:
            assert ledger.total + length > MAX_MINUTES
    assert ledger.total <= MAX_MINUTES


def test_ledger_round_trips_as_json() -> None:
    ledger = HoursLedger(plan=hours_plan({Phase.PRELIMINAIRE: 120})).add(
        logged_session("s1", at(11, 9), at(11, 12), [Phase.PRELIMINAIRE, Phase.INVESTIGATION],
                       split={Phase.PRELIMINAIRE: 60, Phase.INVESTIGATION: 120}))
    assert HoursLedger.model_validate_json(ledger.model_dump_json()) == ledger


def test_from_an_interview_session() -> None:
    interview = Session(id="abc", date=DAY, start_time=dt.time(9, 0), end_time=dt.time(12, 15),
                        phase=Phase.INVESTIGATION, objectives="Explorer les pistes")
    logged = from_session(interview)
    assert (logged.id, logged.minutes, logged.phases) == ("abc", 195, (Phase.INVESTIGATION,))
    assert from_session(interview, (Phase.CONCLUSION, Phase.INVESTIGATION)).phases == \
        (Phase.INVESTIGATION, Phase.CONCLUSION)
    with pytest.raises(ProcedureError, match="heure de fin"):
        from_session(interview.model_copy(update={"end_time": None}))


def test_a_stored_split_that_does_not_fit_is_refused_at_load() -> None:
    data = {"id": "s", "start": "2027-01-11T09:00:00", "end": "2027-01-11T12:00:00",
            "phases": ["preliminaire", "investigation"], "split": [180]}
    with pytest.raises(ValidationError):
        LoggedSession.model_validate(data)


def test_the_plan_typed_as_a_consultant_does() -> None:
    typed = {Phase.PRELIMINAIRE: "2 h 30", Phase.INVESTIGATION: "12 h", Phase.CONCLUSION: "6 h",
             Phase.REMISE: "3 h 30"}
    plan = hours_plan({phase: parse_hours(text) for phase, text in typed.items()})
    assert plan.label == "2 h 30 / 12 h / 6 h / 3 h 30 (24 h)"
    with pytest.raises(ProcedureError, match=r"Le plan prévoit 25 h : un bilan dure 24 h au plus \(dépassement de 1 h\)"):
        hours_plan({Phase.INVESTIGATION: parse_hours("13 h"), Phase.PRELIMINAIRE: parse_hours("3 h")})


def test_the_information_phase_counts_towards_nothing_even_past_24_hours() -> None:
    ledger = HoursLedger()
    for n in range(1, 9):
        ledger = ledger.add(session(n, 3))
    information = session(10, 3, Phase.INFORMATION)
    assert not ledger.needs_reason(information) and information.counted_minutes == 0
    assert ledger.add(information).total == MAX_MINUTES
    assert ledger.add(information).used_by_phase()[Phase.INFORMATION] == 180


def test_a_correction_past_24_hours_needs_a_reason_too() -> None:
    ledger = HoursLedger()
    for n in range(1, 9):
        ledger = ledger.add(session(n, 3))
    longer = logged_session("s8", at(8, 9), at(8, 12, 30), [Phase.INVESTIGATION])
    with pytest.raises(ProcedureError, match="porterait le total à 24 h 30") as caught:
        ledger.replace(longer)
    assert caught.value.field == "reason"
    corrected = ledger.replace(longer.model_copy(update={"over_limit_reason": "Séance prolongée, accord écrit"}))
    assert corrected.total == MAX_MINUTES + 30 and len(corrected.sessions) == 8
    shorter = ledger.replace(logged_session("s8", at(8, 9), at(8, 11), [Phase.INVESTIGATION]))
    assert shorter.total == MAX_MINUTES - 60 and shorter.warnings()[0] == "23 h utilisées sur 24 h : il reste 1 h."
    with pytest.raises(ProcedureError, match="n'est pas enregistrée"):
        ledger.replace(logged_session("inconnue", at(20, 9), at(20, 10), [Phase.INVESTIGATION]))


def test_a_correction_cannot_end_in_the_future() -> None:
    now = dt.datetime(2026, 11, 26, 9, 30)
    check_held(now, now)  # ending right now: held
    check_held(dt.datetime(2026, 11, 25, 23, 0), now)
    with pytest.raises(ProcedureError, match="la séance ne peut pas finir dans le futur") as caught:
        check_held(dt.datetime(2026, 11, 26, 23, 0), now)
    assert caught.value.field == "end"


@pytest.mark.parametrize(("start", "end", "expected"), [
    (at(11, 9), at(11, 12), ""),                                     # a Monday morning
    (at(15, 8), at(15, 18), ""),                                     # a Friday, 8:00-18:00
    (at(16, 7, 30), at(16, 18, 30), "séance un samedi et de 07:30 à 18:30"),
    (at(17, 10), at(17, 12), "séance un dimanche,"),
    (at(12, 7, 30), at(12, 9), "séance de 07:30 à 09:00"),
    (at(12, 17), at(12, 18, 1), "séance de 17:00 à 18:01"),
])
def test_unusual_hours_are_warned_about_not_refused(start: dt.datetime, end: dt.datetime, expected: str) -> None:
    warning = unusual_hours(start, end)
    if not expected:
        assert warning == ""
    else:
        assert expected in warning and "hors du lundi au vendredi de 8:00 à 18:00" in warning


def test_a_session_with_a_signed_half_day_keeps_its_times() -> None:
    before = (at(11, 9, 0), at(11, 12, 0))
    signed = ["Émargement n° 1 (11/01/2027, matin)"]
    check_signed_times(before, before, signed)
    check_signed_times(before, (at(11, 9), at(11, 11)), [])  # nothing signed: free to correct
    check_signed_times((at(11, 9).replace(second=27), at(11, 12)), before, signed)  # to the minute
    with pytest.raises(ProcedureError, match="l'émargement signé fait foi et un émargement signé ne se modifie "
                                             "jamais : ses horaires restent 09:00–12:00") as caught:
        check_signed_times(before, (at(11, 9), at(11, 11)), signed)
    assert caught.value.field == "end" and "Émargement n° 1 (11/01/2027, matin)" in str(caught.value)
    with pytest.raises(ProcedureError) as caught:
        check_signed_times(before, (at(11, 8, 30), at(11, 12)), signed)
    assert caught.value.field == "start"
