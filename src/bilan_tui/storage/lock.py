"""One writer per dossier: an advisory ``flock`` on a lock file next to it.

The operating system releases the lock when the process ends, even after a crash, so a stale
lock file never blocks anyone. A clean release removes the lock file (the dossier is no longer
being edited); only a crash leaves one behind, swept with the leftovers. A lock file may be removed (see :func:`while_free`) only by someone
holding its lock; a process that locked a file which was removed meanwhile notices it (the path
no longer names the file it locked) and locks the new one instead, so two writers never both think
they hold the lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

from bilan_tui.storage.errors import DossierLockedError


def _locks_the_path(fd: int, path: Path) -> bool:
    """Whether ``fd`` is still the file at ``path`` (not one removed, or removed and recreated)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


class DossierLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, now: dt.datetime) -> None:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as error:
                raise DossierLockedError(
                    f"Le verrou de ce dossier n'a pas pu être posé ({error.strerror or error.__class__.__name__}). "
                    "Il est affiché en lecture seule."
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._describe_holder(fd)
                os.close(fd)
                raise DossierLockedError(
                    f"Ce dossier est déjà ouvert dans une autre fenêtre de bilan-tui{holder}. "
                    "Il est affiché en lecture seule : fermez l'autre fenêtre pour le modifier."
                ) from None
            if _locks_the_path(fd, self.path):
                break
            os.close(fd)  # a leftover lock file removed under us: lock the one at the path now
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": now.isoformat(timespec="minutes")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd = fd

    @staticmethod
    def _describe_holder(fd: int) -> str:
        try:
            info = json.loads(os.pread(fd, 4096, 0) or b"{}")
            since = dt.datetime.fromisoformat(info["since"]).strftime("%d/%m/%Y à %H:%M")
            return f" (processus {int(info['pid'])} sur {info['host']}, depuis le {since})"
        except (ValueError, KeyError, TypeError, OSError, RecursionError):
            return ""

    def release(self) -> None:
        """Remove the lock file, if it is still the one locked here, then release the lock.

        Removed while the lock is held, so no other process can be holding it; one that opened the
        file meanwhile notices it was removed once it gets the lock, and locks a new file instead.
        """
        if self._fd is not None:
            if _locks_the_path(self._fd, self.path):
                with contextlib.suppress(OSError):
                    self.path.unlink()
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def while_free(path: Path, action: Callable[[], None]) -> bool:
    """Run ``action`` if no process holds the lock at ``path``, holding it meanwhile.

    Returns False, without running ``action``, when another process (or another handle of this
    one) holds the lock. With no lock file at all nobody holds it: ``action`` runs. ``action`` may
    remove the lock file (a leftover of a removed dossier): it holds the lock while doing so.
    """
    while True:
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            action()
            return True
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            if not _locks_the_path(fd, path):
                continue  # removed or replaced meanwhile: look again
            action()
            return True
        finally:
            os.close(fd)  # closing the last descriptor releases the lock
