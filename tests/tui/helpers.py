"""Driving the app as a person would: keys only, and reading what the screen shows."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text key by key (newlines as Enter), as on a keyboard."""
    await pilot.press(*["enter" if char == "\n" else char for char in text])


def _displayed(widget: Widget) -> bool:
    node: Widget | None = widget
    while isinstance(node, Widget):
        if not node.display:
            return False
        node = node.parent if isinstance(node.parent, Widget) else None
    return True


def visible_text(pilot: Pilot) -> str:
    """The text of the Statics a person can see on the current screen (hidden ones excluded)."""
    parts = []
    for widget in pilot.app.screen.query(Static):
        if _displayed(widget):
            content = widget.content
            parts.append(content.plain if hasattr(content, "plain") else str(content))
    return "\n".join(parts)
