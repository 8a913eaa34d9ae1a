"""A rich synthesis and dossier complet of our own, for the document tests and the benchmark.

Marie Dupont, aide-soignante moving towards coordination: French text with guillemets, colons,
question and exclamation marks typed with ordinary spaces (or none), apostrophes, accents, long
paragraphs, a six-step action plan, two profiles, a section with no material, and answers that look
like markup (``<script>``, ``</p>``, Markdown structure) that must come out as text.
"""

from __future__ import annotations

import datetime as dt

from bilan_tui.domain.portfolio import SourceRef
from bilan_tui.domain.synthesis.model import (
    DossierComplet,
    Entry,
    Passage,
    PassageStyle,
    Production,
    Profile,
    ScaleLine,
    Section,
    SectionKey,
    SessionLine,
    Synthesis,
    Table,
    TestDetail,
)

P = PassageStyle
SCRIPT = "<script>alert('x')</script> et </p><b>gras</b>"
MARKDOWN_TRAP = "# pas un titre\n- pas une liste\n1. pas numéroté | pas une cellule *ni gras* [ni lien](http://x)"
LONG = (
    "Après quinze ans auprès de personnes âgées, d'abord en EHPAD puis au domicile, Marie a construit une "
    "connaissance fine de l'accompagnement : l'écoute, l'observation des petits signes qui annoncent une "
    "dégradation, la relation avec les familles parfois inquiètes ou en colère, la coordination avec les "
    "infirmières et les médecins traitants. Elle souhaite aujourd'hui mettre cette expérience au service "
    "d'une équipe, sans quitter le terrain ; elle l'a dit plusieurs fois : le contact avec les personnes "
    "reste ce qui la fait tenir ! "
) * 3

PLAN_HEADERS = ("Étape", "Échéance", "Avec qui", "Moyens", "Projet")
PLAN_ROWS = (
    ("Rencontrer deux coordinatrices de SSIAD", "15/01/2027", "Réseau ADMR du secteur", "Temps personnel", "Coordinatrice"),
    ("S'informer sur le DEIS : « est-ce fait pour moi ? »", "31/01/2027", "Conseiller CEP", "Entretien gratuit", "Coordinatrice"),
    ("Constituer le dossier de financement CPF", "28/02/2027", "Mon Compte Formation", "CPF : 3 200 €", "Coordinatrice"),
    ("Suivre le module « Encadrer une équipe »", "30/04/2027", "IRTS Hauts-de-France", "CPF et employeur", "Coordinatrice"),
    ("Demander un entretien professionnel", "15/03/2027", "Responsable RH", "Entretien annuel", "Coordinatrice"),
    ("Faire le point à six mois", "30/06/2027", "Consultante du bilan", "Entretien de suivi", "Toutes"),
)

RIASEC = Profile(
    title="Intérêts professionnels (RIASEC)",
    caveat="Un questionnaire d'intérêts décrit des préférences, pas des aptitudes : il ouvre la discussion, il ne décide rien.",
    code="SEC",
    scales=(
        ScaleLine(label="Réaliste", score=14, minimum=0, maximum=40),
        ScaleLine(label="Investigateur", score=18, minimum=0, maximum=40),
        ScaleLine(label="Artistique", score=9, minimum=0, maximum=40),
        ScaleLine(label="Social", score=36, minimum=0, maximum=40),
        ScaleLine(label="Entreprenant", score=27, minimum=0, maximum=40),
        ScaleLine(label="Conventionnel", score=24, minimum=0, maximum=40),
    ),
)
BIG_FIVE = Profile(
    title="Personnalité (Big Five)",
    caveat="Des tendances déclarées à un moment donné, à relire ensemble ; aucune n'est une bonne ou une mauvaise réponse.",
    scales=(
        ScaleLine(label="Ouverture", score=31, minimum=8, maximum=40),
        ScaleLine(label="Conscienciosité", score=35, minimum=8, maximum=40),
        ScaleLine(label="Extraversion", score=22, minimum=8, maximum=40),
        ScaleLine(label="Agréabilité", score=37, minimum=8, maximum=40),
        ScaleLine(label="Stabilité émotionnelle", score=26, minimum=8, maximum=40),
    ),
)

_REF = SourceRef(module="pistes", step_id="projet", digest="abc")


def _section(key: SectionKey, *passages: Passage, table: Table | None = None) -> Section:
    return Section(key=key, title=key.heading, passages=passages, table=table)


