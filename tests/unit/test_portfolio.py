"""The portfolio: what each module's answers produce, provenance, and how edits are followed."""

from __future__ import annotations

import datetime as dt

import pytest

from bilan_tui.domain.models import CompetenceCategory, ItemKind
from bilan_tui.domain.portfolio import (
    RECHECK_EDITED,
    RECHECK_EVIDENCE_CHANGED,
    RECHECK_GONE,
    RECHECK_STALE,
    Portfolio,
)
from bilan_tui.domain.suggestions import action_verbs, suggest_action_verbs
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from tests.care_worker import CARE_WORKER
from tests.persona import CONFRONTATION, INTERETS_CARDS, NOW, PARCOURS, REALISATIONS, riasec_pages, run

CATALOG = load_catalog()
LATER = NOW + dt.timedelta(hours=1)


def workbook_with(*modules: tuple[str, dict], instance: str = "") -> Workbook:
    """Run modules in order, each seeing the ones before (as in a real bilan)."""
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions())
    for flow_id, answers in modules:
        engine = workbook.engine(CATALOG.flows[flow_id])
        run_instance = instance if CATALOG.flows[flow_id].repeatable else ""
        workbook = workbook.with_state(run(engine, answers, engine.start(run_instance)))
    return workbook


def titles(portfolio: Portfolio, kind: ItemKind) -> list[str]:
    return [i.title for i in portfolio.active(kind)]


@pytest.fixture
def karim() -> Workbook:
    return workbook_with(("parcours", PARCOURS), ("realisations", REALISATIONS))


# -- module scenarios: answers in, portfolio out ---------------------------------------------------


def test_parcours_gives_one_experience_per_element_with_its_dates_and_feelings():
    portfolio, _ = workbook_with(("parcours", PARCOURS)).sync_portfolio(Portfolio(), NOW)
    [job, club] = portfolio.active(ItemKind.EXPERIENCE)
    assert (job.title, club.title) == ("Technicien de maintenance", "Entraîneur de football")
    assert dict(job.details) == {"Nature": "Emploi", "Début": "2008", "Contexte (structure, lieu, équipe)":
                                 "Usine agroalimentaire, Rennes", "Ce que vous avez aimé":
                                 "Dépanner, transmettre aux apprentis", "Ce que vous avez moins aimé":
                                 "Les horaires postés"}
    assert dict(club.details)["Début"] == "03/2015"
    assert len(portfolio.items) == 2  # the consultant's observations are not an item


def test_realisations_gives_achievements_and_competences_with_their_evidence(karim):
    portfolio, _ = karim.sync_portfolio(Portfolio(), NOW)
    assert titles(portfolio, ItemKind.ACHIEVEMENT) == ["Moins de pannes sur la ligne 3", "Deux apprentis diplômés"]
    competences = {i.title: i for i in portfolio.active(ItemKind.COMPETENCE)}
    assert set(competences) == {"Analyser", "Former", "Maintenance préventive", "Pédagogie"}
    assert competences["Analyser"].category is CompetenceCategory.KNOW_HOW
    assert [e.element for e in competences["Analyser"].evidence] == ["1"]
    assert [e.element for e in competences["Former"].evidence] == ["2"]
    pedagogy = competences["Pédagogie"]
    assert (pedagogy.category, pedagogy.level, pedagogy.transferable) == (CompetenceCategory.SOFT_SKILL, 3, True)
    assert [e.element for e in pedagogy.evidence] == ["2"]
    assert all(c.confirmed and not c.recheck for c in competences.values())


def test_suggested_skills_come_from_the_actions_and_only_confirmed_ones_are_added(karim):
    suggested = suggest_action_verbs(REALISATIONS["realisations"])
    assert [c.value for c in suggested] == ["analyser@1", "negocier@1", "former@2"]
    assert suggested[0].label == "Analyser — Moins de pannes sur la ligne 3"
    portfolio, _ = karim.sync_portfolio(Portfolio(), NOW)
    assert "Négocier" not in titles(portfolio, ItemKind.COMPETENCE)  # suggested, not confirmed


