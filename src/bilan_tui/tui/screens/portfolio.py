"""The portfolio of a dossier: items with their evidence, the score profiles, strengths and gaps.

The consultant reviews and corrects it here: add, edit, remove (with confirmation), mark an
item as re-checked, confirm a self-assessment. What the beneficiary view shows (items, evidence,
strengths) is decided by :mod:`bilan_tui.domain.privacy`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from bilan_tui.domain.models import COMPETENCE_LEVELS, ItemKind
from bilan_tui.domain.portfolio import ItemStatus, Place, Portfolio, PortfolioItem, SourceRef
from bilan_tui.domain.privacy import Audience, item_visible, source_visible, visible_items
from bilan_tui.domain.workbook import Workbook
from bilan_tui.rendering.charts import score_chart
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.portfolio_sync import sync_and_save


def describe_item(item: PortfolioItem) -> str:
    parts = []
    if item.category is not None:
        parts.append(item.category.label)
    if item.level is not None:
        parts.append(f"niveau {item.level} ({COMPETENCE_LEVELS.get(item.level, '')})")
    if item.transferable is not None:
        parts.append("transférable" if item.transferable else "propre au métier")
    if item.rank is not None:
        parts.append(f"rang {item.rank}")
    return ", ".join(parts)


def origin(item: PortfolioItem) -> str:
    if item.manual:
        return "ajout manuel"
    if item.edited:
        return "réponses, modifié"
    return "réponses"


class PortfolioScreen(AppAccess, Screen[None]):
    DEFAULT_CSS = """
    PortfolioScreen #items { height: 1fr; }
    PortfolioScreen #detail { height: auto; max-height: 45%; border-top: solid $primary; padding: 0 1; }
    PortfolioScreen .pane { padding: 0 1; }
    """
    BINDINGS = [
        Binding("a", "add", "Ajouter"),
        Binding("e", "edit", "Modifier"),
        Binding("delete", "remove", "Retirer"),
        Binding("r", "remove", "Retirer", show=False),
        Binding("v", "checked", "Vérifié"),
        Binding("c", "confirm", "Confirmer l'auto-évaluation"),
        # The tabs' titles show their keys (1, 2, 3): the footer keeps its room for the actions.
        Binding("1", "show_tab('elements')", "Éléments", show=False),
        Binding("2", "show_tab('profils')", "Profils", show=False),
        Binding("3", "show_tab('ecarts')", "Forces et écarts", show=False),
        Binding("escape", "close", "Retour au dossier"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle
        self.digests: dict[Place, str] = {}
        self.shown: list[PortfolioItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="elements"):
            with TabPane("1 Éléments", id="elements"):
                table: DataTable[Text] = DataTable(id="items", cursor_type="row")
                table.add_columns("Type", "Intitulé", "État", "Origine", "Précisions")
                yield table
                with VerticalScroll(id="detail"):
                    yield Static(id="detail-text", markup=False)
            with TabPane("2 Profils", id="profils"):
                with VerticalScroll(classes="pane"):
                    yield Static(id="charts", markup=False)
            with TabPane("3 Forces et écarts", id="ecarts"):
                with VerticalScroll(classes="pane"):
                    yield Static(id="gaps", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Portefeuille de compétences"
        self.watch(self.app, "beneficiary_view", lambda _: self.refresh_view(), init=False)
        self.refresh_view()
        self.query_one(DataTable).focus()

    # -- display -------------------------------------------------------------------------------

    def refresh_view(self) -> None:
        self.workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
        self.portfolio, self.digests = sync_and_save(self.app, self.handle, self.workbook, self.bilan.now())
        self._render_items()
        self._render_charts()
        self._render_gaps()

    def _evidence(self, item: PortfolioItem) -> list[SourceRef]:
        """The links of an item's evidence the audience may follow."""
        audience = self.bilan.audience
        return [ref for ref in item.evidence
                if source_visible(self.workbook.step(ref), self._produced(ref), audience)]

    def _produced(self, ref: SourceRef) -> PortfolioItem | None:
        """The portfolio item an answer (element) produced, if any."""
        try:
            return self.portfolio.get(f"{ref.module}:{ref.step_id}:{ref.element or ''}")
        except KeyError:
            return None

    def _render_items(self) -> None:
        table = self.query_one("#items", DataTable)
        row = table.cursor_row
        current = self._current()
        table.clear()
        order = list(ItemKind)
        self.shown = sorted(visible_items(self.portfolio, self.bilan.audience),
                            key=lambda i: (order.index(i.kind), i.rank or 0))
        for item in self.shown:
            status = item.status
            state = Text(status.label, style={ItemStatus.RECHECK: "bold yellow",
                                              ItemStatus.SELF_ASSESSED: "italic"}.get(status, ""))
            if item.private:
                state.append(" · privé", style="italic")
            table.add_row(Text(item.kind.label), Text(item.title), state, Text(origin(item)), Text(describe_item(item)),
                          key=item.id)
        if self.shown:
            # The same item stays highlighted when it is still shown (the view changed, an item was added).
            ids = [i.id for i in self.shown]
            table.move_cursor(row=ids.index(current.id) if current and current.id in ids else min(row, len(ids) - 1))
        self._render_detail()

    def _current(self) -> PortfolioItem | None:
        table = self.query_one("#items", DataTable)
        if not self.shown or table.cursor_row < 0:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._render_detail()

    def _render_detail(self) -> None:
        item = self._current()
        text = Text()
        if item is None:
            text.append("Le portefeuille est vide : il se remplit au fil des entretiens. A : ajouter un élément.")
            self.query_one("#detail-text", Static).update(text)
            return
        text.append(f"{item.kind.label} : {item.title}\n", style="bold")
        if describe_item(item):
            text.append(describe_item(item) + "\n")
        for label, value in item.details:
            text.append(f"{label} : ", style="bold")
            text.append(value + "\n")
        if item.recheck:
            text.append(f"⚠ {item.recheck} (V : marquer comme vérifié)\n", style="bold yellow")
        if item.self_assessment_pending:
            text.append("Auto-évaluation : ni prouvée par une réalisation, ni confirmée par le consultant "
                        "(C : confirmer).\n", style="italic")
        elif item.self_assessed and item.evidence:
            text.append("Auto-évaluation prouvée par une réalisation (la preuve est ci-dessous).\n", style="italic")
        if item.self_assessed and item.assessment_confirmed_at is not None:
            text.append(f"Auto-évaluation confirmée par le consultant le "
                        f"{item.assessment_confirmed_at.strftime('%d/%m/%Y')} (C : retirer la confirmation).\n",
                        style="italic")
        if item.source is not None and source_visible(self.workbook.step(item.source), None, self.bilan.audience):
            view = self.workbook.describe(item.source)
            text.append("Provenance : ", style="bold")
            text.append(f"{view.module} — « {view.question} »\n")
            text.append(f"  Réponse : {view.answer}\n")
            if view.at is not None:
                text.append(f"  Le {view.at.strftime('%d/%m/%Y à %H:%M')}\n", style="dim")
        elif item.manual:
            text.append("Ajouté à la main par le consultant.\n", style="italic")
        for ref in self._evidence(item):
            view = self.workbook.describe(ref)
            text.append("Preuve : ", style="bold")
            text.append(f"{view.answer}\n")
        self.query_one("#detail-text", Static).update(text)

    def _render_charts(self) -> None:
        text = Text()
        for result in self.workbook.scores():
            flow = self.bilan.catalog.flows[result.flow_id]
            text.append_text(score_chart(flow.title, result))
            text.append("\n")
        for kind in (ItemKind.INTEREST, ItemKind.VALUE):
            items = visible_items(self.portfolio, self.bilan.audience, kind)
            if items:
                text.append(f"{kind.plural}\n", style="bold")
                for item in sorted(items, key=lambda i: i.rank or 0):
                    rank = f"{item.rank}. " if item.rank else "• "
                    text.append(f"  {rank}{item.title}\n")
                text.append("\n")
        used = {state.flow_id for state in self.workbook.states.values()}
        for attribution in dict.fromkeys(f.attribution for f in self.bilan.catalog.flows.values()
                                         if f.attribution and f.id in used):
            text.append(attribution + "\n", style="dim")
        if not text.plain.strip():
            text.append("Aucun questionnaire rempli pour l'instant.")
        self.query_one("#charts", Static).update(text)

    def _render_gaps(self) -> None:
        text = Text()
        comparisons = self.workbook.comparisons(self.portfolio, self.bilan.audience)
        if not comparisons:
            text.append("Aucune compétence requise saisie : elles se notent dans le module « Confrontation au "
                        "marché », pour chaque projet.")
        for comparison in comparisons:
            result = comparison.result
            text.append(f"{comparison.label}\n", style="bold")
            text.append(f"Forces ({len(result.strengths)})\n", style="bold green")
            for strength in result.strengths:
                text.append(f"  ✓ {strength.required}")
                if not strength.exact:
                    text.append(f" ≈ « {strength.item.title} »", style="italic")
                if strength.item.self_assessment_pending:
                    text.append(" (auto-évaluation)", style="italic")
                proof = strength.proof
                proofs = [self._evidence_title(ref) for ref in self._evidence(proof)] if proof else []
                if proof is not None and proofs:
                    text.append(f" — prouvée par : {', '.join(proofs)}", style="dim")
                    if proof.id != strength.item.id:
                        text.append(f" (via « {proof.title} »)", style="dim")
                text.append("\n")
            text.append(f"Écarts ({len(result.gaps)})\n", style="bold red")
            for gap in result.gaps:
                text.append(f"  ✗ {gap}\n")
            text.append("\n")
        self.query_one("#gaps", Static).update(text)

    def _evidence_title(self, ref: SourceRef) -> str:
        """The achievement behind a link, by its title in the portfolio (or the answer itself)."""
        produced = self._produced(ref)
        return f"« {produced.title} »" if produced is not None else self.workbook.describe(ref).answer

    # -- changes -------------------------------------------------------------------------------

    def _save(self, portfolio: Portfolio) -> bool:
        try:
            self.handle.save_portfolio(portfolio)
        except (StorageError, OSError) as error:
            self.notify(f"Non enregistré : {error}", severity="error", timeout=10, markup=False)
            return False
        self.portfolio = portfolio
        return True

    def _writable(self) -> bool:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : le portefeuille ne peut pas être modifié.", severity="warning",
                        markup=False)
            return False
        return True

    def _editable(self) -> PortfolioItem | None:
        """The highlighted item, when there is one and the dossier can be changed."""
        item = self._current()
        return item if item is not None and self._writable() else None

    def _apply(self, portfolio: Portfolio, done: str, item: PortfolioItem) -> None:
        """Save the change and say it; a consultant-only item is not named in the beneficiary view."""
        if self._save(portfolio):
            name = item.title if item_visible(item, self.bilan.audience) else "élément réservé au consultant"
            self.notify(f"{done} : {name}", markup=False)
            self._render_items()
            self._render_gaps()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        # Focus must move into the new tab at once: TabbedContent shows the tab holding the focus.
        target = self.query_one(DataTable) if tab == "elements" else self.query_one(f"#{tab} VerticalScroll")
        target.focus()

    def action_add(self) -> None:
        if not self._writable():
            return
        from bilan_tui.tui.screens.item_form import ItemFormScreen

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            kind = result.pop("kind")
            title = result.pop("title")
            portfolio, item = self.portfolio.add(kind, title, now=self.bilan.now(), **result)
            self._apply(portfolio, "Ajouté", item)

        self.app.push_screen(ItemFormScreen(None), done)

    def action_edit(self) -> None:
        item = self._editable()
        if item is None:
            return
        from bilan_tui.tui.screens.item_form import ItemFormScreen

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            result.pop("kind", None)
            edited = self.portfolio.edit(item.id, now=self.bilan.now(), **result)
            self._apply(edited, "Modifié", edited.get(item.id))

        private = not item_visible(item, Audience.BENEFICIARY)
        self.app.push_screen(self.bilan.dialog(ItemFormScreen(item), consultant_only=private), done)

    def action_remove(self) -> None:
        item = self._editable()
        if item is None:
            return
        from bilan_tui.tui.screens.dialogs import ConfirmScreen

        def done(yes: bool | None) -> None:
            if yes:
                self._apply(self.portfolio.remove(item.id, now=self.bilan.now()), "Retiré", item)

        note = "" if item.manual else " Les réponses d'origine restent dans le dossier."
        confirm = ConfirmScreen(f"Retirer « {item.title} » du portefeuille ?{note}")
        private = not item_visible(item, Audience.BENEFICIARY)
        self.app.push_screen(self.bilan.dialog(confirm, consultant_only=private), done)

    def action_checked(self) -> None:
        item = self._editable()
        if item is None:
            return
        if not item.recheck:
            self.notify("Cet élément n'a rien à revérifier.", markup=False)
            return
        self._apply(self.portfolio.mark_checked(item.id, self.digests, now=self.bilan.now()), "Vérifié", item)

    def action_confirm(self) -> None:
        """Confirm a self-assessment (or withdraw the consultant's confirmation of it)."""
        item = self._editable()
        if item is None:
            return
        if not item.self_assessed:
            self.notify("C confirme une auto-évaluation : cet élément n'en est pas une.", markup=False)
            return
        now = self.bilan.now()
        if item.assessment_confirmed_at is not None:
            portfolio = self.portfolio.confirm_assessment(item.id, now=now, confirmed=False)
            self._apply(portfolio, "Confirmation retirée", item)
        elif item.evidence:
            self.notify("Cette auto-évaluation est déjà prouvée par une réalisation.", markup=False)
        else:
            self._apply(self.portfolio.confirm_assessment(item.id, now=now), "Auto-évaluation confirmée", item)

    def action_close(self) -> None:
        self.app.pop_screen()