def synthesis(*, beneficiary: str = "Marie Dupont") -> Synthesis:
    K = SectionKey
    sections = (
        _section(K.CIRCONSTANCES,
                 Passage(text="Marie a demandé ce bilan pour une raison simple : « Je ne veux plus subir mon métier. »",
                         answers=(_REF,)),
                 Passage(text="Pourquoi maintenant? Parce que son dos l'y oblige !", style=P.PARAGRAPH)),
        _section(K.DEROULEMENT,
                 Passage(text="Six séances entre le 02/10/2026 et le 28/11/2026, de 14:00 à 16:00.", sessions=("s1",))),
        _section(K.PARCOURS,
                 Passage(text=LONG),
                 Passage(text="Les étapes", style=P.HEADING),
                 Passage(text="2009 : diplôme d'aide-soignante", style=P.BULLET),
                 Passage(text="2010-2018 : EHPAD « Les Tilleuls », Lille", style=P.BULLET),
                 Passage(text="Depuis 2018 : service de soins à domicile", style=P.BULLET)),
        _section(K.COMPETENCES,
                 Passage(text="Organiser les tournées d'une équipe de quatre personnes", style=P.BULLET, items=("i1",)),
                 Passage(text="Repérer une dégradation de l'état de santé", style=P.BULLET),
                 Passage(text="Ce que j'aime, c'est quand la personne me dit merci", style=P.QUOTE),
                 Passage(text=SCRIPT)),
        _section(K.INTERETS,
                 Passage(text="Les profils ci-dessous résument les questionnaires ; ils ont été relus ensemble.")),
        _section(K.PROJETS,
                 Passage(text="Coordinatrice de SSIAD", style=P.HEADING),
                 Passage(text="Le marché local recrute : trois offres en octobre ; le diplôme est souvent demandé."),
                 Passage(text=MARKDOWN_TRAP)),
        _section(K.ORIENTATION,
                 Passage(text="Projet principal : coordinatrice de services de soins à domicile."),
                 Passage(text="Projet alternatif : formatrice en IFAS.", style=P.BULLET)),
        _section(K.VIGILANCE,
                 Passage(text="Le dos : éviter les postes avec port de charges.", style=P.BULLET),
                 Passage(text="La charge administrative de la coordination ?", style=P.BULLET)),
        _section(K.PLAN,
                 Passage(text="Six étapes datées, la première dès janvier."),
                 table=Table(headers=PLAN_HEADERS, rows=PLAN_ROWS)),
        _section(K.VAE),
        _section(K.RECOMMANDATIONS,
                 Passage(text="Mettre en avant l'expérience de tutorat des stagiaires dans le CV ; voir https://www.francetravail.fr/?page=1 !")),
        _section(K.OBJECTIFS,
                 Passage(text="Objectif « y voir clair » : atteint.", style=P.BULLET)),
    )
    return Synthesis(beneficiary=beneficiary, consultant="Claire Martin", drafted_on=dt.date(2026, 11, 28),
                     sections=sections, profiles=(RIASEC, BIG_FIVE))


def dossier_complet() -> DossierComplet:
    return DossierComplet(
        synthesis=synthesis(),
        sessions=(
            SessionLine(date=dt.date(2026, 10, 2), hours="14:00 à 16:00", phases="Préliminaire",
                        objectives="Préciser la demande : pourquoi un bilan ?", report="Premier entretien, contrat signé."),
            SessionLine(date=dt.date(2026, 11, 28), hours="9:30 à 11:30", phases="Conclusion",
                        objectives="Valider la synthèse ensemble.", report=""),
        ),
        productions=(
            Production(title="Analyse de la demande", phase="Préliminaire", entries=(
                Entry(question="Qu'attendez-vous du bilan ?", answer="Savoir si je peux évoluer sans tout reprendre à zéro !"),
                Entry(question="Une remarque ?", answer=SCRIPT),
            )),
            Production(title="Réalisations", phase="Investigation", entries=(
                Entry(question="Une réussite dont vous êtes fière", answer="Le tutorat de huit stagiaires en deux ans."),
            )),
        ),
        tests=(
            TestDetail(profile=RIASEC, items=(
                Entry(question="Réparer un appareil", answer="Un peu"),
                Entry(question="Aider une personne en difficulté", answer="Beaucoup"),
            )),
            TestDetail(profile=BIG_FIVE, items=(
                Entry(question="Je fais les choses avec méthode", answer="Tout à fait d'accord"),
            )),
        ),
    )
