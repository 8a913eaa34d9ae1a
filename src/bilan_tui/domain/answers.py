"""Parsing and validating what a person typed, and showing a stored value back in French.

The interface hands over raw input (strings, chosen values, list items); this module turns it into
the stored value or into French messages that say what is wrong. Nothing typed is changed here
beyond trimming surrounding spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bilan_tui.domain.flow import AnswerSpec, AnswerType, ItemField

REQUIRED_MESSAGE = "Une réponse est attendue. Vous pouvez aussi passer la question (F4) en donnant une raison."


class AnswerError(ValueError):
    """Raised when raw input cannot become a value; its message is French and shown as is."""


@dataclass(frozen=True)
class Parsed:
    value: Any
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())


_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?$|^[+-]?\d+(?:[.,]\d+)?$")


def parse_number(text: str) -> int | float:
    """French or international notation: ``12``, ``3,5``, ``3.5``, ``1 500``."""
    cleaned = text.strip()
    if not _NUMBER.match(cleaned):
        raise AnswerError(f"« {cleaned} » n'est pas un nombre (exemples : 12, 3,5, 1 500).")
    cleaned = re.sub(r"[ \u00a0\u202f]", "", cleaned).replace(",", ".")
    return float(cleaned) if "." in cleaned else int(cleaned)


def parse_date(text: str) -> dt.date:
    cleaned = text.strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", cleaned)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", cleaned)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        raise AnswerError(f"« {cleaned} » n'est pas une date au format JJ/MM/AAAA.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise AnswerError(f"La date « {cleaned} » n'existe pas dans le calendrier.") from None


def parse_month(text: str) -> str:
    """``2015`` or ``03/2015`` (also ``3-2015``, ``2015-03``): stored as ``2015`` or ``2015-03``."""
    cleaned = text.strip()
    if re.fullmatch(r"\d{4}", cleaned):
        return cleaned
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", cleaned) or None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})", cleaned)
    if match:
        month, year = int(match.group(1)), match.group(2)
    elif iso:
        year, month = iso.group(1), int(iso.group(2))
    else:
        raise AnswerError(f"« {cleaned} » : attendu une année (2015) ou un mois (03/2015).")
    if not 1 <= month <= 12:
        raise AnswerError(f"« {cleaned} » : le mois va de 01 à 12.")
    return f"{year}-{month:02d}"


def format_month(stored: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}", stored):
        return f"{stored[5:]}/{stored[:4]}"
    return stored


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple)) and len(value) == 0
    ) or (isinstance(value, Mapping) and all(v is None or v == "" for v in value.values()))


def _item_field_value(item_field: ItemField, raw: Any, index: int) -> Any:
    where = f"Élément {index} – {item_field.label}"
    if _is_empty(raw):
        if item_field.required:
            raise AnswerError(f"{where} : ce champ est obligatoire.")
        return None
    text = str(raw).strip()
    try:
        if item_field.type is AnswerType.NUMBER:
            return parse_number(text)
        if item_field.type is AnswerType.DATE:
            return parse_date(text).isoformat()
        if item_field.type is AnswerType.MONTH:
            return parse_month(text)
    except AnswerError as error:
        raise AnswerError(f"{where} : {error}") from None
    if not item_field.matches(text):
        raise AnswerError(f"{where} : « {text} » : {item_field.pattern_message}.")
    if item_field.type is AnswerType.SINGLE and text not in {c.value for c in item_field.choices}:
        raise AnswerError(f"{where} : choix inconnu « {text} ».")
    return text


def parse_answer(spec: AnswerSpec, raw: Any, *, required: bool) -> Any:
    """Turn raw input into the stored value, or raise :class:`AnswerError` in French."""
    if _is_empty(raw):
        if required or (spec.type in (AnswerType.LIST, AnswerType.RANKING) and (spec.min_items or 0) > 0):
            if spec.type in (AnswerType.LIST, AnswerType.RANKING) and spec.min_items:
                raise AnswerError(_min_items_message(spec.min_items, "élément"))
            if spec.type is AnswerType.MULTI and spec.min_items:
                raise AnswerError(_min_items_message(spec.min_items, "choix"))
            raise AnswerError(REQUIRED_MESSAGE)
        if spec.type is AnswerType.RATINGS:
            return {}
        return [] if spec.type in (AnswerType.MULTI, AnswerType.LIST, AnswerType.RANKING) else None

    kind = spec.type
    if kind in (AnswerType.TEXT, AnswerType.LONG_TEXT):
        return str(raw).strip()
    if kind is AnswerType.NUMBER:
        number = parse_number(str(raw))
        if spec.min is not None and number < spec.min:
            raise AnswerError(f"Le nombre doit être au moins {format_number(spec.min)}.")
        if spec.max is not None and number > spec.max:
            raise AnswerError(f"Le nombre doit être au plus {format_number(spec.max)}.")
        return number
    if kind is AnswerType.DATE:
        return parse_date(str(raw)).isoformat()
    if kind is AnswerType.MONTH:
        return parse_month(str(raw))
    if kind is AnswerType.SINGLE:
        allowed = {c.value for c in spec.choices}
        if not isinstance(raw, str) or raw not in allowed:
            raise AnswerError(f"Choix inconnu « {raw} » : choisissez parmi les propositions (touches 1 à 9).")
        return raw
    if kind is AnswerType.SCALE:
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise AnswerError(f"« {raw} » n'est pas un degré de l'échelle.") from None
        assert spec.min is not None and spec.max is not None
        if not spec.min <= number <= spec.max:
            raise AnswerError(f"Choisissez un degré entre {int(spec.min)} et {int(spec.max)}.")
        return number
    if kind is AnswerType.MULTI:
        if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
            raise AnswerError("Réponse inattendue : cochez une ou plusieurs propositions.")
        chosen = list(dict.fromkeys(raw))
        unknown = [v for v in chosen if v not in {c.value for c in spec.choices}]
        if unknown:
            raise AnswerError(f"Choix inconnu : {', '.join(unknown)}.")
        _check_count(spec, len(chosen), "choix")
        return chosen
    if kind is AnswerType.LIST:
        if not isinstance(raw, (list, tuple)) or not all(isinstance(i, Mapping) for i in raw):
            raise AnswerError("Réponse inattendue : ajoutez les éléments un par un.")
        items = _parse_items(spec, raw)
        _check_count(spec, len(items), "élément")
        return items
    if kind is AnswerType.RATINGS:
        return _parse_ratings(spec, raw)
    if kind is AnswerType.RANKING:
        return _parse_ranking(spec, raw)
    raise AnswerError(f"Type de réponse non pris en charge : {kind}.")  # pragma: no cover


def _parse_ratings(spec: AnswerSpec, raw: Any) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        raise AnswerError("Réponse inattendue : notez les éléments de la grille un par un.")
    labels = {item.id: item.label for item in spec.items}
    unknown = [str(k) for k in raw if k not in labels]
    if unknown:
        raise AnswerError(f"Élément inconnu dans la grille : {', '.join(unknown)}.")
    assert spec.min is not None and spec.max is not None
    low, high = int(spec.min), int(spec.max)
    ratings: dict[str, int] = {}
    for item in spec.items:  # the grid's order, whatever the input's
        value = raw.get(item.id)
        if value is None or value == "":
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            raise AnswerError(f"« {item.label} » : « {value} » n'est pas un degré de l'échelle.") from None
        if not low <= number <= high:
            raise AnswerError(f"« {item.label} » : choisissez un degré entre {low} et {high}.")
        ratings[item.id] = number
    return ratings


def missing_ratings(spec: AnswerSpec, value: Any) -> list[str]:
    """The labels of the grid's items that have no rating in ``value``."""
    rated = value if isinstance(value, Mapping) else {}
    return [item.label for item in spec.items if item.id not in rated]


