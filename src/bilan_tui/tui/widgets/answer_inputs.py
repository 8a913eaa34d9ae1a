"""The prompt area's input, one widget per answer type.

Each one gives the raw input (``raw()``), can be filled with an earlier value (``prefill()``)
and posts :class:`Submit` when the person validates with the natural key of the widget
(Enter on a line, a number key on a choice). Ctrl+S validates every type, from the screen;
when the answer is refused, the screen hands the messages to ``show_problems()`` so that the
input can take the person to what is wrong (the faulty element of a list and its field).

A long list of choices says how many there are, which ones are shown and how many lie below
(:class:`ListCount`), next to its scroll bar: nothing is hidden without a sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.input import Selection as TextSelection
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from bilan_tui.domain.answers import (
    MAX_LIST_ITEMS,
    MAX_OWN_CHOICE_LENGTH,
    format_date,
    format_item,
    format_month,
    format_number,
    item_problem_place,
    match_choice,
)
from bilan_tui.domain.flow import AnswerSpec, AnswerType, ItemField
from bilan_tui.domain.plural import plural
from bilan_tui.domain.text import clean_text, is_blank, too_long
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.widgets.choice_select import ChoiceSelect
from bilan_tui.tui.widgets.clean_inputs import CleanInput, CleanTextArea


class Submit(Message):
    """The person validated the answer."""


# -- long lists: a count and what is shown --------------------------------------------------------

LONG_LIST = 10
"""From this many entries, a list always shows its count (shorter ones only when they scroll)."""


class Shown(Message):
    """A counted list was painted: the entries it shows may have changed."""

    def __init__(self, option_list: OptionList) -> None:
        super().__init__()
        self.option_list = option_list


def shown_range(option_list: OptionList) -> tuple[int, int, int]:
    """The first and last entries (from 1) the list shows now, and how many it has."""
    total = option_list.option_count
    lines = option_list._lines  # one (option index, line of the option) per line of the list
    height = option_list.scrollable_content_region.height
    if not total or not lines or height <= 0 or len(lines) <= height:
        return (1, total, total) if total else (0, 0, 0)
    top = min(max(int(option_list.scroll_y), 0), len(lines) - 1)
    bottom = min(top + height, len(lines)) - 1
    return lines[top][0] + 1, lines[bottom][0] + 1, total


def _tell_shown(option_list: OptionList, last: tuple[int, int, int] | None) -> tuple[int, int, int]:
    """After a paint: a :class:`Shown` message when what the list shows has changed."""
    shown = shown_range(option_list)
    if shown != last:
        option_list.post_message(Shown(option_list))
    return shown


class CountedOptionList(OptionList):
    """An option list that tells its :class:`ListCount` what it shows, when that changes."""

    shown: tuple[int, int, int] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        strips = super().render_lines(crop)
        self.shown = _tell_shown(self, self.shown)
        return strips


class CountedSelectionList(SelectionList[str]):
    """A selection list that tells its :class:`ListCount` what it shows, when that changes."""

    shown: tuple[int, int, int] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        strips = super().render_lines(crop)
        self.shown = _tell_shown(self, self.shown)
        return strips


class ListCount(Static):
    """Under a list: « 19 propositions », or « Propositions 1 à 10 sur 19 · encore 9 plus bas (↓) »."""

    DEFAULT_CSS = """
    ListCount { color: $text-muted; height: auto; }
    ListCount.-empty { display: none; }
    """

    def __init__(self, target: str, singular: str, plural: str, *, always: bool = False) -> None:
        super().__init__(id=f"{target}-count", markup=False, classes="-empty")
        self.target = target
        self.singular = singular
        self.plural = plural
        self.always = always
        self.extra = ""
        self.shown_text = ""

    def show_range(self, first: int, last: int, total: int) -> None:
        parts: list[str] = []
        if total and (first > 1 or last < total):
            part = f"{self.plural[:1].upper()}{self.plural[1:]} {first} à {last} sur {total}"
            if last < total:
                part += f" · encore {total - last} plus bas (↓)"
            else:
                part += " · fin de la liste"
            parts.append(part)
        elif total and (self.always or total >= LONG_LIST):
            parts.append(f"{total} {self.singular if total == 1 else self.plural}")
        if self.extra:
            parts.append(self.extra)
        text = " · ".join(parts)
        if text != self.shown_text:  # a new text only: no repaint for nothing
            self.shown_text = text
            self.update(Text(text))
            self.set_class(not text, "-empty")


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

    def show_problems(self, messages: Sequence[str]) -> None:
        """The answer was refused (or questioned) with these messages: take the person to what is wrong."""

    def focus_input(self) -> None:
        found = self.query("Input, TextArea, OptionList, SelectionList, Button")
        if found:  # not when the widget is already being replaced
            found.first().focus()

    @on(Shown)
    def _list_shown(self, event: Shown) -> None:
        event.stop()
        self.update_count(event.option_list)

    def update_count(self, option_list: OptionList) -> None:
        if not option_list.id:
            return
        counts = self.query(f"#{option_list.id}-count")
        if counts:
            count = counts.first()
            if isinstance(count, ListCount):
                count.show_range(*shown_range(option_list))


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
        yield CountedOptionList(*options, id="answer-choice")
        yield ListCount("answer-choice", "choix", "choix")

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


OTHER = "\x00autre"
"""The value of the « Autre (à préciser) » entry (a control character: no flow or person can type it)."""


class MultiAnswer(AnswerInput):
    """Several choices: number keys or Space tick them, Ctrl+S validates.

    With ``other`` (a card sort), the last entry « Autre (à préciser) » leads to a line where the
    person types a card of their own; Enter adds it to the list, ticked, like the others.
    """

    DEFAULT_CSS = """
    MultiAnswer SelectionList { height: auto; max-height: 12; }
    MultiAnswer .hint { color: $text-muted; }
    MultiAnswer #other-row { height: 1; }
    MultiAnswer #other-row Label { width: auto; color: $text-muted; padding-right: 1; }
    MultiAnswer #other-row Input { width: 1fr; background: $boost; }
    """

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec
        self.own: list[str] = []

    def compose(self) -> ComposeResult:
        selections = [Selection(Text(f"{i}. ") + Text(c.label), c.value) for i, c in enumerate(self.spec.choices, 1)]
        if self.spec.other:
            selections.append(self._other_entry())
        yield CountedSelectionList(*selections, id="answer-multi")
        yield ListCount("answer-multi", "proposition", "propositions")
        if self.spec.other:
            with Horizontal(id="other-row"):
                yield Label("Autre (à préciser) :")
                field = CleanInput(placeholder="votre propre carte, puis Entrée pour l'ajouter", id="answer-other",
                                   compact=True)
                field.cursor_blink = self.blink
                yield field
            yield Static("Chiffre ou Espace : cocher/décocher · « Autre (à préciser) » : écrire sa propre carte, "
                         "Entrée pour l'ajouter · Ctrl+S : valider", classes="hint")
        else:
            yield Static("Chiffre ou Espace : cocher/décocher · Ctrl+S : valider", classes="hint")

    def _other_entry(self) -> Selection[str]:
        number = len(self.spec.choices) + len(self.own) + 1
        return Selection(Text(f"{number}. Autre (à préciser)…", style="italic"), OTHER)

    def raw(self) -> Any:
        chosen = set(self.query_one(SelectionList).selected)
        values = [c.value for c in self.spec.choices if c.value in chosen] + [v for v in self.own if v in chosen]
        pending = self.query("#answer-other")
        if pending:  # a card typed but not added yet counts too: nothing typed is lost
            typed = pending.first(Input).value
            if not is_blank(typed):
                values.append(clean_text(typed).strip())
        return values

    def prefill(self, value: Any) -> None:
        selection_list = self.query_one(SelectionList)
        known = {c.value for c in self.spec.choices}
        for chosen in value or []:
            if chosen in known:
                selection_list.select(chosen)
            elif self.spec.other and isinstance(chosen, str) and chosen not in self.own:
                self._add_own(chosen)

    def _add_own(self, text: str) -> None:
        """A card of one's own, ticked, just before « Autre (à préciser) »."""
        selection_list = self.query_one(SelectionList)
        self.own.append(text)
        selection_list.remove_option_at_index(selection_list.option_count - 1)  # « Autre », put back after
        number = len(self.spec.choices) + len(self.own)
        selection_list.add_option(Selection(Text(f"{number}. ") + Text(text), text, True))
        selection_list.add_option(self._other_entry())
        selection_list.highlighted = number - 1

    def on_key(self, event: Key) -> None:
        if not isinstance(self.screen.focused, SelectionList):
            return
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            selection_list = self.query_one(SelectionList)
            if index < selection_list.option_count:
                event.stop()
                selection_list.highlighted = index
                selection_list.toggle(selection_list.get_option_at_index(index))

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        if event.selection.value == OTHER:  # not a choice: the way to one's own card
            event.selection_list.deselect(OTHER)
            self.query_one("#answer-other", Input).focus()

    @on(Input.Submitted, "#answer-other")
    def _own_typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean_text(event.value).strip()
        if is_blank(text):
            self.app.notify("Écrivez votre carte, puis Entrée pour l'ajouter.", severity="warning", markup=False)
            return
        selection_list = self.query_one(SelectionList)
        existing = match_choice(self.spec, text) or next((v for v in self.own if v.casefold() == text.casefold()),
                                                         None)
        if existing is not None:
            selection_list.select(existing)
            selection_list.highlighted = _index_for_value(selection_list, existing)
            self.app.notify(f"« {text} » est déjà dans la liste : carte cochée.", markup=False)
        else:
            problem = too_long(text, MAX_OWN_CHOICE_LENGTH)
            if problem:
                self.app.notify(f"Carte non ajoutée : {problem} ; un intitulé court suffit.", severity="warning",
                                markup=False)
                return
            self._add_own(text)
        event.input.value = ""
        selection_list.focus()


