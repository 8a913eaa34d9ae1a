"""The synthesis as data: every section of Sophie's complete bilan, its sources, what follows an edit, privacy."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Mapping
from typing import Any

import pytest

from bilan_tui.domain.flow import Flow
from bilan_tui.domain.models import Dossier, ItemKind, Note
from bilan_tui.domain.portfolio import Portfolio, digest
from bilan_tui.domain.synthesis.build import build_dossier_complet, build_synthesis
from bilan_tui.domain.synthesis.model import NOT_COVERED, PassageStyle, Section, SectionKey, Synthesis
from bilan_tui.domain.workbook import Workbook, dossier_facts
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from tests.synthesis_persona import (
    BENEFICIARY,
    PRIVATE,
    PRIVATE_ITEM,
    REALISATIONS,
    SESSIONS,
    TODAY,
    CompleteBilan,
    big_bilan,
    complete_bilan,
    save_complete_bilan,
)

CATALOG = load_catalog()
P, B, Q, H = PassageStyle.PARAGRAPH, PassageStyle.BULLET, PassageStyle.QUOTE, PassageStyle.HEADING


@pytest.fixture(scope="module")
def bilan() -> CompleteBilan:
    return complete_bilan()


@pytest.fixture(scope="module")
def synthesis(bilan: CompleteBilan) -> Synthesis:
    return build_synthesis(*bilan, today=TODAY)


def lines(section: Section) -> list[tuple[PassageStyle, str]]:
    return [(p.style, p.text) for p in section.passages]


def cited(section: Section) -> set[tuple[str, str, str | None]]:
    return {(r.module, r.step_id, r.element) for p in section.passages for r in p.answers}


def passage(section: Section, start: str):
    return next(p for p in section.passages if p.text.startswith(start))


# -- golden tests, section by section ----------------------------------------------------------------


def test_the_synthesis_names_the_beneficiary_the_consultant_and_the_day_in_the_order_of_the_document(synthesis):
    assert (synthesis.beneficiary, synthesis.consultant, synthesis.drafted_on) == ("Sophie Lemaire", "Claire Dubois",
                                                                                   TODAY)
    assert [s.key for s in synthesis.sections] == list(SectionKey)
    assert all(s.title == s.key.heading and not s.empty for s in synthesis.sections)


def test_circonstances_quote_her_words_and_recall_situation_expectations_constraints_and_objectives(synthesis):
    section = synthesis.section(SectionKey.CIRCONSTANCES)
    assert lines(section) == [
        (P, "Ce qui a amené Sophie au bilan, avec ses mots :"),
        (Q, "Après vingt ans de comptabilité, je m'ennuie et j'ai envie de transmettre ce que je sais."),
        (P, "Le bilan est à l'initiative de Sophie."),
        (P, "Situation au début du bilan : Salarié(e), comptable dans une PME du bâtiment, depuis 12 ans, "
            "satisfaction au travail : 2 sur 5."),
        (P, "Attentes exprimées : changer de métier, choisir une formation."),
        (P, "Contraintes à garder en tête :"),
        (B, "Famille : Deux enfants au collège, pas de déplacements longs."),
        (B, "Finances : Garder un salaire pendant la formation."),
        (P, "Ce qui avait déjà été essayé ou exploré :"),
        (Q, "J'ai donné des cours du soir de comptabilité à des adultes en 2019."),
        (P, "Les objectifs du bilan, formulés ensemble :"),
        (Q, "Savoir si je peux devenir formatrice, et par quelle formation y arriver sans perdre mon salaire."),
    ]
    situation = passage(section, "Situation")
    assert [(r.step_id, r.element) for r in situation.answers] == [
        ("ad_situation", None), ("ad_poste", None), ("ad_anciennete", None), ("ad_satisfaction", None)]
    assert [(r.step_id, r.element) for r in passage(section, "Finances").answers] == [("ad_contraintes", "2")]
    assert {r.module for r in section.passages[0].answers} == {"analyse_demande"}


def test_deroulement_lists_every_session_with_its_date_hours_and_phases(synthesis):
    section = synthesis.section(SectionKey.DEROULEMENT)
    assert lines(section) == [
        (P, "Le bilan s'est déroulé en 5 entretiens, soit 13 h 45 d'entretien au total."),
        (B, "Le 05/10/2026, de 09:30 à 12:30 (3 h) : Phase préliminaire."),
        (B, "Le 19/10/2026, de 14:00 à 16:30 (2 h 30) : Investigation."),
        (B, "Le 02/11/2026, de 09:30 à 12:00 (2 h 30) : Investigation."),
        (B, "Le 16/11/2026, de 09:30 à 12:15 (2 h 45) : Investigation."),
        (B, "Le 30/11/2026, de 14:00 à 17:00 (3 h) : Conclusion."),
    ]
    assert [p.sessions for p in section.passages[1:]] == [(s.id,) for s in SESSIONS]
    assert section.passages[0].sessions == tuple(s.id for s in SESSIONS)


def test_a_session_whose_end_is_not_known_has_no_hours(bilan):
    dossier, sessions, workbook, portfolio = bilan
    open_session = sessions[-1].model_copy(update={"end_time": None, "report": None})
    section = build_synthesis(dossier, [*sessions[:-1], open_session], workbook, portfolio,
                              today=TODAY).section(SectionKey.DEROULEMENT)
    assert section.passages[0].text == "Le bilan s'est déroulé en 5 entretiens, soit 10 h 45 d'entretien au total."
    assert section.passages[-1].text == "Le 30/11/2026, à 14:00 : Conclusion."


def test_parcours_gives_each_experience_with_its_dates_and_the_red_thread_in_her_words(synthesis, bilan):
    section = synthesis.section(SectionKey.PARCOURS)
    assert lines(section) == [
        (P, "3 expériences retracées au cours du bilan :"),
        (B, "Aide-comptable (emploi, de 2004 à 2014) : Cabinet d'expertise comptable, Nantes. "
            "Ce qui a plu : La rigueur des clôtures."),
        (B, "Comptable unique (emploi, depuis 2014) : PME du bâtiment, 40 salariés. "
            "Ce qui a plu : Expliquer les chiffres aux chefs de chantier."),
        (B, "Cours du soir de comptabilité (bénévolat, de 09/2019 à 06/2020) : Association d'éducation populaire. "
            "Ce qui a plu : Voir les adultes comprendre."),
        (P, "Le fil rouge de ce parcours, selon Sophie :"),
        (Q, "Rendre les chiffres clairs pour les autres."),
        (P, "Les tournants du parcours :"),
        (Q, "Les cours du soir : j'ai découvert que j'aimais enseigner."),
    ]
    second = section.passages[2]
    assert second.items == ("parcours:experiences:2",)
    [ref] = second.answers
    assert (ref.module, ref.step_id, ref.element) == ("parcours", "experiences", "2")
    stored = bilan.workbook.states["parcours"].record("experiences")
    assert ref.digest == digest(stored.value[1]) == bilan.portfolio.get("parcours:experiences:2").source.digest


def test_competences_by_category_with_their_proof_and_self_assessments_said_as_such(synthesis):
    section = synthesis.section(SectionKey.COMPETENCES)
    proof_1 = "« Tableau de bord des chantiers » (Dépassements de budget divisés par deux)"
    proof_2 = "« Quinze adultes au certificat » (Quinze certificats obtenus sur seize)"
    pending = "pas encore prouvée par une réalisation."
    assert lines(section) == [
        (H, "Savoir-faire"),
        (B, f"Former : prouvée par {proof_1}."),
        (B, f"Animer : prouvée par {proof_2}."),
        (B, f"Communiquer à l'écrit comme à l'oral : auto-évaluation (3/4), {pending}"),
        (B, f"Organiser son travail et tenir les délais : auto-évaluation (4/4), {pending}"),
        (B, f"Résoudre des problèmes : auto-évaluation (3/4), {pending}"),
        (B, f"Apprendre par soi-même : auto-évaluation (3/4), {pending}"),
        (B, f"Utiliser les outils numériques : auto-évaluation (3/4), {pending}"),
        (B, f"Animer ou encadrer un groupe : prouvée par {proof_2} (auto-évaluation : 3/4)."),
        (H, "Savoir-être"),
        (B, f"Pédagogie (maîtrise, transférable) : prouvée par {proof_2}."),
        (B, f"Travailler en équipe : auto-évaluation (3/4), {pending}"),
        (H, "Savoir"),
        (B, f"Comptabilité générale (expertise, transférable) : prouvée par {proof_1}."),
    ]
    pedagogy = passage(section, "Pédagogie")
    assert pedagogy.items == ("realisations:competences:2", "realisations:realisations:2")
    assert [(r.step_id, r.element) for r in pedagogy.answers] == [("competences", "2"), ("realisations", "2")]


def test_interets_summarise_the_questionnaires_with_their_caveat_never_their_items(synthesis, bilan):
    section = synthesis.section(SectionKey.INTERETS)
    assert lines(section)[:9] == [
        (H, "Intérêts professionnels"),
        (P, "Profil S > C > I (Social, Conventionnel, Investigateur)."),
        (B, "Social : 40 (échelle de 0 à 40)."),
        (B, "Conventionnel : 30 (échelle de 0 à 40)."),
        (B, "Investigateur : 20 (échelle de 0 à 40)."),
        (B, "Réaliste : 10 (échelle de 0 à 40)."),
        (B, "Entreprenant : 10 (échelle de 0 à 40)."),
        (B, "Artistique : 0 (échelle de 0 à 40)."),
        (P, "Questionnaire d'exploration, non étalonné : un support de discussion, pas un test."),
    ]
    assert lines(section)[9:16] == [
        (H, "Personnalité"),
        (B, "Conscience : 34 (échelle de 10 à 50)."),
        (B, "Agréabilité : 32 (échelle de 10 à 50)."),
        (B, "Extraversion : 30 (échelle de 10 à 50)."),
        (B, "Ouverture / imagination : 30 (échelle de 10 à 50)."),
        (B, "Stabilité émotionnelle : 24 (échelle de 10 à 50)."),
        (P, "Traduction non validée, support de discussion : ni un test, ni une mesure."),
    ]
    assert [r.step_id for r in section.passages[1].answers] == [f"activites_{i}" for i in range(1, 7)]
    items = {item.label for flow_id in ("interets", "personnalite") for _, item in CATALOG.flows[flow_id].rated_items()}
    assert not any(p.text.rstrip(".") in items or any(i in p.text for i in items) for p in section.passages)
    riasec, big_five = synthesis.profiles
    assert (riasec.title, riasec.code, big_five.title, big_five.code) == ("Intérêts professionnels", "S > C > I",
                                                                          "Personnalité", "")
    assert [(s.label, s.score, s.minimum, s.maximum) for s in riasec.scales][:2] == [("Réaliste", 10, 0, 40),
                                                                                      ("Investigateur", 20, 0, 40)]
    assert big_five.caveat.startswith("Traduction non validée")


def test_interets_rank_interests_and_values_with_her_why_contexts_and_motivations(synthesis):
    section = synthesis.section(SectionKey.INTERETS)
    assert lines(section)[16:] == [
        (H, "Centres d'intérêt"),
        (B, "1. Je souhaite transmettre"),
        (B, "2. J'aime manier les chiffres"),
        (B, "3. J'ai le souci du détail"),
        (P, "Pourquoi, selon Sophie :"),
        (Q, "Transmettre, c'est voir quelqu'un comprendre enfin un bilan comptable."),
        (H, "Valeurs"),
        (B, "1. Transmettre : partager ce que je sais, former d'autres personnes"),
        (B, "2. Utilité : servir aux autres, à la société"),
        (B, "3. Équilibre entre vie professionnelle et vie personnelle"),
        (P, "Pourquoi, selon Sophie :"),
        (Q, "Quand un adulte de mon cours a eu son certificat, j'ai su que c'était ça qui comptait."),
        (H, "Contextes de travail souhaités"),
        (B, "Horaires réguliers, de journée."),
        (B, "Un mélange de lieux."),
        (B, "Avec des adultes, un public varié."),
        (B, "Des pics d'activité puis des temps calmes."),
        (B, "Autonome, en lien avec d'autres."),
        (H, "Motivations"),
        (B, "Être utile aux autres (réalisation : « Quinze adultes au certificat »)."),
        (B, "Rendre les choses claires (réalisation : « Tableau de bord des chantiers »)."),
    ]
    first = passage(section, "1. Transmettre")
    assert first.items == ("valeurs:valeurs_classement:transmettre",)
    assert [(r.module, r.step_id, r.element) for r in first.answers] == [("valeurs", "valeurs_classement",
                                                                          "transmettre")]


def test_projets_retrace_each_confrontation_with_market_facts_verdict_strengths_and_gaps(synthesis):
    section = synthesis.section(SectionKey.PROJETS)
    assert lines(section) == [
        (H, "Formatrice en comptabilité"),
        (P, "Le métier au quotidien : Préparer et animer des formations en comptabilité pour adultes."),
        (P, "Conditions de travail : Horaires de journée, quelques déplacements dans le département."),
        (B, "Enquête métier auprès de : Formatrice en gestion (GRETA de Nantes), le 20/11/2026."),
        (P, "Ce que l'enquête a appris :"),
        (Q, "Le titre de formateur professionnel d'adultes est très demandé par les organismes."),
        (P, "Ce qui a surpris :"),
        (Q, "Beaucoup de formateurs sont indépendants."),
        (B, "Besoins de recrutement : Besoins stables en Pays de la Loire (source : France Travail, BMO, 01/04/2026)."),
        (P, "Formation nécessaire : Titre FPA, 9 mois, CPF et Transitions Pro possibles."),
        (P, "Avis à ce stade : réalisable sous conditions."),
        (Q, "Réaliste avec le titre FPA, en gardant un emploi à temps partiel."),
        (B, "Atout : Pédagogie, prouvé par « Quinze adultes au certificat » (Quinze certificats obtenus sur seize)."),
        (B, "Atout : Comptabilité générale, prouvé par « Tableau de bord des chantiers » "
            "(Dépassements de budget divisés par deux)."),
        (B, "Écart à combler : Ingénierie de formation."),
        (H, "Gestionnaire de paie"),
        (P, "Le métier au quotidien : Établir les bulletins de paie et les déclarations sociales."),
        (P, "Conditions de travail : Travail de bureau, pics en fin de mois."),
        (B, "Enquête métier auprès de : Gestionnaire de paie (Cabinet Ouest Paie), le 10/11/2026."),
        (P, "Ce que l'enquête a appris :"),
        (Q, "Le métier recrute mais reste solitaire."),
        (B, "Difficulté de recrutement : Recrutements difficiles (source : France Travail, BMO, 01/04/2026)."),
        (P, "Formation nécessaire : Une formation courte en paie, 3 mois."),
        (P, "Avis à ce stade : réalisable."),
        (Q, "Proche de mon métier, mais on y retrouve la solitude."),
        (B, "Atout : Comptabilité générale, prouvé par « Tableau de bord des chantiers » "
            "(Dépassements de budget divisés par deux)."),
        (B, "Écart à combler : Législation sociale."),
    ]
    fact = passage(section, "Besoins de recrutement")
    assert [(r.module, r.step_id, r.element) for r in fact.answers] == [("confrontation#formatrice", "marche", "1")]
    strength = passage(section, "Atout : Pédagogie")
    assert strength.items == ("realisations:competences:2", "realisations:realisations:2")
    assert ("confrontation#formatrice", "competences_requises", None) in {r.place for r in strength.answers}


def test_orientation_gives_each_decision_main_project_first_with_reasons_for_against_and_success_factors(synthesis):
    section = synthesis.section(SectionKey.ORIENTATION)
    assert lines(section) == [
        (H, "Formatrice en comptabilité"),
        (P, "Projet principal."),
        (P, "Pourquoi :"),
        (Q, "C'est là que je me suis sentie la plus vivante : devant un groupe d'adultes."),
        (P, "Ce qui joue pour ce projet :"),
        (Q, "Mes cours du soir : quinze certificats sur seize."),
        (P, "Ce qui joue contre :"),
        (Q, "Il me manque l'ingénierie de formation."),
        (P, "Les facteurs de réussite :"),
        (Q, "Obtenir le titre FPA avec un financement Transitions Pro."),
        (H, "Gestionnaire de paie"),
        (P, "Projet alternatif."),
        (P, "Pourquoi :"),
        (Q, "Un repli solide si la formation d'adultes tarde."),
        (P, "Ce qui joue pour ce projet :"),
        (Q, "Mon expérience des chiffres."),
        (P, "Ce qui joue contre :"),
        (Q, "La solitude du poste."),
        (P, "Les facteurs de réussite :"),
        (Q, "Une formation courte en paie."),
        (H, "Libraire"),
        (P, "Piste écartée."),
        (P, "Pourquoi :"),
        (Q, "Un rêve, pas un projet : le salaire ne suit pas."),
    ]
    assert {r.module for r in section.passages[1].answers} == {"bilan_pistes#piste1"}


def test_vigilance_gathers_the_points_named_and_the_gaps_of_the_projects_kept(synthesis):
    section = synthesis.section(SectionKey.VIGILANCE)
    assert lines(section) == [
        (B, "Formatrice en comptabilité — Contrainte personnelle : Pas de déplacements longs tant que les enfants "
            "sont au collège."),
        (B, "Formatrice en comptabilité — Compétence à acquérir : Se former à l'ingénierie de formation."),
        (B, "Gestionnaire de paie — Réalité du marché : Des pics de travail en fin de mois."),
        (B, "Formatrice en comptabilité — Compétences à acquérir : Ingénierie de formation."),
        (B, "Gestionnaire de paie — Compétences à acquérir : Législation sociale."),
    ]  # the lead set aside (« Libraire ») brings no point of vigilance
    assert cited(section) == {("bilan_pistes#piste1", "vigilance", "1"), ("bilan_pistes#piste1", "vigilance", "2"),
                              ("bilan_pistes#piste2", "vigilance", "1"),
                              ("confrontation#formatrice", "competences_requises", None),
                              ("confrontation#paie", "competences_requises", None)}


def test_plan_is_a_dated_table_of_steps_with_the_training_as_bullets(synthesis):
    section = synthesis.section(SectionKey.PLAN)
    assert section.table is not None
    assert section.table.headers == ("Action", "Échéance", "Avec qui", "Ressources", "Projet")
    assert section.table.rows == (
        ("Rencontrer le conseiller Transitions Pro", "15/01/2027", "Transitions Pro", "Dossier de financement",
         "Formatrice en comptabilité"),
        ("S'inscrire au titre FPA", "01/03/2027", "AFPA de Nantes", "CPF", "Formatrice en comptabilité"),
        ("Se renseigner sur une formation en paie", "30/06/2027", "", "", "Gestionnaire de paie"),
    )
    assert [[(r.module, r.step_id, r.element) for r in row] for row in section.table.row_answers] == [
        [("plan_action", "etapes", str(i))] for i in (1, 2, 3)]
    assert lines(section) == [
        (P, "Le plan d'action compte 3 étapes :"),
        (P, "Parcours de formation :"),
        (B, "Titre professionnel Formateur professionnel d'adultes — Organisme : AFPA ; Durée : 9 mois ; "
            "Financement : CPF ; Certification visée : Titre FPA ; Code RNCP : RNCP37274."),
    ]


def test_vae_names_the_certification_and_the_experiences_and_achievements_it_rests_on(synthesis):
    section = synthesis.section(SectionKey.VAE)
    assert lines(section) == [
        (P, "Une démarche de VAE est à étudier."),
        (P, "Certification visée : BTS Comptabilité et gestion."),
        (P, "La VAE s'appuierait sur :"),
        (B, "Expérience : Comptable unique."),
        (B, "Réalisation : Tableau de bord des chantiers."),
    ]
    assert section.passages[3].items == ("parcours:experiences:2",)
    assert section.passages[4].items == ("realisations:realisations:1",)


def test_recommandations_keep_her_lines_and_bullets(synthesis):
    assert lines(synthesis.section(SectionKey.RECOMMANDATIONS)) == [
        (P, "Activer le réseau des anciens élèves des cours du soir."),
        (B, "Préparer un pitch de deux minutes sur le projet."),
        (B, "Garder un mi-temps en comptabilité pendant la formation."),
    ]


def test_objectifs_say_for_each_objective_whether_it_is_reached_with_the_comment(synthesis):
    section = synthesis.section(SectionKey.OBJECTIFS)
    assert lines(section) == [
        (B, "Savoir si je peux devenir formatrice : atteint. Le projet est confirmé par l'enquête métier."),
        (B, "Trouver la formation sans perdre mon salaire : en partie atteint. Le financement reste à obtenir."),
    ]
    assert cited(section) == {("retour_objectifs", "objectifs", "1"), ("retour_objectifs", "objectifs", "2")}


def test_every_sentence_bullet_and_quote_carries_its_sources(synthesis):
    for section in synthesis.sections:
        for p in section.passages:
            if p.style is not PassageStyle.HEADING:
                assert p.answers or p.items or p.sessions, (section.key, p.text)
            assert all(r.digest for r in p.answers), (section.key, p.text)
            assert "(s)" not in p.text and NOT_COVERED not in p.text


def test_the_five_seed_parts_are_each_drafted(synthesis):
    from bilan_tui.domain.synthesis.model import SEED_SECTIONS

    assert all(not synthesis.section(key).empty for key in SEED_SECTIONS)


# -- nothing to say: no passage at all ---------------------------------------------------------------


def _empty_dossier() -> Dossier:
    return Dossier(id="vide", beneficiary=BENEFICIARY, created_at=dt.datetime(2026, 10, 1, 9, 0))


def test_a_dossier_with_nothing_answered_has_every_section_not_covered_never_a_generic_paragraph():
    dossier = _empty_dossier()
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions(), dossier_facts(dossier))
    synthesis = build_synthesis(dossier, [], workbook, Portfolio(), today=TODAY)
    assert [s.key for s in synthesis.sections] == list(SectionKey)
    assert all(s.empty and s.passages == () and s.table is None for s in synthesis.sections)
    assert synthesis.profiles == ()
    complet = build_dossier_complet(dossier, [], workbook, Portfolio(), today=TODAY)
    assert (complet.sessions, complet.productions, complet.tests) == ((), (), ())


def test_modules_started_and_passed_leave_their_sections_not_covered(bilan):
    """Questions passed (« ne s'applique pas ») are not material: the sections that read them stay empty."""
    dossier, sessions, _, _ = bilan
    workbook = Workbook(CATALOG.flows, [], JinjaExpressions(), dossier_facts(dossier))
    from tests.synthesis_persona import answer_module

    for flow_id in ("analyse_demande", "plan_action", "retour_objectifs"):
        workbook = answer_module(workbook, CATALOG.flows[flow_id], {}, sessions[0])
    portfolio, _ = workbook.sync_portfolio(Portfolio(), dt.datetime(2026, 10, 5, 12, 0))
    synthesis = build_synthesis(dossier, [], workbook, portfolio, today=TODAY)
    assert all(s.empty for s in synthesis.sections)


def test_an_unconfirmed_item_added_by_the_consultant_is_not_in_the_synthesis(bilan):
    dossier, sessions, workbook, portfolio = bilan
    portfolio, item = portfolio.add(ItemKind.COMPETENCE, "Gestion de projet", now=dt.datetime(2026, 12, 1, 9, 0))
    assert not item.confirmed  # a proposal the beneficiary has not accepted yet
    synthesis = build_synthesis(dossier, sessions, workbook, portfolio, today=TODAY)
    assert "Gestion de projet" not in synthesis.model_dump_json()


# -- an edited answer marks exactly the sections that cite it ---------------------------------------


def edited(bilan: CompleteBilan, key: str, step_id: str, change: Any) -> CompleteBilan:
    """The bilan with one answer changed through the engine (a later session), the portfolio kept in step."""
    dossier, sessions, workbook, portfolio = bilan
    state = workbook.states[key]
    engine = workbook.engine(CATALOG.flows[state.flow_id])
    record = state.record(step_id)
    assert record is not None
    value = change(record.value) if callable(change) else change
    outcome = engine.answer(state, step_id, value, now=dt.datetime(2026, 12, 1, 10, 0), accept_warnings=True)
    assert outcome.recorded, outcome.errors
    workbook = workbook.with_state(outcome.state)
    portfolio, _ = workbook.sync_portfolio(portfolio, dt.datetime(2026, 12, 1, 10, 1))
    return CompleteBilan(dossier, sessions, workbook, portfolio)


def changed_sections(before: Synthesis, after: Synthesis) -> set[SectionKey]:
    return {s.key for s in before.sections if s.fingerprint() != after.section(s.key).fingerprint()}


def test_editing_the_red_thread_changes_the_career_section_only(bilan, synthesis):
    after = build_synthesis(*edited(bilan, "parcours", "fil_rouge", "Expliquer, toujours."), today=TODAY)
    assert changed_sections(synthesis, after) == {SectionKey.PARCOURS}
    assert (Q, "Expliquer, toujours.") in lines(after.section(SectionKey.PARCOURS))


def test_editing_an_achievement_changes_the_sections_that_cite_it_as_proof(bilan, synthesis):
    def new_result(value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**value[0], "resultat": "Dépassements de budget divisés par trois"}, *value[1:]]

    after = build_synthesis(*edited(bilan, "realisations", "realisations", new_result), today=TODAY)
    assert changed_sections(synthesis, after) == {SectionKey.COMPETENCES, SectionKey.PROJETS, SectionKey.VAE}


