"""Storage: atomic writes under failure and kills, the lock, permissions, the index."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import SCHEMA_VERSION, Beneficiary
from bilan_tui.storage import (
    DataFolderError,
    DossierLockedError,
    DossierUnreadableError,
    ReadOnlyError,
    Repository,
    atomic_write_bytes,
)
from bilan_tui.storage import atomic as atomic_module


def make(repository: Repository, first: str = "Léa", last: str = "Martin"):
    return repository.create_dossier(Beneficiary(first_name=first, last_name=last), "Paul")


# -- atomic writes -----------------------------------------------------------------------------

FAIL_POINTS = ["write", "fsync", "chmod", "replace"]


@pytest.mark.parametrize("point", FAIL_POINTS)
def test_a_write_failing_at_any_step_leaves_the_old_content(tmp_path: Path, monkeypatch, point):
    target = tmp_path / "dossier.json"
    atomic_write_bytes(target, b'{"version": "ancienne"}')

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if point == "write":
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, fd, mode):
                self.handle = real_fdopen(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(atomic_module.os, "fdopen", Failing)
    else:
        monkeypatch.setattr(atomic_module.os, point, boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b'{"version": "nouvelle", "long": "' + b"x" * 10_000 + b'"}')
    monkeypatch.undo()
    assert json.loads(target.read_bytes()) == {"version": "ancienne"}
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.json"]  # no temporary file left


def test_the_tinydb_storage_is_atomic_too(repository: Repository, monkeypatch):
    dossier = make(repository)
    with repository.open(dossier.id) as handle:
        handle.save_interview(InterviewState(flow_id="f", cursor="a"))
        before = repository.dossier_path(dossier.id).read_bytes()
        monkeypatch.setattr(atomic_module.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(5, "I/O")))
        with pytest.raises(OSError):
            handle.save_interview(InterviewState(flow_id="f", cursor="b"))
        monkeypatch.undo()
        assert repository.dossier_path(dossier.id).read_bytes() == before
        assert handle.interview("f").cursor == "a"  # memory follows the disk after a failure


# -- lock --------------------------------------------------------------------------------------


def test_a_second_writer_is_refused_with_a_french_message(repository: Repository):
    dossier = make(repository)
    with repository.open(dossier.id):
        with pytest.raises(DossierLockedError, match="déjà ouvert dans une autre fenêtre"):
            repository.open(dossier.id)
        handle, reason = repository.try_open(dossier.id)
        assert handle.read_only and "lecture seule" in reason
        assert handle.dossier.beneficiary.first_name == "Léa"
        with pytest.raises(ReadOnlyError):
            handle.save_interview(InterviewState(flow_id="f"))
        handle.close()
    with repository.open(dossier.id):  # released on close
        pass


def test_the_lock_is_held_across_processes_and_released_when_the_holder_dies(repository: Repository):
    dossier = make(repository)
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from bilan_tui.storage import Repository
        handle = Repository(Path({str(repository.root)!r})).open({dossier.id!r})
        print("ouvert", flush=True)
        time.sleep(60)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline().strip() == b"ouvert"
        with pytest.raises(DossierLockedError, match=f"processus {child.pid}"):
            repository.open(dossier.id)
    finally:
        child.kill()
        child.wait()
    with repository.open(dossier.id):
        pass


# -- permissions, schema, damage ---------------------------------------------------------------


def test_folders_are_0700_and_files_0600(repository: Repository):
    dossier = make(repository)
    with repository.open(dossier.id) as handle:
        handle.save_interview(InterviewState(flow_id="f"))
    assert stat.S_IMODE(repository.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(repository.dossiers_dir.stat().st_mode) == 0o700
    for path in [repository.index_path, *repository.dossiers_dir.iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_every_dossier_carries_a_schema_version(repository: Repository):
    dossier = make(repository)
    data = json.loads(repository.dossier_path(dossier.id).read_text())
    assert next(iter(data["meta"].values()))["schema_version"] == SCHEMA_VERSION


def test_a_dossier_from_a_newer_version_is_refused_and_untouched(repository: Repository):
    dossier = make(repository)
    path = repository.dossier_path(dossier.id)
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema_version"] = 99
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(DossierUnreadableError, match="version plus récente"):
        repository.open(dossier.id)
    [entry] = repository.list_dossiers()
    assert "version plus récente" in entry.error
    assert path.read_bytes() == before


@pytest.mark.parametrize("damage", [b"", b'{"meta": {"1": {"schema', b"\x00\x01\x02", b"[]"])
def test_a_damaged_dossier_is_listed_as_unreadable_and_never_written(repository: Repository, damage):
    good = make(repository, "Ana", "Lopez")
    bad = make(repository)
    path = repository.dossier_path(bad.id)
    path.write_bytes(damage)
    entries = {e.id: e for e in repository.list_dossiers()}
    assert entries[good.id].summary.beneficiary == "Ana Lopez"
    assert entries[bad.id].summary is None and entries[bad.id].error
    with pytest.raises(DossierUnreadableError):
        repository.open(bad.id)
    assert path.read_bytes() == damage


# -- index -------------------------------------------------------------------------------------


def test_the_index_is_rebuilt_from_the_dossier_files(repository: Repository):
    ids = {make(repository, f"P{i}", "Nom").id for i in range(3)}
    repository.index_path.unlink()
    assert {e.id for e in repository.list_dossiers()} == ids
    assert repository.index_path.exists()
    repository.index_path.write_text("n'importe quoi")
    assert {e.summary.beneficiary for e in repository.rebuild_index()} == {"P0 Nom", "P1 Nom", "P2 Nom"}


def test_the_index_follows_a_changed_dossier_file(repository: Repository):
    from bilan_tui.domain.models import Phase

    dossier = make(repository)
    with repository.open(dossier.id) as handle:
        handle.save_dossier(handle.dossier.model_copy(update={"phase": Phase.INVESTIGATION}))
    [entry] = repository.list_dossiers()
    assert entry.summary.phase is Phase.INVESTIGATION


# -- the data folder ---------------------------------------------------------------------------


def test_a_missing_data_folder_is_created(tmp_path: Path):
    Repository(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b" / "dossiers").is_dir()


def test_a_data_folder_that_cannot_be_created_gets_a_french_message(tmp_path: Path):
    (tmp_path / "fichier").write_text("x")
    with pytest.raises(DataFolderError, match="Impossible de créer le dossier de données"):
        Repository(tmp_path / "fichier" / "donnees")


def test_a_read_only_data_folder_gets_a_french_message(tmp_path: Path, monkeypatch):
    from bilan_tui.storage import repository as repository_module

    real_open = os.open

    def read_only_open(path, flags, *args):
        if str(path).endswith(f".probe-{os.getpid()}"):
            raise OSError(30, "Read-only file system")
        return real_open(path, flags, *args)

    monkeypatch.setattr(repository_module.os, "open", read_only_open)
    with pytest.raises(DataFolderError, match="n'est pas accessible en écriture \\(lecture seule\\)"):
        Repository(tmp_path / "donnees")


# -- format 2: module runs and the portfolio ------------------------------------------------------


def test_a_format_1_dossier_opens_upgraded_with_its_interviews(repository: Repository):
    dossier = make(repository)
    path = repository.dossier_path(dossier.id)
    with repository.open(dossier.id) as handle:
        handle.save_interview(InterviewState(flow_id="analyse_demande"))
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema_version"] = 1
    for doc in data["interviews"].values():
        del doc["instance"]  # as written by format 1
    path.write_text(json.dumps(data))
    with repository.open(dossier.id) as handle:
        assert handle.interview("analyse_demande") == InterviewState(flow_id="analyse_demande")
        assert handle.dossier.modules == ()
        assert handle.portfolio().items == ()
    assert json.loads(path.read_text())["meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_each_run_of_a_repeatable_module_is_stored_apart(repository: Repository):
    dossier = make(repository)
    with repository.open(dossier.id) as handle:
        handle.save_interview(InterviewState(flow_id="confrontation", instance="a1", cursor="x"))
        handle.save_interview(InterviewState(flow_id="confrontation", instance="b2", cursor="y"))
        handle.save_interview(InterviewState(flow_id="confrontation", instance="a1", cursor="z"))
    with repository.open(dossier.id) as handle:
        assert handle.interview("confrontation", "a1").cursor == "z"
        assert handle.interview("confrontation", "b2").cursor == "y"
        assert handle.interview("confrontation") is None
        assert len(list(handle.interviews())) == 2


def test_the_portfolio_and_the_module_plan_survive_a_reopen(repository: Repository):
    import datetime as dt

    from bilan_tui.domain.models import ItemKind, Phase, PlannedModule
    from bilan_tui.domain.portfolio import Portfolio

    dossier = make(repository)
    portfolio, item = Portfolio().add(ItemKind.COMPETENCE, "Soudure", now=dt.datetime(2026, 11, 26, 9), level=2)
    with repository.open(dossier.id) as handle:
        handle.save_portfolio(portfolio)
        handle.save_dossier(handle.dossier.model_copy(update={
            "modules": (PlannedModule(flow_id="parcours", phase=Phase.INVESTIGATION),)}))
    with repository.open(dossier.id) as handle:
        assert handle.portfolio() == portfolio
        assert handle.dossier.planned("parcours").phase is Phase.INVESTIGATION
    with repository.open(dossier.id, read_only=True) as handle:
        with pytest.raises(ReadOnlyError):
            handle.save_portfolio(Portfolio())


# -- leftovers: temporary files of a killed writer, files of a removed dossier --------------------


def leftover(repository: Repository, dossier_id: str, name: str = "k3j9_x2q") -> Path:
    """A temporary file as a writer killed mid-save leaves it: a full copy of the dossier."""
    path = repository.dossiers_dir / f".{dossier_id}.json.{name}.tmp"
    path.write_bytes(repository.dossier_path(dossier_id).read_bytes())
    return path


def test_a_killed_writers_temporary_file_is_removed_when_the_dossier_is_opened(repository: Repository):
    dossier = make(repository)
    stale = leftover(repository, dossier.id)
    with repository.open(dossier.id):
        assert not stale.exists()


def test_a_killed_writers_temporary_file_is_removed_when_dossiers_are_listed(repository: Repository):
    dossier = make(repository)
    stale = [leftover(repository, dossier.id, name) for name in ("aaaaaaaa", "bbbbbbbb")]
    backup_tmp = repository.dossiers_dir / f".{dossier.id}.v1.bak.cccccccc.tmp"
    backup_tmp.write_bytes(b"{}")
    [entry] = repository.list_dossiers()
    assert entry.summary.beneficiary == "Léa Martin"
    assert not any(path.exists() for path in [*stale, backup_tmp])


def test_the_temporary_file_of_a_live_writer_is_left_alone(repository: Repository):
    dossier = make(repository)
    with repository.open(dossier.id):  # a writer holds the lock: its temporary file may be in use
        in_use = leftover(repository, dossier.id)
        other = Repository(repository.root)
        other.list_dossiers()
        other.open(dossier.id, read_only=True).close()
        assert in_use.exists()
    repository.list_dossiers()
    assert not in_use.exists()


def test_the_temporary_file_of_a_writer_in_another_process_is_left_alone(repository: Repository):
    dossier = make(repository)
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from bilan_tui.storage import Repository
        handle = Repository(Path({str(repository.root)!r})).open({dossier.id!r})
        print("ouvert", flush=True)
        sys.stdin.readline()
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline().strip() == b"ouvert"
        in_use = leftover(repository, dossier.id)
        repository.list_dossiers()
        assert in_use.exists()
    finally:
        child.kill()
        child.wait()
    repository.list_dossiers()  # its writer is dead: a leftover now
    assert not in_use.exists()


def test_a_removed_dossier_leaves_nothing_of_the_person_behind(repository: Repository):
    kept = make(repository, "Ana", "Lopez")
    removed = make(repository)
    with repository.open(removed.id):
        pass
    leftover(repository, removed.id)
    (repository.dossiers_dir / f"{removed.id}.v1.bak").write_bytes(repository.dossier_path(removed.id).read_bytes())
    repository.dossier_path(removed.id).unlink()  # how a consultant destroys a beneficiary's data
    [entry] = repository.list_dossiers()
    assert entry.id == kept.id
    assert sorted(p.name for p in repository.dossiers_dir.iterdir()) == [f"{kept.id}.json"]
    assert removed.id not in repository.index_path.read_text()


def test_a_removed_dossier_still_open_elsewhere_keeps_its_lock(repository: Repository):
    dossier = make(repository)
    with repository.open(dossier.id):
        in_use = leftover(repository, dossier.id)  # what its writer is writing now
        repository.dossier_path(dossier.id).unlink()
        assert Repository(repository.root).list_dossiers() == []
        assert in_use.exists() and (repository.dossiers_dir / f"{dossier.id}.lock").exists()
    repository.list_dossiers()
    assert list(repository.dossiers_dir.iterdir()) == []


def test_a_leftover_lock_file_is_removed_only_by_whoever_holds_it(repository: Repository):
    """A later writer then locks a new file."""
    from bilan_tui.storage.lock import DossierLock, while_free

    dossier = make(repository)
    lock_path = repository.dossiers_dir / f"{dossier.id}.lock"
    crashed = DossierLock(lock_path)
    crashed.acquire(repository.clock())
    assert crashed._fd is not None
    os.close(crashed._fd)  # a writer killed: the system released its lock, its lock file stayed
    crashed._fd = None
    assert lock_path.exists()
    assert while_free(lock_path, lambda: lock_path.unlink())
    assert not lock_path.exists()
    with repository.open(dossier.id):
        assert lock_path.exists()
        with pytest.raises(DossierLockedError):
            repository.open(dossier.id)
        assert not while_free(lock_path, lambda: pytest.fail("the lock is held"))


def test_a_lock_file_removed_between_opening_and_locking_it_is_not_trusted(repository: Repository, monkeypatch):
    """Else the late writer would hold a removed file while the next one locks the new file: two writers."""
    import fcntl

    from bilan_tui.storage.lock import DossierLock

    path = repository.dossiers_dir / "x.lock"
    path.write_text("")
    real_flock = fcntl.flock
    removed = []

    def flock(fd, operation):
        if not removed:  # a sweeper removes the leftover lock file just before we lock it
            removed.append(path)
            path.unlink()
        return real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    late = DossierLock(path)
    late.acquire(repository.clock())
    monkeypatch.undo()
    assert removed and path.exists()
    with pytest.raises(DossierLockedError):
        DossierLock(path).acquire(repository.clock())
    late.release()


def test_every_writer_holds_the_lock_while_it_writes(repository: Repository, monkeypatch):
    """So that a temporary file seen while its dossier's lock is free is always a leftover."""
    from bilan_tui.storage import repository as repository_module
    from bilan_tui.storage.lock import while_free

    real_write = repository_module.atomic_write_bytes
    writes: list[str] = []

    def checked_write(path: Path, data: bytes) -> None:
        if path.parent == repository.dossiers_dir:
            dossier_id = path.name.split(".")[0]
            assert not while_free(repository.dossiers_dir / f"{dossier_id}.lock", lambda: None), path.name
            writes.append(path.name)
        real_write(path, data)

    monkeypatch.setattr(repository_module, "atomic_write_bytes", checked_write)
    dossier = make(repository)
    path = repository.dossier_path(dossier.id)
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema_version"] = 1
    path.write_text(json.dumps(data))
    with repository.open(dossier.id):  # migrated: a backup, then the file
        pass
    assert writes == [f"{dossier.id}.json", f"{dossier.id}.v1.bak", f"{dossier.id}.json"]


