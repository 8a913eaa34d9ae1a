"""The prompt area's input, one widget per answer type.

Each one gives the raw input (``raw()``), can be filled with an earlier value (``prefill()``)
and posts :class:`Submit` when the person validates with the natural key of the widget
(Enter on a line, a number key on a choice). Ctrl+S validates every type, from the screen.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from bilan_tui.domain.answers import format_item
from bilan_tui.domain.flow import AnswerSpec, AnswerType, Step
from bilan_tui.tui.access import AppAccess


class Submit(Message):
    """The person validated the answer."""


class AnswerInput(AppAccess, Vertical):
    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    """

    def raw(self) -> Any:
        raise NotImplementedError

    def prefill(self, value: Any) -> None:
        """Show an earlier answer so that it can be changed."""

    def focus_input(self) -> None:
        self.query("Input, TextArea, OptionList, SelectionList, Button").first().focus()


class LineAnswer(AnswerInput):
    """Text, number or date on one line; Enter validates."""

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec

    def compose(self) -> ComposeResult:
        hint = {AnswerType.DATE: "JJ/MM/AAAA", AnswerType.NUMBER: "un nombre"}.get(self.spec.type, "")
        field = Input(placeholder=self.spec.placeholder or hint, id="answer-line")
        field.cursor_blink = self.blink
        yield field

    def raw(self) -> Any:
        return self.query_one(Input).value

    def prefill(self, value: Any) -> None:
        if value is None:
            return
        if self.spec.type is AnswerType.DATE and isinstance(value, str) and len(value) == 10:
            year, month, day = value.split("-")
            value = f"{day}/{month}/{year}"
        if isinstance(value, float):
            value = str(value).replace(".", ",")
        self.query_one(Input).value = str(value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(Submit())


class LongTextAnswer(AnswerInput):
    """Several lines; Enter makes a new line, Ctrl+S validates."""

    DEFAULT_CSS = """
    LongTextAnswer TextArea { height: 6; }
    LongTextAnswer .hint { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        area = TextArea(id="answer-long", soft_wrap=True, show_line_numbers=False)
        area.cursor_blink = self.blink
        yield area
        yield Static("Entrée : nouvelle ligne · Ctrl+S : valider", classes="hint")

    def raw(self) -> Any:
        return self.query_one(TextArea).text

    def prefill(self, value: Any) -> None:
        if value:
            self.query_one(TextArea).load_text(str(value))


class ChoiceAnswer(AnswerInput):
    """One choice among several (or a degree of a scale): a number key or Enter validates."""

    DEFAULT_CSS = """
    ChoiceAnswer OptionList { height: auto; max-height: 12; }
    """

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec
        if spec.type is AnswerType.SCALE:
            assert spec.min is not None and spec.max is not None
            self.values = [str(v) for v in range(int(spec.min), int(spec.max) + 1)]
            self.labels = [f"{v}" + (f" – {spec.scale_labels[int(v)]}" if int(v) in spec.scale_labels else "")
                           for v in self.values]
        else:
            self.values = [c.value for c in spec.choices]
            self.labels = [c.label for c in spec.choices]

    def _key_for(self, index: int) -> str:
        # A scale shows its own numbers (0-4 or 1-5); choices are numbered from 1.
        return self.values[index] if self.spec.type is AnswerType.SCALE else str(index + 1)

    def compose(self) -> ComposeResult:
        options = [Option(Text(f"{self._key_for(i)}. ") + Text(label), id=value)
                   for i, (value, label) in enumerate(zip(self.values, self.labels, strict=True))]
        yield OptionList(*options, id="answer-choice")

    def raw(self) -> Any:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        value = self.values[option_list.highlighted]
        return int(value) if self.spec.type is AnswerType.SCALE else value

    def prefill(self, value: Any) -> None:
        if value is not None and str(value) in self.values:
            self.query_one(OptionList).highlighted = self.values.index(str(value))

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            keys = [self._key_for(i) for i in range(len(self.values))]
            if event.character in keys:
                event.stop()
                self.query_one(OptionList).highlighted = keys.index(event.character)
                self.post_message(Submit())

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Submit())


class MultiAnswer(AnswerInput):
    """Several choices: number keys or Space tick them, Ctrl+S validates."""

    DEFAULT_CSS = """
    MultiAnswer SelectionList { height: auto; max-height: 12; }
    MultiAnswer .hint { color: $text-muted; }
    """

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec

    def compose(self) -> ComposeResult:
        selections = [Selection(Text(f"{i}. ") + Text(c.label), c.value) for i, c in enumerate(self.spec.choices, 1)]
        yield SelectionList[str](*selections, id="answer-multi")
        yield Static("Chiffre ou Espace : cocher/décocher · Ctrl+S : valider", classes="hint")

    def raw(self) -> Any:
        chosen = set(self.query_one(SelectionList).selected)
        return [c.value for c in self.spec.choices if c.value in chosen]

    def prefill(self, value: Any) -> None:
        selection_list = self.query_one(SelectionList)
        for chosen in value or []:
            selection_list.select(chosen)

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.spec.choices):
                event.stop()
                selection_list = self.query_one(SelectionList)
                selection_list.toggle(self.spec.choices[index].value)
                selection_list.highlighted = index


class ListAnswer(AnswerInput):
    """A list of items with fields: Enter on the last field adds the item, Ctrl+S validates the list."""

    DEFAULT_CSS = """
    ListAnswer #items { height: auto; max-height: 8; color: $text; }
    ListAnswer #fields { height: auto; }
    ListAnswer #fields > * { width: 1fr; }
    ListAnswer .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+o", "add_item", "Ajouter l'élément"),
        Binding("ctrl+r", "remove_last", "Retirer le dernier"),
    ]

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec
        self.items: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static("Aucun élément pour l'instant.", id="items", markup=False)
        with Horizontal(id="fields"):
            for item_field in self.spec.fields:
                if item_field.type is AnswerType.SINGLE:
                    yield Select(
                        [(c.label, c.value) for c in item_field.choices],
                        prompt=item_field.label,
                        id=f"field-{item_field.id}",
                    )
                else:
                    field = Input(placeholder=item_field.label, id=f"field-{item_field.id}")
                    field.cursor_blink = self.blink
                    yield field
        yield Static(
            "Entrée sur le dernier champ ou Ctrl+O : ajouter · Ctrl+R : retirer le dernier · Ctrl+S : valider la liste",
            classes="hint",
        )

    def focus_input(self) -> None:
        self.query_one(f"#field-{self.spec.fields[0].id}").focus()

    def _current_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for item_field in self.spec.fields:
            widget = self.query_one(f"#field-{item_field.id}")
            if isinstance(widget, Select):
                item[item_field.id] = None if widget.is_blank() else widget.value
            else:
                assert isinstance(widget, Input)
                item[item_field.id] = widget.value
        return item

    def _clear_fields(self) -> None:
        for item_field in self.spec.fields:
            widget = self.query_one(f"#field-{item_field.id}")
            if isinstance(widget, Select):
                widget.clear()
            else:
                assert isinstance(widget, Input)
                widget.value = ""
        self.query_one(f"#field-{self.spec.fields[0].id}").focus()

    def _refresh_items(self) -> None:
        text = "\n".join(f"{i}. {format_item(self.spec, item)}" for i, item in enumerate(self.items, 1))
        self.query_one("#items", Static).update(Text(text or "Aucun élément pour l'instant."))

    def _is_blank(self, item: dict[str, Any]) -> bool:
        return all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in item.values())

    def action_add_item(self) -> None:
        item = self._current_item()
        if self._is_blank(item):
            return
        missing = [f.label for f in self.spec.fields if f.required and (item.get(f.id) in (None, "")
                                                                         or not str(item[f.id]).strip())]
        if missing:
            self.app.notify(f"À compléter avant d'ajouter : {', '.join(missing)}.", severity="warning", markup=False)
            return
        self.items.append(item)
        self._refresh_items()
        self._clear_fields()

    def action_remove_last(self) -> None:
        if self.items:
            self.items.pop()
            self._refresh_items()

    def raw(self) -> Any:
        # What is typed in the fields but not added yet counts too: nothing typed is lost.
        pending = self._current_item()
        return [*self.items, pending] if not self._is_blank(pending) else list(self.items)

    def prefill(self, value: Any) -> None:
        self.items = [dict(item) for item in value or []]
        self._refresh_items()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        last = f"field-{self.spec.fields[-1].id}"
        if event.input.id == last:
            self.action_add_item()
        else:
            self.screen.focus_next()


class InfoAnswer(AnswerInput):
    """An information step: Enter continues."""

    def compose(self) -> ComposeResult:
        yield Button("Continuer (Entrée)", id="answer-continue", variant="primary")

    def raw(self) -> Any:
        return None

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(Submit())


def input_for(step: Step) -> AnswerInput:
    spec = step.answer
    if spec is None:
        return InfoAnswer()
    if spec.type in (AnswerType.TEXT, AnswerType.NUMBER, AnswerType.DATE):
        return LineAnswer(spec)
    if spec.type is AnswerType.LONG_TEXT:
        return LongTextAnswer()
    if spec.type in (AnswerType.SINGLE, AnswerType.SCALE):
        return ChoiceAnswer(spec)
    if spec.type is AnswerType.MULTI:
        return MultiAnswer(spec)
    return ListAnswer(spec)