@pytest.mark.parametrize(("text", "verbs"), [
    ("J'ai ORGANISÉ la fête et géré le budget", ["gérer", "organiser"]),
    ("nous avons mis en place un outil", ["mettre en place"]),
    ("rien de particulier", []),
    ("l'organisation du budget", []),  # nouns on the same root are not actions
])
def test_action_verbs_are_found_whatever_the_tense_case_or_accents(text, verbs):
    assert action_verbs(text) == verbs


def test_interets_gives_the_ranked_interests_and_a_profile():
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions())
    engine = workbook.engine(CATALOG.flows["interets"])
    workbook = workbook.with_state(run(engine, {**riasec_pages(engine), **INTERETS_CARDS}))
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
    interests = portfolio.active(ItemKind.INTEREST)
    assert [(i.title, i.rank) for i in interests] == [("Je souhaite transmettre", 1), ("J'aime le travail manuel", 2)]
    [profile] = workbook.scores()
    assert profile.code == "S > R > I = C"


def test_valeurs_gives_ranked_values_contexts_and_motivations(karim):
    answers = {
        "valeurs": ["utilite", "apprendre", "equipe", "securite"],
        "valeurs_classement": ["utilite", "equipe", "apprendre"],
        "valeurs_pourquoi": "Être utile à quelqu'un.",
        "horaires": "reguliers", "lieu": "mixte", "public": ["adultes", "collegues"], "rythme": "soutenu",
        "equipe": "membre",
        "motivations": [{"motivation": "Voir quelqu'un progresser", "realisation": "2"}],
    }
    workbook = karim.with_state(run(karim.engine(CATALOG.flows["valeurs"]), answers))
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
    assert [(i.title, i.rank) for i in portfolio.active(ItemKind.VALUE)] == [
        ("Utilité : servir aux autres, à la société", 1), ("Esprit d'équipe : travailler avec d'autres", 2),
        ("Apprendre sans cesse", 3)]
    assert "Horaires réguliers, de journée" in titles(portfolio, ItemKind.CONTEXT)
    assert len(portfolio.active(ItemKind.CONTEXT)) == 6
    [motivation] = portfolio.active(ItemKind.MOTIVATION)
    assert dict(motivation.details) == {"Réalisation": "Deux apprentis diplômés"}


def test_competences_keeps_high_self_ratings_and_the_private_observations():
    answers = {
        "transversales": {"communiquer": 3, "organiser": 2, "cooperer": 4, "resoudre": 4, "adapter": 1,
                          "apprendre": 2, "numerique": 2, "relation": 1, "animer": 3, "initiative": 2},
        "observations": [{"intitule": "Sens du détail", "categorie": "savoir_etre", "indice": "Fiches annotées"}],
    }
    workbook = workbook_with(("competences", answers))
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
    competences = {i.title: i for i in portfolio.active(ItemKind.COMPETENCE)}
    assert {t: i.level for t, i in competences.items() if not i.private} == {
        "Communiquer à l'écrit comme à l'oral": 3, "Travailler en équipe": 4, "Résoudre des problèmes": 4,
        "Animer ou encadrer un groupe": 3}
    observed = competences["Sens du détail"]
    assert observed.private and not observed.confirmed


def test_pistes_gives_projects_and_refuses_a_malformed_rome_code():
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions())
    engine = workbook.engine(CATALOG.flows["pistes"])
    state = run(engine, {}, until="projets")
    bad = engine.answer(state, "projets", [{"intitule": "Formateur", "code_rome": "K21"}], now=NOW)
    assert bad.errors == ("Élément 1 – Code ROME : « K21 » : un code ROME est une lettre suivie de quatre "
                          "chiffres (ex. K2111).",)
    state = run(engine, {"projets": [{"intitule": "Formateur technique", "code_rome": "K2111",
                                      "attrait": "Transmettre"}]})
    portfolio, _ = workbook.with_state(state).sync_portfolio(Portfolio(), NOW)
    [project] = portfolio.active(ItemKind.PROJECT)
    assert project.title == "Formateur technique" and dict(project.details)["Code ROME"] == "K2111"


