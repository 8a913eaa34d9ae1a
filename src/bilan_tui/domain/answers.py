"""Parsing and validating what a person typed, and showing a stored value back in French.

The interface hands over raw input (strings, chosen values, list items); this module turns it into
the stored value or into French messages that say what is wrong. Nothing typed is changed here
beyond trimming surrounding spaces, removing control characters (terminal escape sequences) and
writing digits of other scripts as 0-9.

Every answer is bounded: a line has at most :data:`MAX_LINE_LENGTH` characters, a long text
:data:`MAX_TEXT_LENGTH`, a list :data:`MAX_LIST_ITEMS` elements; a number is finite, below
10**15 in magnitude and has at most 15 significant digits; a year lies between :data:`YEAR_MIN` and
:data:`YEAR_MAX`. Beyond a bound the answer is refused with a French message, never cut.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bilan_tui.domain.flow import DATE_TYPES, AnswerSpec, AnswerType, ItemField
from bilan_tui.domain.plural import plural
from bilan_tui.domain.text import (
    MAX_LINE_LENGTH,
    MAX_TEXT_LENGTH,
    clean_text,
    excerpt,
    is_blank,
    normalise_digits,
    too_long,
)

REQUIRED_MESSAGE = "Une réponse est attendue. Vous pouvez aussi passer la question (F4) en donnant une raison."


class AnswerError(ValueError):
    """Raised when raw input cannot become a value; its message is French and shown as is."""


@dataclass(frozen=True)
class Parsed:
    value: Any
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())


MAX_LIST_ITEMS = 100
"""Elements of a list answer (experiences, achievements...), whatever the flow says."""

MAX_DIGITS = 15
"""Significant digits of a number; also the digits before the decimal point (magnitude < 10**15)."""

YEAR_MIN = 1900
YEAR_MAX = 2100
"""The years a date or a month of a bilan can fall in (a birth, a first job, a plan)."""

# ASCII digits only: other scripts are written 0-9 by normalise_digits first.
_NUMBER = re.compile(r"^[+-]?[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})*(?:[.,][0-9]+)?$|^[+-]?[0-9]+(?:[.,][0-9]+)?$")
_NUMBER_MAX_CHARS = 64
"""Longer than this, a number has too many digits whatever its notation: refused before any parsing."""
_DATE_MAX_CHARS = 32


def _entered(text: str) -> str:
    """What was typed for a number, a date or a month: one line, digits in 0-9, trimmed."""
    return normalise_digits(clean_text(text)).strip()


def parse_number(text: str) -> int | float:
    """French or international notation: ``12``, ``3,5``, ``3.5``, ``1 500``; finite and bounded."""
    cleaned = _entered(text)
    too_many = (f"« {excerpt(cleaned)} » : un nombre a au plus {MAX_DIGITS} chiffres avant la virgule "
                "(moins d'un million de milliards).")
    if len(cleaned) > _NUMBER_MAX_CHARS:
        raise AnswerError(too_many)
    if not _NUMBER.match(cleaned):
        raise AnswerError(f"« {excerpt(cleaned)} » n'est pas un nombre (exemples : 12, 3,5, 1 500).")
    compact = re.sub(r"[ \u00a0\u202f]", "", cleaned).replace(",", ".")
    whole, _, fraction = compact.lstrip("+-").partition(".")
    whole, fraction = whole.lstrip("0"), fraction.rstrip("0")
    if len(whole) > MAX_DIGITS:
        raise AnswerError(too_many)
    significant = len(whole + fraction) if whole else len(fraction.lstrip("0"))
    if significant > MAX_DIGITS:
        raise AnswerError(f"« {excerpt(cleaned)} » : au plus {MAX_DIGITS} chiffres significatifs "
                          "(arrondissez, exemple : 3,14159).")
    return float(compact) if "." in compact else int(compact)


def _check_year(year: int, cleaned: str) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise AnswerError(f"« {excerpt(cleaned)} » : l'année doit être comprise entre {YEAR_MIN} et {YEAR_MAX}.")


def parse_date(text: str) -> dt.date:
    """``JJ/MM/AAAA`` (also with ``.`` or ``-``) or ``AAAA-MM-JJ``, a year between 1900 and 2100."""
    cleaned = _entered(text)
    short = len(cleaned) <= _DATE_MAX_CHARS
    match = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", cleaned) if short else None
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", cleaned) if short else None
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        raise AnswerError(f"« {excerpt(cleaned)} » n'est pas une date au format JJ/MM/AAAA.")
    _check_year(year, cleaned)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise AnswerError(f"La date « {cleaned} » n'existe pas dans le calendrier.") from None


def parse_month(text: str) -> str:
    """``2015`` or ``03/2015`` (also ``3-2015``, ``2015-03``): stored as ``2015`` or ``2015-03``."""
    cleaned = _entered(text)
    short = len(cleaned) <= _DATE_MAX_CHARS
    if short and re.fullmatch(r"[0-9]{4}", cleaned):
        _check_year(int(cleaned), cleaned)
        return cleaned
    match = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{4})", cleaned) if short else None
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", cleaned) if short else None
    if match:
        month, year = int(match.group(1)), match.group(2)
    elif iso:
        year, month = iso.group(1), int(iso.group(2))
    else:
        raise AnswerError(f"« {excerpt(cleaned)} » : attendu une année (2015) ou un mois (03/2015).")
    _check_year(int(year), cleaned)
    if not 1 <= month <= 12:
        raise AnswerError(f"« {cleaned} » : le mois va de 01 à 12.")
    return f"{year}-{month:02d}"


# -- dates that cannot be true ---------------------------------------------------------------
# The domain has no clock: "today" is always given by the caller (the engine's ``now``).


def date_span(stored: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a stored date (``2015-03-12``), month (``2015-03``) or year (``2015``) covers."""
    try:
        if re.fullmatch(r"\d{4}", stored):
            year = int(stored)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if re.fullmatch(r"\d{4}-\d{2}", stored):
            year, month = int(stored[:4]), int(stored[5:])
            first = dt.date(year, month, 1)
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        day = dt.date.fromisoformat(stored)
    except ValueError:
        return None
    return day, day