def test_an_old_temporary_file_of_the_index_is_removed_a_recent_one_kept(repository: Repository):
    make(repository)
    old = repository.root / ".index.json.aaaaaaaa.tmp"
    recent = repository.root / ".index.json.bbbbbbbb.tmp"
    for path in (old, recent):
        path.write_text(repository.index_path.read_text())
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    repository.list_dossiers()
    assert not old.exists() and recent.exists()


# -- the rights of an existing data folder ----------------------------------------------------------


def test_a_data_folder_we_create_is_private_without_a_message(tmp_path: Path):
    repository = Repository(tmp_path / "nouveau")
    assert stat.S_IMODE(repository.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(repository.dossiers_dir.stat().st_mode) == 0o700
    assert repository.notices == []


def test_a_private_data_folder_is_left_as_it_is_without_a_message(tmp_path: Path):
    (tmp_path / "prive").mkdir(mode=0o700)
    assert Repository(tmp_path / "prive").notices == []


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o701, 0o777])
def test_an_existing_data_folder_others_can_read_is_tightened_with_a_message(tmp_path: Path, mode: int):
    root = tmp_path / "partage"
    root.mkdir()
    os.chmod(root, mode)
    repository = Repository(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    [notice] = repository.notices
    assert f"« {root} » était accessible à d'autres utilisateurs (droits {mode:04o})" in notice
    assert "restreints à 0700" in notice


def test_an_existing_dossiers_folder_others_can_read_is_tightened_with_a_message(repository: Repository):
    os.chmod(repository.dossiers_dir, 0o755)
    again = Repository(repository.root)
    assert stat.S_IMODE(repository.dossiers_dir.stat().st_mode) == 0o700
    [notice] = again.notices
    assert f"« {repository.dossiers_dir} » était accessible" in notice


def test_a_data_folder_that_cannot_be_tightened_says_so(tmp_path: Path, monkeypatch):
    from bilan_tui.storage import repository as repository_module

    root = tmp_path / "partage"
    root.mkdir()
    os.chmod(root, 0o755)

    def refused(path, mode):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(repository_module.os, "chmod", refused)
    repository = Repository(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o755
    assert "n'ont pas pu être restreints (Operation not permitted)" in repository.notices[0]


def test_a_dossier_closed_cleanly_leaves_no_lock_file(repository: Repository):
    dossier = make(repository)
    lock_path = repository.dossiers_dir / f"{dossier.id}.lock"
    assert not lock_path.exists()  # created: its writer is done
    handle = repository.open(dossier.id)
    assert lock_path.exists()
    handle.close()
    assert not lock_path.exists()
    with repository.open(dossier.id):  # and it opens again for writing
        pass
    assert sorted(p.name for p in repository.dossiers_dir.iterdir()) == [f"{dossier.id}.json"]


def test_a_lock_file_that_is_no_longer_ours_is_left_alone(repository: Repository):
    """Removed and recreated by another writer meanwhile: it is theirs, not removed on our release."""
    from bilan_tui.storage.lock import DossierLock

    path = repository.dossiers_dir / "x.lock"
    ours = DossierLock(path)
    ours.acquire(repository.clock())
    path.unlink()
    theirs = DossierLock(path)
    theirs.acquire(repository.clock())
    ours.release()
    assert path.exists()
    with pytest.raises(DossierLockedError):
        DossierLock(path).acquire(repository.clock())
    theirs.release()
    assert not path.exists()
