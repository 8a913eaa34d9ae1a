"""Attendance: half-days, signatures by typed name, the hash chain and what verify reports, the attestation."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from bilan_tui.domain.models import Phase
from bilan_tui.domain.procedure.attendance import (
    GENESIS,
    AttendanceError,
    AttendanceRecord,
    HalfDay,
    PersonName,
    SignatureError,
    Signer,
    half_days,
    name_matches,
    new_record,
    presence_certificate,
    record_hash,
    sign,
    verify,
)

CONSULTANT = PersonName(first_name="Hélène", last_name="Lefèvre-Durand")
BENEFICIARY = PersonName(first_name="Jean-Pierre", last_name="N'Diaye")


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute))


def signed(chain: list[AttendanceRecord], session_id: str, start: dt.datetime, end: dt.datetime,
           phase: Phase) -> list[AttendanceRecord]:
    """``chain`` with the half-days of one session, each signed by both at its end."""
    for _, part_start, part_end in half_days(start, end):
        chain = [*chain, new_record(
            chain, dossier_id="d1", session_id=session_id, start=part_start, end=part_end, phase=phase,
            consultant=CONSULTANT, beneficiary=BENEFICIARY,
            consultant_signature=sign(Signer.CONSULTANT, "helene lefevre durand", CONSULTANT, part_end),
            beneficiary_signature=sign(Signer.BENEFICIARY, "NDIAYE Jean Pierre", BENEFICIARY, part_end))]
    return chain


def chain() -> list[AttendanceRecord]:
    records: list[AttendanceRecord] = []
    records = signed(records, "s1", at("2026-12-01", 9), at("2026-12-01", 12), Phase.PRELIMINAIRE)
    records = signed(records, "s2", at("2026-12-08", 11), at("2026-12-08", 15), Phase.INVESTIGATION)
    records = signed(records, "s3", at("2026-12-15", 14), at("2026-12-15", 17, 30), Phase.INVESTIGATION)
    return records


# --- Half-days -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "parts"), [
    ((9, 0), (12, 0), [(HalfDay.MORNING, (9, 0), (12, 0))]),
    ((10, 0), (13, 0), [(HalfDay.MORNING, (10, 0), (13, 0))]),
    ((12, 30), (13, 0), [(HalfDay.MORNING, (12, 30), (13, 0))]),
    ((13, 0), (16, 0), [(HalfDay.AFTERNOON, (13, 0), (16, 0))]),
    ((11, 0), (15, 0), [(HalfDay.MORNING, (11, 0), (13, 0)), (HalfDay.AFTERNOON, (13, 0), (15, 0))]),
    ((8, 0), (18, 0), [(HalfDay.MORNING, (8, 0), (13, 0)), (HalfDay.AFTERNOON, (13, 0), (18, 0))]),
])
def test_a_session_is_cut_at_13_00(start: tuple[int, int], end: tuple[int, int],
                                   parts: list[tuple[HalfDay, tuple[int, int], tuple[int, int]]]) -> None:
    day = "2026-12-01"
    assert half_days(at(day, *start), at(day, *end)) == [(half, at(day, *s), at(day, *e)) for half, s, e in parts]


def test_the_chain_has_one_record_per_half_day() -> None:
    records = chain()
    assert [(r.index, r.day, r.half_day, r.start, r.end) for r in records] == [
        (0, dt.date(2026, 12, 1), HalfDay.MORNING, dt.time(9), dt.time(12)),
        (1, dt.date(2026, 12, 8), HalfDay.MORNING, dt.time(11), dt.time(13)),
        (2, dt.date(2026, 12, 8), HalfDay.AFTERNOON, dt.time(13), dt.time(15)),
        (3, dt.date(2026, 12, 15), HalfDay.AFTERNOON, dt.time(14), dt.time(17, 30)),
    ]
    assert records[0].previous_hash == GENESIS
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(records))
    assert all(len(r.hash) == 64 and r.hash == record_hash(r) for r in records)


# --- Signatures ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Jean-Pierre N'Diaye", "jean pierre ndiaye", "N'DIAYE Jean-Pierre",
                                   "  ndiaye   jeanpierre ", "Jéan-Pierre N’Diayé", "JEAN-PIERRE N DIAYE"])
def test_a_signature_ignores_case_accents_spaces_hyphens_and_order(typed: str) -> None:
    signature = sign(Signer.BENEFICIARY, typed, BENEFICIARY, at("2026-12-01", 12))
    assert signature.typed == " ".join(typed.split())
    assert signature.signed_at == at("2026-12-01", 12)


@pytest.mark.parametrize("typed", ["Jean-Pierre N'Diay", "Jean N'Diaye", "N'Diaye", "Jean-Pierre", "Pierre Jean N'Diaye",
                                   "Hélène Lefèvre-Durand"])
def test_a_signature_that_does_not_match_is_refused_in_french(typed: str) -> None:
    with pytest.raises(SignatureError) as caught:
        sign(Signer.BENEFICIARY, typed, BENEFICIARY, at("2026-12-01", 12))
    assert str(caught.value).startswith(f"Signature du bénéficiaire : « {typed} » ne correspond pas au nom attendu "
                                        "(Jean-Pierre N'Diaye).")


def test_an_empty_signature_asks_for_the_name() -> None:
    with pytest.raises(SignatureError, match="Signature du consultant : tapez le prénom et le nom"):
        sign(Signer.CONSULTANT, "   ", CONSULTANT, at("2026-12-01", 12))
    assert not name_matches("", CONSULTANT)


# --- Making a record -------------------------------------------------------------------------------

def record_kwargs(**change: Any) -> dict[str, Any]:
    end = change.get("end", at("2026-12-22", 12))
    base: dict[str, Any] = dict(
        dossier_id="d1", session_id="s4", start=at("2026-12-22", 9), end=end, phase=Phase.CONCLUSION,
        consultant=CONSULTANT, beneficiary=BENEFICIARY,
        consultant_signature=sign(Signer.CONSULTANT, "Hélène Lefèvre-Durand", CONSULTANT, end),
        beneficiary_signature=sign(Signer.BENEFICIARY, "Jean-Pierre N'Diaye", BENEFICIARY, end))
    return {**base, **change}


def test_a_new_record_follows_the_chain() -> None:
    records = chain()
    record = new_record(records, **record_kwargs())
    assert record.index == 4 and record.previous_hash == records[-1].hash
    assert verify([*records, record], expected_head=record.hash) == []


@pytest.mark.parametrize(("change", "message"), [
    ({"end": at("2026-12-22", 14)}, "Un émargement couvre une demi-journée : le matin jusqu'à 13:00"),
    ({"start": at("2026-12-15", 15), "end": at("2026-12-15", 16)}, "Émargement n° 4 (15/12/2026, après-midi) "
                                                                   "couvre déjà 14:00 – 17:30"),
    ({"consultant_signature": sign(Signer.BENEFICIARY, "Jean-Pierre N'Diaye", BENEFICIARY, at("2026-12-22", 12))},
     "Signature du consultant : elle doit être celle de Hélène Lefèvre-Durand."),
    ({"beneficiary_signature": sign(Signer.BENEFICIARY, "Jean-Pierre N'Diaye", BENEFICIARY, at("2026-12-21", 17))},
     "Signature du bénéficiaire : elle se donne le 22/12/2026, à partir de 9:00"),
    ({"beneficiary_signature": sign(Signer.BENEFICIARY, "Jean-Pierre N'Diaye", BENEFICIARY, at("2026-12-22", 8))},
     "à partir de 9:00"),
])
def test_a_record_that_does_not_hold_is_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(AttendanceError) as caught:
        new_record(chain(), **record_kwargs(**change))
    assert message in str(caught.value)


def test_nothing_is_added_to_a_chain_that_no_longer_verifies() -> None:
    records = chain()
    records[1] = records[1].model_copy(update={"end": dt.time(12, 30)})
    with pytest.raises(AttendanceError, match="La feuille d'émargement a été modifiée"):
        new_record(records, **record_kwargs())


# --- verify ----------------------------------------------------------------------------------------

def leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in leaves(value, (*path, key))]
    return [(path, data)]


OTHER = {"matin": "apres_midi", "apres_midi": "matin", "consultant": "beneficiaire", "beneficiaire": "consultant",
         "preliminaire": "investigation", "investigation": "conclusion"}


def altered(value: Any, key: str) -> Any:
    """A different value of the same kind (still a valid record)."""
    if isinstance(value, int):
        return value + 1
    if key in ("hash", "previous_hash"):
        return value[:-1] + ("0" if value[-1] != "0" else "1")
    if value in OTHER:
        return OTHER[value]
    if len(value) == 10 and value[4] == "-":
        return (dt.date.fromisoformat(value) + dt.timedelta(days=1)).isoformat()
    try:
        return (dt.datetime.fromisoformat(value) + dt.timedelta(minutes=1)).isoformat()
    except ValueError:
        pass
    try:
        moved = dt.datetime.combine(dt.date(2026, 1, 1), dt.time.fromisoformat(value)) + dt.timedelta(minutes=1)
        return moved.time().isoformat()
    except ValueError:
        return value + "x"


def replace_leaf(record: AttendanceRecord, path: tuple[Any, ...]) -> AttendanceRecord:
    data = record.model_dump(mode="json")
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = altered(target[path[-1]], path[-1])
    return AttendanceRecord.model_validate(data)


def test_an_intact_chain_verifies() -> None:
    records = chain()
    assert verify(records) == []
    assert verify(records, expected_head=records[-1].hash) == []
    assert verify([]) == []


def test_an_empty_sheet_verifies_against_the_head_of_an_empty_sheet() -> None:
    # storage keeps GENESIS as the head of a dossier with no record yet: that is intact, not « rewritten »
    assert verify([], expected_head=GENESIS) == []
    records = chain()
    assert verify(records, expected_head=GENESIS)   # records added behind storage's back
    assert verify([], expected_head=records[-1].hash)   # every record removed


def test_altering_any_field_of_any_record_is_reported() -> None:
    records = chain()
    paths = [path for path, _ in leaves(records[0].model_dump(mode="json"))]
    assert len(paths) >= 20   # every field, signatures included
    for position, path in itertools.product(range(len(records)), paths):
        tampered = list(records)
        tampered[position] = replace_leaf(records[position], path)
        assert tampered[position] != records[position], path
        problems = verify(tampered)
        assert problems, (position, path)
        assert any(f"n° {position + 1}" in problem for problem in problems), (position, path, problems)


def test_an_altered_record_is_named_and_said_altered() -> None:
    records = chain()
    records[2] = records[2].model_copy(update={"end": dt.time(16)})
    assert verify(records) == ["Émargement n° 3 (08/12/2026, après-midi) : modifié après sa signature "
                               "(son empreinte ne correspond plus)."]


def test_an_altered_record_with_its_hash_recomputed_breaks_the_link() -> None:
    records = chain()
    forged = records[1].model_copy(update={"start": dt.time(10)})
    records[1] = forged.model_copy(update={"hash": record_hash(forged)})
    assert verify(records) == ["Chaînage rompu entre l'émargement n° 2 et le n° 3 : l'un des deux a été modifié "
                               "ou remplacé."]


def test_a_rewritten_chain_is_caught_by_the_head_kept_elsewhere() -> None:
    records = chain()
    head = records[-1].hash
    rewritten: list[AttendanceRecord] = []
    for record in records:
        draft = record.model_copy(update={"previous_hash": rewritten[-1].hash if rewritten else GENESIS,
                                          "end": record.end if record.index != 0 else dt.time(11)})
        rewritten.append(draft.model_copy(update={"hash": record_hash(draft)}))
    assert verify(rewritten) == []   # a consistent forgery: only the head kept elsewhere shows it
    assert verify(rewritten, expected_head=head) == [
        "La feuille ne finit pas sur le dernier émargement enregistré : elle s'arrête au n° 4 (derniers émargements "
        "supprimés ou feuille réécrite)."]


@pytest.mark.parametrize("position", range(4))
def test_removing_any_record_is_reported(position: int) -> None:
    records = chain()
    head = records[-1].hash
    rest = records[:position] + records[position + 1:]
    problems = verify(rest, expected_head=head)
    assert problems
    if position < len(records) - 1:
        assert f"1 émargement manquant (n° {position + 1}) : supprimé de la feuille." in problems
        assert verify(rest)   # in the middle or at the start, even without the head
    else:
        assert "elle s'arrête au n° 3" in problems[0]


def test_removing_several_records_names_them() -> None:
    records = chain()
    assert "2 émargements manquants (n° 2, n° 3) : supprimés de la feuille." in verify([records[0], records[3]])


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(range(4), 2)))
def test_swapping_two_records_is_reported(first: int, second: int) -> None:
    records = chain()
    records[first], records[second] = records[second], records[first]
    problems = verify(records)
    assert any("ordre des émargements changé" in problem for problem in problems), problems
    assert not any("manquant" in problem for problem in problems)


def test_a_duplicated_record_is_reported() -> None:
    records = chain()
    assert any("présent deux fois" in problem for problem in verify([*records, records[1]]))


def test_a_record_from_another_chain_at_the_start_is_reported() -> None:
    records = chain()
    first = records[0].model_copy(update={"previous_hash": records[3].hash})
    records[0] = first.model_copy(update={"hash": record_hash(first)})
    assert any("devrait ouvrir la feuille" in problem for problem in verify(records))


# --- The attestation de présence ------------------------------------------------------------------

def test_the_attestation_has_dates_hours_and_totals_only() -> None:
    records = chain()
    certificate = presence_certificate(records, expected_head=records[-1].hash)
    assert [line.label for line in certificate.lines] == [
        "01/12/2026, matin, 9:00 – 12:00 (3 h)",
        "08/12/2026, matin, 11:00 – 13:00 (2 h)",
        "08/12/2026, après-midi, 13:00 – 15:00 (2 h)",
        "15/12/2026, après-midi, 14:00 – 17:30 (3 h 30)",
    ]
    assert certificate.total_minutes == 630
    assert certificate.hours == Decimal("10.50")
    assert certificate.total_label == "10 h 30 en 4 demi-journées"
    assert certificate.period == (dt.date(2026, 12, 1), dt.date(2026, 12, 15))
    assert (certificate.beneficiary, certificate.consultant) == ("Jean-Pierre N'Diaye", "Hélène Lefèvre-Durand")
    dumped = certificate.model_dump_json()
    for absent in ("preliminaire", "investigation", "s1", "hash", "signature", "helene lefevre durand", "d1"):
        assert absent not in dumped.casefold(), absent


def test_no_attestation_from_a_chain_that_does_not_verify() -> None:
    records = chain()
    records[0] = records[0].model_copy(update={"start": dt.time(8)})
    with pytest.raises(AttendanceError, match="Attestation impossible : la feuille d'émargement ne se vérifie pas"):
        presence_certificate(records)
    with pytest.raises(AttendanceError, match="aucun émargement signé"):
        presence_certificate([])


def test_a_paper_signature_is_noted_after_its_half_day_only() -> None:
    from bilan_tui.domain.procedure.attendance import paper_signature

    start, end = at("2026-12-01", 9), at("2026-12-01", 12)
    with pytest.raises(AttendanceError, match="se note une fois signée, après"):
        paper_signature(session_id="s1", start=start, end=end, phase=Phase.PRELIMINAIRE, now=at("2026-12-01", 11))
    with pytest.raises(AttendanceError, match="se note seule"):
        paper_signature(session_id="s1", start=start, end=at("2026-12-01", 15), phase=Phase.PRELIMINAIRE,
                        now=at("2026-12-02", 9))
    paper = paper_signature(session_id="s0", start=at("2026-11-30", 14), end=at("2026-11-30", 17),
                            phase=Phase.PRELIMINAIRE, now=at("2026-12-03", 9))
    assert (paper.half_day, paper.minutes) == (HalfDay.AFTERNOON, 180)
    certificate = presence_certificate(chain(), paper=(paper,))
    assert [line.on_paper for line in certificate.lines][:2] == [True, False]  # 30/11 comes first, marked
    assert certificate.total_minutes == sum(record.minutes for record in chain()) + 180