def test_confrontation_runs_once_per_project_and_gives_strengths_and_gaps(karim):
    workbook = karim
    for instance, name in (("a1", "Formateur technique"), ("b2", "Technicien méthodes")):
        engine = workbook.engine(CATALOG.flows["confrontation"])
        workbook = workbook.with_state(run(engine, {**CONFRONTATION, "projet": name}, engine.start(instance)))
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
    comparisons = workbook.comparisons(portfolio)
    assert [c.label for c in comparisons] == ["Confrontation au marché — Formateur technique",
                                             "Confrontation au marché — Technicien méthodes"]
    result = comparisons[0].result
    # "pédagogie" matches "Pédagogie" whatever the case; "Analyser des besoins" is close to "Analyser".
    assert [(s.required, s.item.title) for s in result.strengths] == [("pédagogie", "Pédagogie"),
                                                                      ("Analyser des besoins", "Analyser")]
    assert result.gaps == ("Ingénierie de formation",)
    assert [e.element for e in result.strengths[0].item.evidence] == ["2"]


# -- provenance: editing an answer updates or flags exactly what it produced -----------------------


def test_editing_an_achievement_flags_exactly_the_competences_it_proves(karim):
    portfolio, _ = karim.sync_portfolio(Portfolio(), NOW)
    engine = karim.engine(CATALOG.flows["realisations"])
    state = karim.states["realisations"]
    changed = [dict(e) for e in REALISATIONS["realisations"]]
    changed[1]["resultat"] = "Un CAP obtenu, un abandon"
    state = engine.answer(engine.edit(state, "realisations"), "realisations", changed, now=LATER).state
    portfolio, digests = karim.with_state(state).sync_portfolio(portfolio, LATER)

    achievement = portfolio.get("realisations:realisations:2")
    assert dict(achievement.details)["Résultat"] == "Un CAP obtenu, un abandon"  # the item follows its answer
    flagged = {i.title for i in portfolio.active(ItemKind.COMPETENCE) if i.recheck}
    assert flagged == {"Former", "Pédagogie"}  # proved by achievement 2, and only those
    assert portfolio.get("realisations:competences:2").recheck == RECHECK_EVIDENCE_CHANGED
    assert len(portfolio.active()) == 8  # nothing disappeared: 2 experiences, 2 achievements, 4 competences

    checked = portfolio.mark_checked("realisations:competences:2", digests, now=LATER)
    assert checked.get("realisations:competences:2").recheck is None
    again, _ = karim.with_state(state).sync_portfolio(checked, LATER)
    assert again.get("realisations:competences:2").recheck is None
    assert again.get("realisations:savoir_faire_suggeres:former@2").recheck == RECHECK_EVIDENCE_CHANGED


def test_a_removed_element_keeps_its_item_flagged_and_a_changed_competence_follows(karim):
    portfolio, _ = karim.sync_portfolio(Portfolio(), NOW)
    engine = karim.engine(CATALOG.flows["realisations"])
    state = karim.states["realisations"]
    competences = [dict(REALISATIONS["competences"][0], intitule="Maintenance préventive et curative")]
    state = engine.answer(engine.edit(state, "competences"), "competences", competences, now=LATER).state
    portfolio, _ = karim.with_state(state).sync_portfolio(portfolio, LATER)
    assert portfolio.get("realisations:competences:1").title == "Maintenance préventive et curative"
    assert portfolio.get("realisations:competences:1").recheck is None
    gone = portfolio.get("realisations:competences:2")
    assert gone.title == "Pédagogie" and gone.recheck == RECHECK_GONE and not gone.removed


