"""Sessions by keys: a closed session and a read-only window are read, never answered into; the
objectives agreement; the phases; reports read again and the next meeting."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, TextArea

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import Beneficiary, Note, Phase, Session, Visibility
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from tests.conftest import FIXED_NOW
from tests.persona import PARCOURS, run
from tests.tui.helpers import create_dossier, pick_module, start_session, submit, type_text, visible_text

SIZE = (150, 50)


def screen_name(pilot) -> str:
    return type(pilot.app.screen).__name__


def footer(pilot) -> set[str]:
    """The descriptions the footer shows (what can be done on this screen)."""
    return {b.binding.description for b in pilot.app.screen.active_bindings.values() if b.binding.show}


def session_row(pilot, row: int = -1) -> list[str]:
    table = pilot.app.screen.query_one("#sessions", DataTable)
    return [str(cell) for cell in table.get_row_at(row % table.row_count)]


def stored(data_dir: Path) -> tuple[list[Session], dict[str, InterviewState]]:
    repository = Repository(data_dir)
    [entry] = repository.list_dossiers()
    with repository.open(entry.id, read_only=True) as handle:
        return handle.sessions(), {s.key: s for s in handle.interviews()}


def typing_inputs(pilot) -> list[object]:
    """Anything on screen that would take a typed answer."""
    return [w for w in pilot.app.screen.query("Input, TextArea") if isinstance(w, Input | TextArea)]


async def write_report(pilot, results: str, meeting: str = "", hour: str = "") -> None:
    await pilot.press("f10")
    await pilot.pause()
    await type_text(pilot, results)
    await pilot.press("tab", "tab")  # past the actions, to the date of the next meeting
    await type_text(pilot, meeting)
    await pilot.press("tab")
    await type_text(pilot, hour)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_closed_session_is_read_with_its_report_and_takes_no_answer(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_dossier(pilot, "Nadia", "Roux")
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Comprendre la demande")
        await pick_module(pilot, "Analyse de la demande")
        await pilot.press("enter")  # the welcome
        await pilot.pause()
        await type_text(pilot, "Mon dos ne suit plus.")
        await submit(pilot)
        # The next meeting: a date before the session is refused, with the reason; nothing is closed.
        await write_report(pilot, "Demande clarifiée.", "25/11/2026", "14:00")
        assert screen_name(pilot) == "ReportScreen"
        assert "le 25/11/2026 est avant cette séance (26/11/2026)" in visible_text(pilot)
        assert pilot.app.screen.focused.id == "next-date"
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "03/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_name(pilot) == "DossierScreen"
        assert "Prochain rendez-vous : 03/12/2026 à 14:00" in visible_text(pilot)
        assert session_row(pilot)[-2:] == ["03/12/2026 à 14:00", "✓ rédigé"]
        sessions, before = stored(data_dir)

        # Enter on the closed session: it is read, no module picker, nothing to type into.
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(pilot) == "SessionViewScreen"
        assert typing_inputs(pilot) == []
        shown = visible_text(pilot)
        for expected in ("clos (compte-rendu rédigé)", "Comprendre la demande",
                         "Objectifs présentés, compris et acceptés : oui", "■ Analyse de la demande",
                         "→ Mon dos ne suit plus.", "Demande clarifiée.", "Prochain rendez-vous : 03/12/2026 à 14:00",
                         "Phase : Phase préliminaire"):
            assert expected in shown, expected
        await type_text(pilot, "Réponse tardive\n")
        await pilot.press("ctrl+s", "f10", "f4", "f5")
        await pilot.pause()
        assert screen_name(pilot) == "SessionViewScreen"
        assert "Nouvel entretien" not in footer(pilot) and "Valider" not in footer(pilot)

        # The report, read again: from the session, and from the dossier.
        await pilot.press("c")
        await pilot.pause()
        assert screen_name(pilot) == "ReportViewScreen"
        assert "Demande clarifiée." in visible_text(pilot)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert screen_name(pilot) == "DossierScreen"
        await pilot.press("c")
        await pilot.pause()
        assert screen_name(pilot) == "ReportViewScreen"
        assert "Prochain rendez-vous : 03/12/2026 à 14:00" in visible_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert stored(data_dir) == (sessions, before)
    [session] = sessions
    assert session.report.next_meeting.isoformat() == "2026-12-03" and session.phases == (Phase.PRELIMINAIRE,)


def prepare(data_dir: Path, *, closed: bool) -> tuple[str, str]:
    """A dossier with one session (closed or not) in which the life story was told (the set-up)."""
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Karim", last_name="Benali"))
    catalog = load_catalog()
    engine = Workbook(catalog.flows, [], JinjaExpressions()).engine(catalog.flows["parcours"])
    session = Session.start(dossier, "Raconter le parcours", True, FIXED_NOW)
    state = run(engine, {**PARCOURS, "observations_parcours": "Récit ZZPRIVE fluide"})
    state = state.model_copy(update={"answers": {
        k: r.model_copy(update={"session_id": session.id}) for k, r in state.answers.items()}})
    at = FIXED_NOW
    state = engine.add_note(state, "fil_rouge", Note(text="Hésite ZZPRIVE", at=at), now=at)
    state = engine.add_note(state, "fil_rouge", Note(text="À reprendre ensemble", visibility=Visibility.SHARED, at=at),
                            now=at)
    with repository.open(dossier.id) as handle:
        handle.save_session(session)
        handle.save_interview(state)
        if closed:
            from bilan_tui.domain.models import SessionReport

            handle.save_session(session.model_copy(update={"report": SessionReport(results="Parcours raconté.",
                                                                                   written_at=at)}))
    return dossier.id, session.id


async def test_a_read_only_window_offers_nothing_to_type(make_app, data_dir):
    dossier_id, _ = prepare(data_dir, closed=False)
    holder = Repository(data_dir).open(dossier_id)  # another window edits it
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            assert "Lecture seule" in visible_text(pilot)
            offered = footer(pilot)
            assert {"Nouvel entretien", "Modules", "Phase"}.isdisjoint(offered), offered
            assert {"Ouvrir l'entretien", "Consulter", "Compte-rendu", "Portefeuille", "Retour aux dossiers"} <= offered, offered
            # Enter on the session still open in the other window: read, not the module picker.
            await pilot.press("enter")
            await pilot.pause()
            assert screen_name(pilot) == "SessionViewScreen"
            assert typing_inputs(pilot) == []
            assert "Phases" not in footer(pilot)
            assert "→ Réparer et transmettre." in visible_text(pilot)
            await type_text(pilot, "Une réponse\n")
            await pilot.press("ctrl+s", "h")
            await pilot.pause()
            assert screen_name(pilot) == "SessionViewScreen"
            await pilot.press("escape", "s")
            await pilot.pause()
            assert screen_name(pilot) == "DossierScreen"

            # Even an interview opened here would take nothing: no input, no answering key in the footer.
            from bilan_tui.tui.screens.interview import InterviewScreen

            screen = app.screen
            session = screen.handle.sessions()[0]
            app.push_screen(InterviewScreen(screen.handle, session, app.catalog.flows["analyse_demande"]))
            await pilot.pause()
            assert typing_inputs(pilot) == []
            assert {"Valider", "Passer", "Note", "Compte-rendu", "Modifier"}.isdisjoint(footer(pilot))
            await type_text(pilot, "Tapé quand même\n")
            await pilot.press("ctrl+s", "f4", "f10")
            await pilot.pause()
            assert screen_name(pilot) == "InterviewScreen"
    finally:
        holder.close()
    _, interviews = stored(data_dir)
    assert set(interviews) == {"parcours"}


async def test_a_session_view_hides_what_is_the_consultants_in_the_beneficiary_view(make_app, data_dir):
    prepare(data_dir, closed=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v")
        await pilot.pause()
        assert screen_name(pilot) == "SessionViewScreen"
        shown = visible_text(pilot)
        assert "Récit ZZPRIVE fluide" in shown and "Note privée : Hésite ZZPRIVE" in shown
        await pilot.press("f6")
        await pilot.pause()
        shown = visible_text(pilot)
        assert "ZZPRIVE" not in shown
        assert "Observations du consultant" not in shown
        assert "→ Réparer et transmettre." in shown and "Note : À reprendre ensemble" in shown
        assert "Parcours raconté." in shown


async def test_starting_without_the_objectives_agreed_asks_and_keeps_the_reason(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_dossier(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await type_text(pilot, "Explorer les intérêts")
        await pilot.press("ctrl+s")  # the box left unticked
        await pilot.pause()
        assert screen_name(pilot) == "AgreementScreen"
        assert "Objectifs non acceptés" in visible_text(pilot)
        await pilot.press("ctrl+s")  # no reason given
        await pilot.pause()
        assert "Notez la raison" in visible_text(pilot)
        await pilot.press("escape")  # back to the form: the box to tick
        await pilot.pause()
        assert screen_name(pilot) == "SessionStartScreen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_text(pilot, "à revoir la prochaine fois\n")
        await pilot.pause()
        assert screen_name(pilot) == "FlowPickerScreen"  # started
        await pilot.press("escape")
        await pilot.pause()
        row = session_row(pilot)
        assert row[3] == "Explorer les intérêts" and row[4] == "✗ non acceptés : à revoir la prochaine fois"
        await pilot.press("v")
        await pilot.pause()
        shown = visible_text(pilot)
        assert "Objectifs présentés, compris et acceptés : non — raison : à revoir la prochaine fois" in shown
        assert "Explorer les intérêts" in shown
        await pilot.press("escape")
        await start_session(pilot, "Explorer les valeurs")  # ticked: no question asked
        assert screen_name(pilot) == "FlowPickerScreen"
    sessions, _ = stored(data_dir)
    assert [(s.objectives_agreed, s.objectives_reason) for s in sessions] == [
        (False, "à revoir la prochaine fois"), (True, "")]


async def test_the_phase_follows_the_modules_and_is_set_by_hand(make_app, data_dir, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await create_dossier(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Phase : Phase préliminaire" in visible_text(pilot)
        await start_session(pilot, "Le parcours")
        await pick_module(pilot, "Parcours et récit de vie")
        clock.advance(minutes=5)
        await pilot.press("enter")  # the introduction: the investigation is under way
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(pilot) == "DossierScreen"
        assert "Phase : Investigation" in visible_text(pilot)
        assert session_row(pilot)[2] == "Investigation"

        # The session's phases, adjusted by the consultant.
        await pilot.press("v")
        await pilot.pause()
        assert "Phase : Investigation (d'après les modules travaillés)" in visible_text(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert screen_name(pilot) == "SessionPhasesScreen"
        await pilot.press("space", "ctrl+s")  # the first, Information préalable, ticked too
        await pilot.pause()
        assert "Phases : Information préalable + Investigation (fixées par le consultant)" in visible_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert session_row(pilot)[2] == "Information préalable + Investigation"

        # The dossier's phase, set by hand.
        clock.advance(minutes=5)
        await pilot.press("h")
        await pilot.pause()
        assert screen_name(pilot) == "PhaseScreen"
        await pilot.press("4")
        await pilot.pause()
        assert "Phase : Conclusion" in visible_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)][1] == "Conclusion"  # the home screen

    repository = Repository(data_dir)
    [entry] = repository.list_dossiers()
    assert entry.summary.phase is Phase.CONCLUSION
    sessions, _ = stored(data_dir)
    assert sessions[0].phases == (Phase.INFORMATION, Phase.INVESTIGATION) and sessions[0].phases_by_hand
