"""The *document d'information*: what a bilan de compétences is, handed over before any convention.

The seed: « Un document d'information sur le bilan de compétences, ses objectifs, sa déontologie est
remis à chaque bénéficiaire, au cours d'un premier entretien avec le référent, avant toute signature de
convention. Ce document-type et son contenu sera adapté à chaque bilan en fonction des conditions ou des
attentes particulières énoncées par le bénéficiaire au cours de l'entretien exploratoire. »

Built from the administrative file, the beneficiary's name and the consultant's name only: the hours
planned per phase, the price of the agreement (the default flat fee before one is set), the funding
when chosen, the place, and the conditions the person stated (``information.adaptation``). Nothing of
the working file (answers, notes, synthesis) can reach it: it is never given any.
"""

from __future__ import annotations

import datetime as dt

from bilan_tui.domain.models import Phase
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.funding import DEFAULT_RULES, Agreement, FundingRules, FundingType
from bilan_tui.domain.procedure.hours import COUNTED_PHASES, MAX_MINUTES, format_hours
from bilan_tui.domain.procedure.money import Price, format_rate
from bilan_tui.domain.text import is_blank
from bilan_tui.rendering.admin_documents import AdminDocument, AdminPart, AdminTable

KIND = "document-information"
TITLE = "Document d'information sur le bilan de compétences"

PHASE_CONTENT = {
    Phase.PRELIMINAIRE: (
        "Présentation de la prestation, de sa méthode et de son déroulement ; s'assurer du caractère volontaire de "
        "la démarche ; cerner les circonstances qui vous ont conduit au bilan et analyser votre situation ; repérer "
        "vos besoins, puis formaliser des objectifs personnalisés ; choisir ensemble les outils et le calendrier."),
    Phase.INVESTIGATION: (
        "Déterminer votre profil personnel et professionnel : intérêts, motivations, valeurs, potentiel, "
        "compétences, aptitudes ; dégager des pistes d'orientation ; mieux appréhender les réalités du marché de "
        "l'emploi et y confronter vos projets ; mettre en évidence vos atouts et les écarts face au projet ; "
        "constituer progressivement votre portefeuille de compétences."),
    Phase.CONCLUSION: (
        "Faire la synthèse des éléments obtenus ; vous approprier les résultats et les exploiter ; hiérarchiser "
        "les projets ; faire le point sur les atouts et les freins ; déterminer le plan d'action et, si "
        "nécessaire, un parcours de formation."),
    Phase.REMISE: (
        "Remise du document de synthèse ; renforcer l'appropriation du projet et du plan d'action ; organiser le "
        "suivi post-bilan ; remise d'un questionnaire de satisfaction."),
}


def _funding_paragraphs(admin: AdministrativeFile, rules: FundingRules,
                        envisaged: FundingType | None = None) -> tuple[str, ...]:
    agreement = admin.agreement
    if agreement is None and envisaged is not None:
        # Not agreed yet, but the dossier's form says which: the document speaks of that one.
        agreement = Agreement(funding=envisaged)
    if agreement is None:
        return ("Le financement reste à choisir ensemble. Un bilan de compétences peut être financé par le compte "
                "personnel de formation (Mon Compte Formation), par l'employeur dans le cadre du plan de "
                "développement des compétences, par France Travail, par un OPCO, ou par vous-même.",)
    lines = [f"Financement envisagé : {agreement.funding.label}."]
    match agreement.funding:
        case FundingType.CPF:
            if agreement.cpf_during_work:
                lines.append("Le bilan se déroule en partie sur le temps de travail : l'accord préalable de "
                             "l'employeur est nécessaire ; il ne reçoit rien du contenu du bilan.")
            else:
                lines.append("Le bilan se déroule hors du temps de travail : votre employeur n'a pas à en être "
                             "informé et n'intervient à aucun moment.")
        case FundingType.EMPLOYER:
            lines.append(f"Une convention est signée par l'employeur, vous-même et l'organisme. Vous disposez de "
                         f"{rules.employee_answer_days} jours à compter de sa transmission pour l'accepter en la "
                         "signant ; l'absence de réponse vaut refus. Votre refus ne constitue ni une faute ni un "
                         "motif de licenciement (article L6313-4 du Code du travail).")
        case FundingType.SELF_FUNDED:
            lines.append(f"Un contrat écrit est signé. Vous disposez de {rules.withdrawal_days} jours à compter de "
                         "sa signature pour vous rétracter ; aucune somme ne peut être demandée avant la fin de ce "
                         f"délai, puis au plus {format_rate(rules.advance_cap)} du prix, le solde étant réglé au "
                         "fil du bilan.")
        case FundingType.FRANCE_TRAVAIL | FundingType.OPCO:
            lines.append("Une convention est signée et le financeur donne son accord de prise en charge avant le "
                         "début du bilan ; il ne reçoit qu'une attestation de présence (dates et heures).")
    return tuple(lines)


