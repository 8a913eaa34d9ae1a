"""Every answer type is bounded, cleaned of terminal escapes and reads digits of any script alike.

Beyond a bound the answer is refused with a French message (an AnswerError, never another
exception that would stop the interview), and the message itself stays short whatever was typed.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from bilan_tui.domain.answers import (
    MAX_LIST_ITEMS,
    AnswerError,
    format_number,
    format_value,
    parse_answer,
)
from bilan_tui.domain.engine import Engine
from bilan_tui.domain.flow import AnswerSpec, AnswerType, Flow
from bilan_tui.domain.text import MAX_LINE_LENGTH, MAX_TEXT_LENGTH

TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J"
LONG_MESSAGE = 300
"""A refusal quotes what was typed, but never more than a short excerpt of it."""

CHOICES = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]


def spec(kind: str, **extra: object) -> AnswerSpec:
    return AnswerSpec.model_validate({"type": kind, **extra})


def refused(answer_spec: AnswerSpec, raw: object) -> str:
    with pytest.raises(AnswerError) as caught:
        parse_answer(answer_spec, raw, required=True)
    message = str(caught.value)
    assert len(message) < LONG_MESSAGE
    assert "\x1b" not in message
    return message


# -- text and long text ---------------------------------------------------------------------------


def test_a_line_loses_its_escape_sequences_and_keeps_the_rest():
    assert parse_answer(spec("text"), f"Léa {TITLE}Martin{CLEAR}", required=True) == "Léa ]0;PWNEDMartin[2J"


def test_a_long_text_keeps_its_lines_and_tabs_but_not_its_escapes():
    value = parse_answer(spec("long_text"), f"Première ligne{CLEAR}\n\tseconde\x9b ligne\x07", required=True)
    assert value == "Première ligne[2J\n\tseconde ligne"


def test_a_line_has_at_most_500_characters():
    assert parse_answer(spec("text"), "x" * MAX_LINE_LENGTH, required=True) == "x" * MAX_LINE_LENGTH
    assert "trop long" in refused(spec("text"), "x" * (MAX_LINE_LENGTH + 1)).lower()


def test_a_long_text_has_at_most_20000_characters():
    assert MAX_TEXT_LENGTH == 20_000
    assert len(parse_answer(spec("long_text"), "x" * MAX_TEXT_LENGTH, required=True)) == MAX_TEXT_LENGTH
    assert "trop long" in refused(spec("long_text"), "x" * (MAX_TEXT_LENGTH + 1)).lower()


@pytest.mark.parametrize("raw", ["\x1b", CLEAR.replace("[2J", ""), "\u200b \u00a0", "\u2800\u3164"])
def test_a_text_that_shows_nothing_is_no_answer(raw):
    assert refused(spec("text"), raw).startswith("Une réponse est attendue")


# -- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["9" * 5000, "9" * 400, "9" * 400 + ",5", "9" * 400 + ".5", "1" + "0" * 15,
                                 "-" + "9" * 16])
def test_a_number_too_big_is_refused_in_french_without_crashing(raw):
    assert "au plus 15 chiffres" in refused(spec("number"), raw)


def test_the_largest_number_is_just_under_a_million_billions():
    assert parse_answer(spec("number"), "999 999 999 999 999", required=True) == 10**15 - 1
    assert parse_answer(spec("number"), "-999999999999999", required=True) == -(10**15 - 1)


def test_a_number_has_at_most_15_significant_digits_and_is_always_finite():
    assert parse_answer(spec("number"), "3,14159265358979", required=True) == pytest.approx(3.14159265358979)
    assert "chiffres significatifs" in refused(spec("number"), "3,141592653589793238")
    assert parse_answer(spec("number"), "0" * 40 + "7", required=True) == 7
    for raw in ("1 500", "3,5", "0,00001", "-12"):
        value = parse_answer(spec("number"), raw, required=True)
        assert math.isfinite(value)


def test_a_number_too_long_to_be_one_is_refused_before_any_conversion():
    assert "au plus 15 chiffres" in refused(spec("number"), "1 " * 3000)


@pytest.mark.parametrize(("raw", "value"), [("٢٠١٥", 2015), ("２０１５", 2015), ("۱۲٫۵", 12.5), ("१५००", 1500),
                                            ("－３", -3), ("1\u202f500", 1500)])
def test_numbers_in_other_scripts_are_read_as_numbers(raw, value):
    assert parse_answer(spec("number"), raw, required=True) == value


def test_superscripts_are_not_digits():
    assert "n'est pas un nombre" in refused(spec("number"), "10²")


def test_a_stored_number_is_shown_without_exponent_nor_crash():
    assert format_value(spec("number"), 0.00001) == "0,00001"
    assert format_value(spec("number"), -1234.5) == "-1 234,5"
    assert format_number(10**400).startswith("10 000 000")  # written by an older version: shown, not a crash
    assert format_number(10**5000) == "(nombre trop long pour être affiché)"
    assert format_number(float("inf")) == "(nombre invalide)"


# -- dates and months ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["01/01/0000", "0000-01-01", "31/12/1899", "01/01/2101", "01/01/9999"])
def test_a_date_out_of_1900_2100_is_refused(raw):
    assert "entre 1900 et 2100" in refused(spec("date"), raw)


@pytest.mark.parametrize(("raw", "value"), [("٠١/٠٣/٢٠١٥", "2015-03-01"), ("０１／０３／２０１５", "2015-03-01"),
                                            ("۰۱.۰۳.۲۰۱۵", "2015-03-01"), ("01/01/1900", "1900-01-01")])
def test_dates_in_other_scripts_are_read_as_dates(raw, value):
    assert parse_answer(spec("date"), raw, required=True) == value


@pytest.mark.parametrize(("raw", "value"), [("٢٠١٥", "2015"), ("２０１５", "2015"), ("٠٣/٢٠١٥", "2015-03"),
                                            ("０３／２０１５", "2015-03"), ("२०१५-०३", "2015-03")])
def test_months_in_other_scripts_are_stored_in_ascii_like_numbers_and_dates(raw, value):
    assert parse_answer(spec("month"), raw, required=True) == value


@pytest.mark.parametrize("raw", ["0000", "03/0000", "0000-03", "1850", "2500"])
def test_a_month_out_of_1900_2100_is_refused(raw):
    assert "entre 1900 et 2100" in refused(spec("month"), raw)


@pytest.mark.parametrize("kind", ["date", "month"])
def test_a_huge_date_or_month_gets_a_short_message(kind):
    refused(spec(kind), "1" * 10_000)


# -- choices, scales, grids, rankings -------------------------------------------------------------


def test_an_unknown_choice_is_quoted_short_and_without_escapes():
    refused(spec("single", choices=CHOICES), CLEAR + "z" * 10_000)
    refused(spec("multi", choices=CHOICES), ["a", *[CLEAR + "z" * 5000 + str(i) for i in range(50)]])
    refused(spec("ranking", choices=CHOICES), ["a", CLEAR + "z" * 10_000])


def test_a_degree_of_a_scale_in_other_scripts_is_read_and_a_huge_one_refused():
    scale = spec("scale", min=1, max=5)
    assert parse_answer(scale, "٣", required=True) == 3
    assert parse_answer(scale, "４", required=True) == 4
    assert "degré" in refused(scale, "9" * 5000)
    assert "degré" in refused(scale, "1_0")


def test_a_grid_refuses_huge_degrees_and_unknown_items_in_a_short_message():
    grid = spec("ratings", min=0, max=4, items=[{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}])
    assert parse_answer(grid, {"x": "٢", "y": 4}, required=True) == {"x": 2, "y": 4}
    assert "« X »" in refused(grid, {"x": "9" * 5000})
    refused(grid, {CLEAR + "k" * 5000 + str(i): 1 for i in range(20)})


# -- lists --------------------------------------------------------------------------------------

JOBS = spec("list", fields=[{"id": "poste", "label": "Poste", "required": True},
                            {"id": "debut", "label": "Début", "type": "month"},
                            {"id": "salaire", "label": "Salaire", "type": "number"}])


def test_a_list_has_at_most_100_elements_whatever_the_flow_says():
    items = [{"poste": f"Poste {i}"} for i in range(MAX_LIST_ITEMS)]
    assert len(parse_answer(JOBS, items, required=True)) == MAX_LIST_ITEMS
    assert f"Au plus {MAX_LIST_ITEMS} éléments" in refused(JOBS, [*items, {"poste": "Un de trop"}])


def test_the_fields_of_a_list_element_are_cleaned_bounded_and_normalised():
    value = parse_answer(JOBS, [{"poste": f"Aide{TITLE} soignante", "debut": "٠٣/٢٠١٥", "salaire": "２０００"}],
                         required=True)
    assert value == [{"poste": "Aide]0;PWNED soignante", "debut": "2015-03", "salaire": 2000}]
    message = refused(JOBS, [{"poste": "x" * (MAX_LINE_LENGTH + 1)}])
    assert message.startswith("Élément 1 – Poste") and "trop long" in message
    assert "au plus 15 chiffres" in refused(JOBS, [{"poste": "P", "salaire": "9" * 5000}])
    assert "entre 1900 et 2100" in refused(JOBS, [{"poste": "P", "debut": "0000"}])


def test_a_list_element_whose_fields_show_nothing_is_no_element():
    assert parse_answer(JOBS, [{"poste": "Cariste"}, {"poste": "\x1b", "debut": "\u200b"}], required=True) == [
        {"poste": "Cariste", "debut": None, "salaire": None}
    ]


# -- through the engine: a refusal, never a crash -------------------------------------------------


def test_the_engine_refuses_a_5000_digit_number_and_keeps_its_state(expressions):
    flow = Flow.model_validate({
        "id": "essai", "title": "Essai", "flow_version": "1", "phase": "investigation",
        "steps": [{"id": "n", "prompt": "Combien ?", "answer": {"type": "number", "min": 0, "max": 60}},
                  {"id": "m", "prompt": "Quand ?", "answer": {"type": "month"}}],
    })
    engine = Engine(flow, expressions)
    state = engine.start()
    now = dt.datetime(2026, 11, 26, 10, 0)
    outcome = engine.answer(state, "n", "9" * 5000, now=now)
    assert outcome.errors and not outcome.recorded and outcome.state == state
    outcome = engine.answer(state, "m", "0000", now=now)
    assert outcome.errors and outcome.state == state
    assert AnswerType.MONTH in {s.answer.type for s in flow.steps if s.answer}