def test_hand_made_changes_are_kept_and_flagged_when_the_answer_changes(karim):
    portfolio, _ = karim.sync_portfolio(Portfolio(), NOW)
    portfolio = portfolio.edit("parcours:experiences:1", title="Technicien de maintenance industrielle", now=NOW)
    portfolio, manual = portfolio.add(ItemKind.COMPETENCE, "Habilitation électrique", level=3, now=NOW)
    portfolio = portfolio.remove("realisations:savoir_faire_suggeres:analyser@1", now=NOW)
    assert portfolio.get("parcours:experiences:1").edited and manual.manual and not manual.confirmed

    workbook = karim
    engine = workbook.engine(CATALOG.flows["parcours"])
    experiences = [dict(e) for e in PARCOURS["experiences"]]
    experiences[0]["fin"] = "2026"
    state = engine.answer(engine.edit(workbook.states["parcours"], "experiences"), "experiences", experiences,
                          now=LATER).state
    synced, _ = workbook.with_state(state).sync_portfolio(portfolio, LATER)
    edited = synced.get("parcours:experiences:1")
    assert edited.title == "Technicien de maintenance industrielle" and edited.recheck == RECHECK_EDITED
    assert synced.get(manual.id) == manual
    assert synced.get("realisations:savoir_faire_suggeres:analyser@1").removed  # not brought back


def test_provenance_shows_the_question_and_the_element_behind_an_item(karim):
    portfolio, _ = karim.sync_portfolio(Portfolio(), NOW)
    item = portfolio.get("realisations:competences:2")
    source = karim.describe(item.source)
    assert source.module == "Réalisations (STAR)"
    assert source.question.startswith("Quelles autres compétences")
    assert source.answer.startswith("Élément n° 2 : Compétence : Pédagogie")
    evidence = karim.describe(item.evidence[0])
    assert "Titre : Deux apprentis diplômés" in evidence.answer and "Résultat : Deux CAP obtenus" in evidence.answer


def test_items_of_a_module_whose_flow_did_not_load_are_left_untouched(karim):
    portfolio, _ = karim.sync_portfolio(Portfolio(), NOW)
    without_parcours = {k: v for k, v in CATALOG.flows.items() if k != "parcours"}  # its file refused today
    workbook = Workbook(without_parcours, karim.states.values(), JinjaExpressions())
    synced, _ = workbook.sync_portfolio(portfolio, LATER)
    assert synced.get("parcours:experiences:1") == portfolio.get("parcours:experiences:1")
    assert synced.get("parcours:experiences:1").recheck is None


def test_the_charts_draw_bars_with_the_numbers_and_say_what_is_missing():
    from bilan_tui.domain.scoring import score
    from bilan_tui.rendering.charts import bar, score_chart

    assert bar(20, 40, 10) == "█████     "
    assert bar(1, 8, 1) == "▏" and bar(0, 40, 3) == "   " and bar(50, 40, 2) == "██"
    flow = CATALOG.flows["personnalite"]
    pages = {s.id: {i.id: 3 for i in s.answer.items} for s in flow.steps if s.answer}
    engine = Workbook(CATALOG.flows, [], JinjaExpressions()).engine(flow)
    chart = score_chart(flow.title, score(flow, run(engine, pages))).plain
    assert "N Stabilité émotionnelle" in chart and "30/50" in chart and "non validée" in chart
    del pages["phrases_5"]
    chart = score_chart(flow.title, score(flow, run(engine, pages))).plain
    assert "Profil non calculé : 10 éléments sans note" in chart and "█" not in chart


def test_a_ranked_card_taken_out_of_the_chosen_cards_keeps_its_name_and_is_flagged():
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions())
    engine = workbook.engine(CATALOG.flows["interets"])
    state = run(engine, {**riasec_pages(engine), **INTERETS_CARDS})
    portfolio, _ = workbook.with_state(state).sync_portfolio(Portfolio(), NOW)
    state = engine.answer(engine.edit(state, "centres"), "centres", ["ci14", "ci04"], now=LATER).state  # no ci24
    synced, _ = workbook.with_state(state).sync_portfolio(portfolio, LATER)
    first = synced.get("interets:centres_classement:ci24")
    assert first.title == "Je souhaite transmettre" and first.recheck == RECHECK_STALE


# -- self-assessments: the right category, and not confirmed until proved or confirmed ------------