def information_document(admin: AdministrativeFile, beneficiary: str, consultant: str, *, today: dt.date,
                         rules: FundingRules = DEFAULT_RULES, envisaged: FundingType | None = None) -> AdminDocument:
    """The document d'information of one dossier, adapted to what the person stated.

    ``admin``: the dossier's administrative file; ``beneficiary`` and ``consultant``: the two names;
    ``today``: the day it is made (in its footer); ``envisaged``: the funding the dossier's form names,
    spoken of while no agreement is recorded.
    """
    consultant_name = consultant or "le consultant"
    provider = admin.convention.provider
    information = admin.information
    price = admin.agreement.price if admin.agreement is not None else Price()
    plan = admin.hours.plan
    intro = (
        f"Ce document est remis à {beneficiary} par {consultant_name}"
        + (f" ({provider})" if provider else "")
        + " au cours de l'entretien d'information préalable, avant toute signature de convention. Il présente "
        "le bilan de compétences, ses objectifs, sa déontologie, son déroulement, ses outils, sa durée, son coût "
        "et son financement.",
    )
    parts: list[AdminPart] = []
    if not is_blank(information.adaptation):
        parts.append(AdminPart(
            heading="Vos attentes et vos conditions",
            paragraphs=("Au cours de l'entretien, vous avez exprimé les attentes ou les conditions suivantes ; le "
                        "bilan en tiendra compte et son déroulement sera précisé ensemble lors de la phase "
                        "préliminaire :",
                        *information.adaptation.splitlines()),
        ))
    parts.append(AdminPart(
        heading="Le bilan de compétences",
        paragraphs=(
            "Le bilan de compétences vous permet d'analyser vos compétences professionnelles et personnelles, vos "
            "aptitudes et vos motivations, afin de définir un projet professionnel et, le cas échéant, un projet de "
            "formation (article L6313-4 du Code du travail).",
            "La démarche est individualisée : le dispositif est adapté à vos besoins. Elle est volontaire : le bilan "
            "ne peut être réalisé qu'avec votre consentement. Vous êtes acteur de votre démarche : le consultant "
            "propose, vous décidez.",
        ),
    ))
    parts.append(AdminPart(
        heading="Ses objectifs",
        bullets=(
            "Mettre en évidence vos acquis, vos potentiels utilisés ou non, vos points d'amélioration, vos "
            "aspirations et ce qui vous freine.",
            "Analyser vos réussites et vos échecs, prendre conscience de votre mode de fonctionnement à partir de "
            "votre histoire personnelle et professionnelle.",
            "Dégager des projets d'évolution professionnelle réalistes et les confronter au marché de l'emploi.",
            "Recevoir des recommandations : formation, évolution de carrière, repositionnement professionnel, "
            "validation des acquis de l'expérience (VAE).",
        ),
    ))
    parts.append(AdminPart(
        heading="Déontologie et confidentialité",
        bullets=(
            "Vous êtes le seul destinataire des résultats détaillés et du document de synthèse, dont vous êtes "
            "propriétaire exclusif (article L6313-4 du Code du travail).",
            "Rien n'est communiqué à un tiers, employeur compris, sans votre accord explicite. Une restitution à "
            "un tiers n'a lieu que si elle est convenue au préalable avec vous, et en présence du consultant. Un "
            "financeur ou un employeur ne reçoit que des pièces administratives (présence, dates et heures).",
            "Le consultant est tenu au secret professionnel.",
            "Les questions posées ont un lien direct avec l'objet du bilan. Vous pouvez refuser de répondre à toute "
            "question, sans avoir à vous justifier.",
            "Les documents élaborés pour le bilan sont détruits à son terme, sauf accord écrit de votre part pour un "
            "suivi (article R6313-7 du Code du travail).",
        ),
    ))
    rows = tuple((phase.label, format_hours(plan.minutes(phase)), PHASE_CONTENT[phase])
                 for phase in COUNTED_PHASES if plan.minutes(phase) > 0)
    parts.append(AdminPart(
        heading="Son déroulement",
        paragraphs=(
            "Le bilan est structuré en trois phases au moins, suivies de la remise de la synthèse :",
        ),
        table=AdminTable(header=("Phase", "Durée prévue", "Contenu"), rows=rows, widths=(22, 13, 65)),
    ))
    parts.append(AdminPart(
        heading="Ses outils et sa méthode",
        bullets=(
            "Outils : entretiens individuels ; questionnaires d'intérêts et de valeurs, exercices et tests, "
            "présentés comme des supports de discussion et jamais comme un verdict ; récit de parcours ; "
            "recherches documentaires et enquêtes auprès de professionnels ; portefeuille de compétences. Les "
            "outils sont choisis avec vous lors du premier entretien.",
            "Au début de chaque entretien, le consultant en présente les objectifs et les moyens et s'assure de "
            "votre accord ; à la fin, un compte-rendu des résultats et des actions à mener est construit ensemble.",
            "Un point à mi-parcours permet de vérifier que la méthode vous convient et d'ajuster la démarche.",
            "En fin de bilan, vous recevez le document de synthèse, validé ensemble : vos possibilités "
            "d'orientation et projets, les points de vigilance, les formations nécessaires et le plan d'action, la "
            "démarche de VAE le cas échéant, des recommandations pour votre recherche ; ainsi qu'un dossier "
            "rassemblant les étapes du bilan, vos productions et les résultats détaillés des tests.",
        ),
    ))
    place = f" Lieu des entretiens : {admin.location}." if admin.location else ""
    parts.append(AdminPart(
        heading="Sa durée",
        paragraphs=(
            f"Durée prévue : {format_hours(plan.total)} d'accompagnement, {format_hours(MAX_MINUTES)} au plus, "
            "réparties en rencontres d'environ trois heures, à raison d'environ un rendez-vous par semaine. Le "
            "calendrier est établi ensemble, selon vos impératifs et ceux du consultant, du lundi au vendredi "
            f"entre 8 heures et 18 heures.{place}",
        ),
    ))
    parts.append(AdminPart(
        heading="Son coût et son financement",
        paragraphs=(
            f"Le tarif est de {price.label}. Les honoraires sont forfaitaires et couvrent l'ensemble de la "
            "prestation.",
            *_funding_paragraphs(admin, rules, envisaged),
        ),
    ))
    parts.append(AdminPart(
        heading="Remise de ce document",
        paragraphs=("Je reconnais avoir reçu ce document avant toute signature de convention, et avoir pu poser "
                    "mes questions sur la démarche.",
                    "Le ……………………",),
        signatures=("Le bénéficiaire", "Le consultant"),
    ))
    return AdminDocument(
        kind=KIND,
        title=TITLE,
        beneficiary=beneficiary,
        header=f"Bilan de compétences · {beneficiary}" + (f" · {provider}" if provider else ""),
        footer=f"Document d'information établi le {today:%d/%m/%Y} par {consultant_name}",
        intro=intro,
        parts=tuple(parts),
        author=consultant,
    )
