"""Chat bubbles of the interview transcript: one widget per message.

The transcript is updated, not rebuilt: the screen describes every message as a :class:`Row`
and :class:`Transcript` keeps the bubbles already shown, redraws those whose text or style
changed (an edited answer, one marked to re-check) and mounts the new exchange at its place.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import AwaitMount

from bilan_tui.domain.plural import plural
from bilan_tui.tui.widgets.keyed_list import Row, RowWidget, sync_rows

ANSWER = "answer"
"""The kind of the rows shown by an :class:`AnswerBubble` (their ``ref`` is the step id)."""
SECTION = "section"
"""The kind of a heading row of the transcript (not a bubble)."""
OLDER = "older"
"""The kind of the row that stands for the older messages not drawn."""

WINDOW = 40
"""Messages drawn at most (the latest ones) until the whole conversation is asked for: Textual lays
out every widget of a screen at each change, so a transcript of 300 bubbles made each answer slower
than the one before. The older messages are one key away (F3 draws them all, to pick one)."""


class Bubble(RowWidget):
    """A message; its content is a ``Text`` so that people's words are never read as markup."""

    DEFAULT_CSS = """
    Bubble {
        width: 1fr;
        height: auto;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    Bubble.assistant { background: $primary 15%; border-left: tall $primary; margin-right: 12; }
    Bubble.answer { background: $success 12%; border-right: tall $success; margin-left: 12; }
    Bubble.note { background: $warning 12%; border-left: tall $warning; margin-left: 6; margin-right: 6; }
    Bubble.consultant-only { background: $error 10%; border-left: tall $error; }
    Bubble.stale { border-right: tall $warning; }
    Bubble:focus { background: $accent 30%; }
    """


class AnswerBubble(Bubble):
    """An answer in the transcript; focus it and press Enter to change it."""

    can_focus = True
    BINDINGS = [
        Binding("enter", "edit", "Modifier cette réponse"),
        Binding("up", "previous", "Précédente", show=False),
        Binding("down", "next", "Suivante", show=False),
    ]

    class EditRequested(Message):
        def __init__(self, step_id: str) -> None:
            super().__init__()
            self.step_id = step_id

    @property
    def step_id(self) -> str:
        return self.row.ref

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self.step_id))

    def _move(self, delta: int) -> None:
        bubbles = list(self.screen.query(AnswerBubble))
        index = bubbles.index(self) + delta
        if 0 <= index < len(bubbles):
            bubbles[index].focus()
            bubbles[index].scroll_visible()

    def action_previous(self) -> None:
        self._move(-1)

    def action_next(self) -> None:
        self._move(1)


def bubble_for(row: Row) -> RowWidget:
    if row.kind == ANSWER:
        return AnswerBubble(row)
    if row.kind in (SECTION, OLDER):
        return RowWidget(row)
    return Bubble(row)


class Transcript(VerticalScroll):
    """The conversation, oldest message first, kept scrolled to its end.

    Only the latest :data:`WINDOW` messages are drawn, under a line that counts the older ones,
    unless :attr:`whole` is set (to pick an older answer to change).
    """

    _added: list[RowWidget] = []
    whole: bool = False

    def show(self, rows: Sequence[Row]) -> None:
        """Show ``rows``: only what changed is redrawn, new messages are added where they belong."""
        shown = list(rows)
        older = len(shown) - WINDOW
        if older > 0 and not self.whole:
            count = plural(older, "message plus ancien", "messages plus anciens")
            line = Row(key="__older__", content=Text(f"⋯ {count} : F3 pour afficher toute la conversation",
                                                     style="italic"), classes="older", kind=OLDER)
            shown = [line, *shown[older:]]
        self._added = sync_rows(self, shown, bubble_for)
        self.scroll_end(animate=False)

    async def mounted(self) -> None:
        """Wait until the messages added by the last :meth:`show` are mounted."""
        added = [widget for widget in self._added if widget.parent is self]
        self._added = []
        if added:
            await AwaitMount(self, added)
