"""The document d'information: built from the administrative file and two names, adapted to what the
person stated, with the price of the agreement (or the default), and nothing of the working file."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import re
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from bilan_tui.domain.models import DossierStatus, Session, SessionMidReview
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.funding import Agreement, FundingType
from bilan_tui.domain.procedure.hours import HoursLedger, HoursPlan
from bilan_tui.domain.procedure.information import (
    InformationRecord,
    ScreeningOutcome,
    mid_review,
    screening,
    status_after,
    status_label,
)
from bilan_tui.domain.procedure.money import Price
from bilan_tui.rendering.admin_documents import AdminDocument, render_admin
from bilan_tui.rendering.documents import DocumentFormat, Renderer
from bilan_tui.rendering.information_doc import information_document

TODAY = dt.date(2026, 11, 26)


def everything(doc: AdminDocument) -> str:
    """Every text of the document, in one string."""
    texts: list[str] = [doc.title, doc.header, doc.footer, *doc.intro]
    for part in doc.parts:
        texts += [part.heading, *part.paragraphs, *part.bullets, *part.signatures]
        if part.table is not None:
            texts += [*part.table.header, *(cell for row in part.table.rows for cell in row)]
    return "\n".join(texts)


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def test_the_builder_takes_the_administrative_file_and_two_names_only() -> None:
    parameters = list(inspect.signature(information_document).parameters)
    # ``envisaged``: a funding type, nothing of the working file.
    assert parameters == ["admin", "beneficiary", "consultant", "today", "rules", "envisaged"]


def test_what_the_seed_asks_for() -> None:
    doc = information_document(AdministrativeFile(), "Léa Martin", "Paul Roux", today=TODAY)
    text = plain(everything(doc))
    assert doc.kind == "document-information" and doc.beneficiary == "Léa Martin" and doc.author == "Paul Roux"
    assert "avant toute signature de convention" in text
    headings = [part.heading for part in doc.parts]
    assert headings == ["Le bilan de compétences", "Ses objectifs", "Déontologie et confidentialité",
                        "Son déroulement", "Ses outils et sa méthode", "Sa durée", "Son coût et son financement",
                        "Remise de ce document"]
    for words in ("propriétaire exclusif", "refuser de répondre à toute question", "secret professionnel",
                  "consentement", "VAE", "24 h au plus", "1 500,00 € HT, soit 1 800,00 € TTC",
                  "forfaitaires", "Le financement reste à choisir", "établi le 26/11/2026 par Paul Roux"):
        assert words in text, words
    [phases] = [part.table for part in doc.parts if part.table is not None]
    assert [(row[0], row[1]) for row in phases.rows] == [
        ("Phase préliminaire", "3 h"), ("Investigation", "12 h"), ("Conclusion", "6 h"),
        ("Remise de la synthèse", "3 h")]
    assert doc.parts[-1].signatures == ("Le bénéficiaire", "Le consultant")


def test_adapted_to_what_the_person_stated() -> None:
    information = InformationRecord().with_adaptation("  Séances le mercredi\nPas de test de personnalité \x1b[31m")
    doc = information_document(AdministrativeFile(information=information), "Léa Martin", "", today=TODAY)
    part = doc.parts[0]
    assert part.heading == "Vos attentes et vos conditions"
    assert part.paragraphs[1:] == ("Séances le mercredi", "Pas de test de personnalité [31m")
    assert "\x1b" not in everything(doc)
    assert "par le consultant" in doc.intro[0]  # no consultant name given


def test_the_plan_price_funding_and_place_of_the_dossier() -> None:
    agreement = Agreement(funding=FundingType.EMPLOYER, price=Price(excl_tax=Decimal("1200.00"), vat_rate=Decimal("0")))
    plan = HoursPlan(preliminaire=120, investigation=600, conclusion=360, remise=0)
    admin = AdministrativeFile(agreement=agreement, hours=HoursLedger(plan=plan), location="12 rue des Lilas, Lyon")
    text = plain(everything(information_document(admin, "Léa Martin", "Paul Roux", today=TODAY)))
    assert "1 200,00 € (TVA non applicable)" in text and "1 500,00" not in text
    assert "Employeur (plan de développement des compétences)" in text
    assert "10 jours à compter de sa transmission" in text and "l'absence de réponse vaut refus" in text
    assert "Durée prévue : 18 h" in text and "Remise de la synthèse" not in text.split("Sa durée")[0].split(
        "Son déroulement")[1]
    assert "Lieu des entretiens : 12 rue des Lilas, Lyon." in text


@pytest.mark.parametrize("funding, words", [
    (FundingType.CPF, "n'a pas à en être informé"),
    (FundingType.SELF_FUNDED, "pour vous rétracter"),
    (FundingType.OPCO, "accord de prise en charge"),
    (FundingType.FRANCE_TRAVAIL, "attestation de présence"),
])
def test_each_funding_says_its_rule(funding: FundingType, words: str) -> None:
    admin = AdministrativeFile(agreement=Agreement(funding=funding))
    assert words in everything(information_document(admin, "Léa Martin", "Paul Roux", today=TODAY))


def test_none_of_the_administrative_free_texts_but_the_adaptation_is_printed() -> None:
    """The screening's reason and the mid-review stay out of the document (they are not for it)."""
    information = (InformationRecord().with_adaptation("ATTENTE-ICI")
                   .with_screening(screening(ScreeningOutcome.BILAN, TODAY, "RAISON-PRIVEE"))
                   .with_mid_review(mid_review(TODAY, "MIPARCOURS", True)))
    text = everything(information_document(AdministrativeFile(information=information), "Léa Martin", "Paul Roux",
                                           today=TODAY))
    assert "ATTENTE-ICI" in text and "RAISON-PRIVEE" not in text and "MIPARCOURS" not in text


