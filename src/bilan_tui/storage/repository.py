"""The dossier repository: one TinyDB file per dossier and a small index rebuilt from them.

Layout of the data folder (0700; every file 0600)::

    index.json              summaries for the home screen; rebuilt whenever it is missing or stale
    dossiers/<id>.json      one bilan: tables "meta", "sessions", "interviews", "portfolio", "synthesis"
    dossiers/<id>.lock      held by the process that edits the dossier (every writer holds it)
    dossiers/<id>.v1.bak    the file as it was before it was migrated to the current format
    flows/                  optional flow files of the consultant's own

Saving an answer rewrites one dossier file, whatever the number of dossiers. A dossier file is
checked whole (every table) before it is listed, opened or migrated; a damaged one is never written.
Leftovers of a writer killed mid-save (``.<id>.json.*.tmp``, a full copy of the dossier) are
removed when the dossier is opened or listed, once no live writer holds its lock; so are the lock,
temporary files and backups of a dossier whose file was removed.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import re
import stat
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from tinydb import Query, TinyDB

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import SCHEMA_VERSION, Beneficiary, Dossier, DossierStatus, Phase, Session
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.attendance import GENESIS
from bilan_tui.domain.procedure.frame import FrameStatus, frame_status
from bilan_tui.domain.sessions import CLOSED_SESSION, closed_session_writes
from bilan_tui.domain.synthesis.record import SynthesisRecord
from bilan_tui.domain.text import CleanLine, clean_text
from bilan_tui.storage.atomic import (
    AtomicJSONStorage,
    atomic_write_bytes,
    dump_json,
    parse_json,
    read_file_bytes,
    read_json_file,
    temporary_target,
)
from bilan_tui.storage.content import MIGRATIONS, AdminEntry, DossierContent, check_content
from bilan_tui.storage.errors import (
    DataFolderError,
    DossierLockedError,
    DossierUnreadableError,
    ReadOnlyError,
    StorageError,
)
from bilan_tui.storage.lock import DossierLock, while_free

__all__ = ["MIGRATIONS", "DossierEntry", "DossierHandle", "DossierSummary", "Repository"]

FOLDER_MODE = 0o700
INDEX_VERSION = 3  # 2: every table checked (summaries cached by version 1 may hide a damaged table); 3: the frame
STALE_INDEX_TEMPORARY = 60.0
"""Seconds after which a temporary file of the index is a leftover (the index is written in milliseconds)."""
_BACKUP = re.compile(r"(.+)\.v[0-9]+\.bak")


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
    frame: FrameStatus | None = None
    """Hours, planned sessions, deadlines, missing signatures (None: an index written before them)."""


@dataclass(frozen=True)
class DossierEntry:
    """A dossier file as listed: its summary, or why it cannot be read."""

    id: str
    path: Path
    summary: DossierSummary | None = None
    error: str | None = None


def _ensure_folder(path: Path) -> str | None:
    """Create ``path`` (0700) if needed; return a French notice if an existing one had to be tightened.

    A folder we create is private at once. One that exists and that others may read or enter is
    tightened to 0700 (it holds personal data), never silently: the notice says so, or says that
    it could not be done.
    """
    existed = path.is_dir()
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
    if not existed:
        with contextlib.suppress(OSError):
            os.chmod(path, FOLDER_MODE)  # ours: private whatever the umask
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    try:
        os.chmod(path, FOLDER_MODE)
    except OSError as error:
        return (
            f"Le dossier « {path} » est accessible à d'autres utilisateurs (droits {mode:04o}) et ses droits "
            f"n'ont pas pu être restreints ({error.strerror or 'refusé'}) : il contient des données personnelles, "
            "protégez-le."
        )
    return (
        f"Le dossier « {path} » était accessible à d'autres utilisateurs (droits {mode:04o}) : "
        "ses droits ont été restreints à 0700 (vous seul), car il contient des données personnelles."
    )


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
        self.notices: list[str] = []
        """French messages for the person about the data folder (rights tightened), to show at start."""
        for folder in (self.root, self.dossiers_dir):
            notice = _ensure_folder(folder)
            if notice:
                self.notices.append(notice)
            if folder == self.root:
                _probe_writable(self.root)

    # -- index ---------------------------------------------------------------------------------

    def dossier_path(self, dossier_id: str) -> Path:
        return self.dossiers_dir / f"{dossier_id}.json"

    def _read_index(self) -> dict[str, dict[str, Any]]:
        try:
            data = read_json_file(self.index_path)
        except DossierUnreadableError:
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        entries = data.get("dossiers")
        if not isinstance(entries, dict):
            return {}
        return {key: entry for key, entry in entries.items() if isinstance(entry, dict)}

    def _write_index(self, entries: dict[str, Any]) -> None:
        atomic_write_bytes(self.index_path, dump_json({"version": INDEX_VERSION, "dossiers": entries}))

    @staticmethod
    def _stamp(path: Path) -> list[int]:
        info = path.stat()
        return [info.st_mtime_ns, info.st_size]

    def list_dossiers(self) -> list[DossierEntry]:
        """Every dossier file, from the index where it is up to date, else read from the file.

        Leftovers (temporary files of a killed writer, files of a removed dossier) go first.
        """
        self._sweep_leftovers()
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
                if isinstance(cached.get("error"), str):
                    entries.append(DossierEntry(dossier_id, path, error=clean_text(cached["error"])))
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
            with contextlib.suppress(OSError, StorageError):
                self._write_index(fresh)
        return sorted(entries, key=lambda e: (e.summary is None, e.summary.beneficiary.lower() if e.summary else e.id))

    def rebuild_index(self) -> list[DossierEntry]:
        """Forget the index and read every dossier file again."""
        with contextlib.suppress(FileNotFoundError):
            self.index_path.unlink()
        return self.list_dossiers()

    def _summarise(self, path: Path) -> DossierSummary:
        content = _read_content(path, path.stem)
        return _summary(content.dossier, list(content.sessions), content.admin)

    def _refresh_index_entry(self, dossier: Dossier, sessions: list[Session],
                             admin: AdministrativeFile | None = None) -> None:
        index = self._read_index()
        path = self.dossier_path(dossier.id)
        with contextlib.suppress(OSError, StorageError):
            summary = _summary(dossier, sessions, admin or AdministrativeFile())
            index[dossier.id] = {"stamp": self._stamp(path), "summary": summary.model_dump(mode="json")}
            self._write_index(index)

    # -- leftovers -----------------------------------------------------------------------------

    def _lock_path(self, dossier_id: str) -> Path:
        return self.dossiers_dir / f"{dossier_id}.lock"

    def _dossier_files(self) -> dict[str, _DossierFiles]:
        """The files of the dossiers folder, by the dossier they belong to."""
        files: dict[str, _DossierFiles] = {}
        with os.scandir(self.dossiers_dir) as scan:
            for item in scan:
                target = temporary_target(item.name)
                owner = _owner(target or item.name)
                if owner is None:
                    continue
                group = files.setdefault(owner, _DossierFiles())
                path = Path(item.path)
                if target is not None:
                    group.temporaries.append(path)
                elif item.name.endswith(".json"):
                    group.has_file = True
                elif item.name.endswith(".lock"):
                    group.has_lock = True
                else:
                    group.backups.append(path)
        return files

    def _remove_temporaries(self, dossier_id: str) -> None:
        """Remove the temporary files of a dossier whose lock we hold: none of them is being written."""
        group = self._dossier_files().get(dossier_id)
        for path in group.temporaries if group else ():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _sweep_leftovers(self) -> None:
        """Remove what a killed writer or a removed dossier left behind, never what a live writer writes.

        A temporary file is a leftover once no process holds its dossier's lock (every writer holds
        it while it writes). The dossier file removed, its backups and lock file go too: removing
        ``dossiers/<id>.json`` removes the person's data.
        """
        try:
            files = self._dossier_files()
        except OSError:
            return
        for dossier_id, group in files.items():
            if group.has_file and not group.temporaries:
                continue
            lock_path = self._lock_path(dossier_id)

            def sweep(dossier_id: str = dossier_id, group: _DossierFiles = group, lock_path: Path = lock_path) -> None:
                removed = list(group.temporaries)
                gone = not self.dossier_path(dossier_id).exists()
                if gone:
                    removed += group.backups
                    removed.append(lock_path)  # we hold its lock, or there is none
                for path in removed:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()

            with contextlib.suppress(OSError):
                while_free(lock_path, sweep)
        self._sweep_index_temporaries()

    def _sweep_index_temporaries(self) -> None:
        """The index is written without a lock: its temporary files are leftovers once clearly old."""
        limit = time.time() - STALE_INDEX_TEMPORARY
        with contextlib.suppress(OSError), os.scandir(self.root) as scan:
            for item in scan:
                if temporary_target(item.name) == self.index_path.name:
                    with contextlib.suppress(OSError):
                        if item.stat(follow_symlinks=False).st_mtime < limit:
                            os.unlink(item.path)

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
        lock = DossierLock(self._lock_path(dossier.id))
        lock.acquire(self.clock())  # every writer holds the lock: its temporary file is then never swept
        try:
            atomic_write_bytes(path, dump_json(content))
        finally:
            lock.release()
        self._refresh_index_entry(dossier, [])
        return dossier

    def open(self, dossier_id: str, *, read_only: bool = False) -> DossierHandle:
        """Open a dossier; raises :class:`DossierLockedError` if another process edits it.

        Every table is checked first: a damaged file raises :class:`DossierUnreadableError` with the
        reason and is left untouched. A file in an older format is migrated in memory, then (not
        read-only) written in the current format, the former file kept beside it as
        ``<id>.v<N>.bak``. Read-only, nothing is written.
        """
        path = self.dossier_path(dossier_id)
        if not path.exists():
            raise DossierUnreadableError("Ce dossier n'existe plus (fichier supprimé ou déplacé).")
        lock = None
        if not read_only:
            lock = DossierLock(self._lock_path(dossier_id))
            lock.acquire(self.clock())
        try:
            if lock is not None:
                self._remove_temporaries(dossier_id)
            raw = read_file_bytes(path)
            content = check_content(parse_json(raw), dossier_id)
            if content.migrated and not read_only:
                self._write_migrated(path, raw, content)
            handle = DossierHandle(self, path, lock, read_only=read_only, content=content.data)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return handle

    def backup_path(self, dossier_id: str, version: int) -> Path:
        return self.dossiers_dir / f"{dossier_id}.v{version}.bak"

    def _write_migrated(self, path: Path, raw: bytes, content: DossierContent) -> None:
        """The former file kept beside (0600), then the migrated content in its place."""
        try:
            atomic_write_bytes(self.backup_path(path.stem, content.version), raw)
            atomic_write_bytes(path, dump_json(content.data))
        except OSError as error:
            reason = error.strerror or "erreur d'écriture"
            raise StorageError(
                f"Ce dossier n'a pas pu être converti au format actuel ({reason}) ; "
                "son fichier n'a pas été modifié."
            ) from None

    def try_open(self, dossier_id: str) -> tuple[DossierHandle, str | None]:
        """Open for writing, or read-only with the reason when another process holds the lock."""
        try:
            return self.open(dossier_id), None
        except DossierLockedError as error:
            return self.open(dossier_id, read_only=True), str(error)


def _read_content(path: Path, dossier_id: str) -> DossierContent:
    return check_content(parse_json(read_file_bytes(path)), dossier_id)


def _owner(name: str) -> str | None:
    """The dossier a file of the dossiers folder belongs to, from its name (``None``: not ours)."""
    for suffix in (".json", ".lock"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    backup = _BACKUP.fullmatch(name)
    return backup.group(1) if backup else None


@dataclass
class _DossierFiles:
    has_file: bool = False
    has_lock: bool = False
    temporaries: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)


def _summary(dossier: Dossier, sessions: list[Session], admin: AdministrativeFile) -> DossierSummary:
    return DossierSummary(
        id=dossier.id,
        beneficiary=dossier.beneficiary.display_name,
        consultant=dossier.consultant,
        phase=dossier.phase,
        status=dossier.status,
        created_at=dossier.created_at,
        last_session=max((s.date for s in sessions), default=None),
        frame=frame_status(dossier, sessions, admin),
    )


class DossierHandle:
    """One open dossier. Close it (or use it as a context manager) to release the lock."""

    def __init__(
        self,
        repository: Repository,
        path: Path,
        lock: DossierLock | None,
        *,
        read_only: bool,
        content: dict[str, Any] | None = None,
    ) -> None:
        """``content``: the file's content as checked by :meth:`Repository.open` (not read again)."""
        self.repository = repository
        self.path = path
        self.read_only = read_only
        self._lock = lock
        self._closed = False
        self._db = TinyDB(path, storage=AtomicJSONStorage, read_only=read_only, content=content)
        self._meta = self._db.table("meta", cache_size=0)
        self._sessions = self._db.table("sessions", cache_size=0)
        self._interviews = self._db.table("interviews", cache_size=0)
        self._portfolio = self._db.table("portfolio", cache_size=0)
        self._synthesis = self._db.table("synthesis", cache_size=0)
        self._admin = self._db.table("administratif", cache_size=0)

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
        self.repository._refresh_index_entry(dossier, self.sessions(), self.admin())

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
        self.repository._refresh_index_entry(self.dossier, self.sessions(), self.admin())

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
        """Save the whole interview of one module run in one atomic write (answers, stale marks, cursor).

        Refused (:class:`StorageError`) if it would store anything under a closed session.
        """
        self._check_writable()
        closed = [s for s in self.sessions() if not s.is_open]
        if closed and any(r.session_id in {s.id for s in closed} for r in state.answers.values()):
            if closed_session_writes(self.interview(state.flow_id, state.instance), state, closed):
                raise StorageError(CLOSED_SESSION)
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

    # -- synthesis -----------------------------------------------------------------------------

    def synthesis(self) -> SynthesisRecord:
        """The rewrites, frozen versions and consents of the synthesis (empty before the first save).

        The consents are kept in the administrative file (they stay when the working file goes); the
        record carries them, as its rules need them.
        """
        docs = self._synthesis.all()
        record = SynthesisRecord.model_validate(docs[0]) if docs else SynthesisRecord()
        consents = self.admin().consents
        return record.model_copy(update={"consents": consents}) if consents else record

    def save_synthesis(self, record: SynthesisRecord) -> None:
        """Save the whole record in one atomic write.

        Refused (:class:`StorageError`) when it would drop or change a frozen version, or erase or
        alter a recorded consent (one is withdrawn, never erased): both are kept as they were made.
        """
        self._check_writable()
        _check_kept(self.synthesis(), record)
        # One write for both tables: the record in « synthesis », its consents in « administratif ».
        data = self._db.storage.read() or {}
        synthesis = data.setdefault("synthesis", {})
        key = next(iter(synthesis), "1")
        synthesis.clear()
        synthesis[key] = record.model_copy(update={"consents": ()}).model_dump(mode="json")
        entry = self._admin_entry()
        entry = entry.model_copy(update={"file": entry.file.model_copy(update={"consents": record.consents})})
        admin = data.setdefault("administratif", {})
        admin_key = next(iter(admin), "1")
        admin.clear()
        admin[admin_key] = entry.model_dump(mode="json")
        self._db.storage.write(data)


    # -- administrative file -------------------------------------------------------------------

    def _admin_entry(self) -> AdminEntry:
        docs = self._admin.all()
        return AdminEntry.model_validate(docs[0]) if docs else AdminEntry()

    def admin(self) -> AdministrativeFile:
        """The administrative file: information préalable, funding, convention, hours, planning,
        attendance (empty before the first save). It never holds the bilan's content."""
        return self._admin_entry().file

    def attendance_head(self) -> str:
        """The hash of the last attendance record as written with it (give it to ``attendance.verify``)."""
        return self._admin_entry().attendance_head

    def save_admin(self, admin: AdministrativeFile, dossier: Dossier | None = None) -> None:
        """Save the whole administrative file in one atomic write, and refresh the home screen's line.

        ``dossier``: the dossier's record changed with it (the screening and the status it sets), written
        in the same atomic write, so that a kill cannot keep one without the other.

        Refused (:class:`StorageError`) when it would change or drop a signed attendance record:
        records are only ever added at the end of the chain.
        """
        self._check_writable()
        current = self.admin()
        stored = current.attendance
        if admin.attendance[: len(stored)] != stored:
            raise StorageError("Un émargement signé ne peut être ni modifié ni supprimé ; rien n'a été enregistré.")
        # The consents change through the synthesis record only (save_synthesis): kept as stored, whatever
        # copy of the file a screen saves.
        admin = admin.model_copy(update={"consents": current.consents})
        entry = AdminEntry(file=admin, attendance_head=admin.attendance[-1].hash if admin.attendance else GENESIS)
        if dossier is None:
            docs = self._admin.all()
            if docs:
                self._admin.update(entry.model_dump(mode="json"), doc_ids=[docs[0].doc_id])
            else:
                self._admin.insert(entry.model_dump(mode="json"))
        else:
            storage = self._db.storage
            data = copy.deepcopy(storage.read() or {})
            meta = data["meta"]
            meta[next(iter(meta))]["dossier"] = dossier.model_dump(mode="json")
            table = data.setdefault("administratif", {})
            table[next(iter(table), "1")] = entry.model_dump(mode="json")
            storage.write(data)
        self.repository._refresh_index_entry(dossier or self.dossier, self.sessions(), admin)


