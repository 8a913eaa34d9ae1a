"""The planning of a bilan, by keys: proposed from a start date, bad slots refused with the reason and nothing
typed lost, a session of another dossier of the same consultant never overlapped (and never named), a session
cancelled after confirmation, one added, the place set, the agenda exported and parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from icalendar import Calendar
from textual.widgets import Checkbox, DataTable, Input
from textual.widgets._footer import FooterKey

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import AnswerRecord, AnswerStatus, Beneficiary, Note, Phase
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.convention import ConventionData
from bilan_tui.domain.procedure.funding import Agreement, FundingType
from bilan_tui.domain.procedure.hours import HoursPlan
from bilan_tui.domain.procedure.planner import Plan, SessionStatus, propose_plan
from bilan_tui.storage import DossierEntry, DossierSummary, Repository
from bilan_tui.tui.screens.planning import consultant_busy, ics_name, same_consultant
from tests.tui.helpers import type_text, visible_text

NOW = dt.datetime(2026, 11, 26, 9, 30)  # the FakeClock's: a Thursday
PLACE = "Cabinet Orientation, 12 rue des Lilas, Metz"


def admin_of(repository: Repository, dossier_id: str) -> AdministrativeFile:
    with repository.open(dossier_id, read_only=True) as handle:
        return handle.admin()


def rows(pilot) -> list[list[str]]:
    table = pilot.app.screen.query_one("#sessions", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def footer(app) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


def lea(repository: Repository, consultant: str = "Paul Durand") -> str:
    """Léa Martin's dossier, with an answer and a note that an agenda must never carry."""
    dossier = repository.create_dossier(
        Beneficiary(first_name="Léa", last_name="Martin", email="lea.martin@example.org", phone="06 12 34 56 78",
                    situation_detail="Aide-soignante ZZPRIVE"), consultant)
    answer = AnswerRecord(step_id="q1", value="Mon poste va être supprimé ZZPRIVE", status=AnswerStatus.ANSWERED,
                          at=NOW, flow_version="1", notes=(Note(text="Observation ZZPRIVE du consultant", at=NOW),))
    with repository.open(dossier.id) as handle:
        handle.save_interview(InterviewState(flow_id="analyse_demande", answers={"q1": answer}))
    return dossier.id


def other_dossier(repository: Repository, consultant: str, start: dt.date, first_name: str = "Marc") -> Plan:
    """Another beneficiary's dossier (listed after Léa's) with a planned bilan (weekly at 9:00 from ``start``)."""
    dossier = repository.create_dossier(Beneficiary(first_name=first_name, last_name="Benali"), consultant)
    plan = propose_plan(start=start, first_contact=start, now=NOW)
    with repository.open(dossier.id) as handle:
        handle.save_admin(handle.admin().model_copy(update={"plan": plan}))
    return plan


