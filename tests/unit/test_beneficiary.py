"""The beneficiary's record: a phone number that can be dialled, and the terms of the bilan."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bilan_tui.domain.contact import PhoneError, parse_phone
from bilan_tui.domain.models import Beneficiary, Contract, Dossier, Funding, WorkingTime
from bilan_tui.storage import Repository


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("0612345678", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("06-12-34-56-78", "06 12 34 56 78"),
        ("01 23 45 67 89", "01 23 45 67 89"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("+33612345678", "06 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("0033 6 12 34 56 78", "06 12 34 56 78"),
        ("٠٦ ١٢ ٣٤ ٥٦ ٧٨", "06 12 34 56 78"),  # digits of another script
        ("+32 470 12 34 56", "+32 470 12 34 56"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("0044 20 7946 0958", "+44 20 7946 0958"),
        ("+1 415 555 2671", "+1 415 555 2671"),
        ("+123456789012345", "+123456789012345"),  # E.164: 15 digits at most
        ("", ""),
        ("   ", ""),
    ],
)
def test_a_french_or_international_number_is_accepted_and_written_the_usual_way(typed, stored):
    assert parse_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("<script>alert(1)</script>", "n'est pas un numéro de téléphone"),
        ("06 12 34 56 7a", "n'est pas un numéro de téléphone"),
        ("appeler le soir", "n'est pas un numéro de téléphone"),
        ("12345", "un numéro français a 10 chiffres"),
        ("06 12 34 56 78 9", "un numéro français a 10 chiffres"),
        ("6 12 34 56 78", "un numéro français a 10 chiffres"),
        ("00 12 34 56 78 90 12 34 56 78 90", "de 8 à 15 chiffres"),
        ("+33 6 12 34", "après +33, un numéro français a 9 chiffres"),
        ("+33 06 12 34 56 78", "après +33, un numéro français a 9 chiffres"),
        ("+1234567890123456", "de 8 à 15 chiffres"),
        ("+44 20", "de 8 à 15 chiffres"),
        ("+0 20 7946 0958", "l'indicatif du pays ne commence pas par 0"),
        ("(06) 12 34 56 78", "des parenthèses seulement pour un (0)"),
        ("+33 6 12 34 56 78 +33", "n'est pas un numéro de téléphone"),
        ("0" * 41, "au plus 40 caractères"),
    ],
)
def test_anything_else_is_refused_with_a_french_message_and_examples(typed, expected):
    with pytest.raises(PhoneError) as caught:
        parse_phone(typed)
    assert expected in str(caught.value)


def test_a_control_character_in_a_number_is_removed_not_stored():
    assert parse_phone("06 12\x1b 34 56 78") == "06 12 34 56 78"


def test_the_new_fields_are_optional_and_kept():
    person = Beneficiary(first_name="Nadia", last_name="Benali")
    assert (person.birth_date, person.funding, person.working_time, person.contract) == (None, None, None, None)
    full = Beneficiary(first_name="Nadia", last_name="Benali", birth_date=dt.date(1982, 4, 3), funding=Funding.CPF,
                       working_time=WorkingTime.OUTSIDE, contract=Contract.CDI)
    stored = full.model_dump(mode="json")
    assert stored["birth_date"] == "1982-04-03"
    assert (stored["funding"], stored["working_time"], stored["contract"]) == ("cpf", "hors_temps_de_travail", "cdi")
    assert Beneficiary.model_validate(stored) == full


def test_every_choice_has_a_french_label():
    labels = [m.label for enum in (Funding, WorkingTime, Contract) for m in enum]
    assert "Employeur (plan de développement des compétences)" in labels
    assert "Hors temps de travail" in labels and "Intérim" in labels and "Sans emploi" in labels


def test_a_dossier_written_before_these_fields_opens_unchanged(repository: Repository):
    dossier = repository.create_dossier(Beneficiary(first_name="Nadia", last_name="Benali", phone="n'importe quoi"))
    path = repository.dossier_path(dossier.id)
    data = json.loads(path.read_text())
    person = data["meta"]["1"]["dossier"]["beneficiary"]
    for key in ("birth_date", "funding", "working_time", "contract"):
        del person[key]
    path.write_text(json.dumps(data))
    with repository.open(dossier.id) as handle:
        loaded: Dossier = handle.dossier
    assert loaded.beneficiary.birth_date is None and loaded.beneficiary.contract is None
    assert loaded.beneficiary.phone == "n'importe quoi"  # an old record is shown as it was, never lost
