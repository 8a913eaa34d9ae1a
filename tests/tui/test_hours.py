"""Hours and phases by keys (issue 10, point 3): a session's hours logged when its report is written,
the plan per phase within 24 hours, the warning from 22 h, the reason past 24 h, the interview's side
panel, corrections of a session's times, dossiers closed before the hours were kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable, Input, TextArea

from bilan_tui.domain.models import Beneficiary, Phase, Session, SessionReport
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.hours import HoursLedger, HoursPlan, from_session
from bilan_tui.storage import Repository
from tests.conftest import FIXED_NOW
from tests.tui.helpers import create_dossier, panel_text, start_session, type_text, visible_text

SIZE = (150, 50)


def screen_name(pilot) -> str:
    return type(pilot.app.screen).__name__


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def footer(pilot) -> set[str]:
    return {b.binding.description for b in pilot.app.screen.active_bindings.values() if b.binding.show}


def closed(n: int, day: dt.date, start: dt.time, end: dt.time, phase: Phase = Phase.INVESTIGATION) -> Session:
    return Session(id=f"old{n}", date=day, start_time=start, end_time=end, phase=phase, objectives="Objectifs",
                   objectives_agreed=True, phases=(phase,),
                   report=SessionReport(results="Fait.", written_at=dt.datetime.combine(day, end)))


def weekly(count: int, hours: int = 3) -> list[Session]:
    """``count`` closed sessions of ``hours`` hours, one a week before the test's day (the first preliminary)."""
    first = FIXED_NOW.date() - dt.timedelta(weeks=count)
    return [closed(n, first + dt.timedelta(weeks=n), dt.time(9), dt.time(9 + hours),
                   Phase.PRELIMINAIRE if n == 0 else Phase.INVESTIGATION) for n in range(count)]


def prepare(data_dir: Path, sessions: list[Session], *, logged: bool = True, plan: HoursPlan | None = None) -> str:
    """A dossier with closed sessions; ``logged``: already in the hours ledger (else: a dossier from before it)."""
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Karim", last_name="Benali"))
    with repository.open(dossier.id) as handle:
        for session in sessions:
            handle.save_session(session)
        ledger = HoursLedger(plan=plan or HoursPlan())
        if logged:
            for session in sessions:
                ledger = ledger.add(from_session(session))
        handle.save_admin(AdministrativeFile(hours=ledger))
    return dossier.id


def stored(data_dir: Path) -> tuple[list[Session], AdministrativeFile]:
    repository = Repository(data_dir)
    [entry] = repository.list_dossiers()
    with repository.open(entry.id, read_only=True) as handle:
        return handle.sessions(), handle.admin()


async def write_report(pilot, results: str = "Demande clarifiée.") -> None:
    await pilot.press("f10")
    await pilot.pause()
    assert screen_name(pilot) == "ReportScreen"
    await type_text(pilot, results)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def session_of(pilot, clock, minutes: int) -> None:
    """On the dossier: a session started now, the first module opened, ``minutes`` later its report asked."""
    await start_session(pilot, "Faire le point")
    await pilot.press("enter")  # the first module
    await pilot.pause()
    assert screen_name(pilot) == "InterviewScreen"
    clock.advance(minutes=minutes)


async def open_hours(pilot) -> None:
    """From the dossier: Cadre du bilan (A), then Heures (H)."""
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("h")
    await pilot.pause()
    assert screen_name(pilot) == "HoursScreen"


async def clear(pilot, count: int = 8) -> None:
    await pilot.press("end", *["backspace"] * count)


