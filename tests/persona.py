"""Karim Benali, 42, maintenance technician in a food factory, thinking of becoming a technical trainer.

His answers to each module, as raw input (what the interface hands to the engine), shared by the
module scenarios and the Pilot persona.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bilan_tui.domain.engine import Engine, InterviewState

NOW = dt.datetime(2026, 11, 26, 10, 0)

PARCOURS = {
    "experiences": [
        {"intitule": "Technicien de maintenance", "nature": "emploi", "debut": "2008", "fin": "",
         "contexte": "Usine agroalimentaire, Rennes", "aime": "Dépanner, transmettre aux apprentis",
         "moins_aime": "Les horaires postés"},
        {"intitule": "Entraîneur de football", "nature": "benevolat", "debut": "03/2015", "fin": "",
         "contexte": "Club de quartier", "aime": "Faire progresser les jeunes", "moins_aime": ""},
    ],
    "fil_rouge": "Réparer et transmettre.",
    "tournants": "La naissance de ma fille.",
    "observations_parcours": "Récit fluide, fierté sur la transmission.",
}

REALISATIONS = {
    "experiences_choisies": ["1", "2"],
    "realisations": [
        {"titre": "Moins de pannes sur la ligne 3", "experience": "1", "situation": "Pannes répétées sur la ligne 3",
         "tache": "Trouver la cause", "action": "J'ai analysé les arrêts et négocié un créneau d'entretien",
         "resultat": "40 % de pannes en moins"},
        {"titre": "Deux apprentis diplômés", "experience": "1", "situation": "Deux apprentis en difficulté",
         "tache": "Les accompagner jusqu'au CAP", "action": "Je les ai formés avec des fiches pratiques",
         "resultat": "Deux CAP obtenus"},
    ],
    "savoir_faire_suggeres": ["analyser@1", "former@2"],
    "competences": [
        {"intitule": "Maintenance préventive", "categorie": "savoir_faire", "niveau": "4", "transferable": "non",
         "realisation": "1"},
        {"intitule": "Pédagogie", "categorie": "savoir_etre", "niveau": "3", "transferable": "oui",
         "realisation": "2"},
    ],
}

# S highest, then R, then I and C tied: the code keeps the tie.
RIASEC_RATINGS = {"R": 3, "I": 2, "A": 0, "S": 4, "E": 1, "C": 2}


def riasec_pages(engine: Engine, ratings: Mapping[str, int] = RIASEC_RATINGS) -> dict[str, dict[str, int]]:
    pages = {}
    for step in engine.flow.steps:
        if step.answer is not None and step.answer.items:
            pages[step.id] = {item.id: ratings[item.scale] for item in step.answer.items}
    return pages


INTERETS_CARDS = {
    "centres": ["ci24", "ci14", "ci04"],
    "centres_classement": ["ci24", "ci14"],
    "centres_pourquoi": "Transmettre un geste, voir quelqu'un réussir.",
}

CONFRONTATION = {
    "projet": "Formateur technique",
    "activites": "Préparer et animer des formations en maintenance.",
    "competences_requises": [
        {"intitule": "pédagogie", "source": "Fiche ROME K2111"},
        {"intitule": "Analyser des besoins", "source": ""},
        {"intitule": "Ingénierie de formation", "source": "Fiche ROME K2111"},
    ],
    "conditions": "Horaires de journée, déplacements en entreprise.",
    "enquete_contacts": [{"personne": "Formatrice à l'AFPA", "structure": "AFPA Rennes", "date": "10/12/2026"}],
    "enquete_questions": "Comment êtes-vous devenue formatrice ?",
    "enquete_appris": "Le titre de formateur professionnel d'adultes est demandé.",
    "enquete_surprises": "",
    "marche": [{"nature": "besoins", "fait": "Besoins stables en Bretagne", "source": "France Travail, BMO",
                "date": "01/04/2026"}],
    "formation": "Titre FPA, 9 mois, CPF possible.",
    "verdict": "sous_conditions",
    "verdict_pourquoi": "Réaliste avec le titre FPA.",
}


def run(engine: Engine, answers: Mapping[str, Any], state: InterviewState | None = None,
        *, until: str | None = None) -> InterviewState:
    """Answer the flow from the start with ``answers`` (information steps acknowledged).

    Questions without an answer in the mapping are skipped as not applicable. Stops before
    ``until`` when given.
    """
    from bilan_tui.domain.models import SkipReason

    state = state or engine.start()
    for _ in range(500):
        step = engine.current(state)
        if step is None or step.id == until:
            return state
        if step.answer is None:
            state = engine.acknowledge(state, step.id, now=NOW)
        elif step.id in answers:
            outcome = engine.answer(state, step.id, answers[step.id], now=NOW, accept_warnings=True)
            assert outcome.recorded, (step.id, outcome.errors)
            state = outcome.state
        else:
            state = engine.skip(state, step.id, SkipReason.NOT_APPLICABLE, now=NOW)
    raise AssertionError("the flow did not finish")
