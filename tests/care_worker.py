"""A care worker heading towards training (issue 8's first real bilan): her answers, module by module."""

from __future__ import annotations

from tests.persona import CONFRONTATION, PARCOURS

# What she told in the STAR module.
CARE_REALISATIONS = {
    "experiences_choisies": ["1"],
    "realisations": [
        {"titre": "Accueil des stagiaires", "experience": "1", "situation": "Des stagiaires perdus",
         "tache": "Les accueillir", "action": "J'ai formé les stagiaires et rédigé un livret d'accueil",
         "resultat": "Des stagiaires autonomes en deux semaines"},
        {"titre": "Atelier mémoire", "experience": "1", "situation": "Des résidents isolés",
         "tache": "Les stimuler", "action": "J'ai animé un atelier chaque semaine pour huit résidents",
         "resultat": "Huit participants réguliers"},
    ],
    "savoir_faire_suggeres": ["former@1", "rediger@1", "animer@2"],
    "competences": [
        {"intitule": "Former des adultes", "categorie": "savoir_faire", "niveau": "3", "transferable": "oui",
         "realisation": "1"},
        {"intitule": "Rédiger des supports pédagogiques", "categorie": "savoir_faire", "niveau": "2",
         "transferable": "oui", "realisation": "1"},
        {"intitule": "Animer un groupe", "categorie": "savoir_faire", "niveau": "3", "transferable": "oui",
         "realisation": "2"},
    ],
}
CARE_SELF_RATINGS = {"transversales": {"communiquer": 3, "organiser": 3, "cooperer": 4, "resoudre": 2,
                                       "adapter": 2, "apprendre": 2, "numerique": 1, "relation": 2, "animer": 3,
                                       "initiative": 2}}
CARE_REQUIREMENTS = ("Former des adultes", "Rédiger des supports pédagogiques", "Animer un groupe",
                     "Communiquer à l'oral", "Ingénierie de formation")
CARE_CONFRONTATION = {**CONFRONTATION, "projet": "Formatrice d'adultes", "competences_requises": [
    {"intitule": r, "source": ""} for r in CARE_REQUIREMENTS]}
CARE_WORKER = (("competences", CARE_SELF_RATINGS), ("parcours", PARCOURS), ("realisations", CARE_REALISATIONS),
               ("confrontation", CARE_CONFRONTATION))
"""The modules in the order she ran them: her self-ratings first, so they come first in the portfolio."""
