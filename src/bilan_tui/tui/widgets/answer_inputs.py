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
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.input import Selection as TextSelection
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from bilan_tui.domain.answers import MAX_LIST_ITEMS, format_item, format_month, format_number
from bilan_tui.domain.flow import AnswerSpec, AnswerType, ItemField
from bilan_tui.domain.plural import plural
from bilan_tui.domain.text import clean_text, is_blank
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.widgets.choice_select import ChoiceSelect
from bilan_tui.tui.widgets.clean_inputs import CleanInput, CleanTextArea


class Submit(Message):
    """The person validated the answer."""


class AnswerInput(AppAccess, Vertical):
    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    """

    def on_mount(self) -> None:
        # Once mounted, children included: the person types at once, whatever held the focus before.
        self.call_after_refresh(self.focus_input)

    def raw(self) -> Any:
        raise NotImplementedError

    def prefill(self, value: Any) -> None:
        """Show an earlier answer so that it can be changed."""

    def offer(self, value: Any) -> None:
        """Show what is already known (a fact of the dossier) so that it is confirmed or completed."""
        self.prefill(value)

    def focus_input(self) -> None:
        found = self.query("Input, TextArea, OptionList, SelectionList, Button")
        if found:  # not when the widget is already being replaced
            found.first().focus()


class LineAnswer(AnswerInput):
    """Text, number or date on one line; Enter validates."""

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec

    def compose(self) -> ComposeResult:
        hint = {AnswerType.DATE: "JJ/MM/AAAA", AnswerType.NUMBER: "un nombre",
                AnswerType.MONTH: "une année (2015) ou un mois (03/2015)"}.get(self.spec.type, "")
        field = CleanInput(placeholder=self.spec.placeholder or hint, id="answer-line")
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
        if self.spec.type is AnswerType.MONTH and isinstance(value, str):
            value = format_month(value)
        if isinstance(value, float):
            value = format_number(value)  # 0,00001, not 1e-05: what is shown can be validated again
        self.query_one(Input).value = str(value)

    def offer(self, value: Any) -> None:
        # To be completed: what is typed goes after it, it does not replace it.
        self.prefill(value)
        field = self.query_one(Input)
        field.select_on_focus = False
        field.selection = TextSelection.cursor(len(field.value))

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
        area = CleanTextArea(id="answer-long", soft_wrap=True, show_line_numbers=False)
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
    ListAnswer #fields.-vertical { layout: vertical; }
    ListAnswer .field-row { height: 1; }
    ListAnswer .field-row Label { width: auto; min-width: 12; max-width: 36; color: $text-muted; padding-right: 1; }
    ListAnswer .field-row > Input, ListAnswer .field-row > Select { width: 1fr; }
    ListAnswer .field-row > Input { background: $boost; }
    ListAnswer .hint { color: $text-muted; }
    """
    VERTICAL_FROM = 4
    """With this many fields or more, one compact line per field (label, then input)."""
    BINDINGS = [
        Binding("ctrl+o", "add_item", "Ajouter l'élément"),
        Binding("ctrl+r", "remove_last", "Retirer le dernier"),
    ]

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec
        self.items: list[dict[str, Any]] = []

    def _field_widget(self, item_field: ItemField, compact: bool) -> Widget:
        """An input for one field; in the compact layout the label sits beside it, not inside."""
        if item_field.type is AnswerType.SINGLE:
            return ChoiceSelect(
                [(c.label, c.value) for c in item_field.choices],
                label="" if compact else item_field.label,  # in the compact layout the label sits beside it
                id=f"field-{item_field.id}",
                compact=compact,
            )
        hint = {AnswerType.DATE: "JJ/MM/AAAA", AnswerType.MONTH: "2015 ou 03/2015"}.get(item_field.type, "")
        placeholder = hint if compact else (f"{item_field.label} ({hint})" if hint else item_field.label)
        field = CleanInput(placeholder=placeholder, id=f"field-{item_field.id}", compact=compact)
        field.cursor_blink = self.blink
        return field

    def compose(self) -> ComposeResult:
        yield Static("Aucun élément pour l'instant.", id="items", markup=False)
        vertical = len(self.spec.fields) >= self.VERTICAL_FROM
        with Horizontal(id="fields", classes="-vertical" if vertical else ""):
            for item_field in self.spec.fields:
                if vertical:
                    with Horizontal(classes="field-row"):
                        star = " *" if item_field.required else ""
                        width = max(len(f.label) for f in self.spec.fields) + 3
                        label = Label(Text(item_field.label + star))
                        label.styles.width = min(width, 36)
                        yield label
                        yield self._field_widget(item_field, compact=True)
                else:
                    yield self._field_widget(item_field, compact=False)
        yield Static(
            "Entrée sur le dernier champ ou Ctrl+O : ajouter · Ctrl+R : retirer le dernier · Ctrl+S : valider la liste",
            classes="hint",
        )

    def focus_input(self) -> None:
        found = self.query(f"#field-{self.spec.fields[0].id}")
        if found:  # not when the widget is already being replaced
            found.first().focus()

    def _current_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for item_field in self.spec.fields:
            widget = self.query_one(f"#field-{item_field.id}")
            if isinstance(widget, Select):
                item[item_field.id] = None if widget.is_blank() else widget.value
            else:
                assert isinstance(widget, Input)
                item[item_field.id] = clean_text(widget.value)  # shown in the list as typed, escapes out
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
        return all(v is None or (isinstance(v, str) and is_blank(v)) for v in item.values())

    def action_add_item(self) -> None:
        item = self._current_item()
        if self._is_blank(item):
            return
        missing = [f.label for f in self.spec.fields if f.required and (item.get(f.id) is None
                                                                         or is_blank(str(item[f.id])))]
        if missing:
            self.app.notify(f"À compléter avant d'ajouter : {', '.join(missing)}.", severity="warning", markup=False)
            return
        limit = min(self.spec.max_items or MAX_LIST_ITEMS, MAX_LIST_ITEMS)
        if len(self.items) >= limit:
            self.app.notify(f"La liste compte déjà {plural(limit, 'élément')}, le maximum : Ctrl+S pour la valider, "
                            "Ctrl+R pour retirer le dernier.", severity="warning", markup=False)
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


