"""The convention as a document: what the law lists, the parties and their signature boxes per funding, the
refusal of an incomplete one, and nothing but the administrative file and the names in it."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import re

import pytest
from docx import Document

from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.convention import ConventionData
from bilan_tui.domain.procedure.funding import Agreement, Employer, FundingType
from bilan_tui.domain.procedure.hours import HoursLedger, HoursPlan
from bilan_tui.rendering.admin_documents import AdminDocument, render_admin
from bilan_tui.rendering.convention_doc import ConventionIncomplete, convention_document
from bilan_tui.rendering.documents import DocumentFormat, Renderer

D = dt.date
MADE = dt.datetime(2026, 11, 26, 9, 30)
DATA = ConventionData(provider="Cabinet Horizon, déclaration d'activité n° 11 75 12345 75", place="Lyon",
                      period_start=D(2026, 12, 1), period_end=D(2027, 2, 26))


def admin(agreement: Agreement | None, data: ConventionData = DATA, plan: HoursPlan | None = None) -> AdministrativeFile:
    return AdministrativeFile(agreement=agreement, convention=data, hours=HoursLedger(plan=plan or HoursPlan()))


def document(file: AdministrativeFile) -> AdminDocument:
    return convention_document(file, beneficiary="Léa Martin", consultant="Paul Durand", made_at=MADE)


def all_text(doc: AdminDocument) -> str:
    parts = [doc.title, doc.header, doc.footer, *doc.intro]
    for part in doc.parts:
        parts += [part.heading, *part.paragraphs, *part.bullets, *part.signatures]
        if part.table is not None:
            parts += [*part.table.header, *(cell for row in part.table.rows for cell in row)]
    return re.sub(r"[\s\u00a0\u202f]+", " ", "\n".join(parts))


EMPLOYER = Agreement(funding=FundingType.EMPLOYER, sent_on=D(2026, 11, 16), signed_on=D(2026, 11, 20),
                     employer=Employer(name="Acme SA", representative="Mme Roux, DRH", address="1 rue de la Paix, Lyon"))


def test_the_content_the_law_lists() -> None:
    doc = document(admin(EMPLOYER))
    headings = [part.heading for part in doc.parts]
    assert headings == [
        "Entre les soussignés", "Article 1 — Intitulé", "Article 2 — Objectif", "Article 3 — Contenu",
        "Article 4 — Moyens prévus", "Article 5 — Durée et période de réalisation",
        "Article 6 — Modalités de déroulement et de suivi",
        "Article 7 — Remise des résultats détaillés et du document de synthèse",
        "Article 8 — Prix et modalités de règlement", "Article 9 — Confidentialité",
        "Article 10 — Acceptation du salarié", "Signatures"]
    text = all_text(doc)
    assert doc.title == "Convention tripartite — Bilan de compétences" and doc.kind == "convention"
    assert "du 01/12/2026 au 26/02/2027, à Lyon" in text and "24 h" in text
    assert "Investigation (12 h)" in text  # the content, one line a phase
    assert "1 500,00 € HT, soit 1 800,00 € TTC (TVA 20 %)" in text
    assert "propriétaire exclusif" in text and "L6313-4" in text
    assert "l'absence de réponse dans ce délai vaut refus" in text
    assert "Fait à Lyon, le 20/11/2026, en 3 exemplaires originaux" in text
    price = next(part for part in doc.parts if part.heading.startswith("Article 8"))
    assert price.table is not None and [re.sub(r"\s", " ", c) for c in price.table.rows[0]] == \
        ["1 500,00 €", "300,00 €", "1 800,00 €"]


def test_three_parties_and_three_signature_boxes_for_the_employers_plan() -> None:
    doc = document(admin(EMPLOYER))
    parties = doc.parts[0].bullets
    assert parties[0] == "L'employeur : Acme SA (1 rue de la Paix, Lyon, représenté par Mme Roux, DRH)"
    assert any(p.startswith("L'organisme prestataire : Cabinet Horizon") for p in parties)
    assert "Le bénéficiaire : Léa Martin" in parties
    assert doc.parts[-1].signatures == ("Pour Acme SA", "Le salarié, Léa Martin",
                                        "Pour l'organisme prestataire (Paul Durand)")


@pytest.mark.parametrize(("funding", "boxes", "special"), [
    (FundingType.SELF_FUNDED, 2, "Article 10 — Délai de rétractation"),
    (FundingType.CPF, 2, None),
    (FundingType.OPCO, 3, None),
    (FundingType.FRANCE_TRAVAIL, 3, None),
])
def test_parties_per_funding(funding: FundingType, boxes: int, special: str | None) -> None:
    agreement = Agreement(funding=funding, funder="Atlas" if funding is FundingType.OPCO else "Agence de Lyon")
    doc = document(admin(agreement))
    signatures = doc.parts[-1].signatures
    assert len(signatures) == boxes and signatures[0] == "Le bénéficiaire, Léa Martin"
    if boxes == 3:
        assert signatures[2].startswith("Pour le financeur (")
    assert (special in [p.heading for p in doc.parts]) if special else len(doc.parts) == 11
    assert "Fait à Lyon, le ……………" in all_text(doc)  # not signed yet: a blank to fill in by hand


def test_an_incomplete_convention_is_refused_with_what_is_missing() -> None:
    with pytest.raises(ConventionIncomplete, match="Aucun financement enregistré"):
        document(admin(None))
    with pytest.raises(ConventionIncomplete) as caught:
        convention_document(admin(Agreement(funding=FundingType.EMPLOYER), ConventionData()), beneficiary="Léa Martin",
                            consultant="", made_at=MADE)
    message = str(caught.value)
    for missing in ("l'organisme prestataire", "le consultant", "période de réalisation", "l'employeur"):
        assert missing in message


def test_built_from_the_administrative_file_and_names_only() -> None:
    # Nothing else can be given: the administrative file holds no answer, note or synthesis (its own
    # test walks its types), and the document takes nothing more than it and the two names.
    assert list(inspect.signature(convention_document).parameters) == [
        "admin", "beneficiary", "consultant", "made_at", "rules"]
    doc = document(admin(EMPLOYER))
    text = all_text(doc)
    assert "Léa Martin" in text and "Paul Durand" in text


def test_rendered_as_docx_and_html() -> None:
    doc = document(admin(EMPLOYER))
    words = "\n".join(p.text for p in Document(io.BytesIO(render_admin(Renderer(), doc, DocumentFormat.DOCX))).paragraphs)
    assert "Article 9 — Confidentialité" in words and "propriétaire exclusif" in words
    html = render_admin(Renderer(), doc, DocumentFormat.HTML).decode("utf-8")
    assert html.count('<div class="case"></div>') == 3