def test_editing_a_market_fact_changes_the_projects_section_only(bilan, synthesis):
    def new_fact(value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**value[0], "fait": "Besoins en hausse en Pays de la Loire"}]

    after = build_synthesis(*edited(bilan, "confrontation#formatrice", "marche", new_fact), today=TODAY)
    assert changed_sections(synthesis, after) == {SectionKey.PROJETS}


def test_answers_left_on_a_branch_no_longer_taken_are_not_read(bilan):
    """Now looking for work: what she said of her job is kept in the dossier, not told in the synthesis."""
    after = build_synthesis(*edited(bilan, "analyse_demande", "ad_situation", "demandeur_emploi"), today=TODAY)
    section = after.section(SectionKey.CIRCONSTANCES)
    assert passage(section, "Situation").text == "Situation au début du bilan : En recherche d'emploi."
    assert not {("analyse_demande", "ad_poste", None), ("analyse_demande", "ad_satisfaction", None)} & cited(section)


def test_an_answer_changed_without_changing_the_text_still_changes_the_fingerprint(bilan, synthesis):
    """A source's fingerprint is the answer's: the section is marked even if the sentence reads the same."""
    after = build_synthesis(*edited(bilan, "analyse_demande", "ad_attentes", ["formation", "reconversion"]),
                            today=TODAY)
    assert changed_sections(synthesis, after) == {SectionKey.CIRCONSTANCES}


