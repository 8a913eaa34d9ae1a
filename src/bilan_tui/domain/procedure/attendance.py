"""Attendance (émargement): one record per half-day, signed by both, chained so that changes show.

**Half-days.** The day is cut at 13:00 (:data:`HALF_DAY_CUT`): a record covers the morning (it ends
at 13:00 at the latest) or the afternoon (it starts at 13:00 at the earliest), never both. A session
running across the cut (11:00-15:00) gives two records (11:00-13:00 and 13:00-15:00): funders count
attendance by half-day, and one signature cannot prove a half-day that had not yet begun. The cut
at 13:00 rather than noon keeps the usual 9:00-12:00 and 10:00-13:00 mornings in one record.

**Signatures.** In the TUI a person signs by typing their full name. It must match the expected
name, ignoring case, accents, spaces, hyphens and apostrophes, first and last name in either order
(« dupont marie » signs for Marie Dupont; « Marie Dupond » does not). The signature keeps what was
typed and when; it must be given on the day of the half-day, not before it starts.

**Chain.** Each record stores its position (``index``), the hash of the previous record
(``previous_hash``; 64 zeros for the first) and its own ``hash``: SHA-256 of the canonical JSON of
all its other fields (keys sorted, no spaces, UTF-8). :func:`verify` recomputes everything and says,
in French, which record was altered, which ones are missing and which were reordered. Limits, stated
plainly: whoever rewrites *every* later record and recomputes their hashes makes a consistent chain;
that is caught only against a hash kept elsewhere (``expected_head``: the last hash, stored in the
dossier's header or printed on the attestation). Removing the last record is likewise only visible
against ``expected_head``. A keyed hash (HMAC) would need a secret to keep: not this round.

The *attestation de présence* for the funder is built from the records alone, with dates and hours
only: no phase, no content of the bilan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from bilan_tui.domain.models import Model, Phase
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.calendar import date_label, duration_label, time_label
from bilan_tui.domain.text import CleanLine, clean_text, names_match

HALF_DAY_CUT = dt.time(13, 0)
"""Mornings end by 13:00, afternoons start from 13:00."""

GENESIS = "0" * 64
"""The ``previous_hash`` of the first record."""


class AttendanceError(ValueError):
    """An attendance record that cannot be made, or a chain that no longer verifies; French message."""


class SignatureError(AttendanceError):
    """A typed name that does not match the signer's name."""


class HalfDay(StrEnum):
    MORNING = "matin"
    AFTERNOON = "apres_midi"

    @property
    def label(self) -> str:
        return {HalfDay.MORNING: "matin", HalfDay.AFTERNOON: "après-midi"}[self]


def half_day_of(start: dt.time, end: dt.time) -> HalfDay | None:
    """The half-day that ``start``-``end`` lies in, or None when it crosses the cut (or is empty)."""
    if end <= start:
        return None
    if end <= HALF_DAY_CUT:
        return HalfDay.MORNING
    if start >= HALF_DAY_CUT:
        return HalfDay.AFTERNOON
    return None


def half_days(start: dt.datetime, end: dt.datetime) -> list[tuple[HalfDay, dt.datetime, dt.datetime]]:
    """A session cut into its half-days: one part, or two when it crosses 13:00."""
    if end <= start or end.date() != start.date():
        raise AttendanceError("Une demi-journée d'émargement commence et finit le même jour, la fin après le début.")
    cut = dt.datetime.combine(start.date(), HALF_DAY_CUT)
    if end <= cut:
        return [(HalfDay.MORNING, start, end)]
    if start >= cut:
        return [(HalfDay.AFTERNOON, start, end)]
    return [(HalfDay.MORNING, start, cut), (HalfDay.AFTERNOON, cut, end)]


class Signer(StrEnum):
    CONSULTANT = "consultant"
    BENEFICIARY = "beneficiaire"

    @property
    def label(self) -> str:
        return {Signer.CONSULTANT: "du consultant", Signer.BENEFICIARY: "du bénéficiaire"}[self]


