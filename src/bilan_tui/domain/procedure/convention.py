"""What the convention (or contract) must say, as a view-model of French texts for the renderer.

R6313-8 lists the content for an employer-funded bilan, and the same fields suit every funding: title,
objective, content, means, duration and period, how it runs and is followed up, how the detailed
results and the synthesis are handed over, price and payment terms; we add the confidentiality clause
(L6313-4) and, per funding, the employee's answer period or the withdrawal right. The texts default
to the seed's wording; every one can be replaced per dossier in :class:`ConventionData`.
"""

from __future__ import annotations

import datetime as dt

from bilan_tui.domain.models import Model, Phase
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.funding import DEFAULT_RULES, Agreement, FundingRules, FundingType, max_advance
from bilan_tui.domain.procedure.hours import COUNTED_PHASES, HoursPlan, format_hours
from bilan_tui.domain.procedure.money import format_euros, format_rate
from bilan_tui.domain.text import CleanLine, CleanText, is_blank

DEFAULT_OBJECTIVE = (
    "Permettre au bénéficiaire d'analyser ses compétences professionnelles et personnelles, ses aptitudes et "
    "ses motivations afin de définir un projet professionnel et, le cas échéant, un projet de formation."
)
DEFAULT_MEANS = (
    "Entretiens individuels avec un consultant confirmé ; questionnaires, tests et exercices choisis avec le "
    "bénéficiaire ; recherches documentaires et enquêtes métier ; portefeuille de compétences construit au fil "
    "du bilan."
)
DEFAULT_FOLLOW_UP = (
    "Le calendrier des rendez-vous est établi conjointement, sur une base moyenne d'un rendez-vous par semaine, "
    "du lundi au vendredi de 8 heures à 18 heures. Au début de chaque entretien, le consultant présente ses "
    "objectifs et ses moyens ; à la fin, un compte-rendu des résultats et des actions à mener est construit "
    "ensemble. Un point à mi-parcours permet d'ajuster la démarche. La présence est attestée par demi-journée, "
    "signée par le bénéficiaire et le consultant. Un entretien de suivi est proposé six mois environ après le bilan."
)
DEFAULT_HANDOVER = (
    "Les résultats détaillés et le document de synthèse, validés conjointement, sont remis au bénéficiaire lors "
    "du dernier entretien, avec le dossier rassemblant les étapes du bilan, ses productions et les résultats "
    "détaillés des tests."
)
CONFIDENTIALITY = (
    "Le bénéficiaire est le seul destinataire des résultats détaillés et du document de synthèse, dont il est "
    "propriétaire exclusif. Ils ne peuvent être communiqués à un tiers, employeur compris, qu'avec son accord "
    "explicite (article L6313-4 du Code du travail). Le consultant est tenu au secret professionnel. Les documents "
    "élaborés pour le bilan sont détruits à son terme, sauf accord écrit du bénéficiaire pour un suivi "
    "(article R6313-7). Le bénéficiaire peut refuser de répondre à toute question."
)


class ConventionData(Model):
    """The dossier data a convention is built from; empty texts take the defaults above."""

    provider: CleanLine = ""
    """The organisation that runs the bilan (raison sociale, numéro de déclaration d'activité)."""
    consultant: CleanLine = ""
    beneficiary: CleanLine = ""
    title: CleanLine = "Bilan de compétences"
    objective: CleanText = ""
    means: CleanText = ""
    follow_up: CleanText = ""
    results_handover: CleanText = ""
    payment_terms: CleanText = ""
    place: CleanLine = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class ConventionSection(Model):
    key: str
    title: str
    text: str


class ConventionView(Model):
    """The convention as sections of French text, and what is still missing to issue it."""

    heading: str
    parties: tuple[str, ...]
    sections: tuple[ConventionSection, ...]
    missing: tuple[str, ...] = ()

    def section(self, key: str) -> ConventionSection:
        return next(section for section in self.sections if section.key == key)


def _content(plan: HoursPlan) -> str:
    descriptions = {
        Phase.PRELIMINAIRE: "analyse de la demande et des besoins, définition conjointe du déroulement",
        Phase.INVESTIGATION: "profil personnel et professionnel, pistes d'orientation, confrontation au marché",
        Phase.CONCLUSION: "appropriation des résultats, projets hiérarchisés, plan d'action",
        Phase.REMISE: "remise de la synthèse, organisation du suivi, questionnaire de satisfaction",
    }
    return "\n".join(f"{phase.label} ({format_hours(plan.minutes(phase))}) : {descriptions[phase]}."
                     for phase in COUNTED_PHASES if plan.minutes(phase) > 0)


