"""Persistence: one TinyDB file per dossier, written atomically, plus a rebuildable index.

This package is the only place that touches dossier files.
"""

from bilan_tui.storage.atomic import AtomicJSONStorage, atomic_write_bytes
from bilan_tui.storage.errors import (
    DataFolderError,
    DossierLockedError,
    DossierUnreadableError,
    ReadOnlyError,
    StorageError,
)
from bilan_tui.storage.lock import DossierLock
from bilan_tui.storage.repository import DossierEntry, DossierHandle, DossierSummary, Repository

__all__ = [
    "AtomicJSONStorage",
    "DataFolderError",
    "DossierEntry",
    "DossierHandle",
    "DossierLock",
    "DossierLockedError",
    "DossierSummary",
    "DossierUnreadableError",
    "ReadOnlyError",
    "Repository",
    "StorageError",
    "atomic_write_bytes",
]