class PersonName(Model):
    first_name: CleanLine = Field(min_length=1)
    last_name: CleanLine = Field(min_length=1)

    @property
    def full(self) -> str:
        return f"{self.first_name} {self.last_name}"


def name_matches(typed: str, expected: PersonName) -> bool:
    """Whether ``typed`` is ``expected``'s full name, first and last name in either order."""
    return names_match(typed, expected.full)


class Signature(Model):
    """A name typed by the signer, and when."""

    signer: Signer
    typed: CleanLine = Field(min_length=1)
    signed_at: dt.datetime


def sign(signer: Signer, typed: str, expected: PersonName, at: dt.datetime) -> Signature:
    """The signature of ``signer``, once the typed name matches; :class:`SignatureError` otherwise."""
    text = " ".join(clean_text(typed).split())
    if not text:
        raise SignatureError(f"Signature {signer.label} : tapez le prénom et le nom ({expected.full}).")
    if not name_matches(text, expected):
        raise SignatureError(f"Signature {signer.label} : « {text} » ne correspond pas au nom attendu "
                             f"({expected.full}). Tapez le prénom et le nom, dans l'ordre que vous voulez ; "
                             "majuscules, accents et tirets ne comptent pas.")
    return Signature(signer=signer, typed=text, signed_at=at)


class AttendanceRecord(Model):
    """One signed half-day. Lenient on purpose: a tampered record still loads, and :func:`verify` says what is wrong."""

    index: int = Field(ge=0)
    dossier_id: str
    session_id: str
    day: dt.date
    half_day: HalfDay
    start: dt.time
    end: dt.time
    phase: Phase
    consultant: PersonName
    beneficiary: PersonName
    consultant_signature: Signature
    beneficiary_signature: Signature
    previous_hash: str
    hash: str

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    @property
    def label(self) -> str:
        """``Émargement n° 3 (04/12/2026, matin)``."""
        return f"Émargement n° {self.index + 1} ({date_label(self.day)}, {self.half_day.label})"


class PaperSignature(Model):
    """A half-day signed by both on the paper attendance sheet, noted afterwards by the consultant.

    A signature in bilan-tui is given on the day; a half-day that was not (the app was not at hand,
    the day passed) is signed by hand on the printed sheet, which the consultant keeps in the file,
    and noted here so that it no longer shows as missing. It counts on the attestation, marked as such.
    """

    session_id: str
    day: dt.date
    half_day: HalfDay
    start: dt.time
    end: dt.time
    phase: Phase
    noted_at: dt.datetime

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    @property
    def label(self) -> str:
        return f"Feuille papier ({date_label(self.day)}, {self.half_day.label})"


def paper_signature(*, session_id: str, start: dt.datetime, end: dt.datetime, phase: Phase,
                    now: dt.datetime) -> PaperSignature:
    """The note that a held half-day was signed on paper; refused before its end (French)."""
    half = half_day_of(start.time(), end.time())
    if end.date() != start.date() or half is None:
        raise AttendanceError("Une demi-journée se note seule : le matin jusqu'à 13:00, l'après-midi ensuite.")
    if now < end:
        raise AttendanceError(f"Cette demi-journée finit le {date_label(end.date())} à {time_label(end)} : la feuille "
                              "papier se note une fois signée, après.")
    return PaperSignature(session_id=session_id, day=start.date(), half_day=half, start=start.time(), end=end.time(),
                          phase=phase, noted_at=now)


