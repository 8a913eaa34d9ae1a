"""The application: holds the repository, the flows and the privacy switch; screens do the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from bilan_tui.domain.privacy import Audience
from bilan_tui.flows import FlowCatalog, JinjaExpressions
from bilan_tui.storage import Repository
from bilan_tui.tui.commands import BilanPalette, app_commands, screen_commands
from bilan_tui.tui.screens.home import HomeScreen

PRIVATE_CLASS = "-beneficiary-view"
CONSULTANT_DIALOG = "-consultant-dialog"
"""Marks a dialog that shows something consultant-only; it is cancelled when the beneficiary view comes on."""

KEY_NAMES = {"escape": "Échap", "enter": "Entrée", "space": "Espace", "delete": "Suppr", "pagedown": "Pg suiv",
             "pageup": "Pg préc", "tab": "Tab", "home": "Début", "end": "Fin", "insert": "Inser"}
"""Keys shown in the footer and the palette by their French names (Textual shows « esc », « space »)."""
KEY_MODIFIERS = {"shift": "Maj", "ctrl": "Ctrl", "alt": "Alt"}

DialogT = TypeVar("DialogT", bound=ModalScreen[Any])


class BilanApp(App[None]):
    """bilan-tui. Build it with :func:`bilan_tui.cli.main` or directly in tests."""

    TITLE = "bilan-tui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f6", "toggle_privacy", "Privé", tooltip="Masquer ou afficher tout ce qui est réservé au consultant", priority=True),
        # Textual's own bindings, described in French (the footer and the palette show them).
        Binding("ctrl+q", "quit", "Quitter", tooltip="Quitter l'application", show=False, priority=True),
        Binding("ctrl+p", "command_palette", "Actions", tooltip="Toutes les actions possibles ici",
                show=False, priority=True),
    ]

    beneficiary_view: reactive[bool] = reactive(False)
    """True when every consultant-only element is hidden (the beneficiary reads the screen)."""

    def __init__(
        self,
        repository: Repository,
        catalog: FlowCatalog,
        *,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.repository = repository
        self.catalog = catalog
        self.expressions = JinjaExpressions()
        self.clock = clock
        self.cursor_blink = cursor_blink
        self.last_dossier: str | None = None
        """The dossier last opened in this window: the only one the home screen lists in the beneficiary view."""

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        for notice in self.repository.notices:  # about the data folder (rights tightened, ...)
            self.notify(notice, title="Dossier de données", severity="warning", timeout=20, markup=False)

    def now(self) -> dt.datetime:
        return self.clock().replace(microsecond=0)

    @property
    def audience(self) -> Audience:
        """Who reads the screen; screens ask :mod:`bilan_tui.domain.privacy` what it may see."""
        return Audience.of(self.beneficiary_view)

    def dialog(self, screen: DialogT, *, consultant_only: bool) -> DialogT:
        """A dialog to push; ``consultant_only`` (decided by the privacy rule) when it shows something the
        beneficiary may not see: it is then cancelled, as by Échap, if the beneficiary view comes on."""
        screen.set_class(consultant_only, CONSULTANT_DIALOG)
        return screen

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer and the palette name it, in French: « Échap », « Entrée », « Ctrl+S »."""
        if binding.key_display:
            return binding.key_display
        modifiers, key = binding.parse_key()
        name = KEY_NAMES.get(key) or (key.upper() if len(key) <= 3 and key[:1] == "f" and key[1:].isdigit()
                                      else super().get_key_display(Binding(key, binding.action)))
        if modifiers and len(name) == 1:
            name = name.upper()  # Ctrl+S, as the README writes it
        return "+".join([*(KEY_MODIFIERS.get(m, m) for m in modifiers), name])

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette's entries, in French: the screen's actions, then the app's own."""
        yield from screen_commands(self, screen)
        yield from app_commands(self, self.beneficiary_view)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, BilanPalette):
            self.push_screen(BilanPalette())

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in a text field): say how to, in French."""
        self.notify("Pour quitter : Ctrl+Q. Tout est déjà enregistré.", title="Quitter ?", markup=False)

    def action_toggle_privacy(self) -> None:
        self.beneficiary_view = not self.beneficiary_view

    def watch_beneficiary_view(self, hidden: bool) -> None:
        self.set_class(hidden, PRIVATE_CLASS)
        if hidden:
            # A message still on screen was written for the consultant and may name something private.
            self.clear_notifications()
            if isinstance(self.screen, ModalScreen) and self.screen.has_class(CONSULTANT_DIALOG):
                self.screen.dismiss(None)
                self.notify("Fenêtre fermée : élément réservé au consultant.", markup=False)
        # The title, not the sub-title: screens use their sub-title for the dossier's name.
        self.title = f"{self.TITLE} · VUE BÉNÉFICIAIRE (F6 pour revenir)" if hidden else self.TITLE