def _check_kept(stored: SynthesisRecord, record: SynthesisRecord) -> None:
    """What a new record must keep of the stored one: every frozen version, every consent as recorded."""
    for frozen in stored.versions:
        if frozen.number > len(record.versions):
            raise StorageError(f"La version {frozen.number} de la synthèse, validée le "
                               f"{frozen.frozen_at.strftime('%d/%m/%Y')}, ne peut pas être supprimée : "
                               "rien n'a été enregistré.")
        if record.versions[frozen.number - 1] != frozen:
            raise StorageError(f"La version {frozen.number} de la synthèse est figée depuis sa validation du "
                               f"{frozen.frozen_at.strftime('%d/%m/%Y')} : elle ne peut pas être modifiée "
                               "(une nouvelle validation crée la version suivante). Rien n'a été enregistré.")
    kept = {c.id: c for c in record.consents}
    for consent in stored.consents:
        new = kept.get(consent.id)
        if new is None:
            raise StorageError(f"Le consentement n° {consent.id} ({consent.recipient}) ne peut pas être effacé : "
                               "retirez-le plutôt. Rien n'a été enregistré.")
        if new != consent and (consent.withdrawn_at is not None
                               or new != consent.model_copy(update={"withdrawn_at": new.withdrawn_at})):
            raise StorageError(f"Le consentement n° {consent.id} ({consent.recipient}) ne peut pas être modifié, "
                               "seulement retiré. Rien n'a été enregistré.")
