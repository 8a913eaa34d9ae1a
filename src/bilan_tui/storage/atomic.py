"""Atomic, durable file writes, and a TinyDB storage built on them.

A crash at any instant leaves either the old file or the new one, never a truncated one:
write a temporary file in the same folder, flush, fsync, ``os.replace``, then fsync the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from bilan_tui.storage.errors import DossierUnreadableError, ReadOnlyError

FILE_MODE = 0o600


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably; the file is private (0600)."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_folder(folder)


def read_json_file(path: Path) -> Any:
    """Read a JSON file, turning damage into :class:`DossierUnreadableError` with a French reason."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DossierUnreadableError(f"fichier illisible ({error.strerror or error.__class__.__name__})") from None
    if not raw.strip():
        raise DossierUnreadableError("fichier vide (tronqué ?)")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = f" à la ligne {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        raise DossierUnreadableError(f"contenu endommagé{where} (JSON invalide)") from None


def dump_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes through :func:`atomic_write_bytes`.

    While a dossier is open for writing we hold its lock, so no one else changes the file:
    the content is kept in memory after the first read and every write goes to disk at once.
    """

    def __init__(self, path: Path, *, read_only: bool = False, create: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._cache: dict[str, Any] | None = None
        if create and not self.path.exists():
            atomic_write_bytes(self.path, dump_json({}))

    def read(self) -> dict[str, Any] | None:
        if self._cache is None:
            data = read_json_file(self.path)
            if not isinstance(data, dict):
                raise DossierUnreadableError("contenu inattendu (ce n'est pas un dossier bilan-tui)")
            self._cache = data
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        if self.read_only:
            self._cache = None
            raise ReadOnlyError("Ce dossier est ouvert en lecture seule : la modification n'a pas été enregistrée.")
        try:
            atomic_write_bytes(self.path, dump_json(data))
        except BaseException:
            self._cache = None  # memory may be ahead of the disk: read the disk again next time
            raise
        self._cache = data

    def close(self) -> None:
        self._cache = None
