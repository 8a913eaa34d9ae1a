"""One writer per dossier: an advisory ``flock`` on a lock file next to it.

The operating system releases the lock when the process ends, even after a crash, so a stale
lock file never blocks anyone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from pathlib import Path

from bilan_tui.storage.errors import DossierLockedError


class DossierLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, now: dt.datetime) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._describe_holder(fd)
            os.close(fd)
            raise DossierLockedError(
                f"Ce dossier est déjà ouvert dans une autre fenêtre de bilan-tui{holder}. "
                "Il est affiché en lecture seule : fermez l'autre fenêtre pour le modifier."
            ) from None
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
        except (ValueError, KeyError, TypeError, OSError):
            return ""

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
