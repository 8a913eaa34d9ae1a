"""The convention (or contract) of a bilan as a document: the content R6313-8 lists, the parties, the
signature boxes of each party.

Built from the administrative file (funding agreement, convention data, hours plan) and the names of
the beneficiary and the consultant only: nothing of the working file (answers, notes, synthesis) can
reach it, as nothing of it is given.
"""

from __future__ import annotations

import datetime as dt

from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.convention import ConventionData, ConventionView, convention_view
from bilan_tui.domain.procedure.funding import DEFAULT_RULES, Agreement, FundingRules, FundingType
from bilan_tui.domain.procedure.money import format_euros, format_rate
from bilan_tui.rendering.admin_documents import AdminDocument, AdminPart, AdminTable


class ConventionIncomplete(Exception):
    """The convention lacks what it must say; the message lists it, in French."""


def convention_data(admin: AdministrativeFile, beneficiary: str, consultant: str) -> ConventionData:
    """The dossier's convention data with the names of the dossier (they are the reference)."""
    data = admin.convention
    return data.model_copy(update={"beneficiary": beneficiary or data.beneficiary,
                                   "consultant": consultant or data.consultant})


def convention_of(admin: AdministrativeFile, beneficiary: str, consultant: str,
                  rules: FundingRules = DEFAULT_RULES) -> ConventionView | None:
    """The convention view of the dossier, None while no funding is recorded."""
    if admin.agreement is None:
        return None
    return convention_view(convention_data(admin, beneficiary, consultant), admin.agreement, admin.hours.plan, rules)


def _signatures(agreement: Agreement, data: ConventionData) -> tuple[str, ...]:
    provider = "Pour l'organisme prestataire" + (f" ({data.consultant})" if data.consultant else "")
    if agreement.funding is FundingType.EMPLOYER:
        employer = agreement.employer.name if agreement.employer is not None else "l'employeur"
        return (f"Pour {employer}", f"Le salarié, {data.beneficiary}", provider)
    boxes = [f"Le bénéficiaire, {data.beneficiary}", provider]
    if agreement.funding in (FundingType.FRANCE_TRAVAIL, FundingType.OPCO) and agreement.funder:
        boxes.append(f"Pour le financeur ({agreement.funder})")
    return tuple(boxes)


def _parties(view: ConventionView, agreement: Agreement) -> tuple[str, ...]:
    parties = list(view.parties)
    employer = agreement.employer
    if agreement.funding is FundingType.EMPLOYER and employer is not None:
        details = ", ".join(x for x in (employer.address, f"représenté par {employer.representative}"
                                        if employer.representative else "") if x)
        if details:
            parties[0] += f" ({details})"
    return tuple(parties)


def convention_document(admin: AdministrativeFile, *, beneficiary: str, consultant: str, made_at: dt.datetime,
                        rules: FundingRules = DEFAULT_RULES) -> AdminDocument:
    """The convention of the dossier; :class:`ConventionIncomplete` when a part the law asks for is missing."""
    agreement = admin.agreement
    if agreement is None:
        raise ConventionIncomplete("Aucun financement enregistré : renseignez-le d'abord (M).")
    data = convention_data(admin, beneficiary, consultant)
    view = convention_view(data, agreement, admin.hours.plan, rules)
    if view.missing:
        raise ConventionIncomplete("Convention incomplète : " + " ".join(view.missing))
    parts = [AdminPart(heading="Entre les soussignés", bullets=_parties(view, agreement))]
    for number, section in enumerate(view.sections, start=1):
        paragraphs = tuple(line for line in section.text.split("\n") if line.strip())
        table = None
        if section.key == "prix":
            price = agreement.price
            table = AdminTable(header=("Prix HT", f"TVA ({format_rate(price.vat_rate)})", "Prix TTC"),
                               rows=((format_euros(price.excl_tax), format_euros(price.vat),
                                      format_euros(price.incl_tax)),))
        parts.append(AdminPart(heading=f"Article {number} — {section.title}", paragraphs=paragraphs, table=table))
    signed = f"le {agreement.signed_on:%d/%m/%Y}" if agreement.signed_on else "le ……………"
    copies = len(_signatures(agreement, data))
    parts.append(AdminPart(
        heading="Signatures",
        paragraphs=(f"Fait à {data.place or '……………'}, {signed}, en {copies} exemplaires originaux, dont un "
                    "remis au bénéficiaire.",
                    "Chaque partie fait précéder sa signature de la mention « lu et approuvé »."),
        signatures=_signatures(agreement, data)))
    return AdminDocument(
        kind="convention",
        title=view.heading,
        beneficiary=data.beneficiary,
        header=f"{agreement.funding.agreement_label} · {data.beneficiary}",
        footer=f"{data.provider} · établi le {made_at:%d/%m/%Y}",
        intro=(f"Financement : {agreement.funding.label}.",),
        parts=tuple(parts),
        author=data.consultant,
    )
