"""The document de synthèse, read and rewritten together, validated jointly, exported.

The draft is built from the dossier (:func:`bilan_tui.domain.synthesis.build.build_synthesis`) and
shown section by section with the saved rewrites applied; the highlighted passage shows below what it
comes from (module, question, answer, date), as the portfolio screen does. A rewritten section keeps
the generated text and its sources beside it; when answers change after a rewrite, the section is
« ⚠ à revoir » and the new draft is shown next to the rewrite until someone decides. Validation
freezes a version under both names typed; versions stay readable and exportable.

The synthesis holds nothing consultant-only by construction; the sources shown go through
:mod:`bilan_tui.domain.privacy` all the same. Every call to the record, the storage and the renderer
goes through :mod:`bilan_tui.tui.synthesis_work`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from bilan_tui.domain.plural import plural
from bilan_tui.domain.portfolio import SourceRef
from bilan_tui.domain.privacy import item_visible, source_visible
from bilan_tui.domain.synthesis.model import NOT_COVERED, Passage, PassageStyle, Section, SectionKey, Synthesis
from bilan_tui.domain.text import excerpt
from bilan_tui.domain.workbook import Workbook
from bilan_tui.rendering.documents import DocumentFormat
from bilan_tui.storage import DossierHandle
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.synthesis_work import (
    EXPORTS_FOLDER,
    Draft,
    ExportFailed,
    FrozenVersion,
    SectionState,
    WorkFailed,
    export,
    keep_rewrite,
    load_draft,
    quoted,
    save_rewrite,
    section_text,
    take_draft,
    validate,
)

WRITING_ACTIONS = frozenset({"rewrite_section", "keep_rewrite", "take_draft", "validate_synthesis"})
"""What a read-only window does not offer."""

STATE_STYLES = {SectionState.REWRITTEN: "bold green", SectionState.TO_REVIEW: "bold yellow"}


def stamp_label(version: FrozenVersion) -> str:
    return f"Version {version.number} validée le {version.frozen_at.strftime('%d/%m/%Y à %H:%M')}"


def passage_line(passage: Passage) -> Text:
    """A passage as the list and the documents show it: bullets, quotations, sub-headings."""
    if passage.style is PassageStyle.HEADING:
        return Text(passage.text, style="bold underline")
    if passage.style is PassageStyle.BULLET:
        return Text(f"• {passage.text}")
    if passage.style is PassageStyle.QUOTE:
        return Text(quoted(passage.text), style="italic")
    return Text(passage.text)


@dataclass(frozen=True)
class Row:
    """One line of the list: a section's heading, a passage, the action plan's header or one of its rows."""

    key: SectionKey
    kind: str  # "heading", "passage", "thead", "row", "empty"
    index: int = 0

    @property
    def id(self) -> str:
        return f"{self.key.value}|{self.kind}|{self.index}"


class SynthesisList(AppAccess, Screen[None]):
    """A synthesis section by section (list on top), the highlighted passage's sources below."""

    DEFAULT_CSS = """
    SynthesisList #status { height: auto; padding: 0 1; }
    SynthesisList #passages { height: 1fr; }
    SynthesisList #details { height: 40%; border-top: solid $primary; }
    SynthesisList #detail { width: 1fr; padding: 0 1; }
    SynthesisList #proposed { width: 1fr; padding: 0 1; border-left: solid $primary; }
    SynthesisList #exported { height: auto; padding: 0 1; color: $text-success; }
    """

    def __init__(self, handle: DossierHandle, draft: Draft | None = None) -> None:
        super().__init__()
        self.handle = handle
        self.draft = draft
        self.rows: list[Row] = []
        self.last_export: str = ""
        self.session_dates: dict[str, dt.date] = {}
        self.bindings_for: SectionKey | None = None

    # -- what to show (by the subclasses) ------------------------------------------------------

    def shown(self) -> Synthesis:
        raise NotImplementedError

    def heading_state(self, key: SectionKey) -> Text:
        return Text()

    def status_text(self) -> Text:
        return Text()

    def proposed_text(self, key: SectionKey) -> Text | None:
        """What to show beside the section's text (the generated text of a rewritten section)."""
        return None

    def section_note(self, key: SectionKey) -> Text:
        return Text()

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status", markup=False)
        yield OptionList(id="passages")
        with Horizontal(id="details"):
            with VerticalScroll(id="detail"):
                yield Static(id="detail-text", markup=False)
            with VerticalScroll(id="proposed"):
                yield Static(id="proposed-text", markup=False)
        yield Static(id="exported", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "beneficiary_view", lambda _: self.refresh_view(), init=False)
        self.refresh_view()
        self.query_one(OptionList).focus()

    @property
    def workbook(self) -> Workbook:
        assert self.draft is not None
        return self.draft.workbook

    def load(self) -> None:
        """Build (again) what the screen shows."""

    def refresh_view(self) -> None:
        self.load()
        self.session_dates = {s.id: s.date for s in self.handle.sessions()}
        self.query_one("#status", Static).update(self.status_text())
        self._render_list()
        exported = self.query_one("#exported", Static)
        exported.update(Text(self.last_export))
        exported.display = bool(self.last_export)
        self.bindings_for = self.current_key()
        self.refresh_bindings()  # a section's state may have changed (rewritten, kept, taken back)

    def _render_list(self) -> None:
        options = self.query_one(OptionList)
        current = self.current_row()
        synthesis = self.shown()
        self.rows = []
        prompts: list[Option] = []
        for number, section in enumerate(synthesis.sections, 1):
            heading = Text(f"{number}. {section.title}", style="bold")
            state = self.heading_state(section.key)
            if state.plain:
                heading.append("  ")
                heading.append_text(state)
            self._add(prompts, Row(section.key, "heading"), heading)
            for row, line in self._lines(section):
                self._add(prompts, row, Text("   ") + line)
        options.clear_options()
        options.add_options(prompts)
        ids = [row.id for row in self.rows]
        wanted = current.id if current is not None and current.id in ids else None
        options.highlighted = ids.index(wanted) if wanted else (1 if len(ids) > 1 else 0)
        self._render_detail()

    def _add(self, prompts: list[Option], row: Row, prompt: Text) -> None:
        self.rows.append(row)
        prompts.append(Option(prompt, id=row.id))

    @staticmethod
    def _lines(section: Section) -> list[tuple[Row, Text]]:
        if section.empty:
            return [(Row(section.key, "empty"), Text(NOT_COVERED, style="italic dim"))]
        lines = [(Row(section.key, "passage", i), passage_line(p)) for i, p in enumerate(section.passages)]
        if section.table is not None:
            lines.append((Row(section.key, "thead"), Text(" · ".join(section.table.headers), style="bold")))
            lines += [(Row(section.key, "row", i), Text(" · ".join(cells)))
                      for i, cells in enumerate(section.table.rows)]
        return lines

    def current_row(self) -> Row | None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not self.rows:
            return None
        return self.rows[min(index, len(self.rows) - 1)]

    def current_key(self) -> SectionKey | None:
        row = self.current_row()
        return row.key if row is not None else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._render_detail()
        key = self.current_key()
        if key is not self.bindings_for:  # the keys offered depend on the section only (the footer redraws)
            self.bindings_for = key
            self.refresh_bindings()

    # -- the sources of the highlighted passage -----------------------------------------------

    def _render_detail(self) -> None:
        row = self.current_row()
        text = Text()
        proposed: Text | None = None
        if row is not None:
            section = self.shown().section(row.key)
            text.append(f"{section.title}\n", style="bold")
            note = self.section_note(row.key)
            if note.plain:
                text.append_text(note)
                text.append("\n")
            if row.kind == "passage":
                passage = section.passages[row.index]
                text.append_text(passage_line(passage))
                text.append("\n")
                sources = self.sources(passage.answers, passage.items, passage.sessions)
                text.append_text(sources if sources.plain else self.no_source(section))
            elif row.kind == "row" and section.table is not None:
                text.append(" · ".join(section.table.rows[row.index]) + "\n")
                answers = section.table.row_answers[row.index] if row.index < len(section.table.row_answers) else ()
                sources = self.sources(answers, (), ())
                text.append_text(sources if sources.plain else self.no_source(section))
            elif row.kind == "empty":
                text.append("Cette section n'a pas de matière : aucune réponse du bilan ne la nourrit.\n",
                            style="italic")
            proposed = self.proposed_text(row.key)
        self.query_one("#detail-text", Static).update(text)
        panel = self.query_one("#proposed", VerticalScroll)
        panel.display = proposed is not None
        self.query_one("#proposed-text", Static).update(proposed or Text())

    def no_source(self, section: Section) -> Text:
        if section.rewritten:
            return Text("Texte réécrit ensemble : ses sources sont celles du texte proposé.\n", style="italic")
        return Text("Aucune source particulière.\n", style="italic")

    def sources(self, answers: Sequence[SourceRef], items: Sequence[str], sessions: Sequence[str], *,
                compact: bool = False) -> Text:
        """What a passage comes from, as the audience of the moment may see it (the portfolio's way)."""
        draft = self.draft
        assert draft is not None
        audience = self.bilan.audience
        text = Text()
        indent = "    " if compact else ""
        for ref in answers:
            if not source_visible(self.workbook.step(ref), draft.produced(ref), audience):
                continue
            view = self.workbook.describe(ref)
            if compact:
                text.append(f"{indent}↳ {view.module} — « {excerpt(view.question, 60)} » : {excerpt(view.answer, 90)}\n",
                            style="dim")
                continue
            text.append("Source : ", style="bold")
            text.append(f"{view.module} — « {view.question} »\n")
            text.append(f"  Réponse : {view.answer}\n")
            if view.at is not None:
                text.append(f"  Le {view.at.strftime('%d/%m/%Y à %H:%M')}\n", style="dim")
        for item_id in items:
            item = draft.item(item_id)
            if item is None or not item_visible(item, audience):
                continue
            if compact:
                text.append(f"{indent}↳ portefeuille : {item.kind.label} « {item.title} »\n", style="dim")
            else:
                text.append("Portefeuille : ", style="bold")
                text.append(f"{item.kind.label} « {item.title} »\n")
        for session_id in sessions:
            if session_id in self.session_dates:
                when = self.session_dates[session_id].strftime("%d/%m/%Y")
                text.append(f"{indent}↳ entretien du {when}\n" if compact else f"Entretien du {when}\n",
                            style="dim" if compact else "")
        return text

    def generated_text(self, section: Section, title: str) -> Text:
        """A generated section with the sources of each passage: the « texte proposé » panel."""
        text = Text(f"{title}\n", style="bold")
        if section.empty:
            text.append(NOT_COVERED + "\n", style="italic")
        for passage in section.passages:
            text.append_text(passage_line(passage))
            text.append("\n")
            text.append_text(self.sources(passage.answers, passage.items, passage.sessions, compact=True))
        if section.table is not None:
            text.append(" · ".join(section.table.headers) + "\n", style="bold")
            for index, cells in enumerate(section.table.rows):
                text.append(" · ".join(cells) + "\n")
                answers = section.table.row_answers[index] if index < len(section.table.row_answers) else ()
                text.append_text(self.sources(answers, (), (), compact=True))
        return text

    # -- export ---------------------------------------------------------------------------------

    def start_export(self, version: FrozenVersion | None, what: str) -> None:
        """Ask which document, then write it in the background; the path is said and shown.

        ``version``: a frozen version, or None for the working version (stamped without a number).
        """
        from bilan_tui.tui.screens.synthesis_dialogs import ExportScreen

        repository = self.bilan.repository
        catalog, expressions = self.bilan.catalog, self.bilan.expressions
        dossier_id = self.handle.dossier.id
        now = self.bilan.now()

        def chosen(choice: tuple[DocumentFormat, bool] | None) -> None:
            if choice is None:
                return
            fmt, complet = choice

            def work() -> None:
                try:
                    result = export(repository, catalog, expressions, dossier_id, fmt, complet=complet,
                                    version=None if version is None else version.number, now=now)
                except ExportFailed as error:
                    self.app.call_from_thread(self._export_failed, str(error))
                    return
                except Exception as error:  # a renderer's surprise must not pass unsaid  # noqa: BLE001
                    self.app.call_from_thread(self._export_failed, f"Export impossible : {error}")
                    return
                self.app.call_from_thread(self._exported, result.path, what, result.problems)

            self.notify("Export en cours…", markup=False)
            self.run_worker(work, thread=True, group="export", exit_on_error=False)

        note = ("Le document le dira : version de travail, sans numéro de version ; V valide une version."
                if version is None else "")
        folder = str(repository.root / EXPORTS_FOLDER)
        self.app.push_screen(ExportScreen(what, folder, note=note), chosen)

    def _exported(self, path: Path, what: str, problems: Sequence[str] = ()) -> None:
        for problem in problems:  # the consultant's own template was broken: the built-in one served
            self.notify(problem, severity="warning", timeout=20, markup=False)
        self.last_export = f"Dernier export ({what}) : {path}"
        self.notify(f"Exporté ({what}) : {path}", timeout=15, markup=False)
        exported = self.query_one("#exported", Static)
        exported.update(Text(self.last_export))
        exported.display = True

    def _export_failed(self, message: str) -> None:
        self.notify(message, severity="error", timeout=15, markup=False)

    def action_close(self) -> None:
        self.app.pop_screen()


