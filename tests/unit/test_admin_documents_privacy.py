"""Documents for a funder or an employer contain nothing of the bilan (issue 10, point 6).

A complete bilan is saved with markers everywhere in its working file: the persona's consultant-only
answers, notes and portfolio item (``ZZPRIVE``), and here also an ordinary shared answer and a
session's objectives and report (``ZZPARTAGE``), since an administrative document holds no answer at
all. Its administrative file is filled as a real one is (information préalable, employer funding,
convention, hours, plan, attendance signed for each half-day), with markers in the administrative
file's own free texts (``ZZADMIN``: a screening reason, the conditions the information document was
adapted to, a reason for hours past 24, the convention's objective, the employer's representative),
which are not for a funder either. Every attendance document is then built as the Émargement screen
builds it, rendered in PDF, DOCX and HTML, and read back (text, header, footer, properties): no marker,
no answer, no detail of the beneficiary beyond the name.

A second test walks the types of the administrative file: no field can hold free-form data (an answer
value, a mapping), and every free text it has is one reviewed as administrative.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import types
import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from bilan_tui.domain.models import Session
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.attendance import PersonName, Signer, half_days, new_record, sign, verify
from bilan_tui.domain.procedure.convention import ConventionData
from bilan_tui.domain.procedure.funding import Agreement, Employer, FundingType
from bilan_tui.domain.procedure.hours import HoursLedger, logged_session
from bilan_tui.domain.procedure.information import (
    DocumentHandover,
    InformationItem,
    InformationRecord,
    ScreeningOutcome,
    screening,
)
from bilan_tui.domain.procedure.planner import propose_plan
from bilan_tui.rendering.admin_documents import AdminDocument, render_admin
from bilan_tui.rendering.attendance_doc import attendance_sheet, presence_attestation
from bilan_tui.rendering.documents import DocumentFormat, Renderer
from bilan_tui.storage import DossierHandle, Repository
from bilan_tui.tui.screens.attendance import held_spans
from tests.synthesis_persona import BENEFICIARY, CONSULTANT, PRIVATE, complete_bilan

SHARED = "ZZPARTAGE"
ADMIN = "ZZADMIN"
MARKERS = (PRIVATE, SHARED, ADMIN)


def save_bilan_with_shared_markers(repository: Repository) -> str:
    """Sophie's complete bilan (see ``save_complete_bilan``) with a shared answer and a session marked too."""
    created = repository.create_dossier(BENEFICIARY, CONSULTANT)
    dossier, sessions, workbook, portfolio = complete_bilan(
        dossier_id=created.id,
        edits={("analyse_demande", "ad_objectifs"): f"{SHARED}-objectifs : devenir formatrice pour adultes."})
    first = sessions[0]
    assert first.report is not None
    marked = first.model_copy(update={
        "objectives": f"{SHARED}-objectifs-seance {first.objectives}",
        "report": first.report.model_copy(update={"results": f"{SHARED}-compte-rendu {first.report.results}"})})
    with repository.open(created.id) as handle:
        handle.save_dossier(dossier.model_copy(update={"created_at": created.created_at}))
        for state in workbook.states.values():
            handle.save_interview(state)
        for session in (marked, *sessions[1:]):
            handle.save_session(session)
        handle.save_portfolio(portfolio)
    return str(created.id)


def filled_admin(sessions: list[Session], dossier_id: str) -> AdministrativeFile:
    """The administrative file of a bilan that ran: every part filled, every half-day signed at its end."""
    day = dt.date(2026, 9, 28)
    information = InformationRecord()
    for item in InformationItem:
        information = information.tick(item, day)
    information = (information
                   .with_screening(screening(ScreeningOutcome.BILAN, day, f"{ADMIN}-raison du tri"))
                   .with_document(DocumentHandover(handed_on=day, adapted_to=f"{ADMIN}-attentes énoncées")))
    ledger = HoursLedger()
    consultant = PersonName(first_name="Claire", last_name="Dubois")
    beneficiary = PersonName(first_name=BENEFICIARY.first_name, last_name=BENEFICIARY.last_name)
    records: list = []
    for session in sessions:
        assert session.end_time is not None
        start = dt.datetime.combine(session.date, session.start_time)
        end = dt.datetime.combine(session.date, session.end_time)
        ledger = ledger.add(logged_session(session.id, start, end, session.phases or (session.phase,),
                                           over_limit_reason=f"{ADMIN}-dépassement"))
        for _, part_start, part_end in half_days(start, end):
            records.append(new_record(
                records, dossier_id=dossier_id, session_id=session.id, start=part_start, end=part_end,
                phase=session.phase, consultant=consultant, beneficiary=beneficiary,
                consultant_signature=sign(Signer.CONSULTANT, "Claire Dubois", consultant, part_end),
                beneficiary_signature=sign(Signer.BENEFICIARY, "sophie lemaire", beneficiary, part_end)))
    agreement = Agreement(funding=FundingType.EMPLOYER,
                          employer=Employer(name="Bâtir Ouest SARL", representative=f"{ADMIN}-DRH",
                                            address=f"{ADMIN}-adresse"),
                          sent_on=day, signed_on=day + dt.timedelta(days=2))
    convention = ConventionData(provider="Cabinet Horizon", objective=f"{ADMIN}-objectif",
                                means=f"{ADMIN}-moyens", place=f"{ADMIN}-lieu")
    plan = propose_plan(start=dt.date(2026, 12, 7), first_contact=dt.date(2026, 12, 1),
                        now=dt.datetime(2026, 12, 1, 9))
    return AdministrativeFile(first_contact=day, information=information, agreement=agreement,
                              convention=convention, hours=ledger, plan=plan, location=f"{ADMIN}-salle",
                              attendance=tuple(records))


