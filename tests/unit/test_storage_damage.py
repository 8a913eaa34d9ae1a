"""Damaged dossier files: every table checked before anything is shown, migrated or written.

Each damage of the catalogue is listed as unreadable with a French reason naming what is damaged,
is refused on opening (for writing or read-only), and leaves the file byte-identical; the other
dossier of the folder still lists and opens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import SCHEMA_VERSION, AnswerRecord, AnswerStatus, Beneficiary, ItemKind, Session
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.text import has_control
from bilan_tui.storage import DossierUnreadableError, Repository
from bilan_tui.storage import content as content_module
from bilan_tui.storage.repository import INDEX_VERSION

NOW = dt.datetime(2026, 11, 26, 9, 30)

META = "fiche du dossier (table « meta »)"
SESSIONS = "table des entretiens (« sessions ») endommagée"
INTERVIEWS = "table des réponses aux modules (« interviews ») endommagée"
PORTFOLIO = "table du portefeuille (« portfolio ») endommagée"
VERSION = "version du format invalide"
NUMBER = "contenu endommagé (nombre hors limites)"
NOT_A_DOSSIER = "contenu inattendu (ce n'est pas un dossier bilan-tui)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def full_dossier(repository: Repository, first: str = "Léa", last: str = "Martin") -> str:
    """A dossier with a row in every table: one session, one interview with answers, a portfolio."""
    dossier = repository.create_dossier(Beneficiary(first_name=first, last_name=last), "Paul")
    answers = {
        f"q{i}": AnswerRecord(step_id=f"q{i}", value=f"réponse {i}", status=AnswerStatus.ANSWERED,
                              at=NOW, flow_version="1.0.0")
        for i in range(3)
    }
    portfolio, _ = Portfolio().add(ItemKind.COMPETENCE, "Soudure", now=NOW, level=2)
    with repository.open(dossier.id) as handle:
        handle.save_session(Session.start(dossier, "Faire connaissance", True, NOW))
        handle.save_interview(InterviewState(flow_id="analyse_demande", answers=answers))
        handle.save_interview(InterviewState(flow_id="parcours"))
        handle.save_portfolio(portfolio)
    return dossier.id


def first(table: dict[str, Any]) -> dict[str, Any]:
    return next(iter(table.values()))


def meta(data: dict[str, Any]) -> dict[str, Any]:
    return first(data["meta"])


def setting(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def damage(data: dict[str, Any]) -> None:
        path(data)[key] = value

    return damage


def removing(path: Callable[[dict[str, Any]], dict[str, Any]], key: str) -> Callable[[dict[str, Any]], None]:
    def damage(data: dict[str, Any]) -> None:
        del path(data)[key]

    return damage


def dossier_doc(data):
    return meta(data)["dossier"]


def session(data):
    return first(data["sessions"])


def second_interview(data):
    return data["interviews"]["2"]


def answer(data):
    return first(data["interviews"])["answers"]["q1"]


def item(data):
    return first(data["portfolio"])["items"][0]


def table(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def damage(data: dict[str, Any]) -> None:
        data[name] = value

    return damage


def extra_entry(name: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def damage(data: dict[str, Any]) -> None:
        data[name][key] = value

    return damage


def format_1(damage: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """A format-1 file (before module runs and the portfolio) with the given damage."""

    def both(data: dict[str, Any]) -> None:
        meta(data)["schema_version"] = 1
        data.pop("portfolio", None)
        for doc in data["interviews"].values():
            doc.pop("instance", None)
        damage(data)

    return both


# (damage applied to the parsed content, what the reason says)
CONTENT_DAMAGE: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    # schema_version
    "version 0": (setting(meta, "schema_version", 0), f"{VERSION} (0)"),
    "version -1": (setting(meta, "schema_version", -1), f"{VERSION} (-1)"),
    "version true": (setting(meta, "schema_version", True), VERSION),
    "version false": (setting(meta, "schema_version", False), VERSION),
    "version as a string": (setting(meta, "schema_version", "2"), VERSION),
    "version as a bad string": (setting(meta, "schema_version", "deux"), VERSION),
    "version as a float": (setting(meta, "schema_version", 1.0), VERSION),
    "version null": (setting(meta, "schema_version", None), VERSION),
    "version list": (setting(meta, "schema_version", [2]), VERSION),
    "version huge": (setting(meta, "schema_version", 10**300), VERSION),
    "version missing": (removing(meta, "schema_version"), "version du format absente"),
    # meta
    "meta not a table": (table("meta", []), f"{META} endommagée (ce n'est pas une table)"),
    "meta empty": (table("meta", {}), f"{META} vide"),
    "meta twice": (extra_entry("meta", "2", {"schema_version": 2}), f"{META} endommagée (2 fiches au lieu d'une)"),
    "meta entry not an object": (table("meta", {"1": "fiche"}), f"{META} endommagée (entrée 1 : ce n'est pas un objet)"),
    "meta unknown field": (setting(meta, "autre", 1), f"{META} endommagée (champ inconnu « autre »)"),
    "dossier missing": (removing(meta, "dossier"), f"{META} incomplète"),
    "dossier not an object": (setting(meta, "dossier", "Léa"), f"{META} endommagée (champ « dossier »)"),
    "first name a number": (
        lambda d: dossier_doc(d)["beneficiary"].__setitem__("first_name", 42),
        f"{META} endommagée (champ « dossier.beneficiary.first_name »)",
    ),
    "creation date unreadable": (setting(dossier_doc, "created_at", "hier"), "champ « dossier.created_at »"),
    "unknown phase": (setting(dossier_doc, "phase", "finale"), "champ « dossier.phase »"),
    "module plan not a list": (setting(dossier_doc, "modules", 3), "champ « dossier.modules »"),
    "another dossier's id": (setting(dossier_doc, "id", "autre"), f"{META} : son identifiant ne correspond pas"),
    # sessions
    "sessions not a table": (table("sessions", [1, 2]), f"{SESSIONS} (ce n'est pas une table)"),
    "session not an object": (extra_entry("sessions", "7", 5), f"{SESSIONS} (entrée 7 : ce n'est pas un objet)"),
    "session id not a number": (extra_entry("sessions", "abc", {}), f"{SESSIONS} (entrée n° 2 : identifiant invalide)"),
    "session id not canonical": (extra_entry("sessions", "01", {}), f"{SESSIONS} (entrée n° 2 : identifiant invalide)"),
    "session date missing": (removing(session, "date"), f"{SESSIONS} (entrée 1, champ « date »)"),
    "session date impossible": (setting(session, "date", "2026-02-31"), f"{SESSIONS} (entrée 1, champ « date »)"),
    "session time impossible": (setting(session, "start_time", "25:61"), f"{SESSIONS} (entrée 1, champ « start_time »)"),
    "session report wrong": (setting(session, "report", {"results": 5}), f"{SESSIONS} (entrée 1, champ « report."),
    "session unknown field": (setting(session, "salle", "B"), f"{SESSIONS} (entrée 1, champ « salle »)"),
    "session empty": (extra_entry("sessions", "3", {}), f"{SESSIONS} (entrée 3"),
    # interviews
    "interviews not a table": (table("interviews", "rien"), f"{INTERVIEWS} (ce n'est pas une table)"),
    "interview not an object": (extra_entry("interviews", "3", [1]), f"{INTERVIEWS} (entrée 3 : ce n'est pas un objet)"),
    "interview without module": (removing(second_interview, "flow_id"), f"{INTERVIEWS} (entrée 2, champ « flow_id »)"),
    "answers a list": (setting(second_interview, "answers", []), f"{INTERVIEWS} (entrée 2, champ « answers »)"),
    "answer status unknown": (setting(answer, "status", "peut-être"), f"{INTERVIEWS} (entrée 1, champ « answers.q1.status »)"),
    "answer date unreadable": (setting(answer, "at", "x"), "champ « answers.q1.at »"),
    "answer not an object": (lambda d: first(d["interviews"])["answers"].__setitem__("q1", "oui"), "champ « answers.q1 »"),
    "revision broken": (setting(answer, "revisions", [{"value": 1}]), "champ « answers.q1.revisions.0."),
    "cursor a number": (setting(second_interview, "cursor", 4), f"{INTERVIEWS} (entrée 2, champ « cursor »)"),
    # portfolio
    "portfolio not a table": (table("portfolio", None), f"{PORTFOLIO} (ce n'est pas une table)"),
    "two portfolios": (extra_entry("portfolio", "2", {"items": []}), f"{PORTFOLIO} (2 portefeuilles au lieu d'un)"),
    "items not a list": (lambda d: first(d["portfolio"]).__setitem__("items", "x"), f"{PORTFOLIO} (entrée 1, champ « items »)"),
    "item level 9": (setting(item, "level", 9), f"{PORTFOLIO} (entrée 1, champ « items.0.level »)"),
    "item kind unknown": (setting(item, "kind", "licorne"), "champ « items.0.kind »"),
    "item without title": (removing(item, "title"), "champ « items.0.title »"),
    # other tables, wrong types at the top
    "unknown table": (table("_default", {}), "table inconnue « _default »"),
    "unknown table with escape": (table("\x1b]0;titre\x07x", {}), "table inconnue « ]0;titrex »"),
    # format 1 with a damaged table: never migrated, never written
    "format 1, sessions damaged": (format_1(removing(session, "date")), f"{SESSIONS} (entrée 1, champ « date »)"),
    "format 1, interviews damaged": (format_1(setting(answer, "status", 3)), INTERVIEWS),
    "format 1, portfolio damaged": (format_1(table("portfolio", {"1": {"items": 1}})), PORTFOLIO),
    "format 1, meta damaged": (format_1(setting(dossier_doc, "created_at", None)), "champ « dossier.created_at »"),
}


# (damage applied to the file's bytes, what the reason says)
BYTES_DAMAGE: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "empty file": (lambda raw: b"", "fichier vide"),
    "blank file": (lambda raw: b" \n\t\n", "fichier vide"),
    "truncated": (lambda raw: raw[: len(raw) // 2], "contenu endommagé"),
    "truncated to one byte": (lambda raw: raw[:1], "contenu endommagé"),
    "binary": (lambda raw: bytes(range(256)) * 4, "contenu endommagé"),
    "zeros": (lambda raw: b"\x00" * 4096, "contenu endommagé"),
    "invalid UTF-8": (lambda raw: raw.replace("Léa".encode(), b"L\xe9a"), "contenu endommagé"),
    "a list": (lambda raw: b"[]", NOT_A_DOSSIER),
    "a string": (lambda raw: b'"dossier"', NOT_A_DOSSIER),
    "a number": (lambda raw: b"12", NOT_A_DOSSIER),
    "null": (lambda raw: b"null", NOT_A_DOSSIER),
    "no meta": (lambda raw: b'{"sessions": {}}', NOT_A_DOSSIER),
    "integer of 5000 digits": (lambda raw: raw.replace(b'"r\xc3\xa9ponse 1"', b"9" * 5000), NUMBER),
    "float overflowing": (lambda raw: raw.replace(b'"r\xc3\xa9ponse 1"', b"1e999"), NUMBER),
    "NaN": (lambda raw: raw.replace(b'"r\xc3\xa9ponse 1"', b"NaN"), NUMBER),
    "Infinity": (lambda raw: raw.replace(b'"r\xc3\xa9ponse 1"', b"-Infinity"), NUMBER),
    "version of 5000 digits": (
        lambda raw: raw.replace(f'"schema_version":{SCHEMA_VERSION}'.encode(), b'"schema_version":' + b"1" * 5000),
        NUMBER,
    ),
    "nesting 100 000 deep": (
        lambda raw: raw.replace(b'"r\xc3\xa9ponse 1"', b"[" * 100_000 + b"]" * 100_000),
        "contenu endommagé (imbrication trop profonde)",
    ),
}


def assert_refused_and_untouched(repository: Repository, good: str, bad: str, reason: str) -> None:
    path = repository.dossier_path(bad)
    before = sha256(path)
    files_before = sorted(p.name for p in repository.dossiers_dir.iterdir() if not p.name.endswith(".lock"))

    entries = {e.id: e for e in repository.list_dossiers()}
    assert entries[bad].summary is None
    assert reason in entries[bad].error
    assert not has_control(entries[bad].error)
    assert entries[good].summary is not None and entries[good].summary.beneficiary == "Ana Lopez"
    # listed again from the index, with the same reason
    assert {e.id: e.error for e in repository.list_dossiers()}[bad] == entries[bad].error
    assert {e.id: e.error for e in repository.rebuild_index()}[bad] == entries[bad].error

    for read_only in (False, True):
        with pytest.raises(DossierUnreadableError) as refused:
            repository.open(bad, read_only=read_only)
        assert reason in str(refused.value)
    with pytest.raises(DossierUnreadableError):
        repository.try_open(bad)

    assert sha256(path) == before
    # nothing written beside it either (no backup, no converted copy)
    assert sorted(p.name for p in repository.dossiers_dir.iterdir() if not p.name.endswith(".lock")) == files_before
    with repository.open(good) as handle:
        assert handle.dossier.beneficiary.first_name == "Ana"
    with pytest.raises(DossierUnreadableError):  # not "already open": refusing released the lock
        repository.open(bad)


@pytest.mark.parametrize("name", list(CONTENT_DAMAGE))
def test_a_damaged_table_lists_the_dossier_as_unreadable_and_leaves_it_untouched(repository: Repository, name: str):
    damage, reason = CONTENT_DAMAGE[name]
    good = full_dossier(repository, "Ana", "Lopez")
    bad = full_dossier(repository)
    path = repository.dossier_path(bad)
    data = json.loads(path.read_bytes())
    damage(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert_refused_and_untouched(repository, good, bad, reason)


@pytest.mark.parametrize("name", list(BYTES_DAMAGE))
def test_a_damaged_file_lists_the_dossier_as_unreadable_and_leaves_it_untouched(repository: Repository, name: str):
    damage, reason = BYTES_DAMAGE[name]
    good = full_dossier(repository, "Ana", "Lopez")
    bad = full_dossier(repository)
    path = repository.dossier_path(bad)
    damaged = damage(path.read_bytes())
    path.write_bytes(damaged)
    assert_refused_and_untouched(repository, good, bad, reason)


def test_a_damaged_table_of_a_dossier_listed_before_is_seen_at_once(repository: Repository):
    """The index caches summaries; a file changed since is checked again, every table of it."""
    good = full_dossier(repository, "Ana", "Lopez")
    bad = full_dossier(repository)
    assert all(e.summary for e in repository.list_dossiers())
    path = repository.dossier_path(bad)
    data = json.loads(path.read_bytes())
    answer(data)["status"] = "?"
    path.write_text(json.dumps(data))
    assert_refused_and_untouched(repository, good, bad, INTERVIEWS)


# -- migration -------------------------------------------------------------------------------------


def as_format_1(repository: Repository, dossier_id: str) -> bytes:
    path = repository.dossier_path(dossier_id)
    data = json.loads(path.read_bytes())
    format_1(lambda d: None)(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path.read_bytes()


def test_a_format_1_dossier_is_migrated_with_the_former_file_kept_beside(repository: Repository):
    dossier_id = full_dossier(repository)
    original = as_format_1(repository, dossier_id)
    path = repository.dossier_path(dossier_id)
    backup = repository.dossiers_dir / f"{dossier_id}.v1.bak"

    with repository.open(dossier_id) as handle:
        assert handle.interview("analyse_demande").answers["q1"].value == "réponse 1"
        assert len(handle.sessions()) == 1

    assert backup.read_bytes() == original
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert meta(json.loads(path.read_bytes()))["schema_version"] == SCHEMA_VERSION
    assert [e.id for e in repository.list_dossiers()] == [dossier_id]  # the backup is not a dossier
    with repository.open(dossier_id) as handle:
        assert handle.interview("analyse_demande").answers["q1"].value == "réponse 1"
    assert backup.read_bytes() == original


def test_a_format_1_dossier_opened_read_only_is_not_written(repository: Repository):
    dossier_id = full_dossier(repository)
    original = as_format_1(repository, dossier_id)
    with repository.open(dossier_id, read_only=True) as handle:
        assert handle.interview("analyse_demande").answers["q0"].value == "réponse 0"
        assert handle.portfolio().items == ()
    assert repository.dossier_path(dossier_id).read_bytes() == original
    assert not (repository.dossiers_dir / f"{dossier_id}.v1.bak").exists()


def test_a_migration_that_fails_leaves_the_file_untouched(repository: Repository, monkeypatch):
    dossier_id = full_dossier(repository)
    original = as_format_1(repository, dossier_id)

    def broken(data):
        return data["absent"]

    monkeypatch.setitem(content_module.MIGRATIONS, 1, broken)
    with pytest.raises(DossierUnreadableError, match="conversion du format 1 au format 2 impossible"):
        repository.open(dossier_id)
    assert repository.dossier_path(dossier_id).read_bytes() == original
    assert not (repository.dossiers_dir / f"{dossier_id}.v1.bak").exists()


def test_a_migration_result_is_checked_before_it_is_written(repository: Repository, monkeypatch):
    dossier_id = full_dossier(repository)
    original = as_format_1(repository, dossier_id)

    def damaging(data):
        first(data["sessions"])["date"] = "jamais"
        return data

    monkeypatch.setitem(content_module.MIGRATIONS, 1, damaging)
    with pytest.raises(DossierUnreadableError, match="table des entretiens"):
        repository.open(dossier_id)
    assert repository.dossier_path(dossier_id).read_bytes() == original


# -- the index ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entries",
    [[], "x", {"ID": []}, {"ID": 3}, {"ID": {"stamp": "STAMP", "error": 5}}, {"ID": {"stamp": "STAMP", "summary": 1}}],
)
def test_a_damaged_index_is_rebuilt_not_a_crash(repository: Repository, entries):
    dossier_id = full_dossier(repository)
    stamp = repository._stamp(repository.dossier_path(dossier_id))
    text = json.dumps({"version": INDEX_VERSION, "dossiers": entries}).replace('"ID"', json.dumps(dossier_id))
    repository.index_path.write_text(text.replace('"STAMP"', json.dumps(stamp)))
    [entry] = repository.list_dossiers()
    assert entry.summary is not None and entry.summary.beneficiary == "Léa Martin"


def test_an_error_read_from_the_index_is_shown_without_control_characters(repository: Repository):
    dossier_id = full_dossier(repository)
    stamp = repository._stamp(repository.dossier_path(dossier_id))
    entry = {"stamp": stamp, "error": "abîmé \x1b]0;titre\x07 \x1b[2J"}
    repository.index_path.write_text(json.dumps({"version": INDEX_VERSION, "dossiers": {dossier_id: entry}}))
    [listed] = repository.list_dossiers()
    assert listed.error == "abîmé ]0;titre [2J"
