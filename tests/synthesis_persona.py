"""Sophie Lemaire, 45, accountant in a small building firm, heading towards training adults: a COMPLETE bilan.

Every module is run through the engine, in five sessions with their start and end times and their
reports: analyse de la demande, parcours, réalisations, intérêts (RIASEC), valeurs, personnalité
(Big Five), compétences, pistes, two runs of the confrontation au marché, three runs of the bilan des
pistes (a main project, an alternative, a lead set aside), the plan d'action and the retour sur les
objectifs. The portfolio is kept in step as the app does.

Everything the consultant keeps to themselves carries a marker starting with :data:`PRIVATE`
(consultant-only answers, private notes, a private portfolio item): a document that contains
``PRIVATE`` leaks something. Reused by the synthesis, document and TUI tests:

- :func:`complete_bilan` -> ``(dossier, sessions, workbook, portfolio)``, at domain level;
- :func:`save_complete_bilan` writes the same bilan into a :class:`~bilan_tui.storage.Repository`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.flow import Flow
from bilan_tui.domain.models import (
    Beneficiary,
    Contract,
    Dossier,
    Funding,
    ItemKind,
    Note,
    Phase,
    Session,
    SessionReport,
    Situation,
    SkipReason,
    Visibility,
    WorkingTime,
)
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.workbook import Workbook, dossier_facts
from bilan_tui.flows import JinjaExpressions, load_catalog

PRIVATE = "ZZPRIVE"
"""The start of every marker planted in what only the consultant may read."""

TODAY = dt.date(2026, 12, 1)
"""The day the synthesis is drafted (after the last session)."""

BENEFICIARY = Beneficiary(
    first_name="Sophie", last_name="Lemaire", email="sophie.lemaire@example.org", phone="06 12 34 56 78",
    situation=Situation.EMPLOYED, situation_detail="Comptable dans une PME du bâtiment",
    birth_date=dt.date(1981, 4, 12), funding=Funding.CPF, working_time=WorkingTime.OUTSIDE, contract=Contract.CDI,
)
CONSULTANT = "Claire Dubois"


def _session(number: int, day: dt.date, start: tuple[int, int], end: tuple[int, int], phase: Phase,
             objectives: str, results: str, next_actions: tuple[str, ...] = ()) -> Session:
    return Session(
        id=f"seance{number}", date=day, start_time=dt.time(*start), end_time=dt.time(*end), phase=phase,
        objectives=objectives, objectives_agreed=True,
        report=SessionReport(results=results, next_actions=next_actions,
                             written_at=dt.datetime.combine(day, dt.time(*end))),
    )


SESSIONS = (
    _session(1, dt.date(2026, 10, 5), (9, 30), (12, 30), Phase.PRELIMINAIRE,
             "Comprendre la demande et fixer les objectifs du bilan.",
             "Demande clarifiée, objectifs formulés ensemble.", ("Noter trois réussites professionnelles",)),
    _session(2, dt.date(2026, 10, 19), (14, 0), (16, 30), Phase.INVESTIGATION,
             "Retracer le parcours et les réalisations.", "Parcours retracé, deux réalisations racontées."),
    _session(3, dt.date(2026, 11, 2), (9, 30), (12, 0), Phase.INVESTIGATION,
             "Intérêts, valeurs, personnalité et compétences.", "Profil d'intérêts et valeurs discutés."),
    _session(4, dt.date(2026, 11, 16), (9, 30), (12, 15), Phase.INVESTIGATION,
             "Pistes et confrontation au marché.", "Deux projets confrontés au marché.",
             ("Rencontrer une formatrice du GRETA",)),
    _session(5, dt.date(2026, 11, 30), (14, 0), (17, 0), Phase.CONCLUSION,
             "Décider, bâtir le plan d'action, revenir sur les objectifs.", "Plan d'action daté, objectifs revus."),
)

ANALYSE = {
    "ad_circonstances": "Après vingt ans de comptabilité, je m'ennuie et j'ai envie de transmettre ce que je sais.",
    "ad_initiative": "moi",
    "ad_situation": "salarie",
    "ad_poste": "Comptable dans une PME du bâtiment",
    "ad_anciennete": "12",
    "ad_satisfaction": "2",
    "ad_attentes": ["reconversion", "formation"],
    "ad_contraintes": [{"nature": "famille", "detail": "Deux enfants au collège, pas de déplacements longs"},
                       {"nature": "finances", "detail": "Garder un salaire pendant la formation"}],
    "ad_deja_tente": "J'ai donné des cours du soir de comptabilité à des adultes en 2019.",
    "ad_objectifs": "Savoir si je peux devenir formatrice, et par quelle formation y arriver sans perdre mon salaire.",
    "ad_rythme": "quinzaine",
    "ad_facons": ["ecrits", "rencontres"],
    "ad_amenagement": "non",
    "ad_engagement": "oui",
}

PARCOURS = {
    "experiences": [
        {"intitule": "Aide-comptable", "nature": "emploi", "debut": "2004", "fin": "2014",
         "contexte": "Cabinet d'expertise comptable, Nantes", "aime": "La rigueur des clôtures",
         "moins_aime": "Le manque de contact"},
        {"intitule": "Comptable unique", "nature": "emploi", "debut": "2014", "fin": "",
         "contexte": "PME du bâtiment, 40 salariés", "aime": "Expliquer les chiffres aux chefs de chantier",
         "moins_aime": "La solitude du poste"},
        {"intitule": "Cours du soir de comptabilité", "nature": "benevolat", "debut": "09/2019", "fin": "06/2020",
         "contexte": "Association d'éducation populaire", "aime": "Voir les adultes comprendre", "moins_aime": ""},
    ],
    "fil_rouge": "Rendre les chiffres clairs pour les autres.",
    "tournants": "Les cours du soir : j'ai découvert que j'aimais enseigner.",
    "observations_parcours": f"{PRIVATE}-observations-parcours : récit hésitant sur le départ du cabinet.",
}

REALISATIONS = {
    "experiences_choisies": ["2", "3"],
    "realisations": [
        {"titre": "Tableau de bord des chantiers", "experience": "2", "situation": "Des chantiers sans suivi des coûts",
         "tache": "Donner aux chefs de chantier une vue des coûts",
         "action": "J'ai conçu un tableau de bord et j'ai formé chaque chef de chantier",
         "resultat": "Dépassements de budget divisés par deux"},
        {"titre": "Quinze adultes au certificat", "experience": "3", "situation": "Des adultes en reprise d'études",
         "tache": "Les préparer au certificat de comptabilité",
         "action": "J'ai préparé des exercices progressifs et j'ai animé les séances",
         "resultat": "Quinze certificats obtenus sur seize"},
    ],
    "savoir_faire_suggeres": ["former@1", "animer@2"],
    "competences": [
        {"intitule": "Comptabilité générale", "categorie": "savoir", "niveau": "4", "transferable": "oui",
         "realisation": "1"},
        {"intitule": "Pédagogie", "categorie": "savoir_etre", "niveau": "3", "transferable": "oui",
         "realisation": "2"},
    ],
}

RIASEC = {"R": 1, "I": 2, "A": 0, "S": 4, "E": 1, "C": 3}
"""S highest, then C, then I: the code is S > C > I."""

INTERETS = {
    "centres": ["ci24", "ci15", "ci06"],
    "centres_classement": ["ci24", "ci15", "ci06"],
    "centres_pourquoi": "Transmettre, c'est voir quelqu'un comprendre enfin un bilan comptable.",
}

VALEURS = {
    "valeurs": ["transmettre", "utilite", "equilibre", "securite"],
    "valeurs_classement": ["transmettre", "utilite", "equilibre"],
    "valeurs_pourquoi": "Quand un adulte de mon cours a eu son certificat, j'ai su que c'était ça qui comptait.",
    "horaires": "reguliers",
    "lieu": "mixte",
    "public": ["adultes"],
    "rythme": "pics",
    "equipe": "autonome",
    "motivations": [{"motivation": "Être utile aux autres", "realisation": "2"},
                    {"motivation": "Rendre les choses claires", "realisation": "1"}],
}

BIG_FIVE = {"E": 3, "A": 4, "C": 5, "N": 4, "O": 3}

COMPETENCES = {
    "transversales": {"communiquer": 3, "organiser": 4, "cooperer": 3, "resoudre": 3, "adapter": 2,
                      "apprendre": 3, "numerique": 3, "relation": 2, "animer": 3, "initiative": 2},
    "observations": [{"intitule": f"{PRIVATE}-observation-competence", "categorie": "savoir_etre",
                      "indice": f"{PRIVATE}-indice"}],
}

PISTES = {
    "projets": [
        {"intitule": "Formatrice en comptabilité", "code_rome": "K2111", "attrait": "Transmettre",
         "questions": "Quel titre faut-il ?"},
        {"intitule": "Gestionnaire de paie", "code_rome": "M1501", "attrait": "Rester dans les chiffres",
         "questions": "Quels débouchés ?"},
        {"intitule": "Libraire", "code_rome": "D1209", "attrait": "Les livres", "questions": ""},
    ],
    "priorite": "Commencer par la formation d'adultes.",
}

CONFRONTATION_FORMATRICE = {
    "piste": "Formatrice en comptabilité",
    "activites": "Préparer et animer des formations en comptabilité pour adultes.",
    "competences_requises": [
        {"intitule": "Pédagogie", "source": "Fiche ROME K2111"},
        {"intitule": "Comptabilité générale", "source": "Offre GRETA"},
        {"intitule": "Ingénierie de formation", "source": "Fiche ROME K2111"},
    ],
    "conditions": "Horaires de journée, quelques déplacements dans le département.",
    "enquete_contacts": [{"personne": "Formatrice en gestion", "structure": "GRETA de Nantes", "date": "2026-11-20"}],
    "enquete_questions": "Comment êtes-vous devenue formatrice ?",
    "enquete_appris": "Le titre de formateur professionnel d'adultes est très demandé par les organismes.",
    "enquete_surprises": "Beaucoup de formateurs sont indépendants.",
    "marche": [{"nature": "besoins", "fait": "Besoins stables en Pays de la Loire", "source": "France Travail, BMO",
                "date": "2026-04-01"}],
    "formation": "Titre FPA, 9 mois, CPF et Transitions Pro possibles.",
    "verdict": "sous_conditions",
    "verdict_pourquoi": "Réaliste avec le titre FPA, en gardant un emploi à temps partiel.",
}

CONFRONTATION_PAIE = {
    "piste": "Gestionnaire de paie",
    "activites": "Établir les bulletins de paie et les déclarations sociales.",
    "competences_requises": [{"intitule": "Législation sociale", "source": "Fiche ROME M1501"},
                             {"intitule": "Comptabilité générale", "source": ""}],
    "conditions": "Travail de bureau, pics en fin de mois.",
    "enquete_contacts": [{"personne": "Gestionnaire de paie", "structure": "Cabinet Ouest Paie",
                          "date": "2026-11-10"}],
    "enquete_questions": "À quoi ressemble une fin de mois ?",
    "enquete_appris": "Le métier recrute mais reste solitaire.",
    "marche": [{"nature": "difficulte", "fait": "Recrutements difficiles", "source": "France Travail, BMO",
                "date": "2026-04-01"}],
    "formation": "Une formation courte en paie, 3 mois.",
    "verdict": "realisable",
    "verdict_pourquoi": "Proche de mon métier, mais on y retrouve la solitude.",
}

BILAN_PISTES = (
    {"piste": "Formatrice en comptabilité", "decision": "principal",
     "raisons": "C'est là que je me suis sentie la plus vivante : devant un groupe d'adultes.",
     "pour": "Mes cours du soir : quinze certificats sur seize.",
     "contre": "Il me manque l'ingénierie de formation.",
     "facteurs_reussite": "Obtenir le titre FPA avec un financement Transitions Pro.",
     "vigilance": [{"nature": "contrainte", "point": "Pas de déplacements longs tant que les enfants sont au collège"},
                   {"nature": "ecart", "point": "Se former à l'ingénierie de formation"}]},
    {"piste": "Gestionnaire de paie", "decision": "alternative",
     "raisons": "Un repli solide si la formation d'adultes tarde.",
     "pour": "Mon expérience des chiffres.", "contre": "La solitude du poste.",
     "facteurs_reussite": "Une formation courte en paie.",
     "vigilance": [{"nature": "marche", "point": "Des pics de travail en fin de mois"}]},
    {"piste": "Libraire", "decision": "ecarte", "raisons": "Un rêve, pas un projet : le salaire ne suit pas.",
     "vigilance": [{"nature": "autre", "point": "Ne doit pas apparaître : piste écartée"}]},
)

PLAN_ACTION = {
    "etapes": [
        {"action": "Rencontrer le conseiller Transitions Pro", "echeance": "2027-01-15", "avec": "Transitions Pro",
         "ressources": "Dossier de financement", "projet": "Formatrice en comptabilité"},
        {"action": "S'inscrire au titre FPA", "echeance": "2027-03-01", "avec": "AFPA de Nantes",
         "ressources": "CPF", "projet": "Formatrice en comptabilité"},
        {"action": "Se renseigner sur une formation en paie", "echeance": "2027-06-30", "avec": "",
         "ressources": "", "projet": "Gestionnaire de paie"},
    ],
    "formation": [{"intitule": "Titre professionnel Formateur professionnel d'adultes", "organisme": "AFPA",
                   "duree": "9 mois", "financement": "cpf", "certification": "Titre FPA", "rncp": "RNCP37274"}],
    "vae": "a_etudier",
    "vae_certification": "BTS Comptabilité et gestion",
    "vae_appuis": ["Comptable unique", "Tableau de bord des chantiers"],
    "recommandations": "Activer le réseau des anciens élèves des cours du soir.\n"
                       "- Préparer un pitch de deux minutes sur le projet.\n"
                       "- Garder un mi-temps en comptabilité pendant la formation.",
}

RETOUR_OBJECTIFS = {
    "objectifs": [
        {"objectif": "Savoir si je peux devenir formatrice", "atteinte": "atteint",
         "commentaire": "Le projet est confirmé par l'enquête métier."},
        {"objectif": "Trouver la formation sans perdre mon salaire", "atteinte": "partiel",
         "commentaire": "Le financement reste à obtenir."},
    ],
}

PRIVATE_NOTES = {
    ("analyse_demande", "ad_circonstances"): f"{PRIVATE}-note-circonstances",
    ("valeurs", "valeurs_pourquoi"): f"{PRIVATE}-note-valeurs",
    ("plan_action", "recommandations"): f"{PRIVATE}-note-recommandations",
}
PRIVATE_ITEM = f"{PRIVATE}-item-prive"


class CompleteBilan(NamedTuple):
    dossier: Dossier
    sessions: tuple[Session, ...]
    workbook: Workbook
    portfolio: Portfolio


def _at(session: Session, minutes: int = 0) -> dt.datetime:
    return dt.datetime.combine(session.date, session.start_time) + dt.timedelta(minutes=minutes)


def answer_module(workbook: Workbook, flow: Flow, answers: Mapping[str, Any], session: Session, *,
                  instance: str = "", minutes: int = 0) -> Workbook:
    """Run a module from its start in a session: every step asked answered from ``answers``, the others
    skipped as not applicable (a question that can only be put off ends the run there); information
    steps acknowledged."""
    engine = workbook.engine(flow)
    state: InterviewState = engine.start(instance)
    now = _at(session, minutes)
    for _ in range(200):
        step = engine.current(state)
        if step is None:
            break
        if step.answer is None:
            state = engine.acknowledge(state, step.id, now=now, session_id=session.id)
        elif step.id in answers:
            outcome = engine.answer(state, step.id, answers[step.id], now=now, accept_warnings=True,
                                    session_id=session.id)
            assert outcome.recorded, (flow.id, step.id, outcome.errors)
            state = outcome.state
        elif SkipReason.NOT_APPLICABLE in step.skip_reasons:
            state = engine.skip(state, step.id, SkipReason.NOT_APPLICABLE, now=now, session_id=session.id)
        else:  # a question that can only be put off: the module stays in progress
            break
    else:
        raise AssertionError(f"{flow.id} did not finish")
    for (flow_id, step_id), text in PRIVATE_NOTES.items():
        if flow_id == flow.id and state.record(step_id) is not None:
            state = engine.add_note(state, step_id, Note(text=text, visibility=Visibility.CONSULTANT, at=now), now=now,
                                    session_id=session.id)
    return workbook.with_state(state)


def complete_bilan(*, dossier_id: str = "sophie-lemaire", flows: Mapping[str, Flow] | None = None,
                   edits: Mapping[tuple[str, str], Any] | None = None) -> CompleteBilan:
    """Sophie's complete bilan: ``(dossier, sessions, workbook, portfolio)``.

    ``flows``: the catalog's flows unless given; ``edits``: answers to change from the persona's,
    by ``(module key, step id)`` (e.g. ``{("parcours", "fil_rouge"): "..."}``), to see what follows.
    """
    flows = dict(flows) if flows is not None else load_catalog().flows
    dossier = Dossier(id=dossier_id, beneficiary=BENEFICIARY, consultant=CONSULTANT,
                      created_at=dt.datetime(2026, 10, 1, 9, 0), phase=Phase.CONCLUSION)
    workbook = Workbook(flows, [], JinjaExpressions(), dossier_facts(dossier))
    s1, s2, s3, s4, s5 = SESSIONS
    edits = dict(edits or {})

    def answers(key: str, base: Mapping[str, Any]) -> dict[str, Any]:
        return {**base, **{step: value for (module, step), value in edits.items() if module == key}}

    plan: list[tuple[str, Mapping[str, Any], Session, str]] = [
        ("analyse_demande", ANALYSE, s1, ""),
        ("parcours", PARCOURS, s2, ""),
        ("realisations", REALISATIONS, s2, ""),
        ("interets", {**INTERETS, **_ratings(flows["interets"], RIASEC)}, s3, ""),
        ("valeurs", VALEURS, s3, ""),
        ("personnalite", _ratings(flows["personnalite"], BIG_FIVE), s3, ""),
        ("competences", COMPETENCES, s3, ""),
        ("pistes", PISTES, s4, ""),
        ("confrontation", CONFRONTATION_FORMATRICE, s4, "formatrice"),
        ("confrontation", CONFRONTATION_PAIE, s4, "paie"),
        *(("bilan_pistes", run, s5, f"piste{i}") for i, run in enumerate(BILAN_PISTES, start=1)),
    ]
    for minutes, (flow_id, base, session, instance) in enumerate(plan):
        key = f"{flow_id}#{instance}" if instance else flow_id
        workbook = answer_module(workbook, flows[flow_id], answers(key, base), session, instance=instance,
                                 minutes=minutes)
    workbook = answer_module(workbook, flows["plan_action"], answers("plan_action", PLAN_ACTION), s5, minutes=60)
    workbook = answer_module(workbook, flows["retour_objectifs"], answers("retour_objectifs", RETOUR_OBJECTIFS), s5,
                             minutes=120)
    portfolio, _ = workbook.sync_portfolio(Portfolio(), _at(s5, 150))
    portfolio, _ = portfolio.add(ItemKind.COMPETENCE, PRIVATE_ITEM, now=_at(s5, 151), private=True, confirmed=True)
    return CompleteBilan(dossier, SESSIONS, workbook, portfolio)


def _ratings(flow: Flow, by_scale: Mapping[str, int]) -> dict[str, dict[str, int]]:
    return {step.id: {item.id: by_scale[item.scale] for item in step.answer.items}
            for step in flow.steps if step.answer is not None and step.answer.items}


def save_complete_bilan(repository: Any) -> str:
    """Write Sophie's complete bilan into ``repository`` (a :class:`bilan_tui.storage.Repository`); its id."""
    created = repository.create_dossier(BENEFICIARY, CONSULTANT)
    dossier, sessions, workbook, portfolio = complete_bilan(dossier_id=created.id)
    with repository.open(created.id) as handle:
        handle.save_dossier(dossier.model_copy(update={"created_at": created.created_at}))
        for state in workbook.states.values():  # the answers first: a closed session takes no more
            handle.save_interview(state)
        for session in sessions:
            handle.save_session(session)
        handle.save_portfolio(portfolio)
    return str(created.id)


def big_bilan() -> CompleteBilan:
    """Sophie's bilan with the longest lists the modules take: some 200 answers and 100 portfolio items."""
    experiences = [*PARCOURS["experiences"],
                   *({**PARCOURS["experiences"][i % 3], "intitule": f"Expérience {i}"} for i in range(3, 40))]
    achievements = [*REALISATIONS["realisations"],
                    *({**REALISATIONS["realisations"][i % 2], "titre": f"Réalisation {i}"} for i in range(2, 12))]
    competences = [{"intitule": f"Compétence {i}", "categorie": "savoir_faire", "niveau": "3", "transferable": "oui",
                    "realisation": str(i % 12 + 1)} for i in range(30)]
    return complete_bilan(edits={("parcours", "experiences"): experiences,
                                 ("realisations", "realisations"): achievements,
                                 ("realisations", "savoir_faire_suggeres"): [],
                                 ("realisations", "competences"): competences})