def _payment_terms(agreement: Agreement, rules: FundingRules) -> str:
    match agreement.funding:
        case FundingType.SELF_FUNDED:
            return (f"Aucune somme n'est due avant la fin du délai de rétractation ; à son terme, au plus "
                    f"{format_euros(max_advance(agreement, rules))} ({format_rate(rules.advance_cap)} du prix), "
                    "le solde étant réglé au fil du bilan (article L6353-6 du Code du travail).")
        case FundingType.EMPLOYER:
            return "Le prix est réglé par l'employeur à l'organisme, sur facture, à l'issue du bilan."
        case FundingType.CPF:
            return "Le prix est réglé par la Caisse des dépôts au titre du compte personnel de formation."
        case FundingType.FRANCE_TRAVAIL:
            return "Le prix est réglé par France Travail selon son accord de prise en charge."
        case FundingType.OPCO:
            return "Le prix est réglé par l'OPCO selon son accord de prise en charge."
    return ""  # pragma: no cover - every funding type is matched above


def _special(agreement: Agreement, rules: FundingRules) -> ConventionSection | None:
    if agreement.funding is FundingType.EMPLOYER:
        return ConventionSection(
            key="acceptation", title="Acceptation du salarié",
            text=(f"Le salarié dispose de {plural(rules.employee_answer_days, 'jour')} à compter de la transmission du projet "
                  "de convention pour faire connaître son acceptation en la signant ; l'absence de réponse dans ce "
                  "délai vaut refus (article R6313-8 du Code du travail)."))
    if agreement.funding is FundingType.SELF_FUNDED:
        return ConventionSection(
            key="retractation", title="Délai de rétractation",
            text=(f"Le bénéficiaire peut se rétracter dans un délai de {plural(rules.withdrawal_days, 'jour')} "
                  "à compter de la signature du contrat, par lettre recommandée avec avis de réception (article L6353-5 du Code "
                  "du travail). Le bilan commence après ce délai."))
    return None


def convention_view(data: ConventionData, agreement: Agreement, plan: HoursPlan,
                    rules: FundingRules = DEFAULT_RULES) -> ConventionView:
    """The convention of a dossier: parties, the sections the law lists, and what is missing to issue it."""
    missing = []
    for value, what in ((data.provider, "l'organisme prestataire"), (data.beneficiary, "le bénéficiaire"),
                        (data.consultant, "le consultant")):
        if is_blank(value):
            missing.append(f"Indiquez {what}.")
    if data.period_start is None or data.period_end is None:
        missing.append("Indiquez la période de réalisation (dates de début et de fin).")
    elif data.period_end < data.period_start:
        missing.append(f"La fin de la période ({data.period_end:%d/%m/%Y}) précède son début "
                       f"({data.period_start:%d/%m/%Y}).")
    if agreement.needs_employer and agreement.employer is None:
        missing.append("Indiquez l'employeur (raison sociale).")
    parties = [f"L'organisme prestataire : {data.provider or '…'}", f"Le bénéficiaire : {data.beneficiary or '…'}"]
    if agreement.funding is FundingType.EMPLOYER:
        parties.insert(0, f"L'employeur : {agreement.employer.name if agreement.employer else '…'}")
    elif agreement.funding in (FundingType.FRANCE_TRAVAIL, FundingType.OPCO) and agreement.funder:
        parties.append(f"Le financeur : {agreement.funder}")
    if data.period_start is not None and data.period_end is not None:
        period = f"du {data.period_start:%d/%m/%Y} au {data.period_end:%d/%m/%Y}"
    else:
        period = "période à préciser"
    duration = (f"{format_hours(plan.total)} d'accompagnement au plus (24 heures au maximum), {period}"
                + (f", à {data.place}" if data.place else "") + ".")
    price_text = agreement.price.label + ". " + (data.payment_terms or _payment_terms(agreement, rules))
    sections = [
        ConventionSection(key="intitule", title="Intitulé", text=data.title),
        ConventionSection(key="objectif", title="Objectif", text=data.objective or DEFAULT_OBJECTIVE),
        ConventionSection(key="contenu", title="Contenu", text=_content(plan)),
        ConventionSection(key="moyens", title="Moyens prévus",
                          text=(data.means or DEFAULT_MEANS)
                          + (f" Consultant : {data.consultant}." if data.consultant else "")),
        ConventionSection(key="duree", title="Durée et période de réalisation", text=duration),
        ConventionSection(key="deroulement", title="Modalités de déroulement et de suivi",
                          text=data.follow_up or DEFAULT_FOLLOW_UP),
        ConventionSection(key="remise", title="Remise des résultats détaillés et du document de synthèse",
                          text=data.results_handover or DEFAULT_HANDOVER),
        ConventionSection(key="prix", title="Prix et modalités de règlement", text=price_text),
        ConventionSection(key="confidentialite", title="Confidentialité", text=CONFIDENTIALITY),
    ]
    if (special := _special(agreement, rules)) is not None:
        sections.append(special)
    return ConventionView(heading=f"{agreement.funding.agreement_label} — {data.title}", parties=tuple(parties),
                          sections=tuple(sections), missing=tuple(missing))
