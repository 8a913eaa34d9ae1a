"""Chat bubbles of the interview transcript: one widget per message."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static


class Bubble(Static):
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

    def __init__(self, content: Text, *, classes: str = "") -> None:
        super().__init__(content, classes=classes, markup=False)


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

    def __init__(self, content: Text, step_id: str, *, classes: str = "") -> None:
        super().__init__(content, classes=classes)
        self.step_id = step_id

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