class RatingsAnswer(AnswerInput):
    """A grid: each item gets a degree of the scale; a digit rates the highlighted item and moves on."""

    DEFAULT_CSS = """
    RatingsAnswer OptionList { height: auto; max-height: 12; }
    RatingsAnswer .hint { color: $text-muted; }
    """

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec
        assert spec.min is not None and spec.max is not None
        self.low, self.high = int(spec.min), int(spec.max)
        self.ratings: dict[str, int] = {}

    def _prompt(self, index: int) -> Text:
        item = self.spec.items[index]
        value = self.ratings.get(item.id)
        text = Text(f"{index + 1:>2}. ")
        text.append(f"[{value}]" if value is not None else "[ ]", style="bold" if value is not None else "dim")
        text.append(" ")
        text.append(item.label)
        return text

    def compose(self) -> ComposeResult:
        yield OptionList(*[Option(self._prompt(i), id=item.id) for i, item in enumerate(self.spec.items)],
                         id="answer-ratings")
        legend = " · ".join(f"{v} {self.spec.scale_labels.get(v, '')}".strip() for v in range(self.low, self.high + 1))
        yield Static(Text(legend), classes="hint", id="ratings-legend")

    def raw(self) -> Any:
        return dict(self.ratings)

    def prefill(self, value: Any) -> None:
        if isinstance(value, dict):
            self.ratings = {k: v for k, v in value.items() if isinstance(v, int)}
            self._redraw()
            unrated = next((i for i, item in enumerate(self.spec.items) if item.id not in self.ratings), 0)
            self.query_one(OptionList).highlighted = unrated

    def _redraw(self) -> None:
        option_list = self.query_one(OptionList)
        for index in range(len(self.spec.items)):
            option_list.replace_option_prompt_at_index(index, self._prompt(index))

    def on_key(self, event: Key) -> None:
        if not (event.character and event.character.isdigit()):
            return
        value = int(event.character)
        event.stop()
        if not self.low <= value <= self.high:
            self.app.bell()
            return
        option_list = self.query_one(OptionList)
        index = option_list.highlighted or 0
        self.ratings[self.spec.items[index].id] = value
        option_list.replace_option_prompt_at_index(index, self._prompt(index))
        if index + 1 < len(self.spec.items):
            option_list.highlighted = index + 1

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Submit())


