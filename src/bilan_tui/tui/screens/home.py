"""Home: the list of dossiers; create one, open one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from bilan_tui.storage import DossierEntry, StorageError
from bilan_tui.tui.access import AppAccess


class HomeScreen(AppAccess, Screen[None]):
    DEFAULT_CSS = """
    HomeScreen #empty { padding: 1 2; }
    HomeScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new_dossier", "Nouveau dossier"),
        Binding("enter", "open_dossier", "Ouvrir", priority=False),
        Binding("r", "refresh", "Actualiser"),
        Binding("q", "app.quit", "Quitter"),
    ]


    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="empty", markup=False)
        table: DataTable[Text] = DataTable(id="dossiers", cursor_type="row", zebra_stripes=True)
        table.add_columns("Bénéficiaire", "Phase", "Heures", "À faire", "Prochain entretien", "Statut")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()
        # The beneficiary view shows only the dossier being worked on: never another person's name.
        self.watch(self.app, "beneficiary_view", lambda _hidden: self.action_refresh(), init=False)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        table = self.query_one(DataTable)
        current = self._current_key(table) or self.bilan.last_dossier
        entries = self.bilan.repository.list_dossiers()
        hidden = self.bilan.beneficiary_view
        if hidden:
            entries = [e for e in entries if e.id == self.bilan.last_dossier]
        self.entries = {e.id: e for e in entries}
        table.clear()
        for entry in entries:
            table.add_row(*self._cells(entry), key=entry.id)
        if current in self.entries:  # back from a dossier: the cursor stays on it
            table.move_cursor(row=table.get_row_index(current))
        empty = self.query_one("#empty", Static)
        if hidden:
            empty.update("Vue bénéficiaire : les dossiers des autres personnes sont masqués (F6 pour revenir)."
                         + ("" if entries else " Ouvrez d'abord le dossier en vue consultant."))
        else:
            empty.update("Aucun dossier pour l'instant. Appuyez sur N pour créer le premier." if not entries else "")
        empty.display = hidden or not entries
        table.focus()

    @staticmethod
    def _current_key(table: DataTable[Text]) -> str | None:
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _cells(self, entry: DossierEntry) -> list[Text]:
        if entry.summary is None:
            return [Text(entry.path.name), Text(f"⚠ Illisible : {entry.error}", style="bold red"), Text(""), Text(""),
                    Text(""), Text("")]
        summary = entry.summary
        frame = summary.frame
        if frame is None:
            return [Text(summary.beneficiary), Text(summary.phase.label), Text("—"), Text("—"), Text(""),
                    Text(summary.status.value)]
        now = self.bilan.now()
        todo = frame.short_alert
        due = frame.due(now.date())
        if not todo and due:
            todo = f"{due[0].short} le {due[0].due:%d/%m/%Y}"
        return [Text(summary.beneficiary), Text(summary.phase.label), Text(frame.hours_label),
                Text(todo, style="bold" if todo else ""), Text(frame.next_session_label(now)),
                Text(summary.status.value)]

    def action_new_dossier(self) -> None:
        from bilan_tui.tui.screens.dossier_form import DossierFormScreen, NewDossier

        def created(result: NewDossier | None) -> None:
            if result is None:
                return
            try:
                dossier = self.bilan.repository.create_dossier(result.beneficiary, result.consultant)
            except (StorageError, OSError) as error:
                self.notify(f"Le dossier n'a pas pu être créé : {error}", severity="error", timeout=10, markup=False)
                return
            self.bilan.last_dossier = dossier.id
            self.action_refresh()
            self.notify(f"Dossier créé pour {dossier.beneficiary.display_name}.", markup=False)
            self.query_one(DataTable).move_cursor(row=self.query_one(DataTable).get_row_index(dossier.id))

        self.app.push_screen(DossierFormScreen(), created)

    def action_open_dossier(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            self.notify("Aucun dossier à ouvrir : créez-en un avec N.", markup=False)
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        entry = self.entries.get(str(key))
        if entry is None:
            return
        if entry.error:
            self.notify(
                f"Ce dossier est illisible ({entry.error}). Il n'a pas été modifié ; "
                "faites une copie du fichier avant toute réparation.",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        from bilan_tui.tui.screens.dossier import DossierScreen

        try:
            handle, locked_reason = self.bilan.repository.try_open(entry.id)
        except StorageError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        if locked_reason:
            self.notify(locked_reason, severity="warning", timeout=10, markup=False)
        self.bilan.last_dossier = entry.id
        self.app.push_screen(DossierScreen(handle, locked_reason))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_dossier()