def test_the_same_dossier_gives_the_same_fingerprints(bilan, synthesis):
    again = build_synthesis(*complete_bilan(), today=TODAY)
    assert changed_sections(synthesis, again) == set()


# -- privacy -----------------------------------------------------------------------------------------


def with_hints(flows: Mapping[str, Flow]) -> dict[str, Flow]:
    """Every step of every flow with a consultant hint that carries a marker."""
    return {
        flow_id: flow.model_copy(update={"steps": tuple(
            step.model_copy(update={"consultant_note": f"{PRIVATE}-hint-{flow_id}-{step.id}"}) for step in flow.steps)})
        for flow_id, flow in flows.items()
    }


@pytest.fixture(scope="module")
def marked() -> CompleteBilan:
    """Sophie's bilan with markers in every consultant-only place, checked to be there."""
    dossier, sessions, workbook, portfolio = complete_bilan(flows=with_hints(CATALOG.flows))
    now = dt.datetime(2026, 11, 30, 16, 0)
    # A private note on a consultant-only answer too, and a private item matching a requirement.
    state = workbook.states["parcours"]
    engine = workbook.engine(workbook.flows["parcours"])
    state = engine.add_note(state, "observations_parcours", Note(text=f"{PRIVATE}-note-observations", at=now), now=now)
    workbook = workbook.with_state(state)
    portfolio, _ = portfolio.add(ItemKind.COMPETENCE, "Ingénierie de formation", now=now, private=True,
                                 confirmed=True, details=((f"{PRIVATE}-detail", f"{PRIVATE}-detail-texte"),))
    dumped = "".join(s.model_dump_json() for s in workbook.states.values()) + portfolio.model_dump_json()
    dumped += "".join(f.model_dump_json() for f in workbook.flows.values())
    for place in ("observations-parcours", "observation-competence", "indice", "note-circonstances", "note-valeurs",
                  "note-recommandations", "note-observations", "item-prive", "hint-analyse_demande-ad_objectifs",
                  "hint-plan_action-etapes", "detail-texte"):
        assert f"{PRIVATE}-{place}" in dumped, place
    assert any(i.title == PRIVATE_ITEM and i.private for i in portfolio.items)
    return CompleteBilan(dossier, sessions, workbook, portfolio)


