"""Card sorts with « Autre (à préciser) »: a card of one's own is kept as typed, later steps offer it,
the portfolio names it; and a refused list answer says which element and field are wrong."""

from __future__ import annotations

import pytest

from bilan_tui.domain.answers import AnswerError, format_value, item_problem_place, match_choice, parse_answer
from bilan_tui.domain.engine import Engine
from bilan_tui.domain.flow import AnswerSpec
from bilan_tui.domain.portfolio import derive
from bilan_tui.flows import FlowLoadError, JinjaExpressions, load_catalog, load_flow_text
from tests.persona import NOW, run

CATALOG = load_catalog()
VALUES = CATALOG.flows["valeurs"]
CARDS = AnswerSpec.model_validate({"type": "multi", "other": True, "choices": [
    {"value": "autonomie", "label": "Autonomie : organiser mon travail à ma façon"},
    {"value": "equipe", "label": "Esprit d'équipe : travailler avec d'autres"}]})


def test_a_card_of_ones_own_is_kept_as_typed_without_its_control_characters():
    assert parse_answer(CARDS, ["autonomie", "  Être utile\x1b[31m aux familles "], required=True) == [
        "autonomie", "Être utile[31m aux familles"]


@pytest.mark.parametrize("typed", ["AUTONOMIE", "autonomie", "Autonomie : organiser mon travail à ma façon",
                                   "esprit d'EQUIPE"])
def test_a_card_typed_as_one_of_the_deck_is_that_card(typed):
    assert match_choice(CARDS, typed) in ("autonomie", "equipe")
    assert parse_answer(CARDS, ["autonomie", "equipe", typed], required=True) == ["autonomie", "equipe"]


def test_blank_cards_are_dropped_and_a_too_long_one_is_refused_in_french():
    assert parse_answer(CARDS, ["equipe", " \u3164 "], required=True) == ["equipe"]
    with pytest.raises(AnswerError, match="un intitulé court suffit"):
        parse_answer(CARDS, ["x" * 121], required=True)


def test_without_other_an_unknown_choice_is_still_refused():
    closed = CARDS.model_copy(update={"other": False})
    with pytest.raises(AnswerError, match="Choix inconnu : Transmettre"):
        parse_answer(closed, ["Transmettre"], required=True)


def test_other_goes_with_a_multiple_choice_only():
    text = """
id: essai
title: Essai
flow_version: "1"
phase: investigation
steps:
  - id: q
    prompt: "Une seule ?"
    answer: {type: single, other: true, choices: [{value: a, label: A}]}
"""
    with pytest.raises(FlowLoadError, match="« other »"):
        load_flow_text(text, "essai.yaml")


def test_the_values_cards_include_transmettre_and_offer_ones_own():
    spec = VALUES.step("valeurs").answer
    assert spec is not None and spec.other
    assert match_choice(spec, "Transmettre") == "transmettre"
    interests = CATALOG.flows["interets"].step("centres").answer
    assert interests is not None and interests.other


def test_ones_own_card_is_offered_by_the_ranking_and_named_in_the_portfolio():
    engine = Engine(VALUES, JinjaExpressions())
    state = run(engine, {"valeurs": ["autonomie", "transmettre", "Être utile aux familles"]}, until="valeurs_classement")
    ranking = engine.spec(VALUES.step("valeurs_classement"), state)
    assert ranking is not None
    assert [c.label for c in ranking.choices][-1] == "Être utile aux familles"
    outcome = engine.answer(state, "valeurs_classement", ["Être utile aux familles", "transmettre", "autonomie"],
                            now=NOW)
    assert outcome.recorded, outcome.errors
    assert format_value(ranking, outcome.state.record("valeurs_classement").value).splitlines()[0] == \
        "1. Être utile aux familles"
    items, _ = derive([(engine, outcome.state)])
    values = [item.title for item in items if item.kind == "valeur"]
    assert values[0] == "Être utile aux familles"


def test_a_refused_list_names_the_element_and_the_field_to_go_back_to():
    spec = CATALOG.flows["pistes"].step("projets").answer
    assert spec is not None
    with pytest.raises(AnswerError) as refused:
        parse_answer(spec, [{"intitule": "Aide-soignante"}, {"intitule": "Formatrice", "code_rome": "12345"}],
                     required=True)
    assert item_problem_place(spec, str(refused.value)) == (2, "code_rome")
    with pytest.raises(AnswerError) as missing:
        parse_answer(spec, [{"intitule": "Aide-soignante"}, {"attrait": "Le contact"}], required=True)
    assert item_problem_place(spec, str(missing.value)) == (2, "intitule")
    assert item_problem_place(spec, "Élément 3 : la fin précède le début.") == (3, None)
    assert item_problem_place(spec, "Il faut au moins 1 élément.") is None
