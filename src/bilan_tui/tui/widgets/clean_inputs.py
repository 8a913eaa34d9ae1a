"""Inputs that never hold a control character, whether it was typed, pasted or set.

Textual draws an ``ESC`` held by an ``Input`` or a ``TextArea`` as is: a pasted ``ESC ] 0 ; … BEL``
would reach the terminal while it is still being edited, before any form cleans it. These inputs drop
C0 and C1 control characters on the way in (newlines and tabs stay in a ``TextArea``) and keep the
rest of the text, so what is shown is what will be stored.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from bilan_tui.domain.text import clean_text


class CleanInput(Input):
    """A one-line input without control characters."""

    def validate_value(self, value: str) -> str:
        return clean_text(value)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(clean_text(text), start, end)  # the cursor lands after what was really inserted


class CleanTextArea(TextArea):
    """A multi-line input without control characters other than newline and tab."""

    def edit(self, edit: Edit) -> EditResult:
        edit.text = clean_text(edit.text, multiline=True)
        return super().edit(edit)

    def load_text(self, text: str) -> None:
        super().load_text(clean_text(text, multiline=True))