# What the portfolio screen says of each item (its status).
SELF_ASSESSED, CONFIRMED, RECHECK = "auto-évaluation", "✓ confirmé", "⚠ à revérifier"
ALL_RATED_3 = {"transversales": {item.id: 3 for item in CATALOG.flows["competences"].step("transversales").answer.items}}


def rated(answers: dict) -> Workbook:
    return workbook_with(("competences", answers))


def test_each_self_rated_skill_has_its_own_category():
    step = CATALOG.flows["competences"].step("transversales")
    assert set(step.produces.categories) == {item.id for item in step.answer.items}  # each one, explicitly
    portfolio, _ = rated(ALL_RATED_3).sync_portfolio(Portfolio(), NOW)
    category = {i.title: i.category for i in portfolio.active(ItemKind.COMPETENCE)}
    know_how, soft = CompetenceCategory.KNOW_HOW, CompetenceCategory.SOFT_SKILL
    assert category == {
        "Communiquer à l'écrit comme à l'oral": know_how, "Organiser son travail et tenir les délais": know_how,
        "Travailler en équipe": soft, "Résoudre des problèmes": know_how, "S'adapter au changement": soft,
        "Apprendre par soi-même": know_how, "Utiliser les outils numériques": know_how,
        "Gérer une relation client ou usager": know_how, "Animer ou encadrer un groupe": know_how,
        "Prendre des initiatives": soft}


def test_a_self_rating_is_a_self_assessment_not_a_confirmed_competence():
    portfolio, _ = rated(ALL_RATED_3).sync_portfolio(Portfolio(), NOW)
    competences = portfolio.active(ItemKind.COMPETENCE)
    assert len(competences) == 10
    assert all(i.self_assessed and i.status.label == SELF_ASSESSED for i in competences)
    # Her own rating, not the consultant's: it is not private, and its provenance is kept.
    group = portfolio.get("competences:transversales:animer")
    assert not group.private and group.source is not None and group.source.step_id == "transversales"
    assert dict(group.details) == {"Auto-évaluation": "3/4"}


def test_a_self_assessment_proved_by_an_achievement_is_confirmed_and_shows_its_proof():
    workbook = workbook_with(*CARE_WORKER[:3])
    portfolio, digests = workbook.sync_portfolio(Portfolio(), NOW)
    group = portfolio.get("competences:transversales:animer")
    # "Animer un groupe", proved by the second achievement, is its closest proved wording.
    assert [(e.step_id, e.element) for e in group.evidence] == [("realisations", "2")]
    assert group.status.label == CONFIRMED and group.recheck is None
    assert "Atelier mémoire" in workbook.describe(group.evidence[0]).answer
    unproved = portfolio.get("competences:transversales:organiser")
    assert unproved.evidence == () and unproved.status.label == SELF_ASSESSED
    # In step: syncing again changes nothing (nothing to save).
    assert workbook.sync_portfolio(portfolio, LATER)[0] == portfolio

    # The consultant removes the proving competences: the self-rating is a self-assessment again.
    for item_id in ("realisations:competences:3", "realisations:savoir_faire_suggeres:animer@2"):
        portfolio = portfolio.remove(item_id, now=LATER)
    portfolio, _ = workbook.sync_portfolio(portfolio, LATER)
    group = portfolio.get("competences:transversales:animer")
    assert group.evidence == () and group.status.label == SELF_ASSESSED and not group.removed

    # A competence edited by hand proves by its new wording.
    portfolio = portfolio.edit("realisations:competences:1", title="Encadrer un groupe", now=LATER)
    portfolio, _ = workbook.sync_portfolio(portfolio, LATER)
    group = portfolio.get("competences:transversales:animer")
    assert [e.element for e in group.evidence] == ["1"] and group.status.label == CONFIRMED


def test_a_shared_self_assessment_is_not_proved_by_a_consultant_only_competence():
    from bilan_tui.domain.portfolio import SourceRef, derive, sync

    candidates, digests = derive(rated({"transversales": {"animer": 3}}).modules())
    proof = SourceRef(module="realisations", step_id="realisations", element="1")
    _, observed = Portfolio().add(ItemKind.COMPETENCE, "Animer un groupe", private=True, evidence=(proof,), now=NOW)
    synced = sync(Portfolio(items=(observed,)), candidates, digests, now=NOW)
    assert synced.get("competences:transversales:animer").evidence == ()
    shared = observed.model_copy(update={"private": False})
    synced = sync(Portfolio(items=(shared,)), candidates, digests, now=NOW)
    assert synced.get("competences:transversales:animer").evidence == (proof,)