def _parse_ranking(spec: AnswerSpec, raw: Any) -> list[str]:
    if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
        raise AnswerError("Réponse inattendue : classez les propositions une par une.")
    allowed = {c.value for c in spec.choices}
    unknown = [v for v in raw if v not in allowed]
    if unknown:
        raise AnswerError(f"Choix inconnu : {', '.join(unknown)}.")
    seen: set[str] = set()
    for value in raw:
        if value in seen:
            raise AnswerError(f"« {spec.choice_label(value)} » est classé deux fois : un seul rang par élément.")
        seen.add(value)
    _check_count(spec, len(raw), "élément")
    return list(raw)


def _parse_items(spec: AnswerSpec, raw: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, raw_item in enumerate(raw, start=1):
        if all(_is_empty(raw_item.get(f.id)) for f in spec.fields):
            continue  # a blank line in the list editor is not an item
        items.append({f.id: _item_field_value(f, raw_item.get(f.id), index) for f in spec.fields})
    return items


def _min_items_message(minimum: int, noun: str) -> str:
    plural = "s" if minimum > 1 and noun != "choix" else ""
    return f"Il faut au moins {minimum} {noun}{plural}."


def _check_count(spec: AnswerSpec, count: int, noun: str) -> None:
    if spec.min_items is not None and count < spec.min_items:
        raise AnswerError(_min_items_message(spec.min_items, noun) + f" ({count} pour l'instant)")
    if spec.max_items is not None and count > spec.max_items:
        plural = "s" if spec.max_items > 1 and noun != "choix" else ""
        raise AnswerError(f"Au plus {spec.max_items} {noun}{plural} ({count} pour l'instant).")


def format_number(number: float) -> str:
    if float(number).is_integer():
        return f"{int(number):,}".replace(",", " ")
    return f"{number:,}".replace(",", " ").replace(".", ",")


def format_date(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def format_value(spec: AnswerSpec | None, value: Any) -> str:
    """The stored value as a person reads it (labels instead of codes, French dates)."""
    if spec is None or _is_empty(value):
        return "—"
    if spec.type is AnswerType.SINGLE:
        return spec.choice_label(value)
    if spec.type is AnswerType.MULTI:
        return ", ".join(spec.choice_label(v) for v in value)
    if spec.type is AnswerType.NUMBER:
        return format_number(value)
    if spec.type is AnswerType.DATE:
        return format_date(value)
    if spec.type is AnswerType.MONTH:
        return format_month(str(value))
    if spec.type is AnswerType.SCALE:
        label = spec.scale_labels.get(int(value))
        return f"{value} ({label})" if label else str(value)
    if spec.type is AnswerType.LIST:
        return "\n".join(f"{i}. {format_item(spec, item)}" for i, item in enumerate(value, start=1))
    if spec.type is AnswerType.RANKING:
        return "\n".join(f"{i}. {spec.choice_label(v)}" for i, v in enumerate(value, start=1))
    if spec.type is AnswerType.RATINGS:
        lines = [f"{item.label} : {value[item.id]}" for item in spec.items if item.id in value]
        missing = len(spec.items) - len(lines)
        if missing:
            lines.append(f"({missing} sans note)")
        return "\n".join(lines)
    return str(value)


def format_item(spec: AnswerSpec, item: Mapping[str, Any]) -> str:
    parts = []
    for item_field in spec.fields:
        raw = item.get(item_field.id)
        if _is_empty(raw):
            continue
        if item_field.type is AnswerType.SINGLE:
            shown = next((c.label for c in item_field.choices if c.value == raw), str(raw))
        elif item_field.type is AnswerType.DATE:
            shown = format_date(str(raw))
        elif item_field.type is AnswerType.MONTH:
            shown = format_month(str(raw))
        elif item_field.type is AnswerType.NUMBER:
            shown = format_number(raw) if isinstance(raw, (int, float)) else str(raw)
        else:
            shown = str(raw)
        parts.append(f"{item_field.label} : {shown}")
    return " ; ".join(parts)
