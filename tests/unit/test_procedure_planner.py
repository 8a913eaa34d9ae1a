"""Planning rules: the slot rules with their French refusals, the busy-slot index, the planner
(hypothesis over start dates, holiday years 2026-2035 and settings), moving and cancelling."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable

import holidays
import pytest
from dateutil.easter import easter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bilan_tui.domain.models import Phase
from bilan_tui.domain.procedure.calendar import (
    BusyCalendar,
    BusySlot,
    HolidayZone,
    SlotError,
    SlotRefusal,
    SlotRules,
    check_slot,
    holiday_name,
    is_working_day,
)
from bilan_tui.domain.procedure.planner import (
    MAX_MINUTES,
    PhaseBudget,
    Plan,
    PlanningError,
    PlanSettings,
    SessionStatus,
    add_session,
    cancel_session,
    move_session,
    propose_plan,
    split_phase,
)

NOW = dt.datetime(2026, 11, 28, 18, 5)
PARIS = SlotRules()
ALSACE = SlotRules(zone=HolidayZone.ALSACE_MOSELLE)


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute))


def ids() -> Callable[[], str]:
    """Session ids s1, s2, ... (readable in assertions)."""
    numbers = itertools.count(1)
    return lambda: f"s{next(numbers)}"


def refusal(start: dt.datetime, end: dt.datetime, *, rules: SlotRules | None = None,
            busy: BusyCalendar | None = None) -> SlotError:
    with pytest.raises(SlotError) as caught:
        check_slot(start, end, now=NOW, rules=rules, busy=busy)
    return caught.value


# --- Slot rules -------------------------------------------------------------------------------------

def test_a_plain_weekday_morning_is_accepted() -> None:
    check_slot(at("2026-12-01", 9), at("2026-12-01", 12), now=NOW)
    check_slot(at("2026-12-01", 8), at("2026-12-01", 18), now=NOW)   # the whole opening, edges included


@pytest.mark.parametrize(("start", "end", "message", "kind"), [
    (at("2026-11-27", 9), at("2026-11-27", 12),
     "Le 27/11/2026 à 9:00 est déjà passé : choisissez un créneau à partir du 28/11/2026 à 18:05.", SlotRefusal.PAST),
    (at("2026-11-28", 18, 0), at("2026-11-28", 18, 30), "déjà passé", SlotRefusal.PAST),
    (at("2026-12-05", 9), at("2026-12-05", 12),
     "Le samedi n'est pas un jour d'entretien : du lundi au vendredi.", SlotRefusal.WEEKEND),
    (at("2026-12-06", 9), at("2026-12-06", 12),
     "Le dimanche n'est pas un jour d'entretien : du lundi au vendredi.", SlotRefusal.WEEKEND),
    (at("2026-12-01", 7, 30), at("2026-12-01", 10, 30),
     "7:30 est avant l'ouverture : entre 8:00 et 18:00.", SlotRefusal.BEFORE_OPENING),
    (at("2026-12-01", 15, 30), at("2026-12-01", 18, 30),
     "Fin à 18:30, après la fermeture : entre 8:00 et 18:00.", SlotRefusal.AFTER_CLOSING),
    (at("2026-12-01", 18, 0), at("2026-12-01", 19, 0),
     "18:00 est après la fermeture : entre 8:00 et 18:00.", SlotRefusal.AFTER_CLOSING),
    (at("2027-07-14", 9), at("2027-07-14", 12),
     "Le 14/07/2027 est un jour férié (Fête nationale).", SlotRefusal.HOLIDAY),
    (at("2026-12-25", 9), at("2026-12-25", 12), "Le 25/12/2026 est un jour férié (Noël).", SlotRefusal.HOLIDAY),
    (at("2028-05-25", 9), at("2028-05-25", 12), "Le 25/05/2028 est un jour férié (Ascension).", SlotRefusal.HOLIDAY),
    (at("2026-12-01", 12), at("2026-12-01", 9), "La fin (9:00) doit venir après le début (12:00).",
     SlotRefusal.EMPTY),
    (at("2026-12-01", 15), at("2026-12-02", 10), "sur une seule journée", SlotRefusal.SPANS_DAYS),
])
def test_bad_slots_are_refused_saying_what_is_allowed(start: dt.datetime, end: dt.datetime, message: str,
                                                      kind: SlotRefusal) -> None:
    error = refusal(start, end)
    assert message in str(error)
    assert error.refusal is kind


def test_an_overlap_with_any_dossier_is_refused_and_touching_is_not() -> None:
    busy = BusyCalendar([BusySlot(start=at("2026-12-01", 9), end=at("2026-12-01", 12), key="other")])
    error = refusal(at("2026-12-01", 11), at("2026-12-01", 14), busy=busy)
    assert str(error) == ("Ce créneau chevauche un autre entretien, le 01/12/2026 de 9:00 à 12:00 : "
                          "choisissez une heure libre.")
    assert error.refusal is SlotRefusal.OVERLAP
    assert refusal(at("2026-12-01", 8), at("2026-12-01", 18), busy=busy).refusal is SlotRefusal.OVERLAP
    check_slot(at("2026-12-01", 12), at("2026-12-01", 15), now=NOW, busy=busy)
    check_slot(at("2026-12-01", 8), at("2026-12-01", 9), now=NOW, busy=busy)
    check_slot(at("2026-12-01", 10), at("2026-12-01", 13), now=NOW, busy=busy, exclude=frozenset({"other"}))


def test_alsace_moselle_days_only_when_the_consultant_says_so() -> None:
    good_friday, st_stephen = at("2027-03-26", 9), at("2028-12-26", 9)   # a Friday, a Tuesday
    for start in (good_friday, st_stephen):
        check_slot(start, start + dt.timedelta(hours=3), now=NOW, rules=PARIS)
    assert str(refusal(good_friday, good_friday + dt.timedelta(hours=3), rules=ALSACE)) == \
        "Le 26/03/2027 est un jour férié (Vendredi saint)."
    assert str(refusal(st_stephen, st_stephen + dt.timedelta(hours=3), rules=ALSACE)) == \
        "Le 26/12/2028 est un jour férié (Saint-Étienne)."


@pytest.mark.parametrize("year", range(2026, 2036))
def test_holidays_follow_the_library_and_alsace_is_moselle(year: int) -> None:
    national = holidays.country_holidays("FR", years=year)
    moselle = holidays.country_holidays("FR", subdiv="57", years=year)
    alsace = holidays.country_holidays("FR", subdiv="6AE", years=year)
    assert set(moselle) == set(alsace)
    assert set(moselle) - set(national) == {dt.date(year, 12, 26), easter(year) - dt.timedelta(days=2)}
    day = dt.date(year, 1, 1)
    while day.year == year:
        assert (holiday_name(day) is not None) == (day in national)
        assert (holiday_name(day, HolidayZone.ALSACE_MOSELLE) is not None) == (day in moselle)
        day += dt.timedelta(days=1)


def test_leap_day_and_month_ends_are_ordinary_working_days() -> None:
    check_slot(at("2028-02-29", 9), at("2028-02-29", 12), now=NOW)      # a Tuesday of a leap year
    check_slot(at("2027-04-30", 14), at("2027-04-30", 17), now=NOW)     # Friday before the 1st of May
    assert not is_working_day(dt.date(2027, 5, 1))
    assert is_working_day(dt.date(2030, 12, 31))


# --- The busy index ---------------------------------------------------------------------------------

busy_slots = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 95), st.integers(1, 40)), max_size=60)


@settings(max_examples=300)
@given(busy_slots, st.integers(0, 30), st.integers(0, 95), st.integers(1, 40))
@example([(0, 0, 40), (0, 4, 4)], 0, 20, 4)   # a long slot reaches past a later, shorter one
def test_busy_index_finds_exactly_the_overlapping_slots(raw: list[tuple[int, int, int]], day: int, quarter: int,
                                                       length: int) -> None:
    origin = dt.datetime(2027, 2, 26)
    slots = [BusySlot(start=origin + dt.timedelta(days=d, minutes=15 * q),
                      end=origin + dt.timedelta(days=d, minutes=15 * (q + n)), key=f"k{i}")
             for i, (d, q, n) in enumerate(raw)]
    calendar = BusyCalendar(slots)
    start = origin + dt.timedelta(days=day, minutes=15 * quarter)
    end = start + dt.timedelta(minutes=15 * length)
    expected = {slot.key for slot in slots if slot.start < end and start < slot.end}
    assert {slot.key for slot in calendar.overlapping(start, end)} == expected
    assert {slot.key for slot in calendar.overlapping(start, end, frozenset({"k0"}))} == expected - {"k0"}
    assert (calendar.first_overlap(start, end) is None) == (not expected) == calendar.is_free(start, end)
    spans = BusyCalendar.from_spans((slot.start, slot.end, slot.key) for slot in slots)
    assert {slot.key for slot in spans.overlapping(start, end)} == expected
    assert sorted(slot.key for slot in spans) == sorted(slot.key for slot in slots)
    assert len(calendar.with_slots([BusySlot(start=start, end=end, key="new")])) == len(slots) + 1


def test_a_busy_slot_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="Créneau occupé vide ou à l'envers"):
        BusyCalendar.from_spans([(at("2026-12-01", 12), at("2026-12-01", 9), "k")])
    with pytest.raises(ValueError, match="Créneau occupé vide ou à l'envers"):
        BusySlot(start=at("2026-12-01", 12), end=at("2026-12-01", 12))


# --- The planner ------------------------------------------------------------------------------------

def test_the_plain_case_follows_the_seed() -> None:
    plan = propose_plan(start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 27), now=NOW, new_id=ids())
    sessions = plan.active
    assert [s.phase for s in sessions] == [Phase.PRELIMINAIRE, *[Phase.INVESTIGATION] * 4, *[Phase.CONCLUSION] * 2,
                                          Phase.REMISE]
    assert all(s.minutes == 180 for s in sessions)
    assert plan.total_minutes == 24 * 60
    assert plan.minutes_by_phase() == {Phase.PRELIMINAIRE: 180, Phase.INVESTIGATION: 720, Phase.CONCLUSION: 360,
                                       Phase.REMISE: 180}
    assert sessions[0].start == at("2026-12-01", 9)                  # within a week of the first contact
    assert [(b.start - a.start).days for a, b in itertools.pairwise(sessions)] == [7] * 7   # once a week
    assert all(s.start.time() == dt.time(9) and s.end.time() == dt.time(12) for s in sessions)
    assert [s.id for s in sessions] == [f"s{n}" for n in range(1, 9)]
    assert plan.notes == ()
    assert sessions[0].label == "mardi 01/12/2026, 9:00 – 12:00 (3 h), Phase préliminaire"


def test_holidays_push_a_session_to_the_next_working_day() -> None:
    # Weekly on Fridays from Good Friday 2027: in Alsace-Moselle the first one moves to Monday (Easter Monday is
    # a holiday too), then Tuesday.
    first = propose_plan(start=dt.date(2027, 3, 26), first_contact=dt.date(2027, 3, 22), now=NOW,
                         settings=PlanSettings(rules=ALSACE)).active[0]
    assert first.start.date() == dt.date(2027, 3, 30)
    first = propose_plan(start=dt.date(2027, 3, 26), first_contact=dt.date(2027, 3, 22), now=NOW).active[0]
    assert first.start.date() == dt.date(2027, 3, 26)


def test_a_late_start_is_noted_and_the_preferred_weekday_kept() -> None:
    plan = propose_plan(start=dt.date(2026, 12, 20), first_contact=dt.date(2026, 11, 27), now=NOW,
                        settings=PlanSettings(preferred_weekday=3, preferred_time=dt.time(14)))
    assert all(s.start.weekday() == 3 or holiday_name(s.start.date() - dt.timedelta(days=s.start.weekday() - 3))
               for s in plan.active)
    assert plan.active[0].start == at("2026-12-24", 14)
    assert plan.notes == ("Premier entretien le 24/12/2026, 27 jours après le premier contact du 27/11/2026 : "
                          "le bilan ne peut commencer que le 20/12/2026.",)


def test_nothing_is_planned_before_now() -> None:
    plan = propose_plan(start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 27),
                        now=dt.datetime(2026, 12, 1, 9, 5))
    assert plan.active[0].start == at("2026-12-01", 9, 15)   # the nearest quarter to 9:00 still ahead


def test_a_full_first_week_is_noted() -> None:
    week = BusyCalendar([BusySlot(start=at("2026-11-30", 8), end=at("2026-12-04", 18), key="x")])
    plan = propose_plan(start=dt.date(2026, 11, 30), first_contact=dt.date(2026, 11, 27), now=NOW, busy=week)
    assert plan.active[0].start == at("2026-12-07", 9)
    assert plan.notes == ("Premier entretien le 07/12/2026, 10 jours après le premier contact du 27/11/2026 : "
                          "pas de créneau libre plus tôt.",)


def test_the_week_after_the_first_contact_beats_the_preferred_weekday() -> None:
    plan = propose_plan(start=dt.date(2026, 11, 30), first_contact=dt.date(2026, 11, 27), now=NOW,
                        settings=PlanSettings(preferred_weekday=4))   # Friday 4/12 is within the week: kept
    assert plan.active[0].start.date() == dt.date(2026, 12, 4)
    plan = propose_plan(start=dt.date(2026, 11, 30), first_contact=dt.date(2026, 11, 23), now=NOW,
                        settings=PlanSettings(preferred_weekday=4))   # Friday 4/12 would be 11 days later
    assert plan.active[0].start.date() == dt.date(2026, 11, 30)
    assert plan.notes == ()


def test_settings_refuse_more_than_24_hours_and_odd_lengths() -> None:
    with pytest.raises(ValueError, match="au plus 24 h"):
        PlanSettings(phases=(PhaseBudget(phase=Phase.PRELIMINAIRE, minutes=600),
                             PhaseBudget(phase=Phase.INVESTIGATION, minutes=900)))
    with pytest.raises(ValueError, match="quarts d'heure"):
        PlanSettings(session_minutes=170)
    with pytest.raises(ValueError, match="ne tient pas"):
        PlanSettings(session_minutes=180, rules=SlotRules(opens=dt.time(9), closes=dt.time(11)))


def test_split_phase() -> None:
    assert split_phase(720, 180) == [180] * 4
    assert split_phase(360, 150) == [120] * 3
    assert split_phase(180, 120) == [90, 90]
    assert split_phase(195, 120) == [105, 90]
    assert split_phase(0, 180) == []


settings_strategy = st.builds(
    PlanSettings,
    session_minutes=st.sampled_from([60, 90, 120, 150, 180, 210, 240]),
    interval_days=st.integers(1, 14),
    preferred_weekday=st.none() | st.integers(0, 4),
    preferred_time=st.builds(dt.time, st.integers(7, 18), st.sampled_from([0, 15, 30, 45])),
    rules=st.sampled_from([PARIS, ALSACE]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.dates(dt.date(2026, 1, 1), dt.date(2035, 10, 31)), contact_before=st.integers(0, 40),
       now_before=st.integers(0, 10), now_minute=st.integers(0, 24 * 60 - 1), plan_settings=settings_strategy,
       raw_busy=st.lists(st.tuples(st.integers(-3, 90), st.integers(24, 76), st.integers(1, 24)), max_size=80))
@example(start=dt.date(2026, 12, 1), contact_before=3, now_before=0, now_minute=15 * 60,
         plan_settings=PlanSettings(), raw_busy=[])   # now is the afternoon of the start day
@example(start=dt.date(2027, 3, 25), contact_before=0, now_before=0, now_minute=0,
         plan_settings=PlanSettings(rules=ALSACE, preferred_weekday=4, interval_days=7), raw_busy=[])
def test_every_proposed_slot_keeps_the_rules(start: dt.date, contact_before: int, now_before: int, now_minute: int,
                                             plan_settings: PlanSettings,
                                             raw_busy: list[tuple[int, int, int]]) -> None:
    now = dt.datetime.combine(start - dt.timedelta(days=now_before), dt.time()) + dt.timedelta(minutes=now_minute)
    first_contact = start - dt.timedelta(days=contact_before)
    busy_list = [BusySlot(start=dt.datetime.combine(start + dt.timedelta(days=d), dt.time()) + dt.timedelta(minutes=15 * q),
                          end=dt.datetime.combine(start + dt.timedelta(days=d), dt.time()) + dt.timedelta(minutes=15 * (q + n)),
                          key=f"b{i}")
                 for i, (d, q, n) in enumerate(raw_busy)]
    plan = propose_plan(start=start, first_contact=first_contact, now=now, settings=plan_settings,
                        busy=BusyCalendar(busy_list))
    subdiv = "57" if plan_settings.rules.zone is HolidayZone.ALSACE_MOSELLE else None
    sessions = plan.active
    assert plan.total_minutes == plan_settings.total_minutes <= MAX_MINUTES
    assert [s.phase for s in sessions] == sorted((s.phase for s in sessions),
                                                 key=[b.phase for b in plan_settings.phases].index)
    for session in sessions:
        day = session.start.date()
        assert day.weekday() < 5
        assert day not in holidays.country_holidays("FR", subdiv=subdiv, years=day.year)
        assert dt.time(8) <= session.start.time() and session.end.time() <= dt.time(18)
        assert session.end.date() == day and session.minutes <= plan_settings.session_minutes
        assert session.start >= now and day >= start
        assert not any(b.start < session.end and session.start < b.end for b in busy_list)
        check_slot(session.start, session.end, now=now, rules=plan_settings.rules, busy=BusyCalendar(busy_list))
    for earlier, later in itertools.pairwise(sessions):
        assert earlier.end <= later.start
        assert (later.start.date() - earlier.start.date()).days >= plan_settings.interval_days
    late = sessions[0].start.date() > first_contact + dt.timedelta(days=plan_settings.first_within_days)
    assert late == bool(plan.notes)


def busy_agenda(first_day: dt.date, count: int) -> list[BusySlot]:
    """A consultant's full agenda: three 3-hour sessions a day (8-11, 11-14, 14-17), except Thursday afternoons,
    over working days from ``first_day`` until ``count`` slots (1 000 dossiers of 8 sessions: 8 000)."""
    slots: list[BusySlot] = []
    day = first_day
    while len(slots) < count:
        if is_working_day(day):
            for hour in (8, 11) if day.weekday() == 3 else (8, 11, 14):
                start = dt.datetime.combine(day, dt.time(hour))
                slots.append(BusySlot(start=start, end=start + dt.timedelta(hours=3), key=f"x{len(slots)}"))
        day += dt.timedelta(days=1)
    return slots[:count]


def test_a_thousand_dossiers_of_busy_slots_still_plan() -> None:
    agenda = busy_agenda(dt.date(2026, 11, 30), 8000)
    random.Random(10).shuffle(agenda)
    plan = propose_plan(start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 27), now=NOW,
                        busy=BusyCalendar(agenda))
    assert len(plan.active) == 8
    for session in plan.active:
        assert session.start.weekday() == 3 and session.start.time() == dt.time(14)   # the only free slots
        assert not any(b.start < session.end and session.start < b.end for b in agenda)


def test_timing_of_the_big_agenda_is_measured_not_asserted() -> None:
    agenda = busy_agenda(dt.date(2026, 11, 30), 8000)
    begin = time.perf_counter()
    propose_plan(start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 27), now=NOW, busy=BusyCalendar(agenda))
    elapsed = time.perf_counter() - begin
    print(f"\nplanner, 8 000 busy slots, index included: {elapsed * 1000:.1f} ms")


def test_no_free_slot_at_all_is_a_french_error() -> None:
    settings_ = PlanSettings(rules=SlotRules(opens=dt.time(8), closes=dt.time(11)))
    agenda = BusyCalendar([BusySlot(start=at("2026-11-30", 8), end=at("2028-12-31", 11))])
    with pytest.raises(PlanningError, match="Aucun créneau libre de 3 h du 01/12/2026"):
        propose_plan(start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 27), now=NOW,
                     settings=settings_, busy=agenda)


# --- Moving and cancelling --------------------------------------------------------------------------

def plain_plan() -> Plan:
    return propose_plan(start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 27), now=NOW, new_id=ids())


def test_moving_a_session_checks_the_slot_and_returns_the_new_plan() -> None:
    plan = plain_plan()
    moved = move_session(plan, "s2", at("2026-12-09", 14), at("2026-12-09", 17), now=NOW)
    session = moved.session("s2")
    assert (session.start, session.end, session.revision, session.phase) == (at("2026-12-09", 14),
                                                                            at("2026-12-09", 17), 1,
                                                                            Phase.INVESTIGATION)
    assert plan.session("s2").start == at("2026-12-08", 9)   # the old plan is unchanged (frozen)
    assert moved.number("s2") == 2
    # Overlapping itself is no overlap, even when the agenda holds the plan's own sessions.
    agenda = BusyCalendar(plan.as_busy())
    again = move_session(moved, "s2", at("2026-12-09", 15), at("2026-12-09", 18), now=NOW, busy=agenda)
    assert again.session("s2").revision == 2


@pytest.mark.parametrize(("start", "end", "message"), [
    (at("2026-12-12", 9), at("2026-12-12", 12), "Le samedi n'est pas un jour d'entretien : du lundi au vendredi."),
    (at("2026-12-08", 7, 30), at("2026-12-08", 10, 30), "7:30 est avant l'ouverture : entre 8:00 et 18:00."),
    (at("2026-12-25", 9), at("2026-12-25", 12), "Le 25/12/2026 est un jour férié (Noël)."),
    (at("2026-12-15", 10), at("2026-12-15", 13), "chevauche un autre entretien, le 15/12/2026 de 9:00 à 12:00"),
    (at("2026-12-10", 9), at("2026-12-10", 12), "chevauche un autre entretien, le 10/12/2026 de 8:00 à 11:00"),
    (at("2026-11-27", 9), at("2026-11-27", 12), "déjà passé"),
])
def test_a_move_to_a_bad_slot_is_refused(start: dt.datetime, end: dt.datetime, message: str) -> None:
    other_dossier = BusyCalendar([BusySlot(start=at("2026-12-10", 8), end=at("2026-12-10", 11), key="x")])
    with pytest.raises(SlotError, match=message.replace("(", r"\(").replace(")", r"\)")):
        move_session(plain_plan(), "s2", start, end, now=NOW, busy=other_dossier)


def test_a_move_past_24_hours_or_of_a_held_session_is_refused() -> None:
    plan = plain_plan()
    with pytest.raises(PlanningError, match="totaliserait 25 h : un bilan dure au plus 24 h"):
        move_session(plan, "s2", at("2026-12-08", 9), at("2026-12-08", 13), now=NOW)
    later = dt.datetime(2026, 12, 8, 10)
    with pytest.raises(PlanningError, match="L'entretien du 08/12/2026 a déjà commencé ou eu lieu"):
        move_session(plan, "s2", at("2026-12-09", 9), at("2026-12-09", 12), now=later)
    with pytest.raises(PlanningError, match="n'est pas dans le planning"):
        move_session(plan, "nope", at("2026-12-09", 9), at("2026-12-09", 12), now=NOW)


def test_cancelling_keeps_the_session_marked_and_renumbers_the_others() -> None:
    plan = cancel_session(plain_plan(), "s3", now=NOW)
    assert plan.session("s3").status is SessionStatus.CANCELLED and plan.session("s3").revision == 1
    assert plan.number("s3") is None and plan.number("s4") == 3
    assert plan.total_minutes == 21 * 60 and len(plan.active) == 7
    with pytest.raises(PlanningError, match="déjà annulé"):
        cancel_session(plan, "s3", now=NOW)
    with pytest.raises(PlanningError, match="annulé"):
        move_session(plan, "s3", at("2026-12-16", 9), at("2026-12-16", 12), now=NOW)
    with pytest.raises(PlanningError, match="ne s'annule plus"):
        cancel_session(plan, "s1", now=dt.datetime(2026, 12, 2, 9))
    # The freed slot can take another session.
    moved = move_session(plan, "s4", at("2026-12-15", 9), at("2026-12-15", 12), now=NOW)
    assert moved.number("s4") == 3


def test_adding_a_session_after_a_cancellation() -> None:
    plan = cancel_session(plain_plan(), "s8", now=NOW)
    plan = add_session(plan, Phase.REMISE, at("2027-01-20", 14), at("2027-01-20", 17), now=NOW, new_id=lambda: "s9")
    assert plan.total_minutes == 24 * 60 and plan.number("s9") == 8 and plan.session("s9").phase is Phase.REMISE
    with pytest.raises(PlanningError, match="totaliserait 25 h"):
        add_session(plan, Phase.REMISE, at("2027-01-21", 14), at("2027-01-21", 15), now=NOW)
    with pytest.raises(SlotError, match="chevauche un autre entretien, le 20/01/2027 de 14:00 à 17:00"):
        add_session(cancel_session(plan, "s1", now=NOW), Phase.REMISE, at("2027-01-20", 16), at("2027-01-20", 18),
                    now=NOW)
    with pytest.raises(SlotError, match="Le samedi"):
        add_session(plan, Phase.REMISE, at("2027-01-23", 9), at("2027-01-23", 10), now=NOW)


# --- What issue 10 asks of the planner, over start dates and holiday years ---------------------------

phase_minutes = st.lists(st.integers(0, 12 * 4).map(lambda quarters: quarters * 15), min_size=4, max_size=4).filter(
    lambda minutes: 0 < sum(minutes) <= MAX_MINUTES)


@settings(max_examples=120, deadline=None)
@given(start=st.dates(dt.date(2026, 12, 1), dt.date(2035, 12, 31)), minutes=phase_minutes,
       rules=st.sampled_from([PARIS, ALSACE]), session_minutes=st.sampled_from([90, 120, 180, 240]))
def test_any_split_of_the_hours_is_planned_exactly_within_24_hours(start: dt.date, minutes: list[int],
                                                                  rules: SlotRules, session_minutes: int) -> None:
    phases = tuple(PhaseBudget(phase=phase, minutes=value)
                   for phase, value in zip((Phase.PRELIMINAIRE, Phase.INVESTIGATION, Phase.CONCLUSION, Phase.REMISE),
                                           minutes, strict=True) if value)
    plan_settings = PlanSettings(phases=phases, rules=rules, session_minutes=session_minutes)
    plan = propose_plan(start=start, first_contact=start, now=NOW, settings=plan_settings)
    assert plan.total_minutes == sum(minutes) <= MAX_MINUTES
    assert plan.minutes_by_phase() == {budget.phase: budget.minutes for budget in phases}
    subdiv = "57" if rules.zone is HolidayZone.ALSACE_MOSELLE else None
    for session in plan.active:
        assert session.start.weekday() < 5 and session.start.date() not in holidays.country_holidays(
            "FR", subdiv=subdiv, years=session.start.year)
        assert dt.time(8) <= session.start.time() and session.end.time() <= dt.time(18)
    for earlier, later in itertools.pairwise(plan.active):
        assert earlier.end <= later.start


@settings(max_examples=150, deadline=None)
@given(start=st.dates(dt.date(2026, 12, 1), dt.date(2035, 12, 31)), rules=st.sampled_from([PARIS, ALSACE]))
def test_the_seed_pattern_holds_from_any_start_date(start: dt.date, rules: SlotRules) -> None:
    """The plain case from any day of ten holiday years: 8 meetings of 3 h (1 + 4 + 2 + 1), 9:00-12:00, about
    once a week (a weekend or a holiday only pushes a meeting to the next working day)."""
    plan = propose_plan(start=start, first_contact=start, now=NOW, settings=PlanSettings(rules=rules))
    sessions = plan.active
    assert [s.phase for s in sessions] == [Phase.PRELIMINAIRE, *[Phase.INVESTIGATION] * 4, *[Phase.CONCLUSION] * 2,
                                          Phase.REMISE]
    assert all(s.minutes == 180 and s.start.time() == dt.time(9) for s in sessions)
    first = sessions[0].start.date()
    assert first >= start and (first - start).days <= 4   # the first working day (Easter and Christmas included)
    assert plan.notes == ()                                # so within a week of the first contact
    for earlier, later in itertools.pairwise(sessions):
        gap = (later.start.date() - earlier.start.date()).days
        assert 7 <= gap <= 11
        skipped = earlier.start.date() + dt.timedelta(days=7)
        while skipped < later.start.date():   # every day passed over is a weekend day or a holiday
            assert not is_working_day(skipped, rules.zone)
            skipped += dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(2026, 11, 20), dt.date(2028, 12, 31)), quarter=st.integers(24, 76),
       length=st.integers(1, 16), rules=st.sampled_from([PARIS, ALSACE]))
def test_a_move_is_accepted_exactly_when_the_slot_keeps_the_rules(day: dt.date, quarter: int, length: int,
                                                                 rules: SlotRules) -> None:
    plan = plain_plan()
    other = BusyCalendar([BusySlot(start=at("2026-12-10", 8), end=at("2026-12-10", 11), key="x")])
    start = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=15 * quarter)
    end = start + dt.timedelta(minutes=15 * length)
    own = [s for s in plan.active if s.id != "s2"]
    allowed = (start >= NOW and day.weekday() < 5 and holiday_name(day, rules.zone) is None
               and dt.time(8) <= start.time() and end.date() == day and end.time() <= dt.time(18)
               and not any(s.start < end and start < s.end for s in own)
               and not (start < at("2026-12-10", 11) and at("2026-12-10", 8) < end)
               and length <= 12)   # the plan is full (24 h): the moved session may not grow past its 3 h
    try:
        moved = move_session(plan, "s2", start, end, now=NOW, rules=rules, busy=other)
    except (SlotError, PlanningError):
        assert not allowed
    else:
        assert allowed
        assert moved.session("s2").start == start and moved.total_minutes <= MAX_MINUTES
