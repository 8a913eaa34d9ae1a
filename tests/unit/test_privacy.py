"""The one rule of what the beneficiary view shows (F6): fast, no terminal.

Each test would fail if the beneficiary view stopped hiding one kind of consultant-only content:
questions asked to the consultant, the flows' hints to the consultant, private notes, private
portfolio items, and strengths (or evidence) that only a private item supports.
"""

from __future__ import annotations

import pytest

from bilan_tui.domain.flow import Step
from bilan_tui.domain.models import ItemKind, Note, Respondent, Visibility
from bilan_tui.domain.portfolio import Portfolio, PortfolioItem
from bilan_tui.domain.privacy import (
    Audience,
    flow_notices_visible,
    hint,
    hint_visible,
    item_visible,
    note_visible,
    question_visible,
    source_visible,
    strengths_and_gaps,
    visible,
    visible_items,
    visible_notes,
    visible_portfolio,
)
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from tests.persona import CONFRONTATION, NOW, run

CATALOG = load_catalog()
CONSULTANT, BENEFICIARY = Audience.CONSULTANT, Audience.BENEFICIARY
ALL_STEPS = [step for flow in CATALOG.flows.values() for step in flow.steps]


def step(asked_to: Respondent = Respondent.BENEFICIARY, consultant_note: str = "") -> Step:
    return Step.model_validate({"id": "q", "prompt": "Question ?", "answer": {"type": "text"},
                                "asked_to": asked_to, "consultant_note": consultant_note})


def note(text: str, visibility: Visibility) -> Note:
    return Note(text=text, visibility=visibility, at=NOW)


def item(title: str, *, private: bool = False, kind: ItemKind = ItemKind.COMPETENCE, removed: bool = False,
         item_id: str | None = None) -> PortfolioItem:
    return PortfolioItem(id=item_id or f"x:{title}", kind=kind, title=title, private=private, removed=removed,
                         added_at=NOW, updated_at=NOW)


def test_the_audience_follows_the_privacy_switch():
    assert Audience.of(True) is BENEFICIARY
    assert Audience.of(False) is CONSULTANT


# -- questions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("asked_to", list(Respondent))
def test_the_consultant_sees_every_question(asked_to):
    assert question_visible(step(asked_to), CONSULTANT)


def test_the_beneficiary_view_hides_the_questions_asked_to_the_consultant():
    assert not question_visible(step(Respondent.CONSULTANT), BENEFICIARY)
    assert question_visible(step(Respondent.BENEFICIARY), BENEFICIARY)
    assert question_visible(step(Respondent.BOTH), BENEFICIARY)


def test_every_consultant_question_of_the_built_in_flows_is_hidden_from_the_beneficiary():
    assert {"observations", "observations_parcours"} <= {s.id for s in ALL_STEPS
                                                          if s.asked_to is Respondent.CONSULTANT}
    assert all(not question_visible(s, BENEFICIARY) for s in ALL_STEPS if s.asked_to is Respondent.CONSULTANT)
    assert all(question_visible(s, BENEFICIARY) for s in ALL_STEPS if s.asked_to is not Respondent.CONSULTANT)


# -- hints ----------------------------------------------------------------------------------------


def test_a_flow_hint_to_the_consultant_is_never_shown_to_the_beneficiary():
    for asked_to in Respondent:
        hinted = step(asked_to, consultant_note="Relancer sur le contexte.")
        assert hint_visible(hinted, CONSULTANT) and hint(hinted, CONSULTANT) == "Relancer sur le contexte."
        assert not hint_visible(hinted, BENEFICIARY) and hint(hinted, BENEFICIARY) == ""
    assert not hint_visible(step(), CONSULTANT) and hint(step(), CONSULTANT) == ""


def test_the_built_in_hints_are_all_hidden_from_the_beneficiary():
    hinted = [s for s in ALL_STEPS if s.consultant_note]
    assert len(hinted) >= 5
    assert all(hint(s, CONSULTANT) == s.consultant_note and hint(s, BENEFICIARY) == "" for s in hinted)