class SynthesisScreen(SynthesisList):
    """The working version of the synthesis: read, rewrite, review, validate, export."""

    BINDINGS = [
        Binding("r", "rewrite_section", "Réécrire"),
        Binding("g", "keep_rewrite", "Garder la réécriture"),
        Binding("p", "take_draft", "Prendre le texte proposé"),
        Binding("v", "validate_synthesis", "Valider ensemble"),
        Binding("h", "synthesis_versions", "Versions"),
        Binding("x", "export_synthesis", "Exporter"),
        Binding("escape", "close", "Retour au dossier"),
    ]

    def on_mount(self) -> None:
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Document de synthèse"
        super().on_mount()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.handle.read_only and action in WRITING_ACTIONS:
            return False
        if action in ("keep_rewrite", "take_draft") and self.draft is not None and self.rows:
            key = self.current_key()
            if key is None:
                return False
            state = self.draft.state(key)
            if action == "keep_rewrite":
                return state is SectionState.TO_REVIEW
            return state is not SectionState.GENERATED
        return True

    def load(self) -> None:
        workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions)
        self.draft = load_draft(self.app, self.handle, workbook, self.bilan.now())

    def shown(self) -> Synthesis:
        assert self.draft is not None
        return self.draft.final

    def heading_state(self, key: SectionKey) -> Text:
        assert self.draft is not None
        state = self.draft.state(key)
        return Text(state.label, style=STATE_STYLES.get(state, "dim"))

    def status_text(self) -> Text:
        draft = self.draft
        assert draft is not None
        keys = [s.key for s in draft.final.sections]
        rewritten = sum(draft.state(k) is not SectionState.GENERATED for k in keys)
        review = len(draft.to_review())
        text = Text("Version de travail", style="bold")
        text.append(f" · {plural(len(keys), 'section')}, {rewritten} {'réécrites' if rewritten > 1 else 'réécrite'}")
        if review:
            text.append(f" · ⚠ {review} à revoir", style="bold yellow")
        latest = draft.latest
        if latest is None:
            text.append("\nAucune version validée (V : valider ensemble).")
        else:
            text.append(f"\nDernière version : {stamp_label(latest)} par {latest.consultant_name} et "
                        f"{latest.beneficiary_name} · SHA-256 {latest.sha256}")
            if draft.unchanged_since_latest():
                text.append("\nLa version de travail est identique à cette version validée.", style="italic")
        return text

    def section_note(self, key: SectionKey) -> Text:
        draft = self.draft
        assert draft is not None
        state = draft.state(key)
        rewrite = draft.rewrite(key)
        text = Text()
        if state is SectionState.TO_REVIEW:
            text.append("⚠ À revoir : des réponses à l'origine de cette section ont changé depuis sa réécriture. "
                        "À droite, le nouveau texte proposé. G : garder la réécriture · P : prendre le nouveau "
                        "texte · R : modifier la réécriture.", style="bold yellow")
        elif rewrite is not None:
            text.append(f"Réécrit le {rewrite.at.strftime('%d/%m/%Y à %H:%M')} ; le texte proposé est à droite "
                        "(P : le reprendre · R : modifier).", style="italic")
        elif not self.handle.read_only:
            text.append("R ou Entrée : réécrire cette section.", style="dim")
        return text

    def proposed_text(self, key: SectionKey) -> Text | None:
        draft = self.draft
        assert draft is not None
        state = draft.state(key)
        if state is SectionState.GENERATED:
            return None
        title = "Nouveau texte proposé" if state is SectionState.TO_REVIEW else "Texte proposé"
        return self.generated_text(draft.generated_section(key), title)

    # -- actions --------------------------------------------------------------------------------

    def _writable_key(self) -> SectionKey | None:
        if self.handle.read_only:
            self.notify("Dossier en lecture seule : la synthèse ne peut pas être modifiée.", severity="warning",
                        markup=False)
            return None
        key = self.current_key()
        if key is None:
            self.notify("Aucune section sélectionnée.", markup=False)
        return key

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.handle.read_only:
            self.action_rewrite_section()

    def action_rewrite_section(self) -> None:
        key = self._writable_key()
        draft = self.draft
        if key is None or draft is None:
            return
        from bilan_tui.tui.screens.synthesis_dialogs import RewriteScreen

        rewrite = draft.rewrite(key)
        state = draft.state(key)
        generated = draft.generated_section(key)
        text = rewrite.text if rewrite is not None else section_text(generated)
        notice = ("⚠ Les réponses ont changé depuis cette réécriture : à droite, le nouveau texte proposé. "
                  "Enregistrer la réécriture la confirme face à ce nouveau texte."
                  if state is SectionState.TO_REVIEW else "")
        title = "Nouveau texte proposé" if state is SectionState.TO_REVIEW else "Texte proposé"
        if generated.table is not None:
            notice = " ".join(filter(None, (notice, "Le tableau des étapes reste tel que le plan d'action le donne : "
                                                   "seul le texte se réécrit.")))

        def save(typed: str) -> str | None:
            try:
                save_rewrite(self.handle, draft, key, typed, self.bilan.now())
            except WorkFailed as error:
                return str(error)
            return None

        def done(saved: bool | None) -> None:
            if saved:
                self.notify(f"Section réécrite : {generated.title}", markup=False)
                self.refresh_view()

        dialog = RewriteScreen(generated.title, text, lambda: self.generated_text(generated, title), save,
                               notice=notice)
        self.app.push_screen(dialog, done)

    def action_keep_rewrite(self) -> None:
        key = self._writable_key()
        draft = self.draft
        if key is None or draft is None:
            return
        if draft.state(key) is not SectionState.TO_REVIEW:
            self.notify("Cette section n'est pas à revoir.", markup=False)
            return
        try:
            keep_rewrite(self.handle, draft, key, self.bilan.now())
        except WorkFailed as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        self.notify(f"Réécriture gardée : {draft.generated_section(key).title}", markup=False)
        self.refresh_view()

    def action_take_draft(self) -> None:
        key = self._writable_key()
        draft = self.draft
        if key is None or draft is None:
            return
        if draft.rewrite(key) is None:
            self.notify("Cette section n'est pas réécrite : elle montre déjà le texte proposé.", markup=False)
            return
        from bilan_tui.tui.screens.dialogs import ConfirmScreen

        title = draft.generated_section(key).title

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                take_draft(self.handle, draft, key)
            except WorkFailed as error:
                self.notify(str(error), severity="error", timeout=10, markup=False)
                return
            self.notify(f"Texte proposé repris : {title}", markup=False)
            self.refresh_view()

        self.app.push_screen(ConfirmScreen(f"Remplacer la réécriture de « {title} » par le texte proposé ? "
                                           "La réécriture sera perdue."), answered)

    def action_validate_synthesis(self) -> None:
        if self.handle.read_only or self.draft is None:
            self.notify("Dossier en lecture seule : la synthèse ne peut pas être validée ici.", severity="warning",
                        markup=False)
            return
        from bilan_tui.tui.screens.synthesis_dialogs import ValidateScreen

        draft = self.draft
        review = len(draft.to_review())
        summary = ("La version validée est figée : datée, avec vos deux noms et son empreinte SHA-256. "
                   "Toute modification ultérieure fera une nouvelle version.")
        if review:
            summary += f"\n⚠ {plural(review, 'section')} à revoir avant de valider."
        frozen: list[FrozenVersion] = []

        def attempt(consultant: str, beneficiary: str) -> str | None:
            try:
                frozen.append(validate(self.handle, draft, consultant, beneficiary, self.bilan.now()))
            except WorkFailed as error:
                return str(error)
            return None

        def done(ok: bool | None) -> None:
            if not ok or not frozen:
                return
            version = frozen[0]
            self.notify(f"{stamp_label(version)} · SHA-256 {version.sha256}", timeout=15, markup=False)
            self.refresh_view()

        self.app.push_screen(ValidateScreen(summary, attempt), done)

    def action_synthesis_versions(self) -> None:
        self.app.push_screen(VersionsScreen(self.handle, self.draft))

    def action_export_synthesis(self) -> None:
        draft = self.draft
        if draft is None:
            return
        latest = draft.latest
        if latest is not None and draft.unchanged_since_latest():
            self.start_export(latest, stamp_label(latest))
            return
        what = "version de travail, non validée"
        review = len(draft.to_review())
        if review:
            what += f", {plural(review, 'section')} à revoir"
        self.start_export(None, what)


