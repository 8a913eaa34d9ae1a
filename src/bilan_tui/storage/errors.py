"""Storage errors. Their messages are French: the interface shows them as they are."""


class StorageError(Exception):
    """Base class; ``str(error)`` is a sentence for the person at the keyboard."""


class DataFolderError(StorageError):
    """The data folder cannot be created, read or written."""


class DossierUnreadableError(StorageError):
    """A dossier file is damaged or from a newer version; it is never written over."""


class DossierLockedError(StorageError):
    """Another process has this dossier open for writing."""


class ReadOnlyError(StorageError):
    """A write was attempted on a dossier opened read-only."""