def _shown_date(kind: AnswerType, stored: str) -> str:
    return format_date(stored) if kind is AnswerType.DATE else format_month(stored)


def _future_message(shown: str, today: dt.date) -> str:
    return (f"{shown} est dans le futur (nous sommes le {today.strftime('%d/%m/%Y')}) : "
            "ce qui s'est déjà passé se date au plus tard aujourd'hui. Vérifiez l'année.")


def _past_message(shown: str, today: dt.date) -> str:
    return (f"{shown} est déjà passé (nous sommes le {today.strftime('%d/%m/%Y')}) : "
            "une échéance se fixe à aujourd'hui ou plus tard. Vérifiez l'année.")


def _is_past(stored: str, today: dt.date) -> bool:
    span = date_span(stored)
    return span is not None and span[1] < today  # the month or the year under way is not past


def _is_future(stored: str, today: dt.date) -> bool:
    span = date_span(stored)
    return span is not None and span[0] > today  # a month or a year that has begun is not in the future


def date_problems(spec: AnswerSpec, value: Any, today: dt.date) -> list[str]:
    """Why the dates of a parsed answer cannot be true, in French (empty when they can).

    A date marked ``not_future`` lies after ``today``, one marked ``not_past`` before it; an element's date or month marked
    ``after: <field>`` precedes that field of the same element (an experience ending before it
    starts). Years and months are compared as the periods they cover: ``2015`` and ``03/2015`` agree.
    """
    if spec.type in DATE_TYPES:
        if spec.not_future and isinstance(value, str) and _is_future(value, today):
            return [_capitalised(_future_message(_shown_date(spec.type, value), today))]
        if spec.not_past and isinstance(value, str) and _is_past(value, today):
            return [_capitalised(_past_message(_shown_date(spec.type, value), today))]
        return []
    if spec.type is not AnswerType.LIST or not isinstance(value, list):
        return []
    problems: list[str] = []
    fields = {f.id: f for f in spec.fields}
    for index, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            continue
        for item_field in spec.fields:
            stored = item.get(item_field.id)
            if item_field.type not in DATE_TYPES or not isinstance(stored, str):
                continue
            where = f"Élément {index} – {item_field.label}"
            shown = _shown_date(item_field.type, stored)
            if item_field.not_future and _is_future(stored, today):
                problems.append(f"{where} : {_future_message(shown, today)}")
            if item_field.not_past and _is_past(stored, today):
                problems.append(f"{where} : {_past_message(shown, today)}")
            earlier = fields.get(item_field.after or "")
            before = item.get(earlier.id) if earlier else None
            if earlier is None or not isinstance(before, str):
                continue
            span, start = date_span(stored), date_span(before)
            if span and start and span[1] < start[0]:
                problems.append(
                    f"{where} : {shown} est avant « {earlier.label} » ({_shown_date(earlier.type, before)}) : "
                    f"« {item_field.label} » ne peut pas précéder « {earlier.label} ». Vérifiez les deux dates."
                )
    return problems


AGE_MIN = 14
AGE_MAX = 100
"""Outside these ages a date of birth is refused: a bilan de compétences is for working people."""
AGE_USUAL_MIN = 16
AGE_USUAL_MAX = 75
"""Outside these ages (inside the bounds above) a date of birth is questioned: saved once confirmed."""