# -- notes ----------------------------------------------------------------------------------------


def test_private_notes_are_hidden_and_shared_ones_shown():
    private, shared = note("Semble inquiète", Visibility.CONSULTANT), note("À relire ensemble", Visibility.SHARED)
    assert note_visible(private, CONSULTANT) and note_visible(shared, CONSULTANT)
    assert not note_visible(private, BENEFICIARY) and note_visible(shared, BENEFICIARY)
    assert Note(text="Par défaut", at=NOW).visibility is Visibility.CONSULTANT
    assert not note_visible(Note(text="Par défaut", at=NOW), BENEFICIARY)


def test_the_notes_of_a_record_as_each_audience_reads_them():
    engine = Workbook(CATALOG.flows, [], JinjaExpressions()).engine(CATALOG.flows["competences"])
    state = engine.start()
    private, shared = note("Semble inquiète", Visibility.CONSULTANT), note("À relire ensemble", Visibility.SHARED)
    for target in ("transversales", "observations"):
        for n in (private, shared):
            state = engine.add_note(state, target, n, now=NOW)
    rated, observed = CATALOG.flows["competences"].step("transversales"), CATALOG.flows["competences"].step(
        "observations")
    assert visible_notes(rated, state.record("transversales"), CONSULTANT) == (private, shared)
    assert visible_notes(rated, state.record("transversales"), BENEFICIARY) == (shared,)
    assert visible_notes(observed, state.record("observations"), CONSULTANT) == (private, shared)
    # On a consultant-only question, even a shared note is out of sight: its question is.
    assert visible_notes(observed, state.record("observations"), BENEFICIARY) == ()
    assert visible_notes(rated, None, CONSULTANT) == ()


# -- portfolio items ------------------------------------------------------------------------------


def test_private_items_are_hidden_from_the_beneficiary_only():
    shared, private, removed = item("Travailler en équipe"), item("Sens du détail", private=True), item(
        "Retiré", removed=True)
    portfolio = Portfolio(items=(shared, private, removed))
    assert item_visible(private, CONSULTANT) and not item_visible(private, BENEFICIARY)
    assert visible_items(portfolio, CONSULTANT) == [shared, private]
    assert visible_items(portfolio, BENEFICIARY) == [shared]
    assert visible_items(portfolio, BENEFICIARY, ItemKind.VALUE) == []
    assert visible_portfolio(portfolio, CONSULTANT) == portfolio
    assert visible_portfolio(portfolio, BENEFICIARY).items == (shared, removed)


def test_one_rule_for_questions_notes_and_items():
    assert not visible(step(Respondent.CONSULTANT), BENEFICIARY) and visible(step(), BENEFICIARY)
    assert not visible(note("x", Visibility.CONSULTANT), BENEFICIARY)
    assert visible(note("x", Visibility.SHARED), BENEFICIARY)
    assert not visible(item("x", private=True), BENEFICIARY) and visible(item("x"), BENEFICIARY)
    assert all(visible(thing, CONSULTANT) for thing in (step(Respondent.CONSULTANT), note("x", Visibility.CONSULTANT),
                                                         item("x", private=True)))


def test_the_answers_items_point_to_follow_their_question_and_item():
    assert source_visible(step(), item("Ligne 3"), BENEFICIARY)
    assert not source_visible(step(Respondent.CONSULTANT), None, BENEFICIARY)
    assert not source_visible(step(), item("Observée", private=True), BENEFICIARY)
    assert source_visible(None, None, BENEFICIARY)  # a question gone: only "gone" is shown
    assert source_visible(step(Respondent.CONSULTANT), item("Observée", private=True), CONSULTANT)


# -- strengths and gaps ---------------------------------------------------------------------------


