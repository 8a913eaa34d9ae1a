"""A list of text widgets brought up to date in place: what did not change is not redrawn.

A screen describes what a container should show as rows, each with a stable key; :func:`sync_rows`
compares them with the widgets already there and only updates the rows whose text or style
changed, mounts the new ones where they belong and removes the ones that went away. Appending to
a long transcript then costs one row, not the whole list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static


@dataclass(frozen=True)
class Row:
    """One line of a keyed list: ``key`` is unique in its list and stable from one drawing to the next;
    ``kind`` says which widget shows it (a row whose kind changes gets a new widget)."""

    key: str
    content: Text
    classes: str = ""
    kind: str = ""
    ref: str = ""
    """What the row stands for (a step id, an item id), for widgets that act on it."""


class RowWidget(Static):
    """A widget showing a :class:`Row`; ``row`` is what it shows now."""

    def __init__(self, row: Row) -> None:
        super().__init__(row.content, classes=row.classes, markup=False)
        self.row = row

    def show_row(self, row: Row) -> bool:
        """Show ``row`` (same key and kind); redraw only what changed. True when something did."""
        if row == self.row:
            return False
        if row.content != self.row.content:
            self.update(row.content)
        if row.classes != self.row.classes:
            self.set_classes(row.classes)
        self.row = row
        return True


def sync_rows(container: Widget, rows: Sequence[Row], build: Callable[[Row], RowWidget]) -> list[RowWidget]:
    """Make ``container`` show ``rows`` in order, keeping every widget whose key is still there.

    Returns the widgets mounted by this call. If the kept rows changed order (rare: nothing in the
    interview reorders), the list is drawn anew.
    """
    wanted = {row.key: row for row in rows}
    if len(wanted) != len(rows):
        raise ValueError("each row of a keyed list needs its own key")
    current = [child for child in container.children if isinstance(child, RowWidget)]
    kept = {widget.row.key: widget for widget in current
            if widget.row.key in wanted and wanted[widget.row.key].kind == widget.row.kind}
    stale = [widget for widget in container.children if not isinstance(widget, RowWidget)
             or kept.get(widget.row.key) is not widget]
    if [key for key in (row.key for row in rows) if key in kept] != list(kept):
        stale = list(container.children)
        kept = {}
    if stale:
        container.remove_children(stale)
    mounted: list[RowWidget] = []
    pending: list[RowWidget] = []  # new widgets waiting for the next kept one, to go before it
    for row in rows:
        widget = kept.get(row.key)
        if widget is None:
            pending.append(build(row))
            continue
        widget.show_row(row)
        if pending:
            container.mount_all(pending, before=widget)
            mounted += pending
            pending = []
    if pending:
        container.mount_all(pending)
        mounted += pending
    return mounted
