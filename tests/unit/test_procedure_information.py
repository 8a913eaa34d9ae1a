"""Information préalable: the checklist with its dates, the screening, the document, the mid-bilan review."""

from __future__ import annotations

import datetime as dt

import pytest

from bilan_tui.domain.models import Phase
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.information import (
    DocumentHandover,
    InformationItem,
    InformationRecord,
    ScreeningOutcome,
    mid_review,
    missing_before_convention,
    screening,
)

D = dt.date
FIRST_CALL = D(2027, 1, 4)


def complete() -> InformationRecord:
    record = InformationRecord()
    for item in InformationItem:
        record = record.tick(item, FIRST_CALL)
    return (record.with_screening(screening(ScreeningOutcome.BILAN, FIRST_CALL))
            .with_document(DocumentHandover(handed_on=FIRST_CALL, adapted_to="Séances en fin de journée")))


def test_the_checklist_items_in_french() -> None:
    assert [item.label for item in InformationItem] == [
        "Objectifs et phases du bilan",
        "Durée du bilan (24 heures au plus) et calendrier",
        "Confidentialité et propriété des résultats",
        "Prix de la prestation",
        "Financement et prise en charge",
        "Droit de refuser de répondre à une question",
        "Caractère volontaire de la démarche",
    ]


def test_nothing_done_everything_missing() -> None:
    missing = missing_before_convention(InformationRecord())
    assert len(missing) == 9
    assert missing[0] == "Information préalable : « Objectifs et phases du bilan » n'est pas cochée."
    assert "L'adéquation de la demande à un bilan n'est pas vérifiée." in missing
    assert missing[-1] == "Le document d'information n'a pas été remis."


def test_complete_record_allows_the_convention() -> None:
    assert missing_before_convention(complete()) == []
    assert missing_before_convention(complete(), convention_on=D(2027, 1, 4)) == []


def test_each_item_is_needed() -> None:
    for item in InformationItem:
        missing = missing_before_convention(complete().untick(item))
        assert missing == [f"Information préalable : « {item.label} » n'est pas cochée."]


def test_ticks_keep_their_date_and_order() -> None:
    record = InformationRecord().tick(InformationItem.PRICE, D(2027, 1, 5)).tick(InformationItem.DURATION, FIRST_CALL)
    assert [t.item for t in record.ticked] == [InformationItem.DURATION, InformationItem.PRICE]
    record = record.tick(InformationItem.PRICE, D(2027, 1, 6))
    assert record.ticked_on(InformationItem.PRICE) == D(2027, 1, 6) and len(record.ticked) == 2
    assert InformationItem.FUNDING in record.unticked()


def test_done_after_the_signature_does_not_count() -> None:
    record = complete().tick(InformationItem.PRICE, D(2027, 1, 12))
    record = record.with_document(DocumentHandover(handed_on=D(2027, 1, 12)))
    missing = missing_before_convention(record, convention_on=D(2027, 1, 11))
    assert missing == [
        "Information préalable : « Prix de la prestation » cochée le 12/01/2027, après la signature prévue le 11/01/2027.",
        "Le document d'information est remis le 12/01/2027, après la signature prévue le 11/01/2027 : il doit l'être avant.",
    ]


@pytest.mark.parametrize("outcome", [ScreeningOutcome.VAE, ScreeningOutcome.CEP, ScreeningOutcome.OTHER])
def test_redirection_needs_a_reason_and_ends_the_dossier(outcome: ScreeningOutcome) -> None:
    with pytest.raises(ProcedureError, match="raison") as caught:
        screening(outcome, FIRST_CALL, "   ")
    assert caught.value.field == "reason"
    redirected = complete().with_screening(screening(outcome, FIRST_CALL, "Vingt ans de métier, un titre visé"))
    assert redirected.ends_dossier
    assert missing_before_convention(redirected) == [f"La demande a été réorientée ({outcome.label}) : pas de convention."]
    assert "Vingt ans de métier" in redirected.screening.label  # type: ignore[union-attr]


def test_thinking_waits_with_a_call_back_date() -> None:
    with pytest.raises(ProcedureError, match="date à laquelle rappeler"):
        screening(ScreeningOutcome.THINKING, FIRST_CALL)
    with pytest.raises(ProcedureError, match="ne peut pas précéder"):
        screening(ScreeningOutcome.THINKING, FIRST_CALL, call_back_on=D(2027, 1, 3))
    with pytest.raises(ProcedureError, match="personne en réflexion"):
        screening(ScreeningOutcome.BILAN, FIRST_CALL, call_back_on=D(2027, 1, 11))
    thinking = complete().with_screening(screening(ScreeningOutcome.THINKING, FIRST_CALL, call_back_on=D(2027, 1, 11)))
    assert not thinking.ends_dossier
    assert missing_before_convention(thinking) == ["La personne a demandé un temps de réflexion (rappel prévu le 11/01/2027)."]
    assert not thinking.call_back_due(D(2027, 1, 10)) and thinking.call_back_due(D(2027, 1, 11))
    assert not complete().call_back_due(D(2027, 1, 11))


def test_mid_review_in_the_investigation_phase() -> None:
    record = complete()
    assert record.mid_review_offered(Phase.INVESTIGATION) and not record.mid_review_offered(Phase.PRELIMINAIRE)
    review = mid_review(D(2027, 2, 8), "Trois pistes explorées", method_understood=True, session_id="s4")
    record = record.with_mid_review(review)
    assert not record.mid_review_offered(Phase.INVESTIGATION)
    assert record.mid_review is not None and record.mid_review == review.trace()
    assert record.mid_review.label == "Point à mi-parcours le 08/02/2027 : méthode comprise"
    assert "Trois pistes" not in record.model_dump_json()  # what was said stays in the working file
    with pytest.raises(ProcedureError, match="pendant l'investigation"):
        mid_review(D(2027, 2, 8), "Où en est-on", True, session_phase=Phase.CONCLUSION)
    with pytest.raises(ProcedureError, match="où en est le bilan"):
        mid_review(D(2027, 2, 8), " \n ", True)
    with pytest.raises(ProcedureError, match="rappel de la méthode") as caught:
        mid_review(D(2027, 2, 8), "Deux tests passés", method_understood=False)
    assert caught.value.field == "adjustments"
    recalled = mid_review(D(2027, 2, 8), "Deux tests passés", False, "Rappel de la méthode fait")
    assert recalled.trace().label == "Point à mi-parcours le 08/02/2027 : méthode non comprise, ajustements faits"


def test_texts_are_cleaned() -> None:
    result = screening(ScreeningOutcome.CEP, FIRST_CALL, "Besoin \x1b[2Jd'un conseil")
    assert "\x1b" not in result.reason
    review = mid_review(D(2027, 2, 8), "Point\x07 fait\nligne 2", True)
    assert review.where_we_stand == "Point fait\nligne 2"


def test_the_record_round_trips_as_json() -> None:
    record = complete().with_mid_review(mid_review(D(2027, 2, 8), "Point fait", True))
    assert InformationRecord.model_validate_json(record.model_dump_json()) == record
