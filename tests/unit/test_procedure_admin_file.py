"""The administrative file holds no working-file content, and what goes to a funder comes from it alone."""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from bilan_tui.domain.models import AnswerRecord, Note, Phase, Session, SessionReport
from bilan_tui.domain.portfolio import Portfolio, PortfolioItem
from bilan_tui.domain.procedure.admin_file import AdministrativeFile, funder_statement
from bilan_tui.domain.procedure.convention import ConventionData
from bilan_tui.domain.procedure.funding import Agreement, Employer, FundingType
from bilan_tui.domain.procedure.hours import HoursLedger, logged_session
from bilan_tui.domain.procedure.information import (
    DocumentHandover,
    InformationItem,
    InformationRecord,
    MidReview,
    ScreeningOutcome,
    mid_review,
    screening,
)
from bilan_tui.domain.synthesis.model import DossierComplet, Synthesis
from bilan_tui.domain.synthesis.record import SynthesisRecord

WORKING_FILE = {AnswerRecord, Note, Session, SessionReport, Portfolio, PortfolioItem, Synthesis, DossierComplet,
                SynthesisRecord, MidReview}
MARK = "MARQUEUR-ADMIN"


def models_in(annotation: object, seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """Every pydantic model reachable from a field annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)
            for field in annotation.model_fields.values():
                models_in(field.annotation, seen)
        return seen
    for arg in typing.get_args(annotation):
        models_in(arg, seen)
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            models_in(arg, seen)
    return seen


def test_no_working_file_model_can_enter_the_administrative_file() -> None:
    reachable = models_in(AdministrativeFile, set())
    assert InformationRecord in reachable and HoursLedger in reachable  # the walk does reach inside
    assert not reachable & WORKING_FILE


def test_unknown_keys_are_refused_when_loading() -> None:
    with pytest.raises(ValidationError):
        AdministrativeFile.model_validate({"answers": {"q1": "ma réponse"}})
    with pytest.raises(ValidationError):
        AdministrativeFile.model_validate({"information": {"mid_review": {
            "held_on": "2027-02-08", "method_understood": True, "where_we_stand": "texte de travail"}}})


def planted() -> AdministrativeFile:
    day = dt.date(2027, 1, 4)
    information = InformationRecord()
    for item in InformationItem:
        information = information.tick(item, day)
    information = (information.with_screening(screening(ScreeningOutcome.BILAN, day, f"{MARK} raison"))
                   .with_document(DocumentHandover(handed_on=day, adapted_to=f"{MARK} attentes"))
                   .with_mid_review(mid_review(dt.date(2027, 2, 8), f"{MARK} où en est-on", False, f"{MARK} rappel")))
    ledger = HoursLedger()
    for n, phase in enumerate((Phase.INFORMATION, Phase.PRELIMINAIRE, Phase.INVESTIGATION), start=11):
        start = dt.datetime(2027, 1, n, 9)
        ledger = ledger.add(logged_session(f"s{n}", start, start + dt.timedelta(hours=3), [phase],
                                           over_limit_reason=f"{MARK} dépassement"))
    agreement = Agreement(funding=FundingType.EMPLOYER, employer=Employer(name="Acme SA", representative=f"{MARK} DRH"),
                          sent_on=day, signed_on=day)
    convention = ConventionData(provider="Cabinet Horizon", objective=f"{MARK} objectif", means=f"{MARK} moyens")
    return AdministrativeFile(information=information, agreement=agreement, convention=convention, hours=ledger)


def test_the_mid_review_text_is_not_in_the_administrative_file() -> None:
    dumped = planted().model_dump_json()
    assert f"{MARK} où en est-on" not in dumped and f"{MARK} rappel" not in dumped


def test_funder_statement_has_dates_and_hours_only() -> None:
    admin = planted()
    statement = funder_statement(admin, "Léa Martin")
    assert MARK not in statement.model_dump_json()
    assert [line.label for line in statement.lines] == ["12/01/2027, 09:00 - 12:00 : 3 h",
                                                        "13/01/2027, 09:00 - 12:00 : 3 h"]
    assert statement.total_label == "6 h"
    assert (statement.funder, statement.provider) == ("Acme SA", "Cabinet Horizon")
    assert statement.price_incl_tax == Decimal("1800.00")


def test_round_trip_and_empty_file() -> None:
    admin = planted()
    assert AdministrativeFile.model_validate_json(admin.model_dump_json()) == admin
    empty = funder_statement(AdministrativeFile(), "Léa Martin")
    assert (empty.lines, empty.total_minutes, empty.price_incl_tax, empty.funding) == ((), 0, None, "")