def test_nothing_consultant_only_reaches_the_synthesis(marked):
    synthesis = build_synthesis(*marked, today=TODAY)
    assert PRIVATE not in synthesis.model_dump_json()
    private_ids = {i.id for i in marked.portfolio.items if i.private}
    assert private_ids and not {i for s in synthesis.sections for p in s.passages for i in p.items} & private_ids


def test_nothing_consultant_only_reaches_the_dossier_complet(marked):
    complet = build_dossier_complet(*marked, today=TODAY)
    assert PRIVATE not in complet.model_dump_json()
    prompts = {e.question for p in complet.productions for e in p.entries}
    assert not any("Observations du consultant" in q or "réservé au consultant" in q for q in prompts)


def test_a_requirement_met_only_by_a_private_competence_stays_a_gap_for_her(marked):
    synthesis = build_synthesis(*marked, today=TODAY)
    projets = lines(synthesis.section(SectionKey.PROJETS))
    assert (B, "Écart à combler : Ingénierie de formation.") in projets
    assert not any("Atout : Ingénierie" in text for _, text in projets)


# -- the dossier complet --------------------------------------------------------------------------


def test_the_dossier_complet_lists_the_sessions_with_hours_phases_objectives_and_report(bilan):
    complet = build_dossier_complet(*bilan, today=TODAY)
    assert complet.synthesis == build_synthesis(*bilan, today=TODAY)
    first = complet.sessions[0]
    assert (first.date, first.hours, first.phases, first.objectives) == (
        dt.date(2026, 10, 5), "de 09:30 à 12:30 (3 h)", "Phase préliminaire",
        "Comprendre la demande et fixer les objectifs du bilan.")
    assert first.report == ("Demande clarifiée, objectifs formulés ensemble.\n"
                            "À faire d'ici la prochaine séance :\n- Noter trois réussites professionnelles")
    assert [s.date for s in complet.sessions] == [s.date for s in SESSIONS]