def age_on(birth: dt.date, today: dt.date) -> int:
    """Full years from ``birth`` to ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def birth_date_problems(birth: dt.date, today: dt.date) -> Parsed:
    """Errors (refused) and warnings (to confirm) about a date of birth, in French."""
    shown = birth.strftime("%d/%m/%Y")
    if birth > today:
        return Parsed(birth, errors=(f"La date de naissance {shown} est dans le futur "
                                     f"(nous sommes le {today.strftime('%d/%m/%Y')}) : vérifiez l'année.",))
    age = age_on(birth, today)
    years = f"{age} an{'s' if age > 1 else ''}"
    if age < AGE_MIN or age > AGE_MAX:
        return Parsed(birth, errors=(
            f"Né(e) le {shown}, le bénéficiaire aurait {years} : un bilan de compétences s'adresse à une "
            f"personne de {AGE_MIN} à {AGE_MAX} ans. Vérifiez l'année.",))
    if age < AGE_USUAL_MIN or age > AGE_USUAL_MAX:
        return Parsed(birth, warnings=(
            f"Né(e) le {shown}, le bénéficiaire a {years} : est-ce bien l'année de naissance ?",))
    return Parsed(birth)


def parse_text(text: str, *, multiline: bool = False) -> str:
    """A text as stored: control characters removed, trimmed, at most the length of a line or a long text."""
    cleaned = clean_text(text, multiline=multiline).strip()
    problem = too_long(cleaned, MAX_TEXT_LENGTH if multiline else MAX_LINE_LENGTH)
    if problem:
        raise AnswerError(f"{_capitalised(problem)} : raccourcissez la réponse.")
    return cleaned


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _degree(raw: Any) -> int:
    """A degree of a scale, as typed or chosen: a small whole number (digits of any script)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = _entered(str(raw)) if isinstance(raw, str) else ""
    if not re.fullmatch(r"[+-]?[0-9]{1,4}", text):
        raise AnswerError(f"« {excerpt(str(raw))} » n'est pas un degré de l'échelle.")
    return int(text)


def _listed(values: Sequence[Any], at_most: int = 3) -> str:
    shown = ", ".join(excerpt(str(v)) for v in values[:at_most])
    return shown + (f" et {plural(len(values) - at_most, 'autre')}" if len(values) > at_most else "")


def format_month(stored: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}", stored):
        return f"{stored[5:]}/{stored[:4]}"
    return stored


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and is_blank(value)) or (
        isinstance(value, (list, tuple)) and len(value) == 0
    ) or (isinstance(value, Mapping) and all(v is None or v == "" for v in value.values()))


def _item_field_value(item_field: ItemField, raw: Any, index: int) -> Any:
    where = f"Élément {index} – {item_field.label}"
    if _is_empty(raw):
        if item_field.required:
            raise AnswerError(f"{where} : ce champ est obligatoire.")
        return None
    text = clean_text(str(raw)).strip()
    try:
        if item_field.type is AnswerType.NUMBER:
            return parse_number(text)
        if item_field.type is AnswerType.DATE:
            return parse_date(text).isoformat()
        if item_field.type is AnswerType.MONTH:
            return parse_month(text)
    except AnswerError as error:
        raise AnswerError(f"{where} : {error}") from None
    problem = too_long(text, MAX_LINE_LENGTH)
    if problem:
        raise AnswerError(f"{where} : {problem}.")
    if not item_field.matches(text):
        raise AnswerError(f"{where} : « {excerpt(text)} » : {item_field.pattern_message}.")
    if item_field.type is AnswerType.SINGLE and text not in {c.value for c in item_field.choices}:
        raise AnswerError(f"{where} : choix inconnu « {excerpt(text)} ».")
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
        return parse_text(str(raw), multiline=kind is AnswerType.LONG_TEXT)
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
            raise AnswerError(f"Choix inconnu « {excerpt(str(raw))} » : choisissez parmi les propositions "
                              "(touches 1 à 9).")
        return raw
    if kind is AnswerType.SCALE:
        number = _degree(raw)
        assert spec.min is not None and spec.max is not None
        if not spec.min <= number <= spec.max:
            raise AnswerError(f"Choisissez un degré entre {int(spec.min)} et {int(spec.max)}.")
        return number
    if kind is AnswerType.MULTI:
        if not isinstance(raw, (list, tuple)) or not all(isinstance(v, str) for v in raw):
            raise AnswerError("Réponse inattendue : cochez une ou plusieurs propositions.")
        chosen = list(dict.fromkeys(_own_choices(spec, raw) if spec.other else raw))
        unknown = [] if spec.other else [v for v in chosen if v not in {c.value for c in spec.choices}]
        if unknown:
            raise AnswerError(f"Choix inconnu : {_listed(unknown)}.")
        _check_count(spec, len(chosen), "choix")
        return chosen
    if kind is AnswerType.LIST:
        if not isinstance(raw, (list, tuple)) or not all(isinstance(i, Mapping) for i in raw):
            raise AnswerError("Réponse inattendue : ajoutez les éléments un par un.")
        if len(raw) > MAX_LIST_ITEMS:
            raise AnswerError(f"Au plus {MAX_LIST_ITEMS} éléments dans une liste ({len(raw)} pour l'instant) : "
                              "regroupez ou retirez-en.")
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
        raise AnswerError(f"Élément inconnu dans la grille : {_listed(unknown)}.")
    assert spec.min is not None and spec.max is not None
    low, high = int(spec.min), int(spec.max)
    ratings: dict[str, int] = {}
    for item in spec.items:  # the grid's order, whatever the input's
        value = raw.get(item.id)
        if value is None or value == "":
            continue
        try:
            number = _degree(value)
        except AnswerError as error:
            raise AnswerError(f"« {item.label} » : {error}") from None
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
        raise AnswerError(f"Choix inconnu : {_listed(unknown)}.")
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
    return f"Il faut au moins {plural(minimum, noun)}."