@pytest.mark.parametrize("fmt", [DocumentFormat.PDF, DocumentFormat.DOCX])
def test_rendered_in_pdf_and_docx(fmt: DocumentFormat) -> None:
    information = InformationRecord().with_adaptation("Séances le mercredi matin")
    doc = information_document(AdministrativeFile(information=information), "Léa Martin", "Paul Roux", today=TODAY)
    data = render_admin(Renderer(None), doc, fmt)
    if fmt is DocumentFormat.PDF:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    else:
        document = Document(io.BytesIO(data))
        text = "\n".join([p.text for p in document.paragraphs]
                         + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    text = plain(text)
    assert "Séances le mercredi matin" in text and "1 800,00 € TTC" in text and "Paul Roux" in text
    assert "Investigation" in text


# -- the domain helpers the screen uses ------------------------------------------------------------


def test_status_after_a_screening() -> None:
    day = TODAY
    bilan = screening(ScreeningOutcome.BILAN, day)
    vae = screening(ScreeningOutcome.VAE, day, "dix ans de métier")
    thinking = screening(ScreeningOutcome.THINKING, day, call_back_on=day + dt.timedelta(days=7))
    assert status_after(DossierStatus.OPEN, None, vae) is DossierStatus.CLOSED
    assert status_after(DossierStatus.OPEN, None, thinking) is DossierStatus.SUSPENDED
    assert status_after(DossierStatus.SUSPENDED, thinking, bilan) is DossierStatus.OPEN
    assert status_after(DossierStatus.CLOSED, vae, bilan) is DossierStatus.OPEN  # a redirection taken back
    assert status_after(DossierStatus.CLOSED, vae, thinking) is DossierStatus.SUSPENDED
    # Closed for another reason (the bilan ended): the screening does not reopen it.
    assert status_after(DossierStatus.CLOSED, bilan, bilan) is DossierStatus.CLOSED
    assert status_after(DossierStatus.CLOSED, None, thinking) is DossierStatus.CLOSED
    assert status_after(DossierStatus.OPEN, bilan, bilan) is DossierStatus.OPEN


def test_status_label_says_why() -> None:
    record = InformationRecord().with_screening(screening(ScreeningOutcome.CEP, TODAY, "projet encore flou"))
    assert status_label(DossierStatus.CLOSED, TODAY, record) == (
        "clos le 26/11/2026 (réorienté vers un CEP : projet encore flou)")
    waiting = InformationRecord().with_screening(
        screening(ScreeningOutcome.THINKING, TODAY, call_back_on=dt.date(2026, 12, 3)))
    assert status_label(DossierStatus.SUSPENDED, None, waiting) == "suspendu (en réflexion, rappel le 03/12/2026)"
    assert status_label(DossierStatus.OPEN, None, InformationRecord()) == "ouvert"
    assert status_label(DossierStatus.CLOSED, TODAY, InformationRecord()) == "clos le 26/11/2026"


def test_handover_keeps_the_adaptation_and_the_session_keeps_the_review() -> None:
    record = InformationRecord().with_adaptation("mercredi matin").handed_over(TODAY)
    assert record.document is not None
    assert (record.document.handed_on, record.document.adapted_to) == (TODAY, "mercredi matin")
    review = mid_review(TODAY, "où en est-on", False, "rappel de la méthode", session_id="s1")
    kept = review.for_session(dt.datetime(2026, 11, 26, 10, 0))
    assert isinstance(kept, SessionMidReview)
    assert (kept.where_we_stand, kept.method_understood, kept.adjustments) == (
        "où en est-on", False, "rappel de la méthode")


def test_sessions_saved_before_the_mid_review_load() -> None:
    stored = {"id": "s1", "date": "2026-11-26", "start_time": "09:30:00", "phase": "investigation",
              "objectives": "Confronter les pistes"}
    assert Session.model_validate(stored).mid_review is None
    assert AdministrativeFile.model_validate({"information": {"ticked": []}}).information.adaptation == ""


def test_the_funding_named_on_the_dossier_is_spoken_of_before_any_agreement() -> None:
    from bilan_tui.domain.procedure.funding import FundingType
    from bilan_tui.rendering.information_doc import information_document

    doc = information_document(AdministrativeFile(), "Chantal Lebrun", "Malik Haddad", today=dt.date(2026, 11, 28),
                               envisaged=FundingType.CPF)
    texts = " ".join(text for part in doc.parts for text in (*part.paragraphs, *part.bullets))
    assert "Financement envisagé : CPF (Mon Compte Formation)." in texts
    assert "reste à choisir" not in texts