def documents(handle: DossierHandle) -> list[AdminDocument]:
    """Every attendance document, built as the Émargement screen builds it (see ``AttendanceScreen.document``)."""
    dossier = handle.dossier
    admin = handle.admin()
    names = {"beneficiary": dossier.beneficiary.display_name, "consultant": dossier.consultant,
             "made_on": dt.date(2026, 12, 1)}
    return [attendance_sheet(admin, held=held_spans(handle.sessions(), admin), **names),
            presence_attestation(admin, expected_head=handle.attendance_head(), **names)]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    metadata = [str(value) for value in (reader.metadata or {}).values()]
    return "\n".join([*(page.extract_text() or "" for page in reader.pages), *metadata])


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for block in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts += [p.text for p in block.paragraphs]
            parts += [cell.text for table in block.tables for row in table.rows for cell in row.cells]
    props = document.core_properties
    parts += [props.title or "", props.author or "", props.subject or "", props.keywords or "",
              props.comments or "", props.last_modified_by or "", props.category or ""]
    return "\n".join(parts)


def flat(text: str) -> str:
    """Lower case, one space between words (PDF extraction breaks lines and turns spaces to no-break ones)."""
    return " ".join(text.replace("\u00ad", "").split()).lower()


def strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def working_texts(handle: DossierHandle) -> set[str]:
    """Every text of the working file long enough to be recognised: answers, notes, sessions, portfolio."""
    texts: set[str] = set()
    for state in handle.interviews():
        for record in state.answers.values():
            texts.update(strings(record.model_dump(mode="json", include={"value", "notes", "revisions"})))
    for session in handle.sessions():
        texts.update(strings(session.model_dump(mode="json", include={"objectives", "report", "objectives_reason"})))
    texts.update(strings(handle.portfolio().model_dump(mode="json")))
    beneficiary = handle.dossier.beneficiary
    texts.update({beneficiary.email, beneficiary.phone, beneficiary.situation_detail, "12/04/1981"})
    # Ids, timestamps and one-word codes are not content a reader could recognise.
    return {text for text in texts if len(text) >= 12 and not re.fullmatch(r"[\w:.+-]+", text)}


@pytest.fixture
def dossier(repository: Repository) -> Iterator[DossierHandle]:
    dossier_id = save_bilan_with_shared_markers(repository)
    with repository.open(dossier_id) as handle:
        handle.save_admin(filled_admin(handle.sessions(), dossier_id))
        yield handle


def test_the_planted_markers_are_really_in_the_dossier(dossier: DossierHandle) -> None:
    """The test below means something only if the markers and the answers are there to leak."""
    texts = working_texts(dossier)
    assert len(texts) > 100
    assert any(text.startswith(f"{SHARED}-objectifs :") for text in texts)
    assert any(PRIVATE in text for text in texts)
    assert ADMIN in dossier.admin().model_dump_json()
    assert verify(dossier.admin().attendance, dossier.attendance_head()) == []
    assert len(dossier.admin().attendance) == 5


@pytest.mark.parametrize("fmt", [DocumentFormat.PDF, DocumentFormat.DOCX, DocumentFormat.HTML])
def test_attendance_documents_hold_no_answer_no_note_no_marker(dossier: DossierHandle, fmt: DocumentFormat) -> None:
    texts = working_texts(dossier)
    renderer = Renderer()
    for doc in documents(dossier):
        data = render_admin(renderer, doc, fmt)
        read = {DocumentFormat.PDF: pdf_text, DocumentFormat.DOCX: docx_text}.get(
            fmt, lambda raw: html.unescape(raw.decode()))(data)
        shown = flat(read)
        assert flat(doc.title) in shown and "sophie lemaire" in shown and "claire dubois" in shown  # read back
        for marker in MARKERS:
            assert marker.lower() not in shown, (doc.kind, fmt, marker)
        leaked = sorted(text for text in texts if flat(text) in shown)
        assert not leaked, (doc.kind, fmt, leaked)
        if doc.kind == "attestation-presence":
            # dates and hours only: not even the phases, nor what was planned
            assert "phase" not in shown and "investigation" not in shown and "prévu" not in shown
            assert "13 h 45 en 5 demi-journées" in shown


