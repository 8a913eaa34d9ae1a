"""The command palette (Ctrl+P), in French: the actions of the screen at hand and of the app.

Textual's own palette offers « Quit », « Theme », « Keys », « Screenshot »... in English; here it
offers what the consultant can do on the current screen (the keys of its footer, named in full:
« Ouvrir le portefeuille de compétences », « Démarrer un entretien »...) and the app's own actions
(the beneficiary view, quitting). Its placeholder, its keys and its « no match » line are French too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.app import App

PLACEHOLDER = "Rechercher une action…"
NO_MATCH = "Aucune action ne correspond"

FULL_TITLES: dict[str, str] = {
    "new_dossier": "Créer un dossier",
    "open_dossier": "Ouvrir le dossier sélectionné",
    "refresh": "Actualiser la liste des dossiers",
    "start_session": "Démarrer un entretien",
    "resume_session": "Reprendre l'entretien sélectionné",
    "plan": "Composer le plan de modules",
    "portfolio": "Ouvrir le portefeuille de compétences",
    "consents": "Consentements du bénéficiaire pour transmettre un extrait à un tiers",
    "new_consent": "Enregistrer un consentement pour un tiers",
    "withdraw_consent": "Retirer le consentement sélectionné",
    "toggle_panel": "Afficher ou masquer le portefeuille à droite",
    "finish_session": "Rédiger le compte-rendu de l'entretien",
    "pick_answer": "Modifier une réponse du fil",
    "skip": "Passer la question",
    "note": "Ajouter une note sur la question",
    "back": "Revenir à la question précédente",
    "synthesis": "Ouvrir le document de synthèse",
    "rewrite_section": "Réécrire la section",
    "keep_rewrite": "Garder la réécriture face au nouveau texte proposé",
    "take_draft": "Prendre le texte proposé à la place de la réécriture",
    "validate_synthesis": "Valider la synthèse ensemble (consultant et bénéficiaire)",
    "synthesis_versions": "Voir les versions validées de la synthèse",
    "export_synthesis": "Exporter la synthèse (PDF, DOCX, HTML, Markdown, dossier complet)",
    "export_version": "Exporter cette version",
    "open_version": "Lire la version sélectionnée",
}
"""Palette titles of screen actions whose footer label is short (« Portefeuille »)."""

APP_ACTIONS = frozenset({"toggle_privacy", "app.toggle_privacy", "quit", "app.quit", "command_palette",
                         "app.command_palette"})
"""Actions offered by :func:`app_commands` (or not at all), not again as a screen key."""


def screen_commands(app: App[Any], screen: Screen[Any]) -> Iterator[SystemCommand]:
    """One command per key shown in the footer of ``screen`` (and enabled there), named in full."""
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.show or not active.enabled or binding.action in APP_ACTIONS or binding.action in seen:
            continue
        seen.add(binding.action)
        title = FULL_TITLES.get(binding.action, binding.description)
        key = app.get_key_display(binding)
        help_text = f"Touche {key}" + (f" · {binding.tooltip}" if binding.tooltip else "")
        yield SystemCommand(title, help_text, _runner(app, binding.action, active.node))


def app_commands(app: App[Any], beneficiary_view: bool) -> Iterator[SystemCommand]:
    """The app's own actions, whatever the screen."""
    if beneficiary_view:
        yield SystemCommand("Vue consultant : tout afficher", "Touche F6 · Revenir à la vue du consultant",
                            _runner(app, "toggle_privacy", app))
    else:
        yield SystemCommand("Vue bénéficiaire : masquer ce qui est réservé au consultant",
                            "Touche F6 · Notes, conseils et éléments privés disparaissent d'un coup",
                            _runner(app, "toggle_privacy", app))
    yield SystemCommand("Quitter l'application", "Tout est déjà enregistré", _runner(app, "quit", app))


def _runner(app: App[Any], action: str, node: Any) -> Any:
    async def run() -> None:
        await app.run_action(action, node)

    return run


class BilanPalette(CommandPalette):
    """Textual's command palette with French words."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+end, shift+end", "command_list('last')", "Aller à la fin", show=False),
        Binding("ctrl+home, shift+home", "command_list('first')", "Aller au début", show=False),
        Binding("down", "cursor_down", "Action suivante", show=False),
        Binding("escape", "escape", "Fermer la palette"),
        Binding("pagedown", "command_list('page_down')", "Page suivante", show=False),
        Binding("pageup", "command_list('page_up')", "Page précédente", show=False),
        Binding("up", "command_list('cursor_up')", "Action précédente", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual writes « No matches found » (in English) from inside this method: said in French.
        self._stop_no_matches_countdown()

        def show_no_match() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCH, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_match)
