"""The attendance documents: a printable attendance sheet and the *attestation de présence*.

Both are built from the administrative file and the two names only (the beneficiary's, the
consultant's): times, phases, the funding and the provider. Never an answer, a note, a session's
objectives or report, nor the administrative file's own free texts (the reason of a screening, the
conditions a document was adapted to, a reason for hours past 24): a funder receives dates and hours.

- :func:`attendance_sheet`: one row per half-day of the bilan, signed, held or planned (date, times,
  duration, phase), with empty boxes for the handwritten signatures of both, in landscape. The
  half-days signed in bilan-tui say so and when, so the paper and the screen can be compared.
- :func:`presence_attestation`: for the funder (or the employer), the signed half-days with their
  dates and hours and the total, from a chain of records that verifies
  (:func:`~bilan_tui.domain.procedure.attendance.presence_certificate`); the fingerprint of the last
  record is printed, so that the sheet kept in the dossier can be checked against it later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bilan_tui.domain.models import Phase
from bilan_tui.domain.plural import plural, word
from bilan_tui.domain.procedure.admin_file import AdministrativeFile, funder_statement
from bilan_tui.domain.procedure.attendance import HalfDay, half_days, presence_certificate
from bilan_tui.domain.procedure.calendar import WEEKDAY_NAMES, date_label, duration_label, time_label
from bilan_tui.rendering.admin_documents import AdminDocument, AdminPart, AdminTable

SIGNATURE_BOX = "\n\n\n"
"""An empty cell three lines high: room for a handwritten signature (the cell keeps its line breaks)."""

NO_CONTENT = ("Ce document ne contient rien du contenu du bilan : le bénéficiaire en est le seul destinataire "
              "(article L6313-4 du Code du travail).")


@dataclass(frozen=True)
class HeldSpan:
    """A held session as the sheet sees it: when it ran and the phase it served. Nothing else."""

    session_id: str
    start: dt.datetime
    end: dt.datetime
    phase: Phase


@dataclass(frozen=True)
class SheetRow:
    """One half-day of the sheet."""

    day: dt.date
    half_day: HalfDay
    start: dt.time
    end: dt.time
    phase: Phase
    signed: str = ""
    """For a half-day signed in bilan-tui: « n° 2, à 12:05 et 12:06 » (its number, when each signed)."""
    held: bool = True

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    @property
    def state(self) -> str:
        if self.signed == PAPER:
            return "Signé sur la feuille papier"
        if self.signed:
            return f"Signé dans bilan-tui ({self.signed})"
        return "Réalisé, non signé" if self.held else "Prévu"


PAPER = "feuille papier"
"""The :attr:`SheetRow.signed` of a half-day signed by hand on the printed sheet."""


def first_phase(phases: Sequence[Phase]) -> Phase:
    """The phase a half-day is recorded under: the first of those served, the information préalable
    last (it has no attendance of its own)."""
    served = [phase for phase in phases if phase is not Phase.INFORMATION]
    return served[0] if served else (phases[0] if phases else Phase.PRELIMINAIRE)


def _parts(start: dt.datetime, end: dt.datetime) -> list[tuple[HalfDay, dt.datetime, dt.datetime]]:
    if end <= start or end.date() != start.date():
        return []
    return half_days(start, end)


def sheet_rows(admin: AdministrativeFile, held: Iterable[HeldSpan] = (), *,
               made_on: dt.date | None = None) -> list[SheetRow]:
    """The half-days of the bilan in time order: those signed, then held (``held``, and the sessions of
    the hours ledger), then planned (the active sessions of the plan); one row per date and half-day.

    A planned session of a day before ``made_on`` is left out: it either happened (and is a held or
    signed row) or did not; printed as « Prévu » it would count hours twice or hours never held."""
    rows: dict[tuple[dt.date, HalfDay], SheetRow] = {}
    for record in admin.attendance:
        times = list(dict.fromkeys(time_label(signature.signed_at) for signature in (
            record.consultant_signature, record.beneficiary_signature)))
        rows.setdefault((record.day, record.half_day), SheetRow(
            day=record.day, half_day=record.half_day, start=record.start, end=record.end, phase=record.phase,
            signed=f"n° {record.index + 1}, à {' et '.join(times)}"))
    for paper in admin.paper_signed:
        rows.setdefault((paper.day, paper.half_day), SheetRow(
            day=paper.day, half_day=paper.half_day, start=paper.start, end=paper.end, phase=paper.phase,
            signed=PAPER))
    spans = [(span.start, span.end, span.phase) for span in held]
    spans += [(session.start, session.end, first_phase(session.phases)) for session in admin.hours.sessions]
    for start, end, phase in spans:
        if phase is Phase.INFORMATION:  # the free meeting before anything is signed: no attendance
            continue
        for half, part_start, part_end in _parts(start, end):
            rows.setdefault((part_start.date(), half), SheetRow(
                day=part_start.date(), half_day=half, start=part_start.time(), end=part_end.time(), phase=phase))
    for planned in admin.plan.active:
        if planned.phase is Phase.INFORMATION or (made_on is not None and planned.start.date() < made_on):
            continue
        for half, part_start, part_end in _parts(planned.start, planned.end):
            rows.setdefault((part_start.date(), half), SheetRow(
                day=part_start.date(), half_day=half, start=part_start.time(), end=part_end.time(),
                phase=planned.phase, held=False))
    return sorted(rows.values(), key=lambda row: (row.day, row.start))


def _count(rows: Sequence[SheetRow]) -> str:
    """« 3 demi-journées signées (7 h), 1 réalisée non signée (3 h), 8 prévues (24 h). »"""
    groups = (([row for row in rows if row.signed], "signée", "signées"),
              ([row for row in rows if not row.signed and row.held], "réalisée non signée", "réalisées non signées"),
              ([row for row in rows if not row.held], "prévue", "prévues"))
    parts = [f"{len(group)} {word(len(group), one, many)} ({duration_label(sum(row.minutes for row in group))})"
             for group, one, many in groups if group]
    count = len([group for group, _, _ in groups if group][0])
    parts[0] = parts[0].replace(" ", f" {word(count, 'demi-journée')} ", 1)
    return ", ".join(parts) + "."


def _day_label(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {date_label(day)}"


def _provider(admin: AdministrativeFile) -> str:
    return admin.convention.provider


def _footer(made_on: dt.date, extra: str = "") -> str:
    return f"Établi le {date_label(made_on)} avec bilan-tui" + (f" · {extra}" if extra else "")


def attendance_sheet(admin: AdministrativeFile, *, beneficiary: str, consultant: str, made_on: dt.date,
                     held: Sequence[HeldSpan] = ()) -> AdminDocument:
    """The attendance sheet to print and sign by hand, one row per half-day (landscape)."""
    rows = sheet_rows(admin, held, made_on=made_on)
    provider = _provider(admin)
    intro = [f"Bénéficiaire : {beneficiary}", f"Consultant : {consultant or 'à compléter'}"]
    if provider:
        intro.append(f"Organisme prestataire : {provider}")
    intro.append("Une ligne par demi-journée (le matin jusqu'à 13:00, l'après-midi à partir de 13:00). Chacun signe "
                 "la ligne de la demi-journée à laquelle il a été présent, le jour même.")
    table = AdminTable(
        header=("Date", "Demi-journée", "Horaires", "Durée", "Phase", "État", "Signature du bénéficiaire",
                "Signature du consultant"),
        rows=tuple((_day_label(row.day), row.half_day.label, f"{time_label(row.start)} – {time_label(row.end)}",
                    duration_label(row.minutes), row.phase.label, row.state, SIGNATURE_BOX, SIGNATURE_BOX)
                   for row in rows),
        widths=(13, 9, 10, 6, 12, 14, 18, 18),
    )
    part = AdminPart(
        heading="Demi-journées",
        paragraphs=(_count(rows) if rows else
                    "Aucune demi-journée réalisée ni prévue pour l'instant : planifiez les entretiens.",),
        table=table if rows else None,
    )
    return AdminDocument(
        kind="feuille-emargement",
        title="Feuille d'émargement",
        beneficiary=beneficiary,
        header=f"Bilan de compétences · feuille d'émargement de {beneficiary}",
        footer=_footer(made_on),
        intro=tuple(intro),
        parts=(part,),
        author=consultant,
        landscape=True,
    )


def presence_attestation(admin: AdministrativeFile, *, beneficiary: str, consultant: str, made_on: dt.date,
                         expected_head: str | None = None) -> AdminDocument:
    """The *attestation de présence* for the funder: the signed half-days, dates and hours only.

    Refused (:class:`~bilan_tui.domain.procedure.attendance.AttendanceError`, French) when no half-day
    is signed or the chain of records no longer verifies against ``expected_head``.
    """
    certificate = presence_certificate(admin.attendance, expected_head=expected_head, paper=admin.paper_signed,
                                       beneficiary=beneficiary, consultant=consultant)
    statement = funder_statement(admin, beneficiary)
    provider = statement.provider or "L'organisme prestataire"
    period = certificate.period
    assert period is not None  # presence_certificate refuses an empty sheet
    first, last = period
    dates = f"le {date_label(first)}" if first == last else f"du {date_label(first)} au {date_label(last)}"
    intro = (f"{provider} atteste la présence de {beneficiary} aux entretiens de son bilan de compétences, {dates}, "
             f"avec {consultant or certificate.consultant} pour consultant, aux dates et heures ci-dessous. Chaque "
             "demi-journée a été signée par le bénéficiaire et par le consultant"
             + (" (à la main, sur la feuille d'émargement papier, pour celles marquées « feuille papier »)."
                if any(line.on_paper for line in certificate.lines) else "."),)
    funding: list[str] = []
    if statement.funding:
        funding.append(f"Mode de financement : {statement.funding}")
    if statement.funder:
        funding.append(f"Financeur : {statement.funder}")
    table = AdminTable(
        header=("Date", "Demi-journée", "Horaires", "Durée"),
        rows=(*((_day_label(line.day), line.half_day.label + (" (feuille papier)" if line.on_paper else ""),
                 f"{time_label(line.start)} – {time_label(line.end)}",
                 duration_label(line.minutes)) for line in certificate.lines),
              ("Total", plural(len(certificate.lines), "demi-journée", "demi-journées"), "",
               duration_label(certificate.total_minutes))),
        widths=(34, 22, 26, 18),
    )
    parts = [AdminPart(heading="Présence", paragraphs=(f"Total : {certificate.total_label}.",), table=table)]
    if funding:
        parts.insert(0, AdminPart(heading="Financement", bullets=tuple(funding)))
    head = certificate_head(admin)
    parts.append(AdminPart(
        heading="Signature",
        paragraphs=(f"Fait le {date_label(made_on)}.", NO_CONTENT),
        signatures=("Pour l'organisme prestataire", "Le consultant"),
    ))
    return AdminDocument(
        kind="attestation-presence",
        title="Attestation de présence",
        beneficiary=beneficiary,
        header=f"Bilan de compétences · attestation de présence de {beneficiary}",
        footer=_footer(made_on, f"empreinte de la feuille d'émargement (SHA-256) : {head}"),
        intro=intro,
        parts=tuple(parts),
        author=consultant,
    )


def certificate_head(admin: AdministrativeFile) -> str:
    """The hash of the last signed record: printed on the attestation, it checks the sheet later."""
    return admin.attendance[-1].hash if admin.attendance else ""