class RankingAnswer(AnswerInput):
    """Ordering choices: Enter (or the choice's number) puts the highlighted choice next in the ranking."""

    DEFAULT_CSS = """
    RankingAnswer #ranking { height: auto; color: $text; }
    RankingAnswer OptionList { height: auto; max-height: 10; }
    RankingAnswer .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("ctrl+r", "remove_last", "Retirer le dernier")]

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec
        self.ranked: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="ranking", markup=False)
        yield OptionList(id="answer-ranking")
        limit = f" ({self.spec.max_items} au plus)" if self.spec.max_items else ""
        yield Static(f"Entrée ou chiffre : ajouter au classement{limit} · Ctrl+R : retirer le dernier · "
                     "Ctrl+S : valider", classes="hint")

    def on_mount(self) -> None:
        self._redraw()
        super().on_mount()

    def _remaining(self) -> list[tuple[str, str]]:
        return [(c.value, c.label) for c in self.spec.choices if c.value not in self.ranked]

    def _redraw(self) -> None:
        lines = "\n".join(f"{i}. {self.spec.choice_label(v)}" for i, v in enumerate(self.ranked, start=1))
        self.query_one("#ranking", Static).update(Text(f"Classement :\n{lines}" if lines else "Classement : (vide)"))
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options([Option(Text(f"{i}. ") + Text(label), id=value)
                                 for i, (value, label) in enumerate(self._remaining(), start=1)])
        if option_list.option_count:
            option_list.highlighted = 0

    def _add(self, value: str) -> None:
        if self.spec.max_items is not None and len(self.ranked) >= self.spec.max_items:
            self.app.notify(f"Le classement compte déjà {plural(self.spec.max_items, 'élément')} : Ctrl+S pour valider, "
                            "Ctrl+R pour retirer le dernier.", severity="warning", markup=False)
            return
        self.ranked.append(value)
        self._redraw()

    def raw(self) -> Any:
        return list(self.ranked)

    def prefill(self, value: Any) -> None:
        known = {c.value for c in self.spec.choices}
        self.ranked = [v for v in value or [] if v in known]
        self._redraw()

    def action_remove_last(self) -> None:
        if self.ranked:
            self.ranked.pop()
            self._redraw()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            remaining = self._remaining()
            index = int(event.character) - 1
            if index < len(remaining):
                event.stop()
                self._add(remaining[index][0])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._add(event.option.id)


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


def input_for(spec: AnswerSpec | None) -> AnswerInput:
    """The input for a question, from its answer spec with choices already resolved."""
    if spec is None:
        return InfoAnswer()
    if spec.type in (AnswerType.TEXT, AnswerType.NUMBER, AnswerType.DATE, AnswerType.MONTH):
        return LineAnswer(spec)
    if spec.type is AnswerType.LONG_TEXT:
        return LongTextAnswer()
    if spec.type in (AnswerType.SINGLE, AnswerType.SCALE):
        return ChoiceAnswer(spec)
    if spec.type is AnswerType.MULTI:
        return MultiAnswer(spec)
    if spec.type is AnswerType.RATINGS:
        return RatingsAnswer(spec)
    if spec.type is AnswerType.RANKING:
        return RankingAnswer(spec)
    return ListAnswer(spec)