async def open_planning(pilot) -> None:
    """Home → the dossier (Léa Martin, first in the list) → Cadre du bilan (A) → Planning (L)."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("l")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "PlanningScreen"


async def retype(pilot, text: str) -> None:
    await pilot.press("ctrl+u")
    await type_text(pilot, text)


async def propose_from(pilot, start: str) -> None:
    """P, the start date typed in the second field, Ctrl+S."""
    await pilot.press("p")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "ProposeScreen"
    await pilot.press("tab")
    await retype(pilot, start)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def propose_plain(pilot) -> None:
    await propose_from(pilot, "01/12/2026")
    assert type(pilot.app.screen).__name__ == "PlanningScreen"


async def test_a_whole_schedule_is_proposed_from_a_start_date(make_app, repository):
    dossier_id = lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        assert "0 entretien prévu" in visible_text(pilot)
        assert rows(pilot) == []
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        # Prefilled: the first contact (the dossier's creation, none recorded yet) and today as the earliest start.
        assert form.query_one("#contact", Input).value == "26/11/2026"
        assert form.query_one("#start", Input).value == "26/11/2026"
        assert form.query_one("#length", Input).value == "3 h"
        assert form.query_one("#interval", Input).value == "7"
        assert "3 h / 12 h / 6 h / 3 h (24 h)" in visible_text(pilot)
        await pilot.press("tab")
        await retype(pilot, "01/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PlanningScreen"
        shown = rows(pilot)
        assert len(shown) == 8
        assert [r[0] for r in shown] == [str(n) for n in range(1, 9)]
        assert shown[0] == ["1", "mardi 01/12/2026", "9:00 – 12:00", "3 h", "Phase préliminaire", "Prévu"]
        assert shown[7][1:] == ["mardi 19/01/2027", "9:00 – 12:00", "3 h", "Remise de la synthèse", "Prévu"]
        assert "8 entretiens prévus, 24 h en tout, du 01/12/2026 au 19/01/2027" in visible_text(pilot)

        admin = admin_of(repository, dossier_id)
        assert admin.first_contact == dt.date(2026, 11, 26)
        sessions = admin.plan.active
        assert len(sessions) == 8
        for session in sessions:
            assert session.start.weekday() < 5
            assert dt.time(8) <= session.start.time() and session.end.time() <= dt.time(18)
        assert [s.phase for s in sessions] == [Phase.PRELIMINAIRE, *[Phase.INVESTIGATION] * 4,
                                              *[Phase.CONCLUSION] * 2, Phase.REMISE]
        assert [(b.start - a.start).days for a, b in zip(sessions, sessions[1:], strict=False)] == [7] * 7
        assert {b.phase: b.minutes for b in admin.plan_settings.phases} == {
            Phase.PRELIMINAIRE: 180, Phase.INVESTIGATION: 720, Phase.CONCLUSION: 360, Phase.REMISE: 180}


async def test_settings_are_typed_refused_in_french_and_kept(make_app, repository):
    dossier_id = lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        await pilot.press("tab")
        await retype(pilot, "20/11/2026")   # in the past
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Début du bilan : le 20/11/2026 est déjà passé ; le planning commence au plus tôt aujourd'hui, " \
               "26/11/2026." in visible_text(pilot)
        assert form.focused is form.query_one("#start")
        await retype(pilot, "01/12/2026")
        await pilot.press("tab")
        await retype(pilot, "3 h 10")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "se compte en quarts d'heure" in visible_text(pilot)
        assert form.focused is form.query_one("#length")
        await retype(pilot, "11 h")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Durée d'un entretien : 11 h ; un entretien dure de 1 h à 10 h" in visible_text(pilot)
        await retype(pilot, "2 h 30")
        await pilot.press("tab")
        await retype(pilot, "zéro")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "« zéro » : le nombre de jours d'un entretien au suivant va de 1 à 60" in visible_text(pilot)
        await retype(pilot, "14")
        await pilot.press("tab")   # the weekday: Space opens the list, ↓ × 5: vendredi
        await pilot.press("space", *["down"] * 5, "enter")
        await pilot.press("tab")
        await retype(pilot, "25h")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Heure préférée : l'heure « 25h » n'existe pas" in visible_text(pilot)
        assert "Prochain rendez-vous" not in visible_text(pilot)
        # Nothing typed was lost, nothing was stored.
        assert [form.query_one(f"#{f}", Input).value for f in ("contact", "start", "length", "interval", "time")] \
            == ["26/11/2026", "01/12/2026", "2 h 30", "14", "25h"]
        assert admin_of(repository, dossier_id).plan.sessions == ()
        await retype(pilot, "14h")
        await pilot.press("tab", "space")   # Alsace-Moselle
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PlanningScreen"
        admin = admin_of(repository, dossier_id)
        settings = admin.plan_settings
        assert (settings.session_minutes, settings.interval_days, settings.preferred_weekday,
                settings.preferred_time, settings.rules.zone.value) == (150, 14, 4, dt.time(14), "alsace_moselle")
        # 3 h, 12 h, 6 h, 3 h in sessions of at most 2 h 30: 2 + 5 + 3 + 2, at 14:00; the first within a week of the
        # first contact (Tuesday 01/12, before Friday 04/12), then Fridays two weeks apart, but for Friday 01/01
        # (Jour de l'an): Monday 04/01.
        sessions = admin.plan.active
        assert len(sessions) == 12
        assert all(s.start.time() == dt.time(14) and s.minutes <= 150 for s in sessions)
        assert [s.start.date() for s in sessions[:4]] == [dt.date(2026, 12, 1), dt.date(2026, 12, 18),
                                                          dt.date(2027, 1, 4), dt.date(2027, 1, 22)]
        assert all(s.start.weekday() == 4 for s in sessions[3:])
        assert dt.date(2027, 3, 26) not in {s.start.date() for s in sessions}   # Vendredi saint in Alsace-Moselle
        assert "tous les 14 jours, le vendredi de préférence vers 14:00" in visible_text(pilot)
        assert "fériés d'Alsace-Moselle" in visible_text(pilot)


async def test_replacing_a_plan_asks_first(make_app, repository):
    dossier_id = lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_plain(pilot)
        before = admin_of(repository, dossier_id).plan
        await propose_from(pilot, "07/12/2026")
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert "Remplacer les 8 entretiens prévus par le nouveau planning" in visible_text(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert admin_of(repository, dossier_id).plan == before
        assert rows(pilot)[0][1] == "mardi 01/12/2026"
        await propose_from(pilot, "07/12/2026")
        await pilot.press("o")
        await pilot.pause()
        assert rows(pilot)[0][1] == "lundi 07/12/2026"
        assert admin_of(repository, dossier_id).plan.active[0].start == dt.datetime(2026, 12, 7, 9)


async def test_bad_moves_are_refused_with_the_reason_and_the_typed_text_kept(make_app, repository):
    # Another bilan of the same consultant (written another way) on Wednesdays at 9:00 from 02/12.
    other = other_dossier(repository, "durand paul", dt.date(2026, 12, 2))
    assert other.active[0].start == dt.datetime(2026, 12, 2, 9)
    dossier_id = lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_plain(pilot)
        stored = admin_of(repository, dossier_id).plan
        await pilot.press("down")   # entretien n° 2, mardi 08/12/2026
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "SlotScreen"
        assert "Déplacer l'entretien n° 2 (Investigation), prévu mardi 08/12/2026, 9:00 – 12:00" in visible_text(pilot)
        assert [form.query_one(f"#{f}", Input).value for f in ("day", "start", "end")] == ["08/12/2026", "9:00",
                                                                                          "12:00"]

        async def attempt(day: str, start: str, end: str, refused: bool = True) -> str:
            for field, value in (("day", day), ("start", start), ("end", end)):
                form.query_one(f"#{field}", Input).focus()
                await retype(pilot, value)
            await pilot.press("ctrl+s")
            await pilot.pause()
            if not refused:
                return ""
            assert app.screen is form   # still open
            assert [form.query_one(f"#{f}", Input).value for f in ("day", "start", "end")] == [day, start, end]
            return visible_text(pilot)

        text = await attempt("12/12/2026", "9:00", "12:00")
        assert "Le samedi n'est pas un jour d'entretien : du lundi au vendredi." in text
        assert form.focused is form.query_one("#day")
        text = await attempt("10/12/2026", "7:30", "10:30")
        assert "7:30 est avant l'ouverture : entre 8:00 et 18:00." in text
        assert form.focused is form.query_one("#start")
        text = await attempt("10/12/2026", "15h30", "18h30")
        assert "Fin à 18:30, après la fermeture : entre 8:00 et 18:00." in text
        assert form.focused is form.query_one("#end")
        text = await attempt("25/12/2026", "9:00", "12:00")
        assert "Le 25/12/2026 est un jour férié (Noël)." in text
        text = await attempt("25/11/2026", "9:00", "12:00")
        assert "Le 25/11/2026 à 9:00 est déjà passé" in text
        text = await attempt("09/12/2026", "10:00", "13:00")   # Marc's Wednesday, 9:00-12:00
        assert "Ce créneau chevauche un autre entretien, le 09/12/2026 de 9:00 à 12:00 : choisissez une heure libre." \
            in text
        assert "Marc" not in text and "Benali" not in text
        text = await attempt("15/12/2026", "10:00", "13:00")   # this plan's own n° 3
        assert "chevauche un autre entretien, le 15/12/2026 de 9:00 à 12:00" in text
        text = await attempt("31/02/2026", "9:00", "12:00")
        assert "Jour : La date « 31/02/2026 » n'existe pas dans le calendrier." in text
        text = await attempt("10/12/2026", "midi", "15:00")
        assert "Début : « midi » n'est pas une heure (exemples : 14:00, 9h30)." in text
        assert admin_of(repository, dossier_id).plan == stored   # nothing was saved

        await attempt("09/12/2026", "12:00", "15:00", refused=False)   # touching Marc's session is no overlap
        assert type(app.screen).__name__ == "PlanningScreen"
        moved = admin_of(repository, dossier_id).plan
        assert moved.active[1].start == dt.datetime(2026, 12, 9, 12)
        assert moved.active[1].revision == 1 and moved.active[1].id == stored.active[1].id
        assert rows(pilot)[1] == ["2", "mercredi 09/12/2026", "12:00 – 15:00", "3 h", "Investigation", "Prévu"]


async def test_a_proposed_plan_avoids_the_same_consultants_sessions_only(make_app, repository):
    mine = other_dossier(repository, "Paul Durand", dt.date(2026, 12, 1))      # Tuesdays 9-12, the same consultant
    theirs = other_dossier(repository, "Sophie Klein", dt.date(2026, 12, 1), first_name="Noé")   # another consultant
    dossier_id = lea(repository)
    (repository.dossiers_dir / "abimé.json").write_text("{pas du json", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert "Évités : 8 entretiens prévus dans 1 autre dossier du même consultant. 1 dossier illisible, dont les " \
               "entretiens ne peuvent pas être évités." in visible_text(pilot)
        await pilot.press("tab")
        await retype(pilot, "01/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        plan = admin_of(repository, dossier_id).plan
        busy = [(s.start, s.end) for s in mine.active]
        assert len(plan.active) == 8
        for session in plan.active:
            assert not any(start < session.end and session.start < end for start, end in busy)
        # Sophie Klein's identical Tuesdays do not count: the first session moves to 12:00 only for Paul's.
        assert plan.active[0].start == dt.datetime(2026, 12, 1, 12)
        assert theirs.active[0].start == dt.datetime(2026, 12, 1, 9)


async def test_cancel_asks_then_marks_the_session_and_add_fills_the_gap(make_app, repository):
    dossier_id = lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_plain(pilot)
        await pilot.press("down", "down")   # n° 3, mardi 15/12/2026
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert "Annuler l'entretien n° 3, mardi 15/12/2026, 9:00 – 12:00 ?" in visible_text(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert all(s.is_active for s in admin_of(repository, dossier_id).plan.sessions)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        plan = admin_of(repository, dossier_id).plan
        cancelled = [s for s in plan.sessions if s.status is SessionStatus.CANCELLED]
        assert [s.start for s in cancelled] == [dt.datetime(2026, 12, 15, 9)]
        assert rows(pilot)[2] == ["—", "mardi 15/12/2026", "9:00 – 12:00", "3 h", "Investigation", "Annulé"]
        assert rows(pilot)[3][0] == "3"   # the next ones are renumbered
        assert "7 entretiens prévus, 21 h en tout" in visible_text(pilot)
        assert "Le planning ne suit pas le plan des heures (Investigation 9 h pour 12 h)" in visible_text(pilot)
        await pilot.press("c")   # a cancelled session is not cancelled twice
        await pilot.pause()
        assert type(app.screen).__name__ == "PlanningScreen"

        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "SlotScreen"
        assert str(form.query_one("#phase").value) == Phase.INVESTIGATION.value   # the phase short of hours
        assert form.focused is form.query_one("#phase")   # the fields in their order: the phase first
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Jour : indiquez une date au format JJ/MM/AAAA (exemple : 15/12/2026)." in visible_text(pilot)
        assert form.focused is form.query_one("#day")
        await type_text(pilot, "17/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PlanningScreen"
        plan = admin_of(repository, dossier_id).plan
        assert len(plan.active) == 8 and plan.total_minutes == 24 * 60
        assert plan.active[2].start == dt.datetime(2026, 12, 17, 9) and plan.active[2].phase is Phase.INVESTIGATION
        assert "plan des heures" not in visible_text(pilot)


async def test_the_agenda_file_has_one_event_per_session_and_nothing_personal(make_app, repository, data_dir):
    dossier_id = lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_plain(pilot)
        await pilot.press("l")
        await pilot.pause()
        await type_text(pilot, PLACE)
        await pilot.press("enter")
        await pilot.pause()
        assert admin_of(repository, dossier_id).location == PLACE
        assert f"Lieu : {PLACE}" in visible_text(pilot)
        await pilot.press("down", "down", "c")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()

        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "IcsExportScreen"
        assert "Ajouter le prénom (Léa)" in str(app.screen.query_one(Checkbox).label)
        assert not app.screen.query_one(Checkbox).value
        await pilot.press("enter")   # the box unticked: no name
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = data_dir / "exports" / ics_name("Léa", dossier_id, False)
        assert re.fullmatch(r"agenda-[a-z0-9]{1,6}\.ics", path.name), path.name   # no name at all
        assert path.is_file()
        assert f"Agenda exporté (8 événements) : {path}" in visible_text(pilot)
        check_ics(path, first_name=None)

        await pilot.press("x")
        await pilot.pause()
        await pilot.press("space", "enter")   # tick the first name
        await app.workers.wait_for_complete()
        await pilot.pause()
        named = data_dir / "exports" / ics_name("Léa", dossier_id, True)
        assert re.fullmatch(r"agenda-lea-[a-z0-9]{1,6}\.ics", named.name), named.name   # the first name only
        check_ics(named, first_name="Léa")


def check_ics(path: Path, first_name: str | None) -> None:
    data = path.read_bytes()
    events = Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 8   # 7 planned, 1 cancelled (sent as cancelled, so that an agenda drops it)
    planned = [e for e in events if str(e["STATUS"]) == "CONFIRMED"]
    assert len(planned) == 7
    suffix = f" ({first_name})" if first_name else ""
    assert [str(e["SUMMARY"]) for e in planned] == [f"Bilan de compétences, entretien {n}{suffix}" for n in range(1, 8)]
    assert all(str(e["LOCATION"]) == PLACE for e in events)
    cancelled = [e for e in events if str(e["STATUS"]) == "CANCELLED"]
    assert [str(e["SUMMARY"]) for e in cancelled] == [f"Bilan de compétences, entretien annulé{suffix}"]
    assert cancelled[0].decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2026, 12, 15, 9)
    unfolded = data.decode("utf-8").replace("\r\n ", "").casefold()
    for secret in ("Martin", "ZZPRIVE", "lea.martin@example.org", "06 12 34 56 78", "Aide-soignante",
                   "Investigation", "Phase préliminaire", "Paul Durand"):
        assert secret.casefold() not in unfolded, secret
    assert ("léa" in unfolded) == (first_name is not None)


async def test_a_read_only_window_shows_the_plan_and_offers_no_writing_key(make_app, repository):
    dossier_id = lea(repository)
    with repository.open(dossier_id) as handle:
        handle.save_admin(handle.admin().model_copy(update={"plan": propose_plan(
            start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 26), now=NOW)}))
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        with repository.open(dossier_id):   # held by another window
            await open_planning(pilot)
            assert len(rows(pilot)) == 8
            assert "Lecture seule" in visible_text(pilot)
            shown = footer(app)
            assert "Agenda .ics" in shown
            for writing in ("Proposer", "Déplacer", "Annuler", "Ajouter", "Lieu"):
                assert writing not in shown
            for key in ("p", "d", "c", "a", "l"):
                await pilot.press(key)
                await pilot.pause()
                assert type(app.screen).__name__ == "PlanningScreen"


async def test_the_beneficiary_view_shows_the_same_planning(make_app, repository):
    lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_plain(pilot)
        # The header line is the app's title: it says which view is on; the rest is the same.
        before = visible_text(pilot).split("\n", 1)[1], rows(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert app.beneficiary_view
        assert type(app.screen).__name__ == "PlanningScreen"
        assert "VUE BÉNÉFICIAIRE" in visible_text(pilot).split("\n", 1)[0]
        assert (visible_text(pilot).split("\n", 1)[1], rows(pilot)) == before
        assert "ZZPRIVE" not in before[0]


def summary(dossier_id: str, consultant: str, busy: tuple[tuple[dt.datetime, dt.datetime], ...]) -> DossierEntry:
    from bilan_tui.domain.models import DossierStatus
    from bilan_tui.domain.procedure.frame import FrameStatus

    return DossierEntry(dossier_id, Path(f"{dossier_id}.json"), DossierSummary(
        id=dossier_id, beneficiary="X Y", consultant=consultant, phase=Phase.PRELIMINAIRE, status=DossierStatus.OPEN,
        created_at=NOW, frame=FrameStatus(phase=Phase.PRELIMINAIRE, busy=busy)))


def test_the_busy_calendar_comes_from_the_same_consultants_other_dossiers() -> None:
    slot = (dt.datetime(2026, 12, 1, 9), dt.datetime(2026, 12, 1, 12))
    later = (dt.datetime(2026, 12, 2, 14), dt.datetime(2026, 12, 2, 17))
    entries = [summary("moi", "Paul Durand", (later,)), summary("a", "DURAND Paul", (slot,)),
               summary("b", "Sophie Klein", (later,)), summary("c", "Paul Dupont", (later,)),
               DossierEntry("d", Path("d.json"), error="illisible"), summary("e", "  paul   durand ", (later,))]
    others = consultant_busy(entries, "Paul Durand", "moi")
    assert (others.sessions, others.dossiers, others.unreadable) == (2, 2, 1)
    assert sorted((s.start, s.end) for s in others.calendar) == [slot, later]
    assert same_consultant("", "") and same_consultant(" ", "")
    # Most data folders are one consultant's: a dossier without a consultant's name is theirs too.
    assert same_consultant("", "Paul Durand") and same_consultant("Paul Durand", "  ")
    assert not same_consultant("Paul", "Paul Durand") and not same_consultant("Sophie Klein", "Paul Durand")


async def test_the_phases_follow_the_dossiers_hours_plan(make_app, repository):
    dossier_id = lea(repository)
    with repository.open(dossier_id) as handle:
        admin = handle.admin()
        handle.save_admin(admin.model_copy(update={"hours": admin.hours.with_plan(
            HoursPlan(preliminaire=130, investigation=590, conclusion=480, remise=240))}))  # 24 h in all
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_from(pilot, "01/12/2026")
        # 2 h 10 is no whole number of quarters: refused, and the consultant is told where the hours plan is set.
        assert type(app.screen).__name__ == "ProposeScreen"
        assert "se compte en quarts d'heure" in visible_text(pilot)
        assert "écran des heures" in visible_text(pilot)
        assert admin_of(repository, dossier_id).plan.sessions == ()
        await pilot.press("escape")
        await pilot.pause()
        handle = app.screen.handle   # as the hours screen (H) would save it
        admin = handle.admin()
        handle.save_admin(admin.model_copy(update={"hours": admin.hours.with_plan(
            HoursPlan(preliminaire=120, investigation=600, conclusion=480, remise=240))}))
        await pilot.press("p")
        await pilot.pause()
        assert "2 h / 10 h / 8 h / 4 h (24 h)" in visible_text(pilot)
        await pilot.press("tab")
        await retype(pilot, "01/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        plan = admin_of(repository, dossier_id).plan
        assert plan.minutes_by_phase() == {Phase.PRELIMINAIRE: 120, Phase.INVESTIGATION: 600, Phase.CONCLUSION: 480,
                                           Phase.REMISE: 240}
        assert all(session.minutes <= 180 for session in plan.active)
        assert "plan des heures" not in visible_text(pilot)


async def test_a_held_session_neither_moves_nor_cancels(make_app, repository, clock):
    dossier_id = lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_plain(pilot)
        clock.advance(days=5, hours=1)   # Tuesday 01/12 at 10:30: the first session has begun
        for key in ("d", "c"):
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == "PlanningScreen"
        messages = [n.message for n in app._notifications]
        assert "L'entretien du 01/12/2026 a déjà commencé ou eu lieu : il ne se déplace plus." in messages
        assert "L'entretien du 01/12/2026 a déjà commencé ou eu lieu : il ne s'annule plus." in messages
        assert all(s.is_active and s.revision == 0 for s in admin_of(repository, dossier_id).plan.sessions)


def test_a_dossier_without_a_consultant_is_avoided_both_ways() -> None:
    slot = (dt.datetime(2026, 12, 2, 9), dt.datetime(2026, 12, 2, 12))
    entries = [summary("moi", "Paul Durand", ()), summary("a", "", (slot,)), summary("b", "Sophie Klein", (slot,))]
    assert consultant_busy(entries, "Paul Durand", "moi").sessions == 1   # the unnamed dossier's session
    entries = [summary("moi", "", ()), summary("a", "Paul Durand", (slot,))]
    others = consultant_busy(entries, "", "moi")
    assert (others.sessions, others.dossiers) == (1, 1)
    assert not others.calendar.is_free(*slot)


async def test_no_double_booking_with_a_dossier_that_names_no_consultant(make_app, repository):
    other_dossier(repository, "", dt.date(2026, 12, 1))   # Marc's bilan, Tuesdays 9:00-12:00, no consultant named
    dossier_id = lea(repository)
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_plain(pilot)
        first = admin_of(repository, dossier_id).plan.active[0]
        assert first.start != dt.datetime(2026, 12, 1, 9)
        assert not (first.start < dt.datetime(2026, 12, 1, 12) and dt.datetime(2026, 12, 1, 9) < first.end)


def self_funded(repository: Repository, dossier_id: str, signed: dt.date, plan: Plan | None = None) -> None:
    with repository.open(dossier_id) as handle:
        admin = handle.admin()
        handle.save_admin(admin.model_copy(update={
            "agreement": Agreement(funding=FundingType.SELF_FUNDED, signed_on=signed),
            "plan": plan if plan is not None else admin.plan}))


async def test_no_session_is_proposed_during_the_withdrawal_period(make_app, repository):
    # Signed today, Thursday 26/11: withdrawal until Sunday 06/12, run to Monday 07/12; first session Tuesday 08/12.
    dossier_id = lea(repository)
    self_funded(repository, dossier_id, dt.date(2026, 11, 26))
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#start", Input).value == "08/12/2026"   # prefilled with the first allowed day
        assert "Premier entretien possible le mardi 08/12/2026" in visible_text(pilot)
        await pilot.press("tab")
        await retype(pilot, "27/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form   # refused, what was typed kept
        assert form.query_one("#start", Input).value == "27/11/2026"
        text = visible_text(pilot)
        assert "Début du bilan : le 27/11/2026 est avant le premier jour possible du bilan" in text
        assert "rétractation" in text and "07/12/2026" in text
        assert "premier entretien possible le mardi 08/12/2026" in text
        assert admin_of(repository, dossier_id).plan.sessions == ()
        await retype(pilot, "08/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PlanningScreen"
        plan = admin_of(repository, dossier_id).plan
        assert plan.active[0].start.date() == dt.date(2026, 12, 8)
        assert rows(pilot)[0][1] == "mardi 08/12/2026"


async def test_no_session_is_moved_or_added_into_the_withdrawal_period(make_app, repository):
    dossier_id = lea(repository)
    early = propose_plan(start=dt.date(2026, 12, 1), first_contact=dt.date(2026, 11, 26), now=NOW)
    self_funded(repository, dossier_id, dt.date(2026, 11, 26), plan=early)   # planned before the contract
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        text = visible_text(pilot)
        assert "⚠ 1 entretien prévu avant le premier jour possible (mardi 08/12/2026" in text
        assert "n° 1 (mardi 01/12/2026)" in text and "Déplacez-les (D)" in text
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "SlotScreen"
        form.query_one("#day", Input).focus()
        await retype(pilot, "03/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and form.query_one("#day", Input).value == "03/12/2026"
        assert "Jour : le 03/12/2026 est avant le premier jour possible du bilan" in visible_text(pilot)
        assert admin_of(repository, dossier_id).plan == early
        await retype(pilot, "09/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PlanningScreen"
        assert "avant le premier jour possible" not in visible_text(pilot)

        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#day", Input).focus()
        await retype(pilot, "04/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "Jour : le 04/12/2026 est avant le premier jour possible du bilan" in visible_text(pilot)
        assert len(admin_of(repository, dossier_id).plan.sessions) == 8


async def test_the_conventions_place_is_the_plannings_when_none_is_typed(make_app, repository, data_dir):
    dossier_id = lea(repository)
    with repository.open(dossier_id) as handle:
        handle.save_admin(handle.admin().model_copy(update={"convention": ConventionData(place=PLACE)}))
    app = make_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await open_planning(pilot)
        await propose_plain(pilot)
        assert f"Lieu : {PLACE} (celui de la convention" in visible_text(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert PLACE in visible_text(pilot)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        events = Calendar.from_ical((data_dir / "exports" / ics_name("Léa", dossier_id, False)).read_bytes())
        assert all(str(e["LOCATION"]) == PLACE for e in events.walk("VEVENT"))
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.query_one("#place", Input).value == PLACE


async def test_sessions_outside_the_convention_and_past_24_hours_with_those_held_are_pointed_out(make_app, repository):
    import datetime as dt

    from bilan_tui.domain.models import Beneficiary
    from bilan_tui.domain.procedure.convention import ConventionData
    from bilan_tui.domain.procedure.hours import HoursLedger, logged_session
    from bilan_tui.domain.procedure.planner import propose_plan

    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    held = dt.datetime(2026, 11, 23, 9)
    admin = AdministrativeFile(
        plan=propose_plan(start=dt.date(2026, 11, 30), first_contact=dt.date(2026, 11, 25),
                          now=dt.datetime(2026, 11, 26, 9, 30)),
        convention=ConventionData(period_start=dt.date(2026, 11, 30), period_end=dt.date(2026, 12, 31)),
        hours=HoursLedger().add(logged_session("s0", held, held + dt.timedelta(hours=3), (Phase.PRELIMINAIRE,))))
    with repository.open(dossier.id) as handle:
        handle.save_admin(admin)
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await open_planning(pilot)
        shown = " ".join(visible_text(pilot).split())
        assert "3 entretiens prévus hors de la période de la convention (du 30/11/2026 au 31/12/2026) : n° 6 (lundi 04/01/2027)" in shown
        assert "3 h déjà faites et 24 h encore prévues : 27 h, au-delà des 24 h du bilan." in shown