def test_a_private_competence_is_no_strength_in_the_beneficiary_view():
    observed = item("Sens du détail", private=True)
    portfolio = Portfolio(items=(item("Pédagogie"), observed))
    required = ("pédagogie", "sens du détail")
    consultant = strengths_and_gaps(required, portfolio, CONSULTANT)
    assert [(s.required, s.item.title) for s in consultant.strengths] == [("pédagogie", "Pédagogie"),
                                                                           ("sens du détail", "Sens du détail")]
    beneficiary = strengths_and_gaps(required, portfolio, BENEFICIARY)
    assert [s.required for s in beneficiary.strengths] == ["pédagogie"]
    assert beneficiary.gaps == ("sens du détail",)
    assert all(not s.item.private for s in beneficiary.strengths)


def test_a_strength_shown_to_the_beneficiary_rests_on_a_shared_competence():
    # The private observation is the closer wording; the beneficiary's own competence still counts.
    portfolio = Portfolio(items=(item("Relation clientèle"), item("Relation client", private=True)))
    [strength] = strengths_and_gaps(("relation client",), portfolio, BENEFICIARY).strengths
    assert strength.item.title == "Relation clientèle" and not strength.item.private


def test_the_workbook_confronts_a_project_with_what_the_audience_may_see():
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions())
    observations = {"transversales": {"cooperer": 4},
                    "observations": [{"intitule": "Sens du détail", "categorie": "savoir_etre", "indice": "Fiches"}]}
    confrontation = {**CONFRONTATION, "competences_requises": [
        {"intitule": "sens du détail", "source": ""}, {"intitule": "Travailler en équipe", "source": ""}]}
    for flow_id, answers in (("competences", observations), ("confrontation", confrontation)):
        engine = workbook.engine(CATALOG.flows[flow_id])
        workbook = workbook.with_state(run(engine, answers, engine.start("p1" if engine.flow.repeatable else "")))
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)

    [consultant] = workbook.comparisons(portfolio)
    assert [s.required for s in consultant.result.strengths] == ["sens du détail", "Travailler en équipe"]
    assert workbook.comparisons(portfolio, CONSULTANT) == [consultant]
    [beneficiary] = workbook.comparisons(portfolio, BENEFICIARY)
    assert [s.required for s in beneficiary.result.strengths] == ["Travailler en équipe"]
    assert beneficiary.result.gaps == ("sens du détail",)


def test_requirements_asked_to_the_consultant_are_not_confronted_in_the_beneficiary_view():
    flow = CATALOG.flows["confrontation"]
    step_id = flow.requirements.partition(".")[0]
    private_flow = flow.model_copy(update={"steps": tuple(
        s.model_copy(update={"asked_to": Respondent.CONSULTANT}) if s.id == step_id else s for s in flow.steps)})
    workbook = Workbook({**CATALOG.flows, flow.id: private_flow}, [], JinjaExpressions())
    engine = workbook.engine(private_flow)
    workbook = workbook.with_state(run(engine, CONFRONTATION, engine.start("p1")))
    portfolio = Portfolio(items=(item("Pédagogie"),))
    assert len(workbook.comparisons(portfolio, CONSULTANT)) == 1
    assert workbook.comparisons(portfolio, BENEFICIARY) == []


def test_only_competences_are_strengths_whatever_else_has_the_same_words():
    # An experience or a value titled like a requirement is no competence: it proves nothing.
    portfolio = Portfolio(items=(item("Former des adultes", kind=ItemKind.EXPERIENCE),
                                 item("Former des adultes", kind=ItemKind.VALUE)))
    for audience in (CONSULTANT, BENEFICIARY):
        result = strengths_and_gaps(("former des adultes",), portfolio, audience)
        assert result.strengths == () and result.gaps == ("former des adultes",)


def test_notices_about_the_flow_wait_for_the_consultant():
    assert flow_notices_visible(CONSULTANT)
    assert not flow_notices_visible(BENEFICIARY)
