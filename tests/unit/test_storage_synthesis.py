"""Storage of the synthesis record: round trip, damage, frozen versions and consents kept, format 3."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from bilan_tui.domain.models import SCHEMA_VERSION, Beneficiary
from bilan_tui.domain.synthesis.model import Passage, Section, SectionKey, Synthesis
from bilan_tui.domain.synthesis.record import SynthesisRecord
from bilan_tui.storage import DossierUnreadableError, ReadOnlyError, Repository, StorageError

NOW = dt.datetime(2026, 11, 26, 9, 30)
LATER = dt.datetime(2026, 12, 3, 14, 0)
SYNTHESIS = "table de la synthèse (« synthesis ») endommagée"


def draft(text: str = "Soudure à l'arc, niveau expert.") -> Synthesis:
    sections = tuple(
        Section(key=key, title=key.heading, passages=(Passage(text=text),) if key is SectionKey.COMPETENCES else ())
        for key in SectionKey
    )
    return Synthesis(beneficiary="Léa Martin", consultant="Paul", drafted_on=NOW.date(), sections=sections)


def full_record() -> SynthesisRecord:
    """A rewrite, a frozen version and a consent."""
    record = SynthesisRecord().with_rewrite(draft().section(SectionKey.COMPETENCES), "Léa soude depuis 15 ans.",
                                            now=NOW)
    record, _ = record.validate(draft(), consultant="Paul", beneficiary="Léa Martin", expected_consultant="Paul",
                                expected_beneficiary="Léa Martin", now=NOW)
    record, _ = record.add_consent(recipient="Cap emploi", sections=(SectionKey.PLAN,), given_on=NOW.date(),
                                   agreement="J'accepte", expected_beneficiary="Léa Martin", now=NOW)
    return record


def dossier_with_record(repository: Repository) -> str:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul")
    with repository.open(dossier.id) as handle:
        handle.save_synthesis(full_record())
    return dossier.id


def content(repository: Repository, dossier_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(repository.dossier_path(dossier_id).read_bytes())
    return data


def write(repository: Repository, dossier_id: str, data: dict[str, Any]) -> None:
    repository.dossier_path(dossier_id).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_dossier_has_an_empty_record(repository: Repository):
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
    with repository.open(dossier.id) as handle:
        assert handle.synthesis() == SynthesisRecord()


def test_the_record_round_trips(repository: Repository):
    dossier_id = dossier_with_record(repository)
    with repository.open(dossier_id) as handle:
        assert handle.synthesis() == full_record()
    with repository.open(dossier_id, read_only=True) as handle:
        record = handle.synthesis()
        assert record.version(1).sha256 == full_record().version(1).sha256
        assert record.excerpt("1", draft()).sections[0].key is SectionKey.PLAN


def test_a_later_version_and_a_withdrawal_are_saved(repository: Repository):
    dossier_id = dossier_with_record(repository)
    with repository.open(dossier_id) as handle:
        record = handle.synthesis().without_rewrite(SectionKey.COMPETENCES)
        record, second = record.validate(draft(), consultant="Paul", beneficiary="Martin Léa",
                                         expected_consultant="Paul", expected_beneficiary="Léa Martin", now=LATER)
        handle.save_synthesis(record.withdraw_consent("1", now=LATER))
    with repository.open(dossier_id) as handle:
        record = handle.synthesis()
        assert [v.number for v in record.versions] == [1, 2]
        assert record.version(1) == full_record().version(1)
        assert record.version(2) == second
        assert record.active_consents() == []


def test_a_frozen_version_cannot_be_changed_or_dropped_in_storage(repository: Repository):
    dossier_id = dossier_with_record(repository)
    path = repository.dossier_path(dossier_id)
    before = sha256(path)
    with repository.open(dossier_id) as handle:
        stored = handle.synthesis()
        frozen = stored.version(1)
        # the same content, re-frozen with other names and date (hash still right): refused
        altered = frozen.model_copy(update={"beneficiary_name": "Quelqu'un d'autre", "frozen_at": LATER})
        with pytest.raises(StorageError, match="La version 1 de la synthèse est figée"):
            handle.save_synthesis(stored.model_copy(update={"versions": (altered,)}))
        with pytest.raises(StorageError, match="ne peut pas être supprimée"):
            handle.save_synthesis(stored.model_copy(update={"versions": ()}))
        assert handle.synthesis() == stored
    assert sha256(path) == before


def test_a_consent_is_withdrawn_never_erased_or_changed(repository: Repository):
    dossier_id = dossier_with_record(repository)
    with repository.open(dossier_id) as handle:
        stored = handle.synthesis()
        with pytest.raises(StorageError, match="ne peut pas être effacé : retirez-le plutôt"):
            handle.save_synthesis(stored.model_copy(update={"consents": ()}))
        changed = stored.consents[0].model_copy(update={"recipient": "Employeur"})
        with pytest.raises(StorageError, match="ne peut pas être modifié, seulement retiré"):
            handle.save_synthesis(stored.model_copy(update={"consents": (changed,)}))
        withdrawn = stored.withdraw_consent("1", now=LATER)
        handle.save_synthesis(withdrawn)
        back = withdrawn.consents[0].model_copy(update={"withdrawn_at": None})
        with pytest.raises(StorageError, match="seulement retiré"):  # a withdrawal is not undone
            handle.save_synthesis(withdrawn.model_copy(update={"consents": (back,)}))


def test_a_read_only_handle_refuses_to_save(repository: Repository):
    dossier_id = dossier_with_record(repository)
    with repository.open(dossier_id, read_only=True) as handle, pytest.raises(ReadOnlyError):
        handle.save_synthesis(SynthesisRecord())


def _versions(data: dict[str, Any]) -> list[Any]:
    versions: list[Any] = next(iter(data["synthesis"].values()))["versions"]
    return versions


def _hand_edit_frozen_text(data: dict[str, Any]) -> None:
    _versions(data)[0]["synthesis"]["sections"][3]["passages"][0]["text"] = "Texte modifié à la main."


DAMAGE = {
    "not a table": (lambda d: d.__setitem__("synthesis", []), f"{SYNTHESIS} (ce n'est pas une table)"),
    "two records": (lambda d: d["synthesis"].__setitem__("2", {}), f"{SYNTHESIS} (2 synthèses au lieu d'une)"),
    "frozen text edited by hand": (_hand_edit_frozen_text, f"{SYNTHESIS} (entrée 1, champ « versions.0 »)"),
    "versions renumbered": (lambda d: _versions(d)[0].__setitem__("number", 2), SYNTHESIS),
    "unknown section in a consent": (  # consents are kept in the administrative file
        lambda d: next(iter(d["administratif"].values()))["file"]["consents"][0].__setitem__("sections", ["salaire"]),
        "dossier administratif (table « administratif ») endommagée (entrée 1, champ « file.consents.0.sections.0 »)"),
    "rewrite not a list": (lambda d: next(iter(d["synthesis"].values())).__setitem__("rewrites", 3),
                           f"{SYNTHESIS} (entrée 1, champ « rewrites »)"),
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_damaged_synthesis_table_makes_the_dossier_unreadable_and_leaves_it_untouched(repository: Repository,
                                                                                        name: str):
    damage, reason = DAMAGE[name]
    dossier_id = dossier_with_record(repository)
    data = content(repository, dossier_id)
    damage(data)
    write(repository, dossier_id, data)
    path = repository.dossier_path(dossier_id)
    before = sha256(path)
    [entry] = repository.list_dossiers()
    assert entry.summary is None and entry.error is not None and reason in entry.error
    for read_only in (False, True):
        with pytest.raises(DossierUnreadableError, match=reason.replace("(", r"\(").replace(")", r"\)")):
            repository.open(dossier_id, read_only=read_only)
    assert sha256(path) == before


# -- format 3 ---------------------------------------------------------------------------------------


def as_format_2(repository: Repository, dossier_id: str) -> bytes:
    """The file as bilan-tui wrote it before the synthesis table existed."""
    data = content(repository, dossier_id)
    data.pop("synthesis", None)
    next(iter(data["meta"].values()))["schema_version"] = 2
    write(repository, dossier_id, data)
    return repository.dossier_path(dossier_id).read_bytes()


def test_the_format_is_4():
    assert SCHEMA_VERSION == 4


def test_a_format_2_dossier_loads_with_an_empty_record_and_is_migrated(repository: Repository):
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul")
    original = as_format_2(repository, dossier.id)
    with repository.open(dossier.id, read_only=True) as handle:
        assert handle.synthesis() == SynthesisRecord()
    assert repository.dossier_path(dossier.id).read_bytes() == original  # read-only: not written
    with repository.open(dossier.id) as handle:
        assert handle.synthesis() == SynthesisRecord()
        handle.save_synthesis(full_record())
    assert (repository.dossiers_dir / f"{dossier.id}.v2.bak").read_bytes() == original
    assert next(iter(content(repository, dossier.id)["meta"].values()))["schema_version"] == SCHEMA_VERSION
    with repository.open(dossier.id) as handle:
        assert handle.synthesis() == full_record()


def test_a_format_2_file_with_a_synthesis_table_is_still_checked(repository: Repository):
    dossier_id = dossier_with_record(repository)
    data = content(repository, dossier_id)
    next(iter(data["meta"].values()))["schema_version"] = 2
    _hand_edit_frozen_text(data)
    write(repository, dossier_id, data)
    with pytest.raises(DossierUnreadableError, match="table de la synthèse"):
        repository.open(dossier_id)
