from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository

FIXED_NOW = dt.datetime(2026, 11, 26, 9, 30)


class FakeClock:
    """A clock that moves only when told to: dates and times in tests are fixed."""

    def __init__(self, start: dt.datetime = FIXED_NOW) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


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
