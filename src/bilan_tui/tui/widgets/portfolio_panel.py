"""The live side panel of the interview: module and phase progress, the portfolio as it grows."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from bilan_tui.domain.models import ItemKind
from bilan_tui.domain.portfolio import Portfolio, PortfolioItem
from bilan_tui.domain.privacy import Audience, item_private, visible_items
from bilan_tui.tui.widgets.keyed_list import Row, RowWidget, sync_rows


def item_line(item: PortfolioItem, *, new: bool = False) -> Text:
    text = Text()
    text.append("✚ " if new else "• ", style="bold green" if new else "")
    text.append(item.title)
    extras = []
    if item.rank is not None:
        extras.append(f"n° {item.rank}")
    if item.level is not None:
        extras.append(f"niv. {item.level}")
    if item.self_assessment_pending:
        extras.append("auto-évaluation")
    if extras:
        text.append(f" ({', '.join(extras)})", style="dim")
    if item.recheck:
        text.append(" ⚠", style="bold yellow")
    return text


class PortfolioPanel(VerticalScroll):
    DEFAULT_CSS = """
    PortfolioPanel { width: 40; border-left: solid $primary; padding: 0 1; }
    PortfolioPanel #panel-progress { height: auto; margin-bottom: 1; }
    PortfolioPanel .kind { text-style: bold; margin-top: 1; }
    PortfolioPanel .new { background: $success 25%; }
    PortfolioPanel .empty { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="panel-progress", markup=False)
        yield Static("Portefeuille de compétences", classes="kind")
        yield VerticalScroll(id="panel-items")

    def show_progress(self, text: Text) -> None:
        self.query_one("#panel-progress", Static).update(text)

    _shown: tuple[Portfolio, frozenset[str], Audience] | None = None

    def show(self, portfolio: Portfolio, new_ids: set[str], audience: Audience) -> None:
        """The items ``audience`` may see (:mod:`bilan_tui.domain.privacy`), the new ones highlighted.

        Updated, not rebuilt: only the lines whose text or highlight changed are redrawn.
        """
        if self._shown == (portfolio, frozenset(new_ids), audience):
            return  # most answers change nothing here
        self._shown = (portfolio, frozenset(new_ids), audience)
        rows: list[Row] = []
        for kind in ItemKind:
            items = visible_items(portfolio, audience, kind)
            if not items:
                continue
            rows.append(Row(f"kind/{kind.value}", Text(f"{kind.plural} ({len(items)})"), "kind"))
            for item in items:
                classes = " ".join(c for c in ("new" if item.id in new_ids else "",
                                               "consultant-only" if item_private(item) else "") if c)
                rows.append(Row(f"item/{item.id}", item_line(item, new=item.id in new_ids), classes))
        if not rows:
            rows.append(Row("empty", Text("Rien encore : il se remplit au fil des réponses."), "empty"))
        container = self.query_one("#panel-items", VerticalScroll)
        sync_rows(container, rows, RowWidget)
        new = [w for w in container.children if w.has_class("new")]
        if new:
            container.call_after_refresh(new[-1].scroll_visible, animate=False)
