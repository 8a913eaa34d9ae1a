"""Atomic, durable file writes, and a TinyDB storage built on them.

A crash at any instant leaves either the old file or the new one, never a truncated one:
write a temporary file in the same folder, flush, fsync, ``os.replace``, then fsync the folder.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from bilan_tui.storage.errors import DossierUnreadableError, ReadOnlyError, StorageError

FILE_MODE = 0o600
TMP_SUFFIX = ".tmp"


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably; the file is private (0600)."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=folder)
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


def temporary_target(name: str) -> str | None:
    """The name of the file that a temporary file of :func:`atomic_write_bytes` was to replace.

    ``".abc.json.k3j9_x2q.tmp"`` -> ``"abc.json"``; ``None`` for any other name.
    """
    if not (name.startswith(".") and name.endswith(TMP_SUFFIX)):
        return None
    target, dot, random_part = name[1 : -len(TMP_SUFFIX)].rpartition(".")
    return target if dot and target and random_part else None


def read_json_file(path: Path) -> Any:
    """Read a JSON file, turning damage into :class:`DossierUnreadableError` with a French reason."""
    return parse_json(read_file_bytes(path))


def read_file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise DossierUnreadableError(f"fichier illisible ({error.strerror or error.__class__.__name__})") from None


def _no_constant(name: str) -> Any:
    raise _NotFinite(name)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotFinite(text[:20])
    return number


class _NotFinite(ValueError):
    """``NaN``, ``Infinity`` or a number too large for a float: not JSON, and not something we write."""


def parse_json(raw: bytes) -> Any:
    """Parse the bytes of a file we wrote; any damage becomes :class:`DossierUnreadableError`.

    Beyond invalid JSON, refused: ``NaN`` and ``Infinity``, numbers that overflow a float, integers
    too long to convert (Python's limit), nesting deep enough to exhaust the stack.
    """
    if not raw.strip():
        raise DossierUnreadableError("fichier vide (tronqué ?)")
    try:
        return json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
    except _NotFinite:
        raise DossierUnreadableError("contenu endommagé (nombre hors limites)") from None
    except json.JSONDecodeError as error:
        raise DossierUnreadableError(f"contenu endommagé à la ligne {error.lineno} (JSON invalide)") from None
    except UnicodeDecodeError:
        raise DossierUnreadableError("contenu endommagé (JSON invalide)") from None
    except ValueError:  # an integer beyond Python's conversion limit
        raise DossierUnreadableError("contenu endommagé (nombre hors limites)") from None
    except RecursionError:
        raise DossierUnreadableError("contenu endommagé (imbrication trop profonde)") from None


def dump_json(data: Any) -> bytes:
    """The bytes we write; what :func:`parse_json` refuses (``NaN``, infinities) is refused here too."""
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except ValueError:
        raise StorageError("Une valeur n'est pas un nombre fini : rien n'a été enregistré.") from None


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes through :func:`atomic_write_bytes`.

    While a dossier is open for writing we hold its lock, so no one else changes the file:
    the content is kept in memory after the first read and every write goes to disk at once.
    """

    def __init__(
        self, path: Path, *, read_only: bool = False, create: bool = False, content: dict[str, Any] | None = None
    ) -> None:
        """``content``: what the caller has just read and validated from ``path``, so as not to read it twice."""
        self.path = Path(path)
        self.read_only = read_only
        self._cache: dict[str, Any] | None = content
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