def test_the_consultant_confirms_a_self_assessment_and_the_confirmation_follows_the_answers():
    from bilan_tui.domain.portfolio import RECHECK_ASSESSMENT_CHANGED

    workbook = rated({"transversales": {"animer": 3, "cooperer": 3}})
    portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
    portfolio = portfolio.confirm_assessment("competences:transversales:animer", now=NOW)
    group = portfolio.get("competences:transversales:animer")
    assert group.status.label == CONFIRMED and group.assessment_confirmed_at == NOW
    assert not group.edited and group.source is not None  # a confirmation, not a hand edit
    assert portfolio.get("competences:transversales:cooperer").status.label == SELF_ASSESSED
    assert workbook.sync_portfolio(portfolio, LATER)[0] == portfolio  # kept as is

    # She rates herself higher later: the item follows, the confirmation is kept and re-checked.
    engine = workbook.engine(CATALOG.flows["competences"])
    state = engine.answer(engine.edit(workbook.states["competences"], "transversales"), "transversales",
                          {"animer": 4, "cooperer": 3}, now=LATER, accept_warnings=True).state
    workbook = workbook.with_state(state)
    portfolio, digests = workbook.sync_portfolio(portfolio, LATER)
    group = portfolio.get("competences:transversales:animer")
    assert group.level == 4 and group.assessment_confirmed_at == NOW
    assert group.recheck == RECHECK_ASSESSMENT_CHANGED and group.status.label == RECHECK
    portfolio, _ = workbook.sync_portfolio(portfolio, LATER)
    assert portfolio.get("competences:transversales:animer").recheck == RECHECK_ASSESSMENT_CHANGED  # until V
    portfolio = portfolio.mark_checked("competences:transversales:animer", digests, now=LATER)
    portfolio, _ = workbook.sync_portfolio(portfolio, LATER)
    group = portfolio.get("competences:transversales:animer")
    assert group.recheck is None and group.status.label == CONFIRMED

    withdrawn = portfolio.confirm_assessment(group.id, now=LATER, confirmed=False)
    assert withdrawn.get(group.id).status.label == SELF_ASSESSED
    portfolio, manual = portfolio.add(ItemKind.COMPETENCE, "Habilitation électrique", now=LATER)
    with pytest.raises(ValueError):  # only a self-assessment is confirmed this way
        portfolio.confirm_assessment(manual.id, now=LATER)


def test_a_portfolio_stored_before_self_assessments_loads_and_is_brought_in_step():
    workbook = rated({"transversales": {"animer": 3, "organiser": 4, "cooperer": 3}})
    current, _ = workbook.sync_portfolio(Portfolio(), NOW)
    # As stored by the previous version: every self-rating a confirmed savoir-être, no new fields.
    stored = current.model_dump(mode="json")
    for item in stored["items"]:
        del item["self_assessed"], item["assessment_confirmed_at"]
        item["category"] = "savoir_etre"
    old = Portfolio.model_validate(stored)
    assert all(i.status.label == CONFIRMED for i in old.items)
    old = old.edit("competences:transversales:organiser", level=3, now=NOW)  # corrected by hand back then

    synced, _ = workbook.sync_portfolio(old, LATER)
    group = synced.get("competences:transversales:animer")
    assert (group.category, group.status.label, group.added_at) == (CompetenceCategory.KNOW_HOW, SELF_ASSESSED, NOW)
    assert synced.get("competences:transversales:cooperer").category is CompetenceCategory.SOFT_SKILL
    hand_made = synced.get("competences:transversales:organiser")
    assert hand_made.level == 3 and hand_made.category is CompetenceCategory.SOFT_SKILL  # the hand edit stays
