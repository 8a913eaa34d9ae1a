"""Snapshots of the main screens, deterministic: fixed clock, no cursor blink, temporary data folder.

Update after an intended visual change with: scripts/test tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from tests.tui.helpers import create_dossier, open_first_dossier_and_start, submit, type_text


def test_interview_screen(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await create_dossier(pilot)
        await open_first_dossier_and_start(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "Mon poste va être supprimé.")
        await submit(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("f5")
        await type_text(pilot, "Hésite à en parler")
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(110, 40), run_before=run_before)


def _karim(data_dir) -> None:
    from bilan_tui.domain.engine import Engine
    from bilan_tui.flows import JinjaExpressions, load_catalog
    from tests.persona import CONFRONTATION, INTERETS_CARDS, PARCOURS, REALISATIONS, riasec_pages
    from tests.tui.helpers import prepare

    pages = riasec_pages(Engine(load_catalog().flows["interets"], JinjaExpressions()))
    prepare(data_dir, ("parcours", PARCOURS), ("realisations", REALISATIONS), ("interets", {**pages, **INTERETS_CARDS}),
            ("confrontation", CONFRONTATION))


def test_portfolio_screen(snap_compare, make_app, data_dir):
    _karim(data_dir)

    async def run_before(pilot) -> None:
        await pilot.press("enter", "p")
        await pilot.pause()
        await pilot.press(*["down"] * 7)  # Pédagogie, with its proof
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 42), run_before=run_before)


def test_riasec_chart(snap_compare, make_app, data_dir):
    _karim(data_dir)

    async def run_before(pilot) -> None:
        await pilot.press("enter", "p")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 42), run_before=run_before)


def test_synthesis_screen(snap_compare, make_app, data_dir, clock):
    from tests.tui.test_synthesis_screen import move_to, prepare_dossier

    prepare_dossier(data_dir, clock)  # Sophie's complete bilan

    async def run_before(pilot) -> None:
        await pilot.press("enter", "y")
        await pilot.pause()
        await move_to(pilot, "Aide-comptable (emploi")  # a passage, its sources below

    assert snap_compare(make_app(), terminal_size=(120, 42), run_before=run_before)
