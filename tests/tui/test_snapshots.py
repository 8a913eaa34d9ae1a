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
