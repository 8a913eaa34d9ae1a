"""Golden tests of the questionnaires' scores, on the real RIASEC and Big-Five modules."""

from __future__ import annotations

import pytest

from bilan_tui.domain.engine import Engine
from bilan_tui.domain.scoring import score
from bilan_tui.flows import JinjaExpressions, load_catalog
from tests.persona import NOW, riasec_pages, run

CATALOG = load_catalog()
INTERETS = CATALOG.flows["interets"]
PERSONNALITE = CATALOG.flows["personnalite"]


def answered(flow, pages):
    engine = Engine(flow, JinjaExpressions())
    return run(engine, pages, until="centres")


def uniform(flow, value):
    return {step.id: {item.id: value for item in step.answer.items} for step in flow.steps if step.answer
            and step.answer.items}


def scores(flow, state):
    result = score(flow, state)
    assert result is not None and result.complete, result
    return {s.scale.id: s.score for s in result.scores}


def test_the_checklist_has_ten_original_activities_per_letter():
    letters = [item.scale for _, item in INTERETS.rated_items()]
    assert {letter: letters.count(letter) for letter in "RIASEC"} == dict.fromkeys("RIASEC", 10)
    assert "non étalonné" in INTERETS.scoring.label


def test_all_zero_gives_six_zeros_and_a_tie_of_six():
    result = score(INTERETS, answered(INTERETS, uniform(INTERETS, 0)))
    assert {s.scale.id: s.score for s in result.scores} == dict.fromkeys("RIASEC", 0)
    assert result.code_groups == (tuple("RIASEC"),)
    assert result.code == "R = I = A = S = E = C"


def test_all_four_gives_six_forties():
    assert scores(INTERETS, answered(INTERETS, uniform(INTERETS, 4))) == dict.fromkeys("RIASEC", 40)


@pytest.mark.parametrize("letter", list("RIASEC"))
def test_one_changed_answer_moves_only_its_own_letter(letter):
    pages = uniform(INTERETS, 2)
    step_id, item_id = next((s.id, i.id) for s, i in INTERETS.rated_items() if i.scale == letter)
    pages[step_id][item_id] = 4
    assert scores(INTERETS, answered(INTERETS, pages)) == {**dict.fromkeys("RIASEC", 20), letter: 22}


def test_ties_at_the_third_place_are_kept():
    engine = Engine(INTERETS, JinjaExpressions())
    state = answered(INTERETS, riasec_pages(engine))  # S 40, R 30, I 20, C 20, E 10, A 0
    result = score(INTERETS, state)
    assert {s.scale.id: s.score for s in result.scores} == {"R": 30, "I": 20, "A": 0, "S": 40, "E": 10, "C": 20}
    assert result.code_groups == (("S",), ("R",), ("I", "C"))
    assert result.code == "S > R > I = C"


def test_an_incomplete_checklist_gives_no_profile_and_names_the_missing_items():
    pages = uniform(INTERETS, 3)
    del pages["activites_1"]["i02"]
    engine = Engine(INTERETS, JinjaExpressions())
    state = engine.start()
    for step_id, ratings in pages.items():  # the grid with a hole is saved after its warning
        outcome = engine.answer(state, step_id, ratings, now=NOW)
        if not outcome.recorded:
            assert outcome.warnings and "1 élément sans note" in outcome.warnings[0]
            outcome = engine.answer(state, step_id, ratings, now=NOW, accept_warnings=True)
        state = outcome.state
    result = score(INTERETS, state)
    assert result.scores == () and result.code_groups == ()
    missing_label = next(i.label for _, i in INTERETS.rated_items() if i.id == "i02")
    assert result.missing == (missing_label,)


def test_a_skipped_page_gives_no_profile_and_lists_its_ten_items():
    pages = uniform(INTERETS, 1)
    del pages["activites_6"]
    result = score(INTERETS, answered(INTERETS, pages))
    assert not result.complete and len(result.missing) == 10


# -- Big Five (IPIP 50 markers) ----------------------------------------------------------------


def test_the_fifty_ipip_markers_have_the_published_keys():
    keys = {}
    for _, item in PERSONNALITE.rated_items():
        keys.setdefault(item.scale, []).append("-" if item.reverse else "+")
    # Goldberg's 50-item markers: reversed items per factor (E 5, A 4, C 4, emotional stability 8, O 3).
    assert {scale: marks.count("-") for scale, marks in keys.items()} == {"E": 5, "A": 4, "C": 4, "N": 8, "O": 3}
    assert all(len(marks) == 10 for marks in keys.values())
    assert "non validée" in PERSONNALITE.scoring.label


def test_reverse_keys_against_a_hand_computed_profile():
    # Every item answered 5 ("très exact"): a keyed item scores 5, a reversed one 6 - 5 = 1.
    # E: 5 keyed + 5 reversed = 25 + 5 = 30; A: 6 + 4 -> 30 + 4 = 34; C: 6 + 4 -> 34;
    # N (stability): 2 + 8 -> 10 + 8 = 18; O: 7 + 3 -> 35 + 3 = 38.
    state = answered(PERSONNALITE, uniform(PERSONNALITE, 5))
    assert scores(PERSONNALITE, state) == {"E": 30, "A": 34, "C": 34, "N": 18, "O": 38}


def test_reverse_keys_on_a_mixed_profile():
    # Items 1 to 10 answered 1, 11 to 50 answered 3; the first ten hold two items of each factor.
    pages = uniform(PERSONNALITE, 3)
    for item_id in pages["phrases_1"]:
        pages["phrases_1"][item_id] = 1
    # Page 1: E+ (1), A- (5), C+ (1), N- (5), O+ (1), E- (5), A+ (1), C- (5), N+ (1), O- (5):
    # each factor gets 1 + 5 = 6 from page 1 and 8 x 3 = 24 from the rest: 30.
    assert scores(PERSONNALITE, answered(PERSONNALITE, pages)) == dict.fromkeys("EACNO", 30)


def test_an_incomplete_personality_questionnaire_gives_no_profile():
    pages = uniform(PERSONNALITE, 4)
    del pages["phrases_3"]["p25"]
    engine = Engine(PERSONNALITE, JinjaExpressions())
    state = run(engine, {k: v for k, v in pages.items()})
    result = score(PERSONNALITE, state)
    assert not result.complete and result.missing == ("J'ai d'excellentes idées.",)
