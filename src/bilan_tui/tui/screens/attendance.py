"""Émargement (placeholder: replaced by the screen of this part of the administrative file)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from bilan_tui.storage import DossierHandle
from bilan_tui.tui.access import AppAccess


class AttendanceScreen(AppAccess, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Retour")]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Émargement : en préparation.", markup=False)
        yield Footer()
