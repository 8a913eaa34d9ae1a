"""Storage of the administrative file: round trip, format 3 migrated, signed records kept, the head
written beside the chain, damage reported, and the home screen's frame kept in the index."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from bilan_tui.domain.models import SCHEMA_VERSION, Beneficiary, Phase, Session
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.attendance import GENESIS, PersonName, Signer, new_record, sign, verify
from bilan_tui.domain.procedure.funding import Agreement, FundingType
from bilan_tui.domain.procedure.hours import logged_session
from bilan_tui.domain.procedure.information import ScreeningOutcome, screening
from bilan_tui.domain.procedure.planner import propose_plan
from bilan_tui.storage import DossierUnreadableError, Repository, StorageError

CONSULTANT = PersonName(first_name="Paul", last_name="Roux")
BENEFICIARY = PersonName(first_name="Léa", last_name="Martin")
MONDAY = dt.datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def repository(tmp_path: Any) -> Repository:
    return Repository(tmp_path / "data")


def content(repository: Repository, dossier_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(repository.dossier_path(dossier_id).read_bytes())
    return data


def signed_file(admin: AdministrativeFile, session_id: str, start: dt.datetime, end: dt.datetime) -> AdministrativeFile:
    record = new_record(admin.attendance, dossier_id="d", session_id=session_id, start=start, end=end,
                        phase=Phase.PRELIMINAIRE, consultant=CONSULTANT, beneficiary=BENEFICIARY,
                        consultant_signature=sign(Signer.CONSULTANT, "Paul Roux", CONSULTANT, end),
                        beneficiary_signature=sign(Signer.BENEFICIARY, "lea martin", BENEFICIARY, end))
    return admin.model_copy(update={"attendance": (*admin.attendance, record)})


def test_an_empty_dossier_has_an_empty_administrative_file(repository: Repository) -> None:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    with repository.open(dossier.id) as handle:
        assert handle.admin() == AdministrativeFile()
        assert handle.attendance_head() == GENESIS


def test_the_administrative_file_round_trips_in_its_own_table(repository: Repository) -> None:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    admin = AdministrativeFile(
        first_contact=MONDAY.date(),
        agreement=Agreement(funding=FundingType.SELF_FUNDED, signed_on=MONDAY.date()),
        information=AdministrativeFile().information.with_screening(
            screening(ScreeningOutcome.BILAN, MONDAY.date())),
    )
    admin = signed_file(admin, "s1", MONDAY, MONDAY + dt.timedelta(hours=3))
    with repository.open(dossier.id) as handle:
        handle.save_admin(admin)
    with repository.open(dossier.id, read_only=True) as handle:
        assert handle.admin() == admin
        assert handle.attendance_head() == admin.attendance[-1].hash
        assert verify(handle.admin().attendance, handle.attendance_head()) == []
    data = content(repository, dossier.id)
    assert set(data["administratif"]["1"]) == {"file", "attendance_head"}
    # The working file's tables hold nothing of it, nor it of them.
    assert "attendance" not in json.dumps(data["meta"])


def test_a_signed_record_cannot_be_changed_or_dropped(repository: Repository) -> None:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    admin = signed_file(AdministrativeFile(), "s1", MONDAY, MONDAY + dt.timedelta(hours=3))
    with repository.open(dossier.id) as handle:
        handle.save_admin(admin)
        with pytest.raises(StorageError, match="ni modifié ni supprimé"):
            handle.save_admin(admin.model_copy(update={"attendance": ()}))
        changed = admin.attendance[0].model_copy(update={"end": dt.time(12, 30)})
        with pytest.raises(StorageError, match="ni modifié ni supprimé"):
            handle.save_admin(admin.model_copy(update={"attendance": (changed,)}))
        assert handle.admin() == admin
        later = signed_file(admin, "s2", MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=7, hours=3))
        handle.save_admin(later)  # adding at the end is allowed
        assert len(handle.admin().attendance) == 2


def test_a_record_dropped_from_the_file_is_caught_by_the_head(repository: Repository) -> None:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    admin = signed_file(AdministrativeFile(), "s1", MONDAY, MONDAY + dt.timedelta(hours=3))
    admin = signed_file(admin, "s2", MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=7, hours=3))
    with repository.open(dossier.id) as handle:
        handle.save_admin(admin)
    data = content(repository, dossier.id)
    data["administratif"]["1"]["file"]["attendance"].pop()
    repository.dossier_path(dossier.id).write_text(json.dumps(data), encoding="utf-8")
    with repository.open(dossier.id, read_only=True) as handle:
        assert verify(handle.admin().attendance, handle.attendance_head()) != []


def test_a_format_3_dossier_loads_with_an_empty_administrative_file(repository: Repository) -> None:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    data = content(repository, dossier.id)
    next(iter(data["meta"].values()))["schema_version"] = 3
    repository.dossier_path(dossier.id).write_text(json.dumps(data), encoding="utf-8")
    with repository.open(dossier.id) as handle:
        assert handle.admin() == AdministrativeFile()
    assert (repository.dossiers_dir / f"{dossier.id}.v3.bak").exists()
    assert next(iter(content(repository, dossier.id)["meta"].values()))["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize(("damage", "reason"), [
    ({"1": {"file": {"hours": "beaucoup"}}}, "champ « file.hours »"),
    ({"1": {"file": {}, "extra": 1}}, "champ « extra »"),
    ({"1": {}, "2": {}}, "2 dossiers au lieu d'un"),
])
def test_a_damaged_administrative_file_is_reported_in_french(repository: Repository, damage: dict[str, Any],
                                                             reason: str) -> None:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    data = content(repository, dossier.id)
    data["administratif"] = damage
    repository.dossier_path(dossier.id).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DossierUnreadableError, match="dossier administratif") as caught:
        repository.open(dossier.id)
    assert reason in str(caught.value)


def test_the_index_carries_the_frame_for_the_home_screen(repository: Repository) -> None:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    plan = propose_plan(start=MONDAY.date(), first_contact=MONDAY.date(), now=MONDAY - dt.timedelta(days=3))
    start = dt.datetime(2026, 11, 23, 9, 0)
    session = Session(id="s1", date=start.date(), start_time=start.time(), end_time=dt.time(12, 0),
                      phase=Phase.PRELIMINAIRE, objectives="Faire connaissance")
    admin = AdministrativeFile(plan=plan).model_copy(update={"hours": AdministrativeFile().hours.add(
        logged_session("s1", start, start + dt.timedelta(hours=3), (Phase.PRELIMINAIRE,)))})
    with repository.open(dossier.id) as handle:
        handle.save_session(session)
        handle.save_admin(admin)
    # A fresh process reads the frame from the index, without opening the dossier.
    entry = next(e for e in Repository(repository.root).list_dossiers() if e.id == dossier.id)
    assert entry.summary is not None and entry.summary.frame is not None
    frame = entry.summary.frame
    assert frame.hours_label == "3 h / 24 h"
    assert frame.busy[0][0] == plan.active[0].start
    assert frame.next_session_label(MONDAY - dt.timedelta(days=1)).startswith("30/11/2026")
    assert [half.session_id for half in frame.unsigned] == ["s1"]
    assert frame.short_alert == "1 émargement manquant"


def test_consents_are_kept_in_the_administrative_file_and_move_there_from_format_3(repository: Repository) -> None:
    from tests.unit.test_storage_synthesis import full_record

    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul")
    record = full_record()
    with repository.open(dossier.id) as handle:
        handle.save_synthesis(record)
        assert handle.synthesis() == record
        assert handle.admin().consents == record.consents
        # A screen saving a copy of the administrative file without them does not erase them.
        handle.save_admin(AdministrativeFile())
        assert handle.synthesis().consents == record.consents
    data = content(repository, dossier.id)
    assert "consents" not in next(iter(data["synthesis"].values())) or \
        next(iter(data["synthesis"].values()))["consents"] == []
    assert data["administratif"]["1"]["file"]["consents"][0]["recipient"] == "Cap emploi"

    # The same dossier as format 3 wrote it: the consents in the synthesis table.
    old = content(repository, dossier.id)
    next(iter(old["synthesis"].values()))["consents"] = old["administratif"]["1"]["file"]["consents"]
    del old["administratif"]
    next(iter(old["meta"].values()))["schema_version"] = 3
    repository.dossier_path(dossier.id).write_text(json.dumps(old), encoding="utf-8")
    with repository.open(dossier.id) as handle:
        assert handle.synthesis() == record
        assert handle.admin().consents == record.consents
    migrated = content(repository, dossier.id)
    assert next(iter(migrated["synthesis"].values())).get("consents", []) == []
