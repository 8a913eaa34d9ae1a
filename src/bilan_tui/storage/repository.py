"""The dossier repository: one TinyDB file per dossier and a small index rebuilt from them.

Layout of the data folder (0700; every file 0600)::

    index.json              summaries for the home screen; rebuilt whenever it is missing or stale
    dossiers/<id>.json      one bilan: tables "meta", "sessions", "interviews"
    dossiers/<id>.lock      held by the process that edits the dossier
    flows/                  optional flow files of the consultant's own

Saving an answer rewrites one dossier file, whatever the number of dossiers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from tinydb import Query, TinyDB

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import SCHEMA_VERSION, Beneficiary, Dossier, DossierStatus, Phase, Session
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.text import CleanLine
from bilan_tui.storage.atomic import AtomicJSONStorage, atomic_write_bytes, dump_json, read_json_file
from bilan_tui.storage.errors import (
    DataFolderError,
    DossierLockedError,
    DossierUnreadableError,
    ReadOnlyError,
)
from bilan_tui.storage.lock import DossierLock

FOLDER_MODE = 0o700
INDEX_VERSION = 1

# Migrations of the raw dossier content, from version N to N + 1.
def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """2 added the module plan, module runs and the portfolio, all with defaults: nothing to convert."""
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


class DossierSummary(BaseModel):
    """What the home screen shows of a dossier, kept in the index."""

    model_config = ConfigDict(frozen=True)

    id: str
    beneficiary: CleanLine
    consultant: CleanLine = ""
    phase: Phase
    status: DossierStatus
    created_at: dt.datetime
    last_session: dt.date | None = None


@dataclass(frozen=True)
class DossierEntry:
    """A dossier file as listed: its summary, or why it cannot be read."""

    id: str
    path: Path
    summary: DossierSummary | None = None
    error: str | None = None


def _ensure_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    except FileExistsError:
        raise DataFolderError(f"« {path} » existe mais n'est pas un dossier.") from None
    except NotADirectoryError:
        raise DataFolderError(f"Impossible de créer le dossier de données « {path} » : un fichier est sur le chemin.") from None
    except PermissionError:
        raise DataFolderError(f"Impossible de créer le dossier de données « {path} » : permission refusée.") from None
    except OSError as error:
        raise DataFolderError(f"Impossible de créer le dossier de données « {path} » : {error.strerror}.") from None
    if not path.is_dir():
        raise DataFolderError(f"« {path} » existe mais n'est pas un dossier.")
    try:
        os.chmod(path, FOLDER_MODE)
    except OSError:
        pass  # not ours to change (shared mount): the probe below tells whether we can write


def _probe_writable(folder: Path) -> None:
    probe = folder / f".probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        probe.unlink()
    except OSError as error:
        reason = "lecture seule" if error.errno in (13, 30) else (error.strerror or "erreur d'écriture")
        raise DataFolderError(
            f"Le dossier de données « {folder} » n'est pas accessible en écriture ({reason}). "
            "Choisissez-en un autre avec --data-dir ou BILAN_TUI_DATA_DIR."
        ) from None


class Repository:
    """All dossiers of one data folder."""

    def __init__(self, root: Path, *, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.root = Path(root).expanduser()
        self.clock = clock
        self.dossiers_dir = self.root / "dossiers"
        self.flows_dir = self.root / "flows"
        self.index_path = self.root / "index.json"
        _ensure_folder(self.root)
        _probe_writable(self.root)
        _ensure_folder(self.dossiers_dir)

    # -- index ---------------------------------------------------------------------------------

    def dossier_path(self, dossier_id: str) -> Path:
        return self.dossiers_dir / f"{dossier_id}.json"

    def _read_index(self) -> dict[str, Any]:
        try:
            data = read_json_file(self.index_path)
        except DossierUnreadableError:
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        entries = data.get("dossiers")
        return entries if isinstance(entries, dict) else {}

    def _write_index(self, entries: dict[str, Any]) -> None:
        atomic_write_bytes(self.index_path, dump_json({"version": INDEX_VERSION, "dossiers": entries}))

    @staticmethod
    def _stamp(path: Path) -> list[int]:
        stat = path.stat()
        return [stat.st_mtime_ns, stat.st_size]

    def list_dossiers(self) -> list[DossierEntry]:
        """Every dossier file, from the index where it is up to date, else read from the file."""
        index = self._read_index()
        fresh: dict[str, Any] = {}
        entries: list[DossierEntry] = []
        changed = False
        for path in sorted(self.dossiers_dir.glob("*.json")):
            dossier_id = path.stem
            cached = index.get(dossier_id)
            try:
                stamp = self._stamp(path)
            except OSError:
                continue
            if cached and cached.get("stamp") == stamp:
                fresh[dossier_id] = cached
                if "error" in cached:
                    entries.append(DossierEntry(dossier_id, path, error=cached["error"]))
                    continue
                try:
                    entries.append(DossierEntry(dossier_id, path, DossierSummary.model_validate(cached["summary"])))
                    continue
                except (ValidationError, KeyError):
                    pass
            changed = True
            try:
                summary = self._summarise(path)
            except DossierUnreadableError as error:
                fresh[dossier_id] = {"stamp": stamp, "error": str(error)}
                entries.append(DossierEntry(dossier_id, path, error=str(error)))
            else:
                fresh[dossier_id] = {"stamp": stamp, "summary": summary.model_dump(mode="json")}
                entries.append(DossierEntry(dossier_id, path, summary))
        if changed or set(fresh) != set(index):
            with contextlib.suppress(OSError):
                self._write_index(fresh)
        return sorted(entries, key=lambda e: (e.summary is None, e.summary.beneficiary.lower() if e.summary else e.id))

    def rebuild_index(self) -> list[DossierEntry]:
        """Forget the index and read every dossier file again."""
        with contextlib.suppress(FileNotFoundError):
            self.index_path.unlink()
        return self.list_dossiers()

    def _summarise(self, path: Path) -> DossierSummary:
        data = _load_raw(path)
        dossier = _dossier_from_raw(data)
        sessions = [Session.model_validate(doc) for doc in data.get("sessions", {}).values()]
        return _summary(dossier, sessions)

    def _refresh_index_entry(self, dossier: Dossier, sessions: list[Session]) -> None:
        index = self._read_index()
        path = self.dossier_path(dossier.id)
        index[dossier.id] = {"stamp": self._stamp(path), "summary": _summary(dossier, sessions).model_dump(mode="json")}
        with contextlib.suppress(OSError):
            self._write_index(index)

    # -- dossiers ------------------------------------------------------------------------------

    def create_dossier(self, beneficiary: Beneficiary, consultant: str = "") -> Dossier:
        dossier = Dossier(
            id=uuid.uuid4().hex[:12],
            beneficiary=beneficiary,
            consultant=consultant.strip(),
            created_at=self.clock(),
        )
        path = self.dossier_path(dossier.id)
        content = {"meta": {"1": {"schema_version": SCHEMA_VERSION, "dossier": dossier.model_dump(mode="json")}}}
        atomic_write_bytes(path, dump_json(content))
        self._refresh_index_entry(dossier, [])
        return dossier

    def open(self, dossier_id: str, *, read_only: bool = False) -> DossierHandle:
        """Open a dossier; raises :class:`DossierLockedError` if another process edits it.

        A damaged file raises :class:`DossierUnreadableError` and is left untouched.
        """
        path = self.dossier_path(dossier_id)
        if not path.exists():
            raise DossierUnreadableError("Ce dossier n'existe plus (fichier supprimé ou déplacé).")
        lock = None
        if not read_only:
            lock = DossierLock(self.dossiers_dir / f"{dossier_id}.lock")
            lock.acquire(self.clock())
        try:
            data = _load_raw(path)
            version = _schema_version(data)
            if version < SCHEMA_VERSION:
                data = _migrate(data, version)
                if not read_only:
                    atomic_write_bytes(path, dump_json(data))
            _dossier_from_raw(data)
            handle = DossierHandle(self, path, lock, read_only=read_only)
            handle.dossier  # noqa: B018 - validate now rather than on first use
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return handle

    def try_open(self, dossier_id: str) -> tuple[DossierHandle, str | None]:
        """Open for writing, or read-only with the reason when another process holds the lock."""
        try:
            return self.open(dossier_id), None
        except DossierLockedError as error:
            return self.open(dossier_id, read_only=True), str(error)


def _load_raw(path: Path) -> dict[str, Any]:
    data = read_json_file(path)
    if not isinstance(data, dict) or "meta" not in data:
        raise DossierUnreadableError("contenu inattendu (ce n'est pas un dossier bilan-tui)")
    return data


def _schema_version(data: dict[str, Any]) -> int:
    try:
        meta = next(iter(data["meta"].values()))
        version = int(meta["schema_version"])
    except (StopIteration, KeyError, TypeError, ValueError, AttributeError):
        raise DossierUnreadableError("version du format absente ou illisible") from None
    if version > SCHEMA_VERSION:
        raise DossierUnreadableError(
            f"créé par une version plus récente de bilan-tui (format {version}) : mettez l'application à jour"
        )
    return version


def _migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    meta_key = next(iter(data["meta"]))
    data["meta"][meta_key]["schema_version"] = SCHEMA_VERSION
    return data


def _dossier_from_raw(data: dict[str, Any]) -> Dossier:
    _schema_version(data)
    try:
        meta = next(iter(data["meta"].values()))
        return Dossier.model_validate(meta["dossier"])
    except (ValidationError, KeyError, StopIteration, TypeError, AttributeError):
        raise DossierUnreadableError("fiche du dossier incomplète ou endommagée") from None


def _summary(dossier: Dossier, sessions: list[Session]) -> DossierSummary:
    return DossierSummary(
        id=dossier.id,
        beneficiary=dossier.beneficiary.display_name,
        consultant=dossier.consultant,
        phase=dossier.phase,
        status=dossier.status,
        created_at=dossier.created_at,
        last_session=max((s.date for s in sessions), default=None),
    )


class DossierHandle:
    """One open dossier. Close it (or use it as a context manager) to release the lock."""

    def __init__(self, repository: Repository, path: Path, lock: DossierLock | None, *, read_only: bool) -> None:
        self.repository = repository
        self.path = path
        self.read_only = read_only
        self._lock = lock
        self._closed = False
        self._db = TinyDB(path, storage=AtomicJSONStorage, read_only=read_only)
        self._meta = self._db.table("meta", cache_size=0)
        self._sessions = self._db.table("sessions", cache_size=0)
        self._interviews = self._db.table("interviews", cache_size=0)
        self._portfolio = self._db.table("portfolio", cache_size=0)

    def __enter__(self) -> DossierHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file and the lock; closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        self._db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError("Ce dossier est ouvert en lecture seule : la modification n'a pas été enregistrée.")

    # -- dossier -------------------------------------------------------------------------------

    @property
    def dossier(self) -> Dossier:
        meta = self._meta.all()[0]
        return Dossier.model_validate(meta["dossier"])

    def save_dossier(self, dossier: Dossier) -> None:
        self._check_writable()
        self._meta.update({"dossier": dossier.model_dump(mode="json")}, doc_ids=[self._meta.all()[0].doc_id])
        self.repository._refresh_index_entry(dossier, self.sessions())

    # -- sessions ------------------------------------------------------------------------------

    def sessions(self) -> list[Session]:
        sessions = [Session.model_validate(doc) for doc in self._sessions.all()]
        return sorted(sessions, key=lambda s: (s.date, s.start_time))

    def session(self, session_id: str) -> Session:
        for session in self.sessions():
            if session.id == session_id:
                return session
        raise KeyError(session_id)

    def save_session(self, session: Session) -> None:
        self._check_writable()
        self._sessions.upsert(session.model_dump(mode="json"), Query().id == session.id)
        self.repository._refresh_index_entry(self.dossier, self.sessions())

    # -- interviews ----------------------------------------------------------------------------

    @staticmethod
    def _is(flow_id: str, instance: str) -> Any:
        entry = Query()
        # Interviews saved before module runs existed have no "instance": they are the module's only run.
        return (entry.flow_id == flow_id) & (
            (entry.instance == instance) if instance else (~entry.instance.exists() | (entry.instance == ""))
        )

    def interview(self, flow_id: str, instance: str = "") -> InterviewState | None:
        docs = self._interviews.search(self._is(flow_id, instance))
        return InterviewState.model_validate(docs[0]) if docs else None

    def interviews(self) -> Iterator[InterviewState]:
        for doc in self._interviews.all():
            yield InterviewState.model_validate(doc)

    def save_interview(self, state: InterviewState) -> None:
        """Save the whole interview of one module run in one atomic write (answers, stale marks, cursor)."""
        self._check_writable()
        self._interviews.upsert(state.model_dump(mode="json"), self._is(state.flow_id, state.instance))

    # -- portfolio -----------------------------------------------------------------------------

    def portfolio(self) -> Portfolio:
        docs = self._portfolio.all()
        return Portfolio.model_validate(docs[0]) if docs else Portfolio()

    def save_portfolio(self, portfolio: Portfolio) -> None:
        self._check_writable()
        docs = self._portfolio.all()
        if docs:
            self._portfolio.update(portfolio.model_dump(mode="json"), doc_ids=[docs[0].doc_id])
        else:
            self._portfolio.insert(portfolio.model_dump(mode="json"))