def test_the_dossier_complet_holds_every_production_in_phase_order(bilan):
    complet = build_dossier_complet(*bilan, today=TODAY)
    titles = [p.title for p in complet.productions]
    assert titles[0] == "Analyse de la demande"
    assert titles[-3:] == ["Bilan des pistes — Libraire", "Plan d'action", "Retour sur les objectifs"]
    assert "Confrontation au marché — Formatrice en comptabilité" in titles
    parcours = next(p for p in complet.productions if p.title == "Parcours et récit de vie")
    story = {e.question: e.answer for e in parcours.entries}
    assert "Aide-comptable" in story["Quelles expériences ont compté dans votre parcours ? Ajoutez-les une par une."]
    realisations = next(p for p in complet.productions if p.title == "Réalisations (STAR)")
    assert any(REALISATIONS["realisations"][1]["action"] in e.answer for e in realisations.entries)
    interets = next(p for p in complet.productions if p.title == "Intérêts professionnels")
    assert not any(e.question.startswith("Activités, page") for e in interets.entries)  # in the tests, not twice


def test_the_dossier_complet_details_every_item_of_the_questionnaires_with_its_profile(bilan):
    complet = build_dossier_complet(*bilan, today=TODAY)
    riasec, big_five = complet.tests
    assert (riasec.profile.code, len(riasec.items), len(big_five.items)) == ("S > C > I", 60, 50)
    assert riasec.items[0].question == "Réparer un appareil ou un meuble abîmé"
    assert riasec.items[0].answer == "1 (Un peu)"
    assert big_five.items[0].answer == "3 (Ni l'un ni l'autre)"


