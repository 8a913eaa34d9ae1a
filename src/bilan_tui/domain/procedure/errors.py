"""The one error of the procedure rules: a French sentence, and the field a form can point at."""

from __future__ import annotations


class ProcedureError(ValueError):
    """A refused entry of the administrative frame; ``str(error)`` is French, for the person.

    ``field`` names the faulty input when a form can point at it (``price``, ``end``, ``reason`` ...);
    empty otherwise.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
