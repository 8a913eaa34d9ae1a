"""Typed access to the application from screens and widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from bilan_tui.tui.app import BilanApp


class AppAccess:
    """Mixin for Textual screens and widgets of bilan-tui."""

    @property
    def bilan(self) -> BilanApp:
        return cast("BilanApp", self.app)  # type: ignore[attr-defined]

    @property
    def blink(self) -> bool:
        """Whether text cursors blink (off in tests, for deterministic snapshots)."""
        return bool(getattr(self.bilan, "cursor_blink", True))