def record_hash(record: AttendanceRecord) -> str:
    """SHA-256 (hex) of the canonical JSON of every field but ``hash`` (``previous_hash`` included)."""
    fields = record.model_dump(mode="json", exclude={"hash"})
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def new_record(chain: Sequence[AttendanceRecord], *, dossier_id: str, session_id: str, start: dt.datetime,
               end: dt.datetime, phase: Phase, consultant: PersonName, beneficiary: PersonName,
               consultant_signature: Signature, beneficiary_signature: Signature) -> AttendanceRecord:
    """The record that follows ``chain`` (the dossier's records, in order) for one half-day.

    Refused (:class:`AttendanceError`): a chain that no longer verifies, a span that crosses 13:00
    or spans days (cut it with :func:`half_days`), a time already covered by a record of that day,
    a signature by the wrong person, not matching the name, or not given on that day after the start.
    """
    problems = verify(chain)
    if problems:
        raise AttendanceError("La feuille d'émargement a été modifiée, on n'y ajoute plus rien avant d'avoir "
                              f"vérifié : {problems[0]}")
    if end.date() != start.date() or half_day_of(start.time(), end.time()) is None:
        raise AttendanceError(f"Un émargement couvre une demi-journée : le matin jusqu'à {time_label(HALF_DAY_CUT)}, "
                              f"l'après-midi à partir de {time_label(HALF_DAY_CUT)} (de {time_label(start)} à "
                              f"{time_label(end)}, faites deux émargements).")
    half = half_day_of(start.time(), end.time())
    assert half is not None
    for other in chain:
        if other.dossier_id == dossier_id and other.day == start.date() and other.start < end.time() \
                and start.time() < other.end:
            raise AttendanceError(f"{other.label} couvre déjà {time_label(other.start)} – {time_label(other.end)} "
                                  "ce jour-là.")
    for signature, signer, person in ((consultant_signature, Signer.CONSULTANT, consultant),
                                      (beneficiary_signature, Signer.BENEFICIARY, beneficiary)):
        if signature.signer is not signer or not name_matches(signature.typed, person):
            raise SignatureError(f"Signature {signer.label} : elle doit être celle de {person.full}.")
        if signature.signed_at.date() != start.date() or signature.signed_at < start:
            raise AttendanceError(f"Signature {signer.label} : elle se donne le {date_label(start.date())}, "
                                  f"à partir de {time_label(start)} (donnée le {date_label(signature.signed_at.date())}"
                                  f" à {time_label(signature.signed_at)}).")
    previous = chain[-1].hash if chain else GENESIS
    draft = AttendanceRecord(index=len(chain), dossier_id=dossier_id, session_id=session_id, day=start.date(),
                             half_day=half, start=start.time(), end=end.time(), phase=phase, consultant=consultant,
                             beneficiary=beneficiary, consultant_signature=consultant_signature,
                             beneficiary_signature=beneficiary_signature, previous_hash=previous, hash="")
    return draft.model_copy(update={"hash": record_hash(draft)})


def verify(records: Sequence[AttendanceRecord], expected_head: str | None = None) -> list[str]:
    """What is wrong with the stored chain, in French (empty: intact).

    Reported: a record whose content no longer matches its hash (altered); numbers missing from
    the sequence (removed); a record stored out of its order (reordered); a number present twice; a
    record that no longer links to the one before it (replaced, or altered with its hash
    recomputed); and, with ``expected_head`` (the last hash kept elsewhere, :data:`GENESIS` for a sheet
    with no record yet), a chain whose end is not that record (the last records removed, or the whole
    chain rewritten).
    """
    problems: list[str] = []
    altered: set[int] = set()
    for position, record in enumerate(records):
        if record_hash(record) != record.hash:
            altered.add(position)
            problems.append(f"{record.label} : modifié après sa signature (son empreinte ne correspond plus).")

    by_index: dict[int, AttendanceRecord] = {}
    for record in records:
        if record.index in by_index:
            problems.append(f"{record.label} : présent deux fois (doublon ajouté à la feuille).")
        by_index.setdefault(record.index, record)

    if by_index:
        missing = sorted(set(range(max(by_index) + 1)) - set(by_index))
        if missing:
            numbers = ", ".join(f"n° {index + 1}" for index in missing)
            removed = "supprimé" if len(missing) == 1 else "supprimés"
            problems.append(f"{plural(len(missing), 'émargement manquant', 'émargements manquants')} ({numbers}) : "
                            f"{removed} de la feuille.")

    highest = -1
    for position, record in enumerate(records):
        if record.index < highest:
            problems.append(f"{record.label} : rangé en position {position + 1}, après le n° {highest + 1} "
                            "(ordre des émargements changé).")
        highest = max(highest, record.index)

    for position, record in enumerate(records):
        if position in altered:
            continue
        if record.index == 0:
            if record.previous_hash != GENESIS:
                problems.append(f"{record.label} : il devrait ouvrir la feuille, il se raccorde à un émargement "
                                "disparu.")
            continue
        before = by_index.get(record.index - 1)
        if before is not None and before.hash != record.previous_hash:
            problems.append(f"Chaînage rompu entre l'émargement n° {record.index} et le n° {record.index + 1} : "
                            "l'un des deux a été modifié ou remplacé.")

    if expected_head is not None:
        last = max(records, key=lambda record: record.index) if records else None
        if (last.hash if last is not None else GENESIS) != expected_head:
            end = f"au n° {last.index + 1}" if last is not None else "avant le premier"
            problems.append(f"La feuille ne finit pas sur le dernier émargement enregistré : elle s'arrête {end} "
                            "(derniers émargements supprimés ou feuille réécrite).")
    return problems


