"""The content of a dossier file, checked whole before anything is shown, migrated or written.

A dossier file is a TinyDB document: ``{table: {doc_id: document}}``. Every table is known, every
document id is the decimal number TinyDB expects, every document validates against its model once
the content is brought to the current format. Any damage raises :class:`DossierUnreadableError`
with a French reason naming the table and the entry, and nothing is written: the caller writes
(a migrated file) only after :func:`check_content` returned.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from bilan_tui.domain.answers import YEAR_MAX, YEAR_MIN
from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import SCHEMA_VERSION, Dossier, Session
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.attendance import GENESIS
from bilan_tui.domain.synthesis.record import SynthesisRecord
from bilan_tui.domain.text import clean_text
from bilan_tui.storage.errors import DossierUnreadableError


# Migrations of the raw dossier content, from version N to N + 1. They receive content whose tables
# have the right shape (see _check_shape) and return it in the next format; the result is validated.
def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """2 added the module plan, module runs and the portfolio, all with defaults: nothing to convert."""
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """3 added the synthesis table (rewrites, frozen versions, consents); absent, the record is empty."""
    return data


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """4 added the administrative file (table « administratif »), which holds the consents for third
    parties from then on: they move there from the synthesis record."""
    consents: list[Any] = []
    for document in data.get("synthesis", {}).values():
        consents += document.pop("consents", [])
    if consents:
        tables = data.setdefault("administratif", {})
        entry = tables.setdefault("1", {}) if not tables else next(iter(tables.values()))
        entry.setdefault("file", {})["consents"] = consents
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}

TABLES = {
    "meta": "fiche du dossier (table « meta »)",
    "sessions": "table des entretiens (« sessions »)",
    "interviews": "table des réponses aux modules (« interviews »)",
    "portfolio": "table du portefeuille (« portfolio »)",
    "synthesis": "table de la synthèse (« synthesis »)",
    "administratif": "dossier administratif (table « administratif »)",
}
"""Every table a dossier file may hold, with how a person is told about it."""

# TinyDB reads document ids with int() and writes them back with str(): only canonical numbers survive.
_DOC_ID = re.compile(r"[1-9][0-9]{0,17}")
_LARGEST_VERSION = 10**6
_NOT_A_DOSSIER = "contenu inattendu (ce n'est pas un dossier bilan-tui)"

M = TypeVar("M", bound=BaseModel)


class AdminEntry(BaseModel):
    """The one document of the table « administratif »: the administrative file and the head of its
    attendance chain, written with each record (a record dropped from the end is then detected)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: AdministrativeFile = AdministrativeFile()
    attendance_head: str = GENESIS

    @model_validator(mode="after")
    def _dates_in_range(self) -> AdminEntry:
        # Deadlines, planner and agenda add days and weeks to these dates: a year typed by hand beyond
        # what the forms accept (1900-2100) would overflow there and crash the home screen.
        for value in _values(self.file):
            if isinstance(value, dt.date) and not YEAR_MIN <= value.year <= YEAR_MAX:
                raise ValueError(f"a date of the administrative file lies outside {YEAR_MIN}-{YEAR_MAX}")
        return self


def _values(value: Any) -> Iterator[Any]:
    """Every value held by a model, recursively (fields of sub-models, items of tuples)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _values(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _values(item)
    else:
        yield value


@dataclass(frozen=True)
class DossierContent:
    """A dossier file's content, checked and brought to the current format."""

    data: dict[str, Any]
    """The raw content in the current format (a migrated copy when the file is older)."""
    version: int
    """The format found in the file."""
    dossier: Dossier
    sessions: tuple[Session, ...]
    admin: AdministrativeFile

    @property
    def migrated(self) -> bool:
        return self.version < SCHEMA_VERSION


def _shown(text: str, limit: int = 40) -> str:
    """A piece of the file (a key, a field name) fit to show: one line, no control characters, short."""
    text = clean_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(error: ValidationError) -> str:
    """The path of the first wrong field (never its value: it may be anyone's data); may be empty."""
    details = error.errors(include_url=False, include_input=False, include_context=False)
    loc = details[0]["loc"] if details else ()
    return _shown(".".join(str(part) for part in loc), 80)


