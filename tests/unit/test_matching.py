"""Strengths and gaps: which competence of the portfolio answers a requirement, and with what proof.

The golden cases come from a first real bilan (issue 8): competences present word for word lost to
bare verbs, and a competence proved by an achievement lost to a self-rating without proof.
"""

from __future__ import annotations

import pytest

from bilan_tui.domain.matching import compare
from bilan_tui.domain.models import ItemKind
from bilan_tui.domain.portfolio import Portfolio, PortfolioItem, SourceRef
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from tests.care_worker import CARE_WORKER
from tests.persona import NOW, run

CATALOG = load_catalog()

def competence(title: str, proof: str | None = None) -> PortfolioItem:
    """A competence, proved by the achievement numbered ``proof`` (or without proof)."""
    evidence = (SourceRef(module="realisations", step_id="realisations", element=proof),) if proof else ()
    return PortfolioItem(id=f"x:{title}", kind=ItemKind.COMPETENCE, title=title, evidence=evidence,
                         added_at=NOW, updated_at=NOW)


# The portfolio in the order a bilan fills it: self-ratings (no proof), suggested verbs, named competences.
PORTFOLIO = (competence("Animer ou encadrer un groupe"), competence("Former", "1"), competence("Rédiger", "1"), competence("Animer", "2"),
             competence("Former des adultes", "1"), competence("Rédiger des supports pédagogiques", "1"),
             competence("Animer un groupe", "2"))


def matched(required: tuple[str, ...], items: tuple[PortfolioItem, ...]) -> list[tuple[str, str, str | None]]:
    result = compare(required, items)
    return [(s.required, s.item.title, s.proof.title if s.proof else None) for s in result.strengths]


def test_a_competence_present_word_for_word_beats_a_bare_verb():
    assert matched(("Former des adultes", "Rédiger des supports pédagogiques"), PORTFOLIO) == [
        ("Former des adultes", "Former des adultes", "Former des adultes"),
        ("Rédiger des supports pédagogiques", "Rédiger des supports pédagogiques",
         "Rédiger des supports pédagogiques"),
    ]


def test_a_competence_proved_by_an_achievement_beats_a_self_rating_without_proof():
    [strength] = compare(("Animer un groupe",), PORTFOLIO).strengths
    assert strength.item.title == "Animer un groupe" and strength.exact
    assert strength.proof is strength.item and [e.element for e in strength.proof.evidence] == ["2"]


def test_exactness_ignores_case_accents_plurals_and_small_words():
    [strength] = compare(("ANIMER DES GROUPES",), PORTFOLIO).strengths
    assert (strength.item.title, strength.exact) == ("Animer un groupe", True)
    [strength] = compare(("rediger des supports pedagogiques",), PORTFOLIO).strengths
    assert (strength.item.title, strength.exact) == ("Rédiger des supports pédagogiques", True)


def test_without_an_exact_match_the_closest_whole_wording_wins():
    from bilan_tui.domain.matching import ranked

    # Every one of these contains all the words of one side: the whole wording decides.
    items = (competence("Rédiger"), competence("Rédiger des supports"), competence("Former"))
    [strength] = compare(("Rédiger des supports pédagogiques",), items).strengths
    assert strength.item.title == "Rédiger des supports" and not strength.exact
    assert [m.item.title for m in ranked("Rédiger des supports pédagogiques", items)] == [
        "Rédiger des supports", "Rédiger"]


def test_at_equal_wording_the_proved_competence_wins():
    items = (competence("Animer un groupe"), competence("Animer un groupe", "2"))
    [strength] = compare(("Animer un groupe",), items).strengths
    assert strength.item is items[1]


@pytest.mark.parametrize("items", [
    (competence("Former des adultes"), competence("Former", "1")),
    (competence("Former", "1"), competence("Former des adultes")),
])
def test_the_proof_is_shown_whenever_a_matching_competence_has_one(items):
    [strength] = compare(("Former des adultes",), items).strengths
    assert strength.item.title == "Former des adultes"  # the closest wording, although without proof
    assert strength.proof is not None and strength.proof.title == "Former"


def test_no_proof_and_no_match_are_said_as_such():
    result = compare(("Animer un groupe", "Ingénierie de formation", "  "), (competence("Animer un groupe"),))
    [strength] = result.strengths
    assert strength.proof is None
    assert result.gaps == ("Ingénierie de formation", "  ")


def test_the_care_worker_s_strengths_rest_on_her_achievements():
    """The issue's bilan, from the answers: every strength is the right competence, with its proof."""
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions())
    for flow_id, answers in CARE_WORKER:
        engine = workbook.engine(CATALOG.flows[flow_id])
        workbook = workbook.with_state(run(engine, answers, engine.start("p1" if engine.flow.repeatable else "")))
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
    [comparison] = workbook.comparisons(portfolio)
    result = comparison.result
    assert [(s.required, s.item.title, s.exact) for s in result.strengths] == [
        ("Former des adultes", "Former des adultes", True),
        ("Rédiger des supports pédagogiques", "Rédiger des supports pédagogiques", True),
        ("Animer un groupe", "Animer un groupe", True),
        ("Communiquer à l'oral", "Communiquer à l'écrit comme à l'oral", False),  # her self-rating
    ]
    achievements = {"1": "Accueil des stagiaires", "2": "Atelier mémoire"}
    assert [[achievements[e.element or ""] for e in s.proof.evidence] if s.proof else None
            for s in result.strengths] == [["Accueil des stagiaires"], ["Accueil des stagiaires"],
                                           ["Atelier mémoire"], None]
    assert result.gaps == ("Ingénierie de formation",)
