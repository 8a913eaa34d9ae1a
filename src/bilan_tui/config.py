"""Settings of one run of the application, each with what it is for."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field

APP_NAME = "bilan-tui"
DATA_DIR_ENV = "BILAN_TUI_DATA_DIR"


def default_data_dir() -> Path:
    """The platform's user data folder (e.g. ``~/.local/share/bilan-tui`` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    data_dir: Path = Field(default_factory=default_data_dir)
    """Where dossiers live: ``--data-dir``, else ``BILAN_TUI_DATA_DIR``, else the platform default."""

    extra_flow_dirs: tuple[Path, ...] = ()
    """Folders of the consultant's own flow files, loaded after the built-in ones."""

    template_dir: Path | None = None
    """The consultant's own document templates (used when the folder exists)."""

    @classmethod
    def resolve(cls, data_dir: str | None, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        chosen = data_dir or env.get(DATA_DIR_ENV) or None
        root = Path(chosen).expanduser() if chosen else default_data_dir()
        return cls(data_dir=root, extra_flow_dirs=(root / "flows",), template_dir=root / "modeles")