def _check_shape(data: Any) -> None:
    if not isinstance(data, dict) or "meta" not in data:
        raise DossierUnreadableError(_NOT_A_DOSSIER)
    for name, table in data.items():
        label = TABLES.get(name)
        if label is None:
            raise DossierUnreadableError(f"table inconnue « {_shown(name)} » (fichier endommagé ou d'une autre application)")
        if not isinstance(table, dict):
            raise DossierUnreadableError(f"{label} endommagée (ce n'est pas une table)")
        for position, (doc_id, document) in enumerate(table.items(), start=1):
            if not _DOC_ID.fullmatch(doc_id):
                raise DossierUnreadableError(f"{label} endommagée (entrée n° {position} : identifiant invalide)")
            if not isinstance(document, dict):
                raise DossierUnreadableError(f"{label} endommagée (entrée {doc_id} : ce n'est pas un objet)")


def _meta(data: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = data["meta"]
    if len(meta) != 1:
        state = "vide" if not meta else f"endommagée ({len(meta)} fiches au lieu d'une)"
        raise DossierUnreadableError(f"{TABLES['meta']} {state}")
    document: dict[str, Any] = next(iter(meta.values()))
    return document


def _schema_version(data: dict[str, Any]) -> int:
    meta = _meta(data)
    if "schema_version" not in meta:
        raise DossierUnreadableError("version du format absente ou illisible")
    version = meta["schema_version"]
    if type(version) is not int or not 1 <= version <= _LARGEST_VERSION:  # bool is an int: refused too
        shown = f" ({version})" if type(version) is int and abs(version) <= _LARGEST_VERSION else ""
        raise DossierUnreadableError(f"version du format invalide{shown}")
    if version > SCHEMA_VERSION:
        raise DossierUnreadableError(
            f"créé par une version plus récente de bilan-tui (format {version}) : mettez l'application à jour"
        )
    return version


def _migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    """A migrated copy; the content given is left as it is."""
    data = copy.deepcopy(data)
    for step in range(version, SCHEMA_VERSION):
        try:
            data = MIGRATIONS[step](data)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            raise DossierUnreadableError(f"conversion du format {step} au format {step + 1} impossible") from None
    _check_shape(data)
    _meta(data)["schema_version"] = SCHEMA_VERSION
    return data


def _entries(data: dict[str, Any], table: str, model: type[M]) -> list[M]:
    entries = []
    for doc_id, document in data.get(table, {}).items():
        try:
            entries.append(model.model_validate(document))
        except ValidationError as error:
            where = _where(error)
            field = f", champ « {where} »" if where else ""
            raise DossierUnreadableError(f"{TABLES[table]} endommagée (entrée {doc_id}{field})") from None
    return entries


def _dossier(data: dict[str, Any], dossier_id: str) -> Dossier:
    meta = _meta(data)
    extra = sorted(set(meta) - {"schema_version", "dossier"})
    if extra:
        raise DossierUnreadableError(f"{TABLES['meta']} endommagée (champ inconnu « {_shown(extra[0])} »)")
    if "dossier" not in meta:
        raise DossierUnreadableError(f"{TABLES['meta']} incomplète (pas de fiche)")
    try:
        dossier = Dossier.model_validate(meta["dossier"])
    except ValidationError as error:
        where = _where(error)
        field = f"dossier.{where}" if where else "dossier"
        raise DossierUnreadableError(f"{TABLES['meta']} endommagée (champ « {field} »)") from None
    if dossier.id != dossier_id:
        raise DossierUnreadableError(f"{TABLES['meta']} : son identifiant ne correspond pas au nom du fichier")
    return dossier


def check_content(data: Any, dossier_id: str) -> DossierContent:
    """Check every table of a dossier's content and bring it to the current format (in memory).

    ``dossier_id`` is the file's name without ``.json``: the dossier inside must carry it.
    """
    _check_shape(data)
    version = _schema_version(data)
    current = _migrate(data, version) if version < SCHEMA_VERSION else data
    dossier = _dossier(current, dossier_id)
    sessions = _entries(current, "sessions", Session)
    _entries(current, "interviews", InterviewState)
    portfolios = _entries(current, "portfolio", Portfolio)
    if len(portfolios) > 1:
        raise DossierUnreadableError(f"{TABLES['portfolio']} endommagée ({len(portfolios)} portefeuilles au lieu d'un)")
    records = _entries(current, "synthesis", SynthesisRecord)
    if len(records) > 1:
        raise DossierUnreadableError(f"{TABLES['synthesis']} endommagée ({len(records)} synthèses au lieu d'une)")
    admins = _entries(current, "administratif", AdminEntry)
    if len(admins) > 1:
        raise DossierUnreadableError(f"{TABLES['administratif']} endommagée ({len(admins)} dossiers au lieu d'un)")
    return DossierContent(current, version, dossier, tuple(sessions), admins[0].file if admins else AdministrativeFile())
