"""The administrative file of a dossier, kept apart from the working file (issue 10, point 6).

The **administrative file** holds the frame of the bilan: the information préalable, the funding
agreement and its payments, the data of the convention, the hours ledger (and, as they arrive, the
planning and the attendance records). It stays when the bilan ends (R6313-7), for funders, auditors and
the law. The **working file** holds the bilan's content: answers, notes, tests, portfolio, synthesis,
session reports, what was said at the mid-bilan review; it is purged at closure unless a hold applies.

By construction the administrative file cannot carry working-file content: none of its models has a
field for an answer, a note, a report or a synthesis (a test walks the types), and ``extra="forbid"``
refuses unknown keys when it is loaded. Its own free texts (a screening reason, the conditions the
information document was adapted to, a reason for hours past 24) are administrative, and even those
stay out of what goes to a funder: :func:`funder_statement` keeps names, dates, hours and amounts only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bilan_tui.domain.models import Model
from bilan_tui.domain.procedure.attendance import AttendanceRecord, PaperSignature
from bilan_tui.domain.procedure.convention import ConventionData
from bilan_tui.domain.procedure.funding import Agreement
from bilan_tui.domain.procedure.hours import HoursLedger, format_hours
from bilan_tui.domain.procedure.information import InformationRecord
from bilan_tui.domain.procedure.planner import Plan, PlanSettings
from bilan_tui.domain.synthesis.record import Consent
from bilan_tui.domain.text import CleanLine


class AdministrativeFile(Model):
    """What of a dossier stays after the bilan: its frame, never its content."""

    first_contact: dt.date | None = None
    """The day of the first call or meeting (the planner puts the first session within a week of it)."""
    information: InformationRecord = InformationRecord()
    agreement: Agreement | None = None
    convention: ConventionData = ConventionData()
    hours: HoursLedger = HoursLedger()
    plan: Plan = Plan()
    """The planned sessions (moved and cancelled ones kept, for the agenda)."""
    plan_settings: PlanSettings = PlanSettings()
    location: CleanLine = ""
    """Where the sessions take place (the only detail besides the time in an exported agenda event)."""
    attendance: tuple[AttendanceRecord, ...] = ()
    """The signed half-days, in order, each hash chained to the one before (see ``attendance.verify``)."""
    paper_signed: tuple[PaperSignature, ...] = ()
    """Half-days signed by hand on the printed sheet, noted afterwards (the sheet stays in the file)."""
    consents: tuple[Consent, ...] = ()
    """The beneficiary's consents that a third party receives an excerpt of the synthesis (who, which
    sections, when, the agreement as typed; withdrawn, never erased). Recorded through the synthesis
    record (:class:`~bilan_tui.domain.synthesis.record.SynthesisRecord`), kept here."""


class StatementLine(Model):
    """One session on a funder's statement: when, and how many hours of bilan."""

    day: dt.date
    start: dt.time
    end: dt.time
    minutes: int

    @property
    def label(self) -> str:
        """« 11/01/2027, 09:00 - 12:00 : 3 h »."""
        return f"{self.day:%d/%m/%Y}, {self.start:%H:%M} - {self.end:%H:%M} : {format_hours(self.minutes)}"


class FunderStatement(Model):
    """The data of an attendance statement for a funder or an employer: dates and hours only.

    Sessions that count towards no budget (information préalable, suivi) are left out; a session that
    served such a phase beside a counted one shows its times and only its counted minutes.
    """

    beneficiary: str
    provider: str
    funding: str
    funder: str
    lines: tuple[StatementLine, ...]
    total_minutes: int
    price_incl_tax: Decimal | None

    @property
    def total_label(self) -> str:
        return format_hours(self.total_minutes)


def funder_statement(admin: AdministrativeFile, beneficiary: str) -> FunderStatement:
    """What a funder or an employer may receive, built from the administrative file alone."""
    lines = tuple(
        StatementLine(day=session.start.date(), start=session.start.time().replace(second=0, microsecond=0),
                      end=session.end.time().replace(second=0, microsecond=0), minutes=session.counted_minutes)
        for session in admin.hours.sessions if session.counted_minutes > 0
    )
    agreement = admin.agreement
    funder = ""
    if agreement is not None:
        funder = agreement.employer.name if agreement.employer is not None else agreement.funder
    return FunderStatement(
        beneficiary=beneficiary,
        provider=admin.convention.provider,
        funding=agreement.funding.label if agreement is not None else "",
        funder=funder,
        lines=lines,
        total_minutes=sum(line.minutes for line in lines),
        price_incl_tax=agreement.price.incl_tax if agreement is not None else None,
    )
