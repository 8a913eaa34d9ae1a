from __future__ import annotations

import datetime as dt
import inspect
import os
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest
import textual._wait
import textual.screen

from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.flows import loader as loader_module
from bilan_tui.storage import Repository

THOROUGH = os.environ.get("BILAN_TUI_THOROUGH", "") not in ("", "0")
"""``BILAN_TUI_THOROUGH=1``: the random walks and the kill test run their long versions (slower)."""

FIXED_NOW = dt.datetime(2026, 11, 26, 9, 30)


class FakeClock:
    """A clock that moves only when told to: dates and times in tests are fixed."""

    def __init__(self, start: dt.datetime = FIXED_NOW) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(scope="session", autouse=True)
def built_in_flows_parsed_once() -> Iterator[None]:
    """Each built-in flow file is parsed and checked once per session, not at every app built.

    ``load_catalog`` reads the built-in files each time (about half a second): the apps of the TUI
    tests and their prepared dossiers all load the same texts. A built-in text is parsed by the real
    loader the first time; later the same file with the same text gives back the same (immutable,
    frozen) flow. Any other text (the extra and hostile flows of the tests) is parsed every time, and
    so is everything while a test has replaced something in the loader (a broken checker...).
    """
    original = loader_module.load_flow_text
    built_in = {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in resources.files(loader_module.BUILTIN_PACKAGE).iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    }
    untouched = dict(vars(loader_module))
    parsed: dict[str, object] = {}

    def load_flow_text(text: str, source: str):  # type: ignore[no-untyped-def]
        if built_in.get(source) != text or any(
            vars(loader_module).get(name) is not value
            for name, value in untouched.items() if name != "load_flow_text"
        ):
            return original(text, source)
        if source not in parsed:
            parsed[source] = original(text, source)
        return parsed[source]

    loader_module.load_flow_text = load_flow_text
    yield
    loader_module.load_flow_text = original


@pytest.fixture(scope="session", autouse=True)
def pilot_keys_without_long_naps() -> Iterator[None]:
    """Shorter naps for Pilot, and a screen refreshed as soon as it may: the same waits, scaled down.

    After every key, Pilot waits twice for the app to be idle, by naps of 20 ms (Textual's default)
    until a nap passes without the process working; a changed screen is refreshed by a timer 1/60 s
    after it was changed (then the ``call_after_refresh`` callbacks run, e.g. moving the focus). A
    key typed costs more than 40 ms asleep that way, and the TUI tests type thousands of keys. Here
    a nap lasts 5 ms and the refresh comes 4 ms after a change: still shorter than a nap, as 1/60 s
    is shorter than 20 ms, so a key still waits for the refresh it caused, and the idle test keeps
    its ratio (less than a twentieth of the nap spent working). The real synchronisation of a key,
    the message queues (``Pilot._wait_for_screen``), is unchanged.
    """
    granularity, idle, period = textual._wait.SLEEP_GRANULARITY, textual._wait.SLEEP_IDLE, textual.screen.UPDATE_PERIOD
    textual._wait.SLEEP_GRANULARITY = 1 / 200
    textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20
    textual.screen.UPDATE_PERIOD = 1 / 250  # type: ignore[misc]
    yield
    textual._wait.SLEEP_GRANULARITY, textual._wait.SLEEP_IDLE = granularity, idle
    textual.screen.UPDATE_PERIOD = period  # type: ignore[misc]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "donnees"


@pytest.fixture
def repository(data_dir: Path, clock: FakeClock) -> Repository:
    return Repository(data_dir, clock=clock)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def expressions() -> JinjaExpressions:
    return JinjaExpressions()


@pytest.fixture
def make_app(data_dir: Path, clock: FakeClock) -> Callable[..., object]:
    """Build the app as the cli does, on the test's data folder, with a fixed clock and no blink."""
    from bilan_tui.tui.app import BilanApp

    def build(extra_flow_dirs: tuple[Path, ...] = ()) -> BilanApp:
        return BilanApp(
            repository=Repository(data_dir, clock=clock),
            catalog=load_catalog(extra_flow_dirs),
            clock=clock,
            cursor_blink=False,
        )

    return build


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    """The snapshot of a screen is taken once its passing messages (toasts) are gone.

    A toast stays 5 seconds of wall-clock time: whether it was still on the screen at the
    screenshot depended on the speed of the machine (the stored snapshots were taken after it had
    gone). It is cleared after ``run_before``, so a snapshot shows the screen itself, on any machine.
    """

    def compare(app: object, *args: object, run_before: Callable[..., object] | None = None,
                **kwargs: object) -> bool:
        async def settled(pilot) -> None:  # type: ignore[no-untyped-def]
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            await pilot.pause()
            pilot.app.clear_notifications()
            await pilot.pause()

        return snap_compare(app, *args, run_before=settled, **kwargs)

    return compare