def _index_for_value(selection_list: SelectionList[str], value: str) -> int:
    for index in range(selection_list.option_count):
        if selection_list.get_option_at_index(index).value == value:
            return index
    return 0


def _form_text(item_field: ItemField, value: Any) -> str:
    """A stored (or typed) field value as it is typed in the form, so that it can be validated again."""
    if value is None:
        return ""
    if item_field.type is AnswerType.DATE:
        return format_date(str(value))
    if item_field.type is AnswerType.MONTH:
        return format_month(str(value))
    if item_field.type is AnswerType.NUMBER and isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


class ItemFieldSelect(ChoiceSelect):
    """A dropdown of a list element's form. Until a choice is made, Entrée opens it (as Espace, ↑↓);
    once chosen, Entrée goes on as in the other fields (next field, or on the last one the element is
    added), so that the list never reopens under what is typed next, which it would swallow."""

    class Done(Message):
        """Entrée on a dropdown whose choice is made."""

        def __init__(self, select: ItemFieldSelect) -> None:
            super().__init__()
            self.select = select

    def on_key(self, event: Key) -> None:
        if event.key == "enter" and not self.expanded and not self.is_blank():
            event.stop()
            event.prevent_default()
            self.post_message(self.Done(self))


class ListAnswer(AnswerInput):
    """A list of elements with fields, which can be corrected at any time.

    The form below the list holds one element: a new one, or the one being changed. Enter on the
    last field (or Ctrl+O) adds it, or puts the changed element back in its place. In the list
    (Maj+Tab from the form), ↑↓ choose an element, Entrée puts it back in the form, Suppr (or
    Ctrl+R) removes it after confirmation, Ctrl+↑ Ctrl+↓ move it. What is typed is never lost: a new
    element being typed waits aside while another is changed, and comes back after.
    """

    DEFAULT_CSS = """
    ListAnswer #items { height: auto; max-height: 8; color: $text; }
    ListAnswer #items-empty { color: $text-muted; }
    ListAnswer #fields { height: auto; }
    ListAnswer #fields > * { width: 1fr; }
    ListAnswer #fields.-vertical { layout: vertical; }
    ListAnswer .field-row { height: 1; }
    ListAnswer .field-row Label { width: auto; min-width: 12; max-width: 36; color: $text-muted; padding-right: 1; }
    ListAnswer .field-row > Input, ListAnswer .field-row > Select { width: 1fr; }
    ListAnswer .field-row > Input { background: $boost; }
    ListAnswer #form-title { text-style: bold; color: $text-muted; }
    ListAnswer #form-title.-editing { color: $warning; }
    ListAnswer .hint { color: $text-muted; }
    """
    VERTICAL_FROM = 4
    """With this many fields or more, one compact line per field (label, then input)."""
    BINDINGS = [
        Binding("ctrl+o", "add_item", "Ajouter l'élément"),
        Binding("ctrl+o", "save_item", "Enregistrer l'élément"),
        Binding("ctrl+r", "remove_item", "Retirer l'élément"),
        Binding("delete", "remove_chosen", "Retirer l'élément"),
        Binding("ctrl+up", "move(-1)", "Monter"),
        Binding("ctrl+down", "move(1)", "Descendre"),
        Binding("escape", "cancel_edit", "Annuler la modification"),
    ]

    def __init__(self, spec: AnswerSpec, *, private: bool = False) -> None:
        super().__init__()
        self.spec = spec
        self.private = private
        """The question is consultant-only: so is a dialog that quotes one of its elements."""
        self.items: list[dict[str, Any]] = []
        self.editing: int | None = None
        """The element (from 0) held by the form, or ``None`` when the form holds a new element."""
        self.draft: dict[str, Any] | None = None
        """The new element that was being typed, set aside while another one is changed."""

    def _field_widget(self, item_field: ItemField, compact: bool) -> Widget:
        """An input for one field; in the compact layout the label sits beside it, not inside."""
        if item_field.type is AnswerType.SINGLE:
            return ItemFieldSelect(
                [(c.label, c.value) for c in item_field.choices],
                label="" if compact else item_field.label,  # in the compact layout the label sits beside it
                id=f"field-{item_field.id}",
                compact=compact,
            )
        hint = {AnswerType.DATE: "JJ/MM/AAAA", AnswerType.MONTH: "2015 ou 03/2015"}.get(item_field.type, "")
        placeholder = hint if compact else (f"{item_field.label} ({hint})" if hint else item_field.label)
        # An element put back in the form is corrected where the cursor lands, not retyped whole.
        field = CleanInput(placeholder=placeholder, id=f"field-{item_field.id}", compact=compact,
                           select_on_focus=False)
        field.cursor_blink = self.blink
        return field

    def compose(self) -> ComposeResult:
        yield Static("Aucun élément pour l'instant.", id="items-empty", markup=False)
        yield CountedOptionList(id="items")
        yield ListCount("items", "élément", "éléments", always=True)
        yield Static("Nouvel élément", id="form-title", markup=False)
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
            "Entrée sur le dernier champ ou Ctrl+O : ajouter l'élément · Ctrl+S : valider la liste\n"
            "Maj+Tab : aller aux éléments · ↑↓ : choisir · Entrée : le modifier · Suppr ou Ctrl+R : le retirer · "
            "Ctrl+↑ Ctrl+↓ : le déplacer",
            classes="hint",
        )

    def on_mount(self) -> None:
        self._refresh_items()
        super().on_mount()

    def focus_input(self) -> None:
        self._focus_field(self.spec.fields[0].id)

    def _focus_field(self, field_id: str) -> None:
        found = self.query(f"#field-{field_id}")
        if found:  # not when the widget is already being replaced
            found.first().focus()

    # -- the form --------------------------------------------------------------------------------

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

    def _load_form(self, item: dict[str, Any] | None) -> None:
        """Put an element's values in the form (an empty form for ``None``)."""
        for item_field in self.spec.fields:
            widget = self.query_one(f"#field-{item_field.id}")
            value = (item or {}).get(item_field.id)
            if isinstance(widget, Select):
                known = {c.value for c in item_field.choices}
                if value is not None and str(value) in known:
                    widget.value = str(value)
                else:
                    widget.clear()
            else:
                assert isinstance(widget, Input)
                widget.value = _form_text(item_field, value)
                widget.cursor_position = len(widget.value)

    def _clear_fields(self) -> None:
        self._load_form(None)
        self._focus_field(self.spec.fields[0].id)

    def _is_blank(self, item: dict[str, Any]) -> bool:
        return all(v is None or (isinstance(v, str) and is_blank(v)) for v in item.values())

    def _missing(self, item: dict[str, Any]) -> list[str]:
        return [f.label for f in self.spec.fields
                if f.required and (item.get(f.id) is None or is_blank(str(item[f.id])))]

    # -- the list --------------------------------------------------------------------------------

    def _items_list(self) -> OptionList:
        return self.query_one("#items", OptionList)

    def _refresh_items(self, highlight: int | None = None) -> None:
        items_list = self._items_list()
        keep = items_list.highlighted if highlight is None else highlight
        items_list.clear_options()
        options = []
        for i, item in enumerate(self.items):
            text = Text(f"{i + 1}. ")
            text.append(format_item(self.spec, item) or "(vide)")
            if i == self.editing:
                text.append("  ✎ dans le formulaire", style="bold")
            options.append(Option(text))
        items_list.add_options(options)
        items_list.display = bool(self.items)
        self.query_one("#items-empty").display = not self.items
        if self.items:
            items_list.highlighted = min(keep if keep is not None else len(self.items) - 1, len(self.items) - 1)
        title = self.query_one("#form-title", Static)
        if self.editing is None:
            title.update(Text(f"Nouvel élément (le {len(self.items) + 1}e)" if self.items else "Nouvel élément"))
        else:
            title.update(Text(f"Modification de l'élément {self.editing + 1} : Entrée sur le dernier champ ou "
                              "Ctrl+O pour l'enregistrer · Échap : annuler la modification"))
        title.set_class(self.editing is not None, "-editing")
        self.refresh_bindings()

    def _target(self) -> int | None:
        """The element a key acts on: the one chosen in the list, or the one in the form."""
        items_list = self._items_list()
        if self.screen.focused is items_list or self.editing is None:
            return items_list.highlighted if self.items else None
        return self.editing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_item":
            return self.editing is None
        if action in ("save_item", "cancel_edit"):
            return self.editing is not None
        if action == "remove_item":
            return bool(self.items)
        if action == "remove_chosen":  # Suppr, in the list only (in a field it deletes a character)
            focused = self.screen.focused
            return bool(self.items) and focused is not None and focused.id == "items" and focused in self.children
        if action == "move":
            return len(self.items) > 1
        return True

    def _store_form(self) -> None:
        """What the form holds goes back to its place (the element changed, or the new one aside)."""
        if self.editing is None:
            self.draft = self._current_item()
        else:
            self.items[self.editing] = self._current_item()

    def _edit(self, index: int, field_id: str | None = None) -> None:
        """Put element ``index`` (from 0) in the form, the form's content going back to its place."""
        if self.editing != index:
            self._store_form()
            self.editing = index
            self._load_form(self.items[index])
        self._refresh_items(highlight=index)
        self._focus_field(field_id or self.spec.fields[0].id)

    def _back_to_new(self, field_id: str | None = None) -> None:
        """The form holds the new element again (as it was left)."""
        self.editing = None
        self._load_form(self.draft)
        self.draft = None
        self._focus_field(field_id or self.spec.fields[0].id)

    def action_add_item(self) -> None:
        if self.editing is not None:
            self.action_save_item()
            return
        item = self._current_item()
        if self._is_blank(item):
            return
        missing = self._missing(item)
        if missing:
            self.app.notify(f"À compléter avant d'ajouter : {', '.join(missing)}.", severity="warning", markup=False)
            return
        limit = min(self.spec.max_items or MAX_LIST_ITEMS, MAX_LIST_ITEMS)
        if len(self.items) >= limit:
            self.app.notify(f"La liste compte déjà {plural(limit, 'élément')}, le maximum : Ctrl+S pour la valider, "
                            "Ctrl+R pour en retirer un.", severity="warning", markup=False)
            return
        self.items.append(item)
        self._refresh_items(highlight=len(self.items) - 1)
        self._clear_fields()

    def action_save_item(self) -> None:
        if self.editing is None:
            return
        item = self._current_item()
        if self._is_blank(item):
            self.app.notify("L'élément est vide : Suppr dans la liste pour le retirer, ou Échap pour annuler.",
                            severity="warning", markup=False)
            return
        missing = self._missing(item)
        if missing:
            self.app.notify(f"À compléter avant d'enregistrer : {', '.join(missing)}.", severity="warning",
                            markup=False)
            return
        index = self.editing
        self.items[index] = item
        self._back_to_new()
        self._refresh_items(highlight=index)
        self.app.notify(f"Élément {index + 1} modifié.", markup=False)

    def action_cancel_edit(self) -> None:
        if self.editing is None:
            return
        index = self.editing
        self._back_to_new()
        self._refresh_items(highlight=index)

    def action_remove_chosen(self) -> None:
        self.action_remove_item()

    def action_remove_item(self) -> None:
        index = self._target()
        if index is None:
            return
        from bilan_tui.tui.screens.dialogs import ConfirmScreen

        from_list = self.screen.focused is self._items_list()
        if index == self.editing:
            self._store_form()  # the changes typed so far are what is shown, and kept if not removed
        shown = format_item(self.spec, self.items[index]) or "(vide)"
        if len(shown) > 120:
            shown = shown[:119] + "…"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._remove(index)
            if from_list and self.items:
                self._items_list().focus()
            else:  # back where the key was pressed: the form
                self._focus_field(self.spec.fields[0].id)

        dialog = ConfirmScreen(f"Retirer l'élément {index + 1} de la liste ?\n{shown}")
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=self.private), confirmed)

    def _remove(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            return
        del self.items[index]
        if self.editing == index:
            self.editing = None
            self._load_form(self.draft)
            self.draft = None
        elif self.editing is not None and self.editing > index:
            self.editing -= 1
        self._refresh_items(highlight=min(index, len(self.items) - 1) if self.items else None)
        self.app.notify(f"Élément {index + 1} retiré de la liste.", markup=False)

    def action_move(self, step: int) -> None:
        index = self._target()
        if index is None:
            return
        other = index + step
        if not 0 <= other < len(self.items):
            self.app.bell()
            return
        self.items[index], self.items[other] = self.items[other], self.items[index]
        if self.editing == index:
            self.editing = other
        elif self.editing == other:
            self.editing = index
        self._refresh_items(highlight=other)

    @on(OptionList.OptionSelected, "#items")
    def _item_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._edit(event.option_index)

    # -- the answer ------------------------------------------------------------------------------

    def raw(self) -> Any:
        # What is typed in the form but not added yet counts too: nothing typed is lost.
        form = self._current_item()
        if self.editing is None:
            return [*self.items, form] if not self._is_blank(form) else list(self.items)
        items = list(self.items)
        items[self.editing] = form
        draft = self.draft
        return [*items, draft] if draft is not None and not self._is_blank(draft) else items

    def prefill(self, value: Any) -> None:
        self.items = [dict(item) for item in value or []]
        self.editing = None
        self.draft = None
        self._refresh_items(highlight=len(self.items) - 1 if self.items else None)

    def show_problems(self, messages: Sequence[str]) -> None:
        """The first message about an element takes the form to it, on the faulty field."""
        place = next((p for p in (item_problem_place(self.spec, m) for m in messages) if p is not None), None)
        if place is None:
            return
        number, field_id = place
        index = number - 1  # numbered as in raw(): the elements, then the new one in the form
        if 0 <= index < len(self.items):
            self._edit(index, field_id)
        elif index == len(self.items):
            if self.editing is not None:
                self._store_form()
                self._back_to_new(field_id)
                self._refresh_items()
            else:
                self._focus_field(field_id or self.spec.fields[0].id)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._field_done(event.input.id)

    @on(ItemFieldSelect.Done)
    def _select_done(self, event: ItemFieldSelect.Done) -> None:
        event.stop()
        self._field_done(event.select.id)

    def _field_done(self, field_id: str | None) -> None:
        """Entrée on a field: the next field, or on the last one the element is added."""
        if field_id == f"field-{self.spec.fields[-1].id}":
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
        yield CountedOptionList(*[Option(self._prompt(i), id=item.id) for i, item in enumerate(self.spec.items)],
                                id="answer-ratings")
        count = ListCount("answer-ratings", "élément", "éléments", always=True)
        count.extra = self._rated()
        yield count
        legend = " · ".join(f"{v} {self.spec.scale_labels.get(v, '')}".strip() for v in range(self.low, self.high + 1))
        yield Static(Text(legend), classes="hint", id="ratings-legend")

    def _rated(self) -> str:
        done = len(self.ratings)
        return f"{done} noté{'s' if done > 1 else ''} sur {len(self.spec.items)}"

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
        self._recount()

    def _recount(self) -> None:
        self.query_one(ListCount).extra = self._rated()
        self.update_count(self.query_one(OptionList))

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
        self._recount()
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
        yield CountedOptionList(id="answer-ranking")
        yield ListCount("answer-ranking", "proposition à classer", "propositions à classer")
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


def input_for(spec: AnswerSpec | None, *, private: bool = False) -> AnswerInput:
    """The input for a question, from its answer spec with choices already resolved; ``private``
    when the question is consultant-only (a dialog quoting what it holds is then consultant-only too)."""
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
    return ListAnswer(spec, private=private)