def _check_count(spec: AnswerSpec, count: int, noun: str) -> None:
    if spec.min_items is not None and count < spec.min_items:
        raise AnswerError(_min_items_message(spec.min_items, noun) + f" ({count} pour l'instant)")
    if spec.max_items is not None and count > spec.max_items:
        raise AnswerError(f"Au plus {plural(spec.max_items, noun)} ({count} pour l'instant).")


_SHOWN_DIGITS = 1_000
"""A stored whole number with more digits (an old or hand-made file) is not written out in full."""


def format_number(number: float) -> str:
    """``1 500``, ``3,5``, ``0,00001``: French notation, never an exponent, whatever was stored."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return str(number)
    if isinstance(number, float):
        if not math.isfinite(number):
            return "(nombre invalide)"
        if not number.is_integer():
            whole, _, fraction = format(Decimal(repr(abs(number))), "f").partition(".")
            sign = "-" if number < 0 else ""
            return sign + f"{int(whole):,}".replace(",", " ") + ("," + fraction if fraction else "")
        number = int(number)
    if number.bit_length() > _SHOWN_DIGITS * 3.33:
        return "(nombre trop long pour être affiché)"
    return f"{number:,}".replace(",", " ")


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


# -- choices of one's own ("Autre (à préciser)") ----------------------------------------------------

MAX_OWN_CHOICE_LENGTH = 120
"""A choice of one's own is a card's title (« Transmettre mon métier »), not a text."""


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", clean_text(text).strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def match_choice(spec: AnswerSpec, text: str) -> str | None:
    """The value of the choice ``text`` names (its value, its label, or the label's words before « : »),
    ignoring case and accents; ``None`` when it names none."""
    wanted = _folded(text)
    if not wanted:
        return None
    for choice in spec.choices:
        label = _folded(choice.label)
        if wanted in (_folded(choice.value), label, label.split(" : ")[0]):
            return choice.value
    return None


def _own_choices(spec: AnswerSpec, raw: Sequence[str]) -> list[str]:
    """The chosen values, where a value typed by the person is kept as typed (cleaned), or taken as the
    choice it names when one exists; a blank one is dropped, a too long one refused."""
    known = {c.value for c in spec.choices}
    chosen: list[str] = []
    for value in raw:
        if value in known:
            chosen.append(value)
            continue
        text = clean_text(value).strip()
        if is_blank(text):
            continue
        problem = too_long(text, MAX_OWN_CHOICE_LENGTH)
        if problem:
            raise AnswerError(f"« {excerpt(text)} » : {problem} ; un intitulé court suffit.")
        chosen.append(match_choice(spec, text) or text)
    return chosen


# -- where a problem of a list answer is ---------------------------------------------------------


def item_problem_place(spec: AnswerSpec, message: str) -> tuple[int, str | None] | None:
    """The element (numbered from 1) and, when named, the field id a message about a list answer
    points to (« Élément 2 – Code ROME : … »); ``None`` when it names no element."""
    match = re.match(r"Élément ([0-9]{1,4})\b", message)
    if match is None:
        return None
    rest = message[match.end():]
    for item_field in spec.fields:
        if rest.startswith(f" – {item_field.label} :"):
            return int(match.group(1)), item_field.id
    return int(match.group(1)), None