class VersionsScreen(AppAccess, Screen[None]):
    """The frozen versions: number, date, both names, hash; each opens read-only and exports."""

    DEFAULT_CSS = """
    VersionsScreen #versions { height: 1fr; }
    VersionsScreen #version-detail { height: auto; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("enter", "open_version", "Ouvrir", priority=True),
        Binding("x", "export_version", "Exporter"),
        Binding("escape", "close", "Retour à la synthèse"),
    ]

    def __init__(self, handle: DossierHandle, draft: Draft | None) -> None:
        super().__init__()
        self.handle = handle
        self.draft = draft

    @property
    def versions(self) -> tuple[FrozenVersion, ...]:
        return self.draft.versions if self.draft is not None else ()

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[Text] = DataTable(id="versions", cursor_type="row")
        table.add_columns("Version", "Validée le", "Consultant(e)", "Bénéficiaire", "SHA-256")
        yield table
        yield Static(id="version-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Versions validées"
        table = self.query_one(DataTable)
        for version in self.versions:
            table.add_row(Text(str(version.number)), Text(version.frozen_at.strftime("%d/%m/%Y %H:%M")),
                          Text(version.consultant_name), Text(version.beneficiary_name),
                          Text(version.sha256[:16] + "…"), key=str(version.number))
        if self.versions:
            table.move_cursor(row=len(self.versions) - 1)
        table.focus()
        self._render_detail()

    def current(self) -> FrozenVersion | None:
        table = self.query_one(DataTable)
        if not self.versions or table.cursor_row < 0:
            return None
        return self.versions[min(table.cursor_row, len(self.versions) - 1)]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._render_detail()

    def _render_detail(self) -> None:
        version = self.current()
        text = Text()
        if version is None:
            text.append("Aucune version validée : V sur la synthèse pour valider ensemble.")
        else:
            text.append(f"{stamp_label(version)}\n", style="bold")
            text.append(f"Par {version.consultant_name} (consultant) et {version.beneficiary_name} (bénéficiaire)\n")
            text.append(f"SHA-256 : {version.sha256}\n")
            text.append("Entrée : lire cette version · X : l'exporter", style="dim")
        self.query_one("#version-detail", Static).update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_version()

    def action_open_version(self) -> None:
        version = self.current()
        if version is None:
            self.notify("Aucune version validée.", markup=False)
            return
        self.app.push_screen(VersionScreen(self.handle, self.draft, version))

    def action_export_version(self) -> None:
        version = self.current()
        if version is None:
            self.notify("Aucune version validée à exporter.", markup=False)
            return
        # The export runs on the version's own screen, which shows the path afterwards.
        screen = VersionScreen(self.handle, self.draft, version)
        self.app.push_screen(screen)
        screen.call_after_refresh(screen.action_export_version)

    def action_close(self) -> None:
        self.app.pop_screen()


class VersionScreen(SynthesisList):
    """A frozen version, read-only: its text as validated; sources as the answers are today."""

    BINDINGS = [
        Binding("x", "export_version", "Exporter"),
        Binding("escape", "close", "Retour aux versions"),
    ]

    def __init__(self, handle: DossierHandle, draft: Draft | None, version: FrozenVersion) -> None:
        super().__init__(handle, draft)
        self.version = version

    def on_mount(self) -> None:
        self.sub_title = f"{self.handle.dossier.beneficiary.display_name} · Synthèse, version {self.version.number}"
        super().on_mount()

    def shown(self) -> Synthesis:
        return self.version.synthesis

    def status_text(self) -> Text:
        version = self.version
        text = Text(f"{stamp_label(version)} (lecture seule)", style="bold")
        text.append(f"\nPar {version.consultant_name} et {version.beneficiary_name} · SHA-256 {version.sha256}")
        return text

    def heading_state(self, key: SectionKey) -> Text:
        return Text("réécrit", style="green") if self.shown().section(key).rewritten else Text()

    def action_export_version(self) -> None:
        self.start_export(self.version, stamp_label(self.version))

