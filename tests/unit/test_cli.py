"""The command line: options, and clear messages instead of tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bilan_tui.config import DATA_DIR_ENV, Settings


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bilan_tui", *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})},
    )


def test_help_documents_the_options():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "--data-dir" in result.stdout and "--version" in result.stdout and DATA_DIR_ENV in result.stdout


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("bilan-tui ")


def test_an_impossible_data_folder_gives_a_message_not_a_traceback(tmp_path: Path):
    (tmp_path / "fichier").write_text("x")
    result = run_cli("--data-dir", str(tmp_path / "fichier" / "donnees"))
    assert result.returncode == 2
    assert "bilan-tui : Impossible de créer le dossier de données" in result.stderr
    assert "Traceback" not in result.stderr


def test_data_folder_precedence(tmp_path: Path):
    assert Settings.resolve(str(tmp_path / "a"), {DATA_DIR_ENV: str(tmp_path / "b")}).data_dir == tmp_path / "a"
    assert Settings.resolve(None, {DATA_DIR_ENV: str(tmp_path / "b")}).data_dir == tmp_path / "b"
    assert Settings.resolve(None, {}).data_dir.name == "bilan-tui"


def test_rebuild_index_command(tmp_path: Path):
    from bilan_tui.domain.models import Beneficiary
    from bilan_tui.storage import Repository

    repository = Repository(tmp_path)
    repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
    repository.index_path.unlink()
    result = run_cli("rebuild-index", env={DATA_DIR_ENV: str(tmp_path)})
    assert result.returncode == 0
    assert "1 dossier lisible, 0 illisible." in result.stdout
    assert repository.index_path.exists()


def test_an_existing_data_folder_others_can_read_is_tightened_and_said_so(tmp_path: Path):
    import stat

    shared = tmp_path / "partage"
    shared.mkdir()
    os.chmod(shared, 0o755)
    result = run_cli("--data-dir", str(shared), "rebuild-index")
    assert result.returncode == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o700
    assert f"bilan-tui : Le dossier « {shared} » était accessible à d'autres utilisateurs (droits 0755)" in result.stderr
    assert "restreints à 0700" in result.stderr


def test_a_data_folder_named_by_the_variable_is_tightened_and_said_so(tmp_path: Path):
    import stat

    shared = tmp_path / "partage"
    shared.mkdir()
    os.chmod(shared, 0o750)
    result = run_cli("rebuild-index", env={DATA_DIR_ENV: str(shared)})
    assert result.returncode == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o700
    assert "(droits 0750) : ses droits ont été restreints à 0700" in result.stderr


def test_a_data_folder_created_for_us_needs_no_message(tmp_path: Path):
    import stat

    result = run_cli("--data-dir", str(tmp_path / "nouveau"), "rebuild-index")
    assert result.returncode == 0
    assert result.stderr == ""
    assert stat.S_IMODE((tmp_path / "nouveau").stat().st_mode) == 0o700