async def test_a_session_of_three_hours_is_counted_on_the_dossier(make_app, data_dir, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_dossier(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Heures : 0 h / 24 h" in visible_text(pilot)
        await session_of(pilot, clock, 180)
        await write_report(pilot)
        assert screen_name(pilot) == "DossierScreen"
        shown = visible_text(pilot)
        assert "Heures : 3 h / 24 h" in shown
        await pilot.press("a")  # the detail per phase is on « Cadre du bilan »
        await pilot.pause()
        assert "Phase préliminaire : 3 h / 3 h" in visible_text(pilot)
        await pilot.press("escape", "escape")  # the home screen's line follows
        await pilot.pause()
        row = [str(cell) for cell in app.screen.query_one(DataTable).get_row_at(0)]
        assert any("3 h / 24 h" in cell for cell in row), row

    sessions, admin = stored(data_dir)
    [entry] = admin.hours.sessions
    assert (entry.id, entry.start, entry.minutes, entry.phases) == (sessions[0].id, FIXED_NOW, 180,
                                                                    (Phase.PRELIMINAIRE,))
    assert sessions[0].end_time == dt.time(12, 30)


async def test_the_plan_is_edited_within_24_hours(make_app, data_dir):
    prepare(data_dir, weekly(1))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await open_hours(pilot)
        assert "Plan des heures : 3 h / 12 h / 6 h / 3 h (24 h)" in visible_text(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert screen_name(pilot) == "PlanScreen"
        await clear(pilot)
        await type_text(pilot, "2 h")
        await pilot.press("tab")
        await clear(pilot)
        await type_text(pilot, "13 h")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "HoursScreen"
        shown = visible_text(pilot)
        assert "Plan des heures : 2 h / 13 h / 6 h / 3 h (24 h)" in shown
        assert "Phase préliminaire : 3 h / 2 h (dépassement de 1 h)." in shown  # the session of 3 h, over its plan

        # 25 hours: refused in French, what was typed kept.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("tab")
        await clear(pilot)
        await type_text(pilot, "14 h")
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(pilot) == "PlanScreen"
        assert "Le plan prévoit 25 h : un bilan dure 24 h au plus (dépassement de 1 h)." in visible_text(pilot)
        assert app.screen.query_one("#plan-investigation", Input).value == "14 h"
        # Not a duration: said for its phase, the field focused.
        await pilot.press("tab")
        await clear(pilot)
        await type_text(pilot, "beaucoup")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Conclusion : « beaucoup » n'est pas une durée" in visible_text(pilot)
        assert app.screen.focused is app.screen.query_one("#plan-conclusion", Input)
        await pilot.press("escape")
        await pilot.pause()
        assert "Plan des heures : 2 h / 13 h / 6 h / 3 h (24 h)" in visible_text(pilot)

    _, admin = stored(data_dir)
    assert (admin.hours.plan.preliminaire, admin.hours.plan.investigation) == (120, 780)


async def test_warning_from_22_hours_and_a_reason_past_24(make_app, data_dir, clock):
    prepare(data_dir, weekly(7))  # 21 h
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Heures : 21 h / 24 h" in visible_text(pilot)
        assert "sur 24 h" not in visible_text(pilot)

        # One hour more: 22 h, warned (a notification, and on the dossier).
        await session_of(pilot, clock, 60)
        await write_report(pilot)
        assert screen_name(pilot) == "DossierScreen"
        assert "22 h utilisées sur 24 h : il reste 2 h." in notifications(app)
        assert "⚠ 22 h utilisées sur 24 h : il reste 2 h." in visible_text(pilot)

        # Two hours and a half more would make 24 h 30: the reason is asked before anything is saved.
        clock.advance(minutes=30)
        await session_of(pilot, clock, 150)
        await write_report(pilot, "Projet validé.")
        assert screen_name(pilot) == "OverLimitScreen"
        assert "porterait le total à 24 h 30" in visible_text(pilot)
        await pilot.press("ctrl+s")  # no reason: refused
        await pilot.pause()
        assert screen_name(pilot) == "OverLimitScreen"
        assert "Notez la raison du dépassement des 24 heures" in visible_text(pilot)
        await pilot.press("escape")  # back to the report: nothing lost, nothing saved
        await pilot.pause()
        assert screen_name(pilot) == "ReportScreen"
        assert app.screen.query_one("#results", TextArea).text == "Projet validé."
        assert "Non enregistré : cette séance dépasse les 24 h du bilan" in visible_text(pilot)
        sessions, admin = stored(data_dir)
        assert sessions[-1].is_open and admin.hours.total == 22 * 60

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "OverLimitScreen"
        await type_text(pilot, "Remise reportée à la demande de la personne\n")
        await pilot.pause()
        assert screen_name(pilot) == "DossierScreen"
        shown = visible_text(pilot)
        assert "Heures : 24 h 30 / 24 h" in shown
        assert "au-delà du maximum légal de 24 h (dépassement de 0 h 30)" in shown

    sessions, admin = stored(data_dir)
    assert not sessions[-1].is_open
    assert admin.hours.total == 24 * 60 + 30
    assert admin.hours.sessions[-1].over_limit_reason == "Remise reportée à la demande de la personne"


async def test_the_interview_side_panel_shows_the_hours(make_app, data_dir, clock):
    prepare(data_dir, weekly(2))  # 3 h préliminaire, 3 h investigation
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await session_of(pilot, clock, 0)
        panel = panel_text(pilot)
        assert "Heures : 6 h / 24 h" in panel
        assert "Phase préliminaire : 3 h / 3 h" in panel and "Investigation : 3 h / 12 h" in panel
        assert "Conclusion : 0 h / 6 h" in panel and "Remise de la synthèse : 0 h / 3 h" in panel
        clock.advance(minutes=45)
        await pilot.press("enter")  # the introduction read: the panel is drawn again
        await pilot.pause()
        assert "Cet entretien : 0 h 45 (depuis 09:30)" in panel_text(pilot)
        await pilot.press("f6")  # the same in the beneficiary's view: the frame is theirs too
        await pilot.pause()
        assert "Heures : 6 h / 24 h" in panel_text(pilot)


async def test_correcting_a_session_changes_the_total(make_app, data_dir):
    day = dt.date(2026, 11, 19)
    prepare(data_dir, [closed(1, day, dt.time(9), dt.time(10)), closed(2, day, dt.time(10, 30), dt.time(12))])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Heures : 2 h 30 / 24 h" in visible_text(pilot)
        await open_hours(pilot)
        assert "Heures utilisées : 2 h 30 / 24 h" in visible_text(pilot)
        # The last session is highlighted: its end corrected to 12:30.
        await pilot.press("c")
        await pilot.pause()
        assert screen_name(pilot) == "CorrectScreen"
        await clear(pilot)
        await type_text(pilot, "12:30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "HoursScreen"
        assert "Heures utilisées : 3 h / 24 h" in visible_text(pilot)

        # The first one: an end before its start, then an overlap, refused; what was typed stays.
        await pilot.press("up", "enter")
        await pilot.pause()
        assert screen_name(pilot) == "CorrectScreen"
        await clear(pilot)
        await type_text(pilot, "8:30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "La fin (08:30) doit venir après le début (09:00)." in visible_text(pilot)
        assert app.screen.query_one("#end", Input).value == "8:30"
        await clear(pilot)
        await type_text(pilot, "11:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "chevauche celle du 19/11/2026 de 10:30 à 12:30" in visible_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert "Heures utilisées : 3 h / 24 h" in visible_text(pilot)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert screen_name(pilot) == "DossierScreen"
        assert "Heures : 3 h / 24 h" in visible_text(pilot)
        assert "10:30–12:30" in [str(c) for c in app.screen.query_one("#sessions", DataTable).get_row_at(1)]

    sessions, admin = stored(data_dir)
    assert [s.end_time for s in sessions] == [dt.time(10), dt.time(12, 30)]  # the working file followed
    assert [e.minutes for e in admin.hours.sessions] == [60, 120]


async def test_a_session_split_between_two_phases(make_app, data_dir):
    prepare(data_dir, [closed(1, dt.date(2026, 11, 19), dt.time(9), dt.time(12), Phase.PRELIMINAIRE)])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await open_hours(pilot)
        await pilot.press("c")
        await pilot.pause()
        # Tab from the end: Information préalable, its share, Phase préliminaire, its share, Investigation.
        await pilot.press(*["tab"] * 5, "space")  # Investigation ticked
        await pilot.press("shift+tab")  # back to the share of the Phase préliminaire
        await type_text(pilot, "1 h")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Répartition : indiquez la durée de chaque phase cochée (Investigation manque)" in visible_text(pilot)
        assert app.screen.focused is app.screen.query_one("#share-investigation", Input)
        await type_text(pilot, "1 h")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "2 h réparties pour une séance de 3 h" in visible_text(pilot)
        await clear(pilot)
        await type_text(pilot, "2 h")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "HoursScreen"
        shown = visible_text(pilot)
        assert "Répartition : Phase préliminaire 1 h + Investigation 2 h" in shown

    sessions, admin = stored(data_dir)
    assert admin.hours.sessions[0].split == (60, 120)
    assert sessions[0].phases == (Phase.PRELIMINAIRE, Phase.INVESTIGATION) and sessions[0].phases_by_hand


async def test_sessions_closed_before_the_hours_ledger_are_counted(make_app, data_dir):
    prepare(data_dir, weekly(9), logged=False)  # 27 h, closed before the hours were kept
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Heures : 27 h / 24 h" in visible_text(pilot)
        await open_hours(pilot)
        assert "Raison du dépassement des 24 h : enregistrée avant le suivi des heures" in visible_text(pilot)

    _, admin = stored(data_dir)
    assert len(admin.hours.sessions) == 9
    assert [e.over_limit_reason for e in admin.hours.sessions][-2:] == ["", "enregistrée avant le suivi des heures"]


async def test_a_read_only_window_changes_no_hours(make_app, data_dir):
    dossier_id = prepare(data_dir, weekly(2))
    holder = Repository(data_dir).open(dossier_id)
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            await open_hours(pilot)
            assert "Lecture seule" in visible_text(pilot)
            assert {"Plan des heures", "Corriger l'entretien"}.isdisjoint(footer(pilot))
            await pilot.press("p", "c", "enter")
            await pilot.pause()
            assert screen_name(pilot) == "HoursScreen"
    finally:
        holder.close()


async def test_a_session_closed_another_day_waits_for_its_real_end(make_app, data_dir):
    day = dt.date(2026, 11, 19)
    late = closed(1, day, dt.time(9), dt.time(10)).model_copy(update={"report": SessionReport(
        results="Fait.", written_at=dt.datetime(2026, 11, 20, 10))})  # the report written the next morning
    prepare(data_dir, [late], logged=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Heures : 0 h / 24 h" in visible_text(pilot)  # not counted as 09:00-10:00 on the 19th
        await open_hours(pilot)
        shown = visible_text(pilot)
        assert "Entretien clos dont les heures ne sont pas comptées." in shown
        assert "compte-rendu rédigé le 20/11/2026 : indiquez son heure de fin réelle" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(pilot) == "CorrectScreen"
        await clear(pilot)
        await type_text(pilot, "12h")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Heures utilisées : 3 h / 24 h" in visible_text(pilot)

    sessions, admin = stored(data_dir)
    assert [(e.start, e.minutes) for e in admin.hours.sessions] == [(dt.datetime(2026, 11, 19, 9), 180)]
    assert sessions[0].end_time == dt.time(12)


async def test_a_session_with_a_signed_half_day_keeps_its_times_its_phases_still_corrected(make_app, data_dir, clock):
    """Signed 9:00-12:00 on the attendance sheet (E), then its end « corrected » to 11:00 in H: refused, saying
    why; the hours, the attendance and the attestation keep agreeing. Its phases may still be corrected."""
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    with repository.open(dossier.id) as handle:
        handle.save_session(Session(id="s1", date=FIXED_NOW.date(), start_time=dt.time(9), end_time=dt.time(12),
                                    phase=Phase.PRELIMINAIRE, objectives="Faire connaissance",
                                    report=SessionReport(results="Fait.", written_at=dt.datetime(2026, 11, 26, 12))))
    clock.now = dt.datetime(2026, 11, 26, 12, 5)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a", "e")
        await pilot.pause()
        assert screen_name(pilot) == "AttendanceScreen"
        await pilot.press("s")
        await pilot.pause()
        await type_text(pilot, "Paul Roux")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "Léa Martin")
        await pilot.press("enter")
        await pilot.pause()
        assert "Émargement n° 1 (26/11/2026, matin) enregistré, signé par les deux." in notifications(app)
        await pilot.press("escape", "h")
        await pilot.pause()
        assert screen_name(pilot) == "HoursScreen"
        assert "Demi-journée signée (Émargement n° 1 (26/11/2026, matin)) : ses horaires font foi" in visible_text(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert screen_name(pilot) == "CorrectScreen"
        assert "l'émargement fait foi, début et fin ne se corrigent plus" in visible_text(pilot)
        await clear(pilot)
        await type_text(pilot, "11:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "CorrectScreen"  # refused, said, what was typed kept
        assert ("cette séance a une demi-journée signée (Émargement n° 1 (26/11/2026, matin)) ; l'émargement signé "
                "fait foi et un émargement signé ne se modifie jamais : ses horaires restent 09:00–12:00"
                in visible_text(pilot))
        assert app.screen.query_one("#end", Input).value == "11:00"
        # The times as signed, Investigation ticked with it: saved.
        await clear(pilot)
        await type_text(pilot, "12:00")
        await pilot.press(*["tab"] * 5, "space", "ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "HoursScreen"
        assert "Heures utilisées : 3 h / 24 h" in visible_text(pilot)

    sessions, admin = stored(data_dir)
    (entry,) = admin.hours.sessions
    assert (entry.start.time(), entry.end.time(), entry.phases) == (dt.time(9), dt.time(12),
                                                                  (Phase.PRELIMINAIRE, Phase.INVESTIGATION))
    assert (sessions[0].start_time, sessions[0].end_time) == (dt.time(9), dt.time(12))
    (record,) = admin.attendance
    assert (record.start, record.end) == (dt.time(9), dt.time(12))


async def test_a_correction_cannot_end_in_the_future_and_unusual_times_are_warned_about(make_app, data_dir):
    saturday = dt.date(2026, 11, 21)
    prepare(data_dir, [closed(1, saturday, dt.time(9), dt.time(12)), closed(2, FIXED_NOW.date(), dt.time(8),
                                                                              dt.time(9))])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await open_hours(pilot)
        # Today's (highlighted, it is 9:30): 00:00-23:00 ends in the future, refused; what was typed stays.
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("shift+tab")
        await clear(pilot)
        await type_text(pilot, "00:00")
        await pilot.press("tab")
        await clear(pilot)
        await type_text(pilot, "23:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "CorrectScreen"
        assert "Fin : la séance ne peut pas finir dans le futur (fin le 26/11/2026 à 23:00, il est 09:30" \
            in visible_text(pilot)
        assert app.screen.query_one("#end", Input).value == "23:00"
        await pilot.press("escape", "up", "c")
        await pilot.pause()
        # The Saturday's: 07:30-18:30 accepted, with a warning line as it is typed, and after.
        assert "Horaires inhabituels : séance un samedi, hors du lundi au vendredi" in visible_text(pilot)
        await pilot.press("shift+tab")
        await clear(pilot)
        await type_text(pilot, "7:30")
        await pilot.press("tab")
        await clear(pilot)
        await type_text(pilot, "18:30")
        await pilot.pause()
        assert "Horaires inhabituels : séance un samedi et de 07:30 à 18:30" in visible_text(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "HoursScreen"
        assert any("Horaires inhabituels : séance un samedi et de 07:30 à 18:30" in n for n in notifications(app))
        assert "Horaires inhabituels" in str(app.screen.query_one("#detail").content)
        # A start after the end is still refused.
        await pilot.press("c")
        await pilot.pause()
        await clear(pilot)
        await type_text(pilot, "7:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "La fin (07:00) doit venir après le début (07:30)." in visible_text(pilot)

    _, admin = stored(data_dir)
    assert [(e.start.time(), e.end.time()) for e in admin.hours.sessions] == [(dt.time(7, 30), dt.time(18, 30)),
                                                                              (dt.time(8), dt.time(9))]
