"""Scores and codes computed by hand, for the cases the golden persona does not reach.

Each test names the mistake it guards against (found by mutation testing, or planted by hand):
ties counted as one place, a code one letter too long or too short, skipped pages counted, ranges
wrong for a 1-5 scale, unscored items stopping the count.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bilan_tui.domain.engine import Engine
from bilan_tui.domain.models import SkipReason
from bilan_tui.domain.scoring import score
from bilan_tui.flows import JinjaExpressions, load_catalog, load_flow_text
from tests.persona import riasec_pages, run

CATALOG = load_catalog()
INTERETS = CATALOG.flows["interets"]
PERSONNALITE = CATALOG.flows["personnalite"]
NOW = dt.datetime(2026, 11, 26, 10, 0)


def riasec(ratings: dict[str, int]):
    """The RIASEC result when every activity of a letter is rated the same (score = 10 x rating)."""
    engine = Engine(INTERETS, JinjaExpressions())
    result = score(INTERETS, run(engine, riasec_pages(engine, ratings), until="centres"))
    assert result is not None and result.complete
    return result


# -- the three-letter code, ties kept -----------------------------------------------------------
# Ranks count scales, not groups: two letters tied for first take places 1 and 2, so the third
# letter is the next one down; a tie that straddles the third place keeps every tied letter.


@pytest.mark.parametrize(("ratings", "code"), [
    # No tie: exactly three letters, in score order.
    ({"R": 1, "I": 0, "A": 2, "S": 4, "E": 3, "C": 0}, "S > E > A"),
    # Two tied for first: they fill places 1 and 2; the third letter is the next score.
    ({"R": 4, "I": 4, "A": 2, "S": 3, "E": 1, "C": 0}, "R = I > S"),
    # Two tied for first, then a tie at the third place: both kept.
    ({"R": 4, "I": 4, "A": 3, "S": 3, "E": 1, "C": 0}, "R = I > A = S"),
    # Three tied for first: the code is complete with them.
    ({"R": 4, "I": 4, "A": 4, "S": 3, "E": 2, "C": 1}, "R = I = A"),
    # Four tied for first: the tie at the boundary keeps all four.
    ({"R": 4, "I": 1, "A": 4, "S": 4, "E": 4, "C": 0}, "R = A = S = E"),
    # One first, two tied second: three letters, nothing more.
    ({"R": 3, "I": 3, "A": 0, "S": 4, "E": 2, "C": 1}, "S > R = I"),
    # One first, three tied second: the tie straddles the third place, all kept.
    ({"R": 3, "I": 3, "A": 0, "S": 4, "E": 1, "C": 3}, "S > R = I = C"),
    # Two distinct, then a tie at the third place.
    ({"R": 0, "I": 2, "A": 3, "S": 4, "E": 2, "C": 2}, "S > A > I = E = C"),
])
def test_the_code_counts_places_by_letters_with_ties_kept(ratings, code):
    assert riasec(ratings).code == code


def test_code_groups_keep_the_flow_order_among_equals():
    result = riasec({"R": 2, "I": 0, "A": 0, "S": 0, "E": 4, "C": 2})
    assert result.code_groups == (("E",), ("R", "C"))


SMALL = """
id: petit
title: Petit questionnaire
flow_version: "1"
phase: investigation
scoring:
  label: "Support de discussion."
  code_length: {length}
  scales: [{{id: X, label: X}}, {{id: Y, label: Y}}, {{id: Z, label: Z}}]
steps:
  - id: page
    prompt: "Notez"
    answer:
      type: ratings
      min: 1
      max: 5
      items:
        - {{id: libre, label: "Sans échelle"}}
        - {{id: x1, scale: X, label: "x1"}}
        - {{id: y1, scale: Y, label: "y1"}}
        - {{id: z1, scale: Z, label: "z1", reverse: true}}
        - {{id: x2, scale: X, label: "x2"}}
"""


def small(length: int = 3):
    flow = load_flow_text(SMALL.format(length=length), "petit.yaml")
    return flow, Engine(flow, JinjaExpressions())


def answered_small(ratings: dict[str, int], length: int = 3):
    flow, engine = small(length)
    outcome = engine.answer(engine.start(), "page", ratings, now=NOW, accept_warnings=True)
    assert outcome.recorded, outcome.errors
    return flow, outcome.state


def test_an_item_without_a_scale_does_not_stop_the_count_of_the_next_ones():
    flow, state = answered_small({"libre": 5, "x1": 2, "y1": 4, "z1": 5, "x2": 3})
    result = score(flow, state)
    assert result.flow_id == "petit" and result.label == "Support de discussion."
    assert {s.scale.id: (s.score, s.minimum, s.maximum) for s in result.scores} == {
        "X": (5, 2, 10), "Y": (4, 1, 5), "Z": (1, 1, 5)}  # Z reversed: 1 + 5 - 5
    assert result.code == "X > Y > Z"


@pytest.mark.parametrize(("length", "code"), [(0, ""), (1, "X"), (2, "X > Y")])
def test_the_code_has_the_length_the_flow_asks_for(length, code):
    flow, state = answered_small({"libre": 1, "x1": 2, "y1": 4, "z1": 5, "x2": 3}, length)
    assert score(flow, state).code == code


def test_a_personality_profile_has_the_ranges_of_a_one_to_five_scale():
    pages = {s.id: {i.id: 3 for i in s.answer.items} for s in PERSONNALITE.steps if s.answer}
    result = score(PERSONNALITE, run(Engine(PERSONNALITE, JinjaExpressions()), pages))
    assert {(s.minimum, s.maximum) for s in result.scores} == {(10, 50)}
    assert result.flow_id == "personnalite" and "non validée" in result.label
    assert result.code_groups == ()  # no code asked for the five factors


def test_a_questionnaire_never_started_lists_every_item_as_missing():
    result = score(INTERETS, None)
    assert result.flow_id == "interets" and not result.complete and len(result.missing) == 60
    assert score(INTERETS, Engine(INTERETS, JinjaExpressions()).start()).missing == result.missing


def test_pages_not_reached_yet_are_missing_and_no_profile_is_given():
    engine = Engine(INTERETS, JinjaExpressions())
    pages = riasec_pages(engine)
    state = run(engine, pages, until="activites_3")
    result = score(INTERETS, state)
    assert not result.complete and len(result.missing) == 40 and result.scores == ()
    assert result.flow_id == "interets"


def test_a_page_skipped_after_it_was_answered_no_longer_counts():
    # Skipping an answered page keeps its former value in sight, but it is no longer an answer.
    engine = Engine(INTERETS, JinjaExpressions())
    state = run(engine, riasec_pages(engine), until="centres")
    state = engine.skip(engine.edit(state, "activites_2"), "activites_2", SkipReason.PREFERS_NOT, now=NOW)
    assert state.answers["activites_2"].value  # kept...
    result = score(INTERETS, state)
    assert not result.complete and len(result.missing) == 10  # ...but not scored


def test_a_page_deferred_after_it_was_answered_no_longer_counts():
    engine = Engine(INTERETS, JinjaExpressions())
    state = run(engine, riasec_pages(engine), until="centres")
    state = engine.skip(engine.edit(state, "activites_6"), "activites_6", SkipReason.LATER, now=NOW)
    assert not score(INTERETS, state).complete


def test_a_flow_without_scoring_has_no_score():
    assert score(CATALOG.flows["parcours"], None) is None