def test_the_attestation_lists_the_signed_half_days_with_their_total(dossier: DossierHandle) -> None:
    attestation = documents(dossier)[1]
    table = attestation.parts[1].table
    assert table is not None
    assert [row[2] for row in table.rows] == ["9:30 – 12:30", "14:00 – 16:30", "9:30 – 12:00", "9:30 – 12:15",
                                              "14:00 – 17:00", ""]
    assert table.rows[-1] == ("Total", "5 demi-journées", "", "13 h 45")
    assert attestation.parts[0].heading == "Financement"
    assert attestation.parts[0].bullets[1] == "Financeur : Bâtir Ouest SARL"


# --- The types of the administrative file ---------------------------------------------------------

FREE_TEXTS = {
    # Names, ids and hashes.
    "Employer.name", "Employer.representative", "Employer.address", "Agreement.funder", "ConventionData.provider",
    "ConventionData.consultant", "ConventionData.beneficiary", "PersonName.first_name", "PersonName.last_name",
    "Signature.typed", "MidReviewTrace.session_id", "LoggedSession.id", "PlannedSession.id",
    "AttendanceRecord.dossier_id", "AttendanceRecord.session_id", "AttendanceRecord.previous_hash",
    "AttendanceRecord.hash", "PaperSignature.session_id", "Consent.id",
    # A consent for a third party: to whom, and the beneficiary's agreement as typed (a name, « j'accepte »).
    "Consent.recipient", "Consent.agreement",
    # The convention's own clauses (the seed's wording unless replaced), where and how the bilan runs.
    "ConventionData.title", "ConventionData.objective", "ConventionData.means", "ConventionData.follow_up",
    "ConventionData.results_handover", "ConventionData.payment_terms", "ConventionData.place",
    "AdministrativeFile.location",
    # Administrative reasons: why a request was screened so, what the information document was adapted to,
    # why hours went past 24, what the planner could not do.
    "Screening.reason", "DocumentHandover.adapted_to", "InformationRecord.adaptation",
    "LoggedSession.over_limit_reason", "Plan.notes",
}
"""Every free text of the administrative file, each read and found administrative. A new one fails the test
below until it is reviewed here: it must not be a place where an answer or a note would be copied."""


def fields(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[tuple[str, object]]:
    """``(Model.field, annotation)`` for every field of every model reachable from ``model``."""
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        yield f"{model.__name__}.{name}", field.annotation
        for inner in leaves(field.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                yield from fields(inner, seen)


def leaves(annotation: object) -> Iterator[object]:
    """The types an annotation is made of (``tuple[X, ...] | None`` gives X and None)."""
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        yield annotation
        return
    if origin is typing.Annotated:
        yield from leaves(typing.get_args(annotation)[0])
        return
    if origin in (dict, typing.Mapping) or annotation is dict:
        yield dict
    for arg in typing.get_args(annotation):
        if arg is not Ellipsis:
            yield from leaves(arg)


def test_no_field_of_the_administrative_file_can_hold_an_answer_or_a_note() -> None:
    found = list(fields(AdministrativeFile, set()))
    assert len(found) > 40  # the walk reaches inside (information, agreement, hours, plan, attendance...)
    assert "AttendanceRecord.consultant_signature" in dict(found)
    for name, annotation in found:
        for leaf in leaves(annotation):
            # An answer's value is Any; a mapping could carry anything: neither may be in the administrative file.
            assert leaf is not typing.Any and leaf is not object and leaf is not dict, (name, annotation)
    texts = {name for name, annotation in found if str in set(leaves(annotation))}
    assert texts == FREE_TEXTS, ("new free texts to review", texts - FREE_TEXTS, "gone", FREE_TEXTS - texts)


@pytest.mark.parametrize("fmt", [DocumentFormat.PDF, DocumentFormat.DOCX])
def test_the_information_document_and_the_convention_hold_nothing_of_the_working_file(
        dossier: DossierHandle, fmt: DocumentFormat) -> None:
    """Both are built from the administrative file and the two names only: no answer, note or marker of
    the working file, whatever the dossier holds. (The convention quotes its own administrative texts,
    objective, means, place: those are its content, so only the working file's markers are looked for.)"""
    from bilan_tui.rendering.convention_doc import convention_document
    from bilan_tui.rendering.information_doc import information_document

    texts = working_texts(dossier)
    admin = dossier.admin()
    admin = admin.model_copy(update={"convention": admin.convention.model_copy(
        update={"period_start": dt.date(2026, 10, 1), "period_end": dt.date(2026, 12, 18)})})
    beneficiary, consultant = dossier.dossier.beneficiary.display_name, dossier.dossier.consultant
    docs = [information_document(admin, beneficiary, consultant, today=dt.date(2026, 12, 1)),
            convention_document(admin, beneficiary=beneficiary, consultant=consultant,
                                made_at=dt.datetime(2026, 12, 1, 9))]
    renderer = Renderer()
    for doc in docs:
        data = render_admin(renderer, doc, fmt)
        shown = flat(pdf_text(data) if fmt is DocumentFormat.PDF else docx_text(data))
        assert flat(doc.title) in shown and "sophie lemaire" in shown  # read back
        for marker in (PRIVATE, SHARED):
            assert marker.lower() not in shown, (doc.kind, fmt, marker)
        leaked = sorted(text for text in texts if flat(text) in shown)
        assert not leaked, (doc.kind, fmt, leaked)
