"""Bad input on the answer types of the modules: a French message, never a crash; and flow checks."""

from __future__ import annotations

import pytest

from bilan_tui.domain.answers import AnswerError, format_value, parse_answer
from bilan_tui.domain.engine import Engine
from bilan_tui.domain.flow import AnswerSpec
from bilan_tui.flows import FlowLoadError, JinjaExpressions, load_catalog, load_flow_text
from tests.persona import NOW, PARCOURS, REALISATIONS, run

CATALOG = load_catalog()

GRID = AnswerSpec.model_validate({"type": "ratings", "min": 0, "max": 4, "items": [
    {"id": "a", "label": "Réparer"}, {"id": "b", "label": "Dessiner"}]})
RANKING = AnswerSpec.model_validate({"type": "ranking", "min_items": 1, "max_items": 2, "choices": [
    {"value": "x", "label": "Autonomie"}, {"value": "y", "label": "Sécurité"}, {"value": "z", "label": "Équipe"}]})


@pytest.mark.parametrize(("raw", "message"), [
    ({"a": 5}, "« Réparer » : choisissez un degré entre 0 et 4."),
    ({"a": "beaucoup"}, "« Réparer » : « beaucoup » n'est pas un degré de l'échelle."),
    ({"zz": 1}, "Élément inconnu dans la grille : zz."),
    (["a"], "Réponse inattendue : notez les éléments de la grille un par un."),
    ({}, "Une réponse est attendue."),
])
def test_a_grid_refuses_bad_ratings_in_french(raw, message):
    with pytest.raises(AnswerError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_answer(GRID, raw, required=True)


def test_a_grid_keeps_its_own_order_and_shows_what_is_missing():
    assert parse_answer(GRID, {"b": "2", "a": 0}, required=True) == {"a": 0, "b": 2}
    assert format_value(GRID, {"b": 3}) == "Dessiner : 3\n(1 sans note)"


@pytest.mark.parametrize(("raw", "message"), [
    (["x", "x"], "« Autonomie » est classé deux fois : un seul rang par élément."),
    (["x", "w"], "Choix inconnu : w."),
    (["x", "y", "z"], "Au plus 2 éléments (3 pour l'instant)."),
    ([], "Il faut au moins 1 élément."),
    ("x", "Réponse inattendue : classez les propositions une par une."),
])
def test_a_ranking_refuses_duplicates_unknown_and_too_many(raw, message):
    with pytest.raises(AnswerError) as error:
        parse_answer(RANKING, raw, required=True)
    assert str(error.value) == message


def test_a_card_sort_with_no_card_chosen_says_so():
    engine = Engine(CATALOG.flows["interets"], JinjaExpressions())
    state = run(engine, {}, until="centres")
    outcome = engine.answer(state, "centres", [], now=NOW)
    assert outcome.errors == ("Il faut au moins 1 choix.",) and not outcome.recorded


def test_a_half_empty_star_story_is_refused_with_the_missing_parts():
    context = {"parcours": {"experiences": PARCOURS["experiences"]}}
    engine = Engine(CATALOG.flows["realisations"], JinjaExpressions(), context)
    state = run(engine, REALISATIONS, until="realisations")
    half = [{"titre": "Ligne 3", "situation": "Pannes", "tache": "Trouver la cause", "action": "", "resultat": ""}]
    outcome = engine.answer(state, "realisations", half, now=NOW)
    assert outcome.errors == ("Élément 1 – Action (ce que j'ai fait) : ce champ est obligatoire.",)
    # ... or it is skipped with a reason, which is recorded.
    from bilan_tui.domain.models import AnswerStatus, SkipReason

    skipped = engine.skip(state, "realisations", SkipReason.LATER, now=NOW)
    assert skipped.record("realisations").status is AnswerStatus.DEFERRED


def test_a_ranking_offers_only_the_cards_chosen_before():
    engine = Engine(CATALOG.flows["interets"], JinjaExpressions())
    state = run(engine, {"centres": ["ci24", "ci14"]}, until="centres_classement")
    spec = engine.spec(engine.current(state), state)
    assert [c.label for c in spec.choices] == ["Je souhaite transmettre", "J'aime le travail manuel"]
    assert engine.answer(state, "centres_classement", ["ci01"], now=NOW).errors == ("Choix inconnu : ci01.",)


def test_the_interest_cards_are_the_thirty_rome_centres_with_their_attribution():
    flow = CATALOG.flows["interets"]
    cards = flow.step("centres").answer.choices
    assert len(cards) == 30 and cards[0].label == "J'ai envie de créer, construire, rénover"
    assert "France Travail, ROME 4.0" in flow.attribution


@pytest.mark.parametrize(("raw", "message"), [
    ("2015", None), ("3/2015", None), ("13/2015", "le mois va de 01 à 12"), ("l'an dernier", "attendu une année"),
])
def test_experience_dates_take_a_year_or_a_month(raw, message):
    spec = CATALOG.flows["parcours"].step("experiences").answer
    item = {"intitule": "Vendeuse", "nature": "emploi", "debut": raw}
    if message is None:
        [parsed] = parse_answer(spec, [item], required=True)
        assert parsed["debut"] in ("2015", "2015-03")
    else:
        with pytest.raises(AnswerError, match=message):
            parse_answer(spec, [item], required=True)


# -- flow files: the new keys are checked at load ------------------------------------------------

BASE = """
id: essai
title: Essai
flow_version: "1"
phase: investigation
"""


@pytest.mark.parametrize(("steps", "problem"), [
    ("""  - {id: a, prompt: "?", answer: {type: ranking, choices_from: rien}}""",
     "choices_from : aucune réponse « rien » dans ce parcours"),
    ("""  - {id: a, prompt: "?", answer: {type: multi, choices_from: autre.x}}""",
     "le module « autre » n'est pas déclaré dans « uses »"),
    ("""  - {id: a, prompt: "?", answer: {type: multi, choices_from: a, suggest: devine}}""",
     "suggestion inconnue « devine »"),
    ("""  - {id: a, kind: repeat, prompt: "?", answer: {type: list, fields: [{id: t, label: T}]},
     produces: {kind: competence, title: x}}""",
     "produces : champ inconnu x"),
    ("""  - {id: a, prompt: "?", answer: {type: ratings, min: 0, max: 4, items: [{id: i, label: I, scale: Q}]}}""",
     "des éléments ont une « scale » mais le parcours n'a pas de « scoring »"),
    ("""  - {id: a, prompt: "?", answer: {type: ratings, min: 0, max: 4}}""",
     "une grille « ratings » demande une liste « items »"),
])
def test_mistakes_in_the_new_keys_are_reported_in_french(steps, problem):
    with pytest.raises(FlowLoadError) as error:
        load_flow_text(BASE + "steps:\n" + steps, "essai.yaml")
    assert problem in error.value.summary()
