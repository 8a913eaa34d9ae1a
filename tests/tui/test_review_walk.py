"""Review of issue 10: hostile administrative files opened in the TUI, every frame screen walked by keys."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable

from bilan_tui.domain.models import Beneficiary
from bilan_tui.storage import Repository
from tests.tui.helpers import type_text, visible_text


def _plan(day: str) -> dict[str, object]:
    return {"sessions": [{"id": "p1", "phase": "preliminaire", "start": f"{day}T09:00:00", "end": f"{day}T12:00:00"}]}


def _cases(low: str, high: str) -> dict[str, dict[str, object]]:
    """Administrative files whose dates sit at ``low`` or ``high`` (the first and last day of a year)."""
    return {
        "first_contact_low": {"first_contact": low},
        "first_contact_high": {"first_contact": high},
        "plan_high": {"plan": _plan(high)},
        "plan_low": {"plan": _plan(low)},
        "callback_high": {"information": {"screening": {"outcome": "en_reflexion", "decided_on": high,
                                                         "call_back_on": high}}},
        "agreement_high": {"agreement": {"funding": "personnel", "sent_on": high, "signed_on": high}},
        "cpf_high": {"agreement": {"funding": "cpf", "sent_on": high}},
        "agreement_low": {"agreement": {"funding": "employeur", "sent_on": low, "employer": {"name": "ACME"}}},
        "logged_high": {"hours": {"sessions": [{"id": "s1", "start": f"{high}T09:00:00", "end": f"{high}T12:00:00",
                                                 "phases": ["preliminaire"]}]}},
    }


CASES = _cases("1900-01-01", "2100-12-31")
OUT_OF_RANGE = _cases("0001-01-01", "9999-12-31")


def _hostile(repository: Repository, admin: dict[str, object]) -> str:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    path = repository.dossier_path(dossier.id)
    data = json.loads(path.read_text())
    data["administratif"] = {"1": {"file": admin}}
    path.write_text(json.dumps(data))
    return dossier.id


@pytest.mark.parametrize("case", sorted(CASES))
async def test_extreme_dates_in_the_administrative_file_do_not_crash_the_frame_screens(make_app, repository, case):
    _hostile(repository, CASES[case])
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DossierScreen"
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "FrameScreen"
        visited = []
        for screen_key, keys in (("i", "japdrm"), ("f", "mpcx"), ("l", "pdcalx"), ("h", "pc"), ("e", "svx")):
            await pilot.press(screen_key)
            await pilot.pause()
            visited.append(app.screen.__class__.__name__)
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                await pilot.press("ctrl+s")
                await pilot.pause()
                for _ in range(3):
                    if app.screen.__class__.__name__ in {"FrameScreen"}:
                        break
                    if app.screen.__class__.__name__.endswith("Screen") and app.screen.is_modal:
                        await pilot.press("escape")
                        await pilot.pause()
                    else:
                        break
            await pilot.press("escape")
            await pilot.pause()
        assert visited == ["InformationScreen", "FundingScreen", "PlanningScreen", "HoursScreen", "AttendanceScreen"]
        assert visible_text(pilot)


@pytest.mark.parametrize("case", sorted(OUT_OF_RANGE))
async def test_dates_no_form_accepts_are_refused_on_the_home_screen_with_a_french_message(make_app, repository,
                                                                                         case):
    """A year 9999 made the deadlines overflow (OverflowError) while the home screen listed the dossiers."""
    dossier_id = _hostile(repository, OUT_OF_RANGE[case])
    path = repository.dossier_path(dossier_id)
    before = path.read_bytes()
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        table = app.screen.query_one(DataTable)
        cell = str(table.get_row_at(0)[1])
        assert cell.startswith("⚠ Illisible : dossier administratif (table « administratif ») endommagée"), cell
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"  # refused, with the reason
    assert path.read_bytes() == before


async def test_a_redirection_and_the_closing_it_sets_are_written_together(make_app, data_dir, monkeypatch):
    """Before the review the outcome and the status were two writes: the second one failing (a kill, a
    full disk) left a dossier « réorienté » still open, where sessions could start. Now one write."""
    from bilan_tui.domain.models import DossierStatus
    from bilan_tui.domain.procedure.information import ScreeningOutcome
    from bilan_tui.storage import atomic
    from tests.tui.test_information import choose_outcome, open_information, prepare

    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await open_information(pilot)
        await pilot.press("a")
        await pilot.pause()
        await choose_outcome(pilot, ScreeningOutcome.VAE)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_text(pilot, "Dix ans de métier, une VAE suffit")
        await pilot.press("ctrl+s")
        await pilot.pause()
        real = atomic.atomic_write_bytes
        writes: list[str] = []

        def one_write_then_the_disk_fills(path, data, *args, **kwargs):  # type: ignore[no-untyped-def]
            if path.name == f"{dossier_id}.json":
                writes.append(path.name)
                if len(writes) > 1:
                    raise OSError(28, "No space left on device")
            return real(path, data, *args, **kwargs)

        monkeypatch.setattr(atomic, "atomic_write_bytes", one_write_then_the_disk_fills)
        await pilot.press("o")
        await pilot.pause()
        monkeypatch.setattr(atomic, "atomic_write_bytes", real)
    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        outcome = handle.admin().information.screening
        status = handle.dossier.status
    assert (outcome.outcome if outcome else None, status) == (ScreeningOutcome.VAE, DossierStatus.CLOSED)


HUGE = "\x1b[31mRouge\x07\x00" + "é" * 10_000 + "\u202e\r\nfin"


async def test_every_frame_dialog_takes_a_huge_hostile_text_without_a_crash(make_app, repository):
    """Each writing key of the frame's screens opens its dialog; its focused field gets 10 000 characters
    with escape sequences and control characters, then Ctrl+S: a refusal or a cleaned save, no traceback."""
    from textual.widgets import Input, TextArea

    dossier_id = _hostile(repository, CASES["agreement_high"] | {"first_contact": "2026-11-20"})
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        for screen_key, keys in (("i", "japdm"), ("f", "mpc"), ("l", "pal"), ("h", "pc"), ("e", "s")):
            await pilot.press(screen_key)
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                if app.screen.is_modal:
                    focused = app.focused
                    if isinstance(focused, Input):
                        focused.value = HUGE
                    elif isinstance(focused, TextArea):
                        focused.text = HUGE
                    await pilot.press("ctrl+s")
                    await pilot.pause()
                while app.screen.is_modal:
                    await pilot.press("escape")
                    await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
    with Repository(repository.root).open(dossier_id, read_only=True) as handle:
        stored = handle.admin().model_dump_json()
    assert "\x1b" not in stored and "\\u001b" not in stored and "\\u0000" not in stored and "\u202e" not in stored
