"""The frame of the bilan on the home screen, on the dossier and on « Cadre du bilan » (issue 10, point 7)."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from bilan_tui.domain.models import Beneficiary, Phase, Session
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.funding import Agreement, FundingType
from bilan_tui.domain.procedure.hours import HoursLedger, logged_session
from bilan_tui.domain.procedure.information import InformationRecord, ScreeningOutcome, screening
from bilan_tui.domain.procedure.planner import propose_plan
from bilan_tui.storage import Repository
from tests.tui.helpers import visible_text

HELD = dt.datetime(2026, 11, 23, 9, 0)  # the Monday before the tests' clock (Thursday 26/11/2026 09:30)


def framed_dossier(repository: Repository, name: str = "Léa") -> str:
    """A dossier with a held session of 3 h (not signed), a self-funded contract and a plan from 30/11."""
    dossier = repository.create_dossier(Beneficiary(first_name=name, last_name="Martin"), "Paul Roux")
    session = Session(id="s1", date=HELD.date(), start_time=HELD.time(), end_time=dt.time(12, 0),
                      phase=Phase.PRELIMINAIRE, objectives="Faire connaissance")
    plan = propose_plan(start=dt.date(2026, 11, 30), first_contact=dt.date(2026, 11, 25),
                        now=dt.datetime(2026, 11, 26, 9, 30))
    admin = AdministrativeFile(
        agreement=Agreement(funding=FundingType.SELF_FUNDED, signed_on=dt.date(2026, 11, 25)),
        hours=HoursLedger().add(logged_session("s1", HELD, HELD + dt.timedelta(hours=3), (Phase.PRELIMINAIRE,))),
        plan=plan,
    )
    with repository.open(dossier.id) as handle:
        handle.save_session(session)
        handle.save_admin(admin)
    return dossier.id


def home_row(app: object, name: str) -> list[str]:
    table = app.screen.query_one(DataTable)  # type: ignore[attr-defined]
    rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return next(row for row in rows if row[0] == name)


async def test_the_home_screen_shows_hours_next_session_and_what_to_do(make_app, repository):
    framed_dossier(repository)
    thinking = repository.create_dossier(Beneficiary(first_name="Marc", last_name="Petit"), "Paul Roux")
    with repository.open(thinking.id) as handle:
        handle.save_admin(AdministrativeFile(information=InformationRecord().with_screening(
            screening(ScreeningOutcome.THINKING, dt.date(2026, 11, 26), call_back_on=dt.date(2026, 12, 3)))))
    app = make_app()
    async with app.run_test(size=(140, 40)):
        row = home_row(app, "Léa Martin")
        assert row[2] == "3 h / 24 h"
        assert row[3] == "1 émargement manquant"
        assert row[4] == "30/11/2026 à 9:00"
        assert home_row(app, "Marc Petit")[3] == "Rappel le 03/12/2026"


async def test_the_dossier_and_the_frame_screen_show_the_frame(make_app, repository):
    framed_dossier(repository)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        shown = visible_text(pilot)
        assert "Heures : 3 h / 24 h" in shown
        assert "Prochain entretien prévu : 30/11/2026 à 9:00" in shown
        assert "1 demi-journée sans émargement" in shown
        assert "Délai de rétractation jusqu'au" in shown
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "FrameScreen"
        shown = visible_text(pilot)
        assert "Financement et convention : Financement personnel" in shown
        assert "Planning : 8 entretiens prévus" in shown
        assert "Émargement : 0 demi-journée signée, 1 à signer" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DossierScreen"


async def test_a_deadline_once_past_is_no_longer_shown(make_app, repository, clock):
    framed_dossier(repository)
    clock.advance(days=30)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Délai de rétractation" not in visible_text(pilot)


async def test_a_next_meeting_agreed_apart_from_the_planning_is_pointed_out(make_app, repository):
    from bilan_tui.domain.models import SessionReport

    dossier_id = framed_dossier(repository)  # planned from Monday 30/11/2026
    with repository.open(dossier_id) as handle:
        session = handle.session("s1")
        handle.save_session(session.model_copy(update={"report": SessionReport(
            results="Fait.", written_at=dt.datetime(2026, 11, 23, 12), next_meeting=dt.date(2026, 12, 3),
            next_meeting_time=dt.time(14))}))
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert ("Prochain rendez-vous : 03/12/2026 à 14:00 (⚠ le planning prévoit le 30/11/2026 à 9:00 : à accorder "
                "dans Cadre du bilan, L)") in visible_text(pilot)