class PresenceLine(Model):
    """One half-day on the attestation: when, and how long. Nothing of what was done."""

    day: dt.date
    half_day: HalfDay
    start: dt.time
    end: dt.time
    minutes: int
    on_paper: bool = False
    """Signed by hand on the printed sheet (noted afterwards), not in bilan-tui."""

    @property
    def label(self) -> str:
        """``04/12/2026, matin, 9:00 – 12:00 (3 h)``."""
        return (f"{date_label(self.day)}, {self.half_day.label}, {time_label(self.start)} – {time_label(self.end)} "
                f"({duration_label(self.minutes)})")


class PresenceCertificate(Model):
    """The *attestation de présence* for the funder: who, which half-days, how many hours. No content."""

    beneficiary: CleanLine
    consultant: CleanLine
    lines: tuple[PresenceLine, ...]

    @property
    def total_minutes(self) -> int:
        return sum(line.minutes for line in self.lines)

    @property
    def hours(self) -> Decimal:
        """Total hours, to the hundredth (``Decimal``: 21 h 30 is ``21.50``)."""
        return (Decimal(self.total_minutes) / Decimal(60)).quantize(Decimal("0.01"))

    @property
    def total_label(self) -> str:
        """``24 h en 8 demi-journées``."""
        return f"{duration_label(self.total_minutes)} en {plural(len(self.lines), 'demi-journée', 'demi-journées')}"

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        return (self.lines[0].day, self.lines[-1].day) if self.lines else None


def presence_certificate(records: Sequence[AttendanceRecord], *, expected_head: str | None = None,
                         paper: Sequence[PaperSignature] = (), beneficiary: str = "",
                         consultant: str = "") -> PresenceCertificate:
    """The attestation, from a chain that verifies (:class:`AttendanceError` otherwise), in time order,
    with the half-days signed on paper (``paper``) marked as such. ``beneficiary``, ``consultant``: the
    names when no record carries them (only paper signatures)."""
    problems = verify(records, expected_head)
    if problems:
        raise AttendanceError("Attestation impossible : la feuille d'émargement ne se vérifie pas. " + problems[0])
    if not records and not paper:
        raise AttendanceError("Attestation impossible : aucun émargement signé.")
    lines = sorted((*(PresenceLine(day=record.day, half_day=record.half_day, start=record.start, end=record.end,
                                   minutes=record.minutes) for record in records),
                    *(PresenceLine(day=sheet.day, half_day=sheet.half_day, start=sheet.start, end=sheet.end,
                                   minutes=sheet.minutes, on_paper=True) for sheet in paper)),
                   key=lambda line: (line.day, line.start))
    if records:
        beneficiary, consultant = records[0].beneficiary.full, records[0].consultant.full
    return PresenceCertificate(beneficiary=beneficiary, consultant=consultant, lines=tuple(lines))