# -- a repository, and size ------------------------------------------------------------------------


def test_the_complete_bilan_saved_in_a_repository_reads_back_to_the_same_synthesis(tmp_path, bilan):
    repository = Repository(tmp_path / "donnees", clock=lambda: dt.datetime(2026, 10, 1, 9, 0))
    dossier_id = save_complete_bilan(repository)
    with repository.open(dossier_id, read_only=True) as handle:
        dossier, sessions, states, portfolio = handle.dossier, handle.sessions(), list(handle.interviews()), \
            handle.portfolio()
    workbook = Workbook(CATALOG.flows, states, JinjaExpressions(), dossier_facts(dossier))
    stored = build_synthesis(dossier, sessions, workbook, portfolio, today=TODAY)
    expected = build_synthesis(*bilan, today=TODAY)
    assert [s.fingerprint() for s in stored.sections] == [s.fingerprint() for s in expected.sections]


def test_a_big_dossier_builds_whole(tmp_path):
    bilan = big_bilan()
    answers = sum(len(r.value) if isinstance(r.value, (list, dict)) else 1
                  for s in bilan.workbook.states.values() for r in s.answers.values() if r.value is not None)
    assert answers >= 200 and len(bilan.portfolio.items) >= 100
    synthesis = build_synthesis(*bilan, today=TODAY)
    assert lines(synthesis.section(SectionKey.PARCOURS))[0] == (P, "40 expériences retracées au cours du bilan :")
    competences = [p for p in synthesis.section(SectionKey.COMPETENCES).passages if p.text.startswith("Compétence ")]
    assert len(competences) == 30 and all(len(p.items) == 2 for p in competences)  # each with its proof


def build_times(bilan: CompleteBilan, runs: int = 20) -> float:
    """The median time of building the synthesis, in milliseconds (reported, not asserted: machines differ)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build_synthesis(*bilan, today=TODAY)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


if __name__ == "__main__":  # PYTHONPATH=src:. python tests/unit/test_synthesis_build.py
    print(f"synthesis of the big bilan: median {build_times(big_bilan()):.1f} ms over 20 runs")
