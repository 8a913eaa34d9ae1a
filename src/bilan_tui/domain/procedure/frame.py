"""The frame of a bilan at a glance: what the home screen and the dossier show (issue 10, point 7).

Phase, hours used out of 24, the next planned session, the deadlines still to come, the half-days
held but not signed, and where the information préalable stands (en réflexion with its call-back
date, or redirected elsewhere). Built from the dossier, its sessions and its administrative file
only: nothing of the bilan's content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bilan_tui.domain.models import Dossier, Model, Phase, Session
from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.attendance import half_days
from bilan_tui.domain.procedure.calendar import date_label, time_label
from bilan_tui.domain.procedure.funding import Agreement, Deadline, DeadlineKind, EmployerAnswer, deadlines
from bilan_tui.domain.procedure.hours import MAX_MINUTES, format_hours
from bilan_tui.domain.procedure.information import ScreeningOutcome

SHORT_LABELS = {
    DeadlineKind.EMPLOYEE_ANSWER: "Réponse du salarié",
    DeadlineKind.WITHDRAWAL: "Fin de rétractation",
    DeadlineKind.FIRST_PAYMENT: "Premier paiement",
    DeadlineKind.CPF_ACCEPTANCE: "Validation CPF",
    DeadlineKind.CPF_EARLIEST_START: "Début possible",
    DeadlineKind.EMPLOYER_ANSWER: "Réponse de l'employeur",
    DeadlineKind.EMPLOYER_NOTICE: "Début possible",
}
"""What a deadline is, in a few words (the home screen's « À faire » column)."""


class DueDate(Model):
    """A deadline of the funding, as the frame keeps it (the date and the sentence)."""

    due: dt.date
    label: str
    short: str = "Échéance"
    """A few words: « Fin de rétractation » (the home screen adds « le 07/12/2026 »)."""


class UnsignedHalfDay(Model):
    """A half-day of a held session that has no attendance record yet."""

    session_id: str
    start: dt.datetime
    end: dt.datetime

    @property
    def label(self) -> str:
        return f"{date_label(self.start.date())}, {time_label(self.start)} – {time_label(self.end)}"


class FrameStatus(Model):
    """What the home screen and the dossier say of the frame of one bilan."""

    phase: Phase
    hours_used: int = 0
    """Minutes counted towards the 24 hours."""
    hours_warnings: tuple[str, ...] = ()
    deadlines: tuple[DueDate, ...] = ()
    unsigned: tuple[UnsignedHalfDay, ...] = ()
    screening: ScreeningOutcome | None = None
    call_back_on: dt.date | None = None
    information_missing: int = 0
    """Items of the information préalable not ticked yet."""
    busy: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    """The active planned sessions (start, end): other dossiers of the same consultant plan around them."""

    @property
    def hours_label(self) -> str:
        """« 9 h / 24 h »."""
        return f"{format_hours(self.hours_used)} / {format_hours(MAX_MINUTES)}"

    def next_session_label(self, now: dt.datetime) -> str:
        """The next planned session from ``now`` (« — » when none)."""
        upcoming = [start for start, _ in self.busy if start >= now]
        if not upcoming:
            return "—"
        start = min(upcoming)
        return f"{date_label(start.date())} à {time_label(start)}"

    def due(self, today: dt.date) -> tuple[DueDate, ...]:
        """The deadlines not past on ``today``."""
        return tuple(deadline for deadline in self.deadlines if deadline.due >= today)

    def alerts(self, today: dt.date) -> list[str]:
        """Short French lines for what needs the consultant's attention (empty: nothing)."""
        lines: list[str] = []
        if self.screening is ScreeningOutcome.THINKING and self.call_back_on is not None:
            late = " (dépassé)" if self.call_back_on < today else ""
            lines.append(f"En réflexion : rappeler le {date_label(self.call_back_on)}{late}")
        elif self.screening is not None and self.screening.redirects:
            lines.append(self.screening.label)
        if self.unsigned:
            lines.append(f"{plural(len(self.unsigned), 'demi-journée', 'demi-journées')} sans émargement")
        if self.information_missing and (self.screening is None or not self.screening.redirects):
            lines.append(f"Information préalable : {plural(self.information_missing, 'point', 'points')} à présenter "
                         "avant la signature (Cadre du bilan, I)")
        lines.extend(self.hours_warnings)
        lines.extend(deadline.label for deadline in self.due(today))
        return lines

    @property
    def short_alert(self) -> str:
        """One cell for the home screen: the most urgent of the above, without a date (the index is cached)."""
        if self.screening is ScreeningOutcome.THINKING and self.call_back_on is not None:
            return f"Rappel le {self.call_back_on:%d/%m/%Y}"
        if self.screening is not None and self.screening.redirects:
            return "Réorienté"
        if self.unsigned:
            return plural(len(self.unsigned), "émargement manquant", "émargements manquants")
        if self.hours_warnings:
            return "⚠ heures"
        return ""


def still_open(deadline: Deadline, agreement: Agreement) -> bool:
    """Whether ``deadline`` still waits for something: an answer once given is no longer due."""
    if deadline.kind is DeadlineKind.EMPLOYEE_ANSWER:
        return agreement.signed_on is None and agreement.withdrawn_on is None
    if deadline.kind is DeadlineKind.CPF_ACCEPTANCE:
        return agreement.signed_on is None
    if deadline.kind is DeadlineKind.EMPLOYER_ANSWER:
        return agreement.employer_answer is EmployerAnswer.PENDING
    return agreement.withdrawn_on is None


def unsigned_half_days(sessions: Sequence[Session], admin: AdministrativeFile) -> tuple[UnsignedHalfDay, ...]:
    """The half-days of the held sessions (end recorded) that no attendance record covers."""
    signed = {(record.session_id, record.day, record.half_day) for record in admin.attendance}
    signed |= {(paper.session_id, paper.day, paper.half_day) for paper in admin.paper_signed}
    missing: list[UnsignedHalfDay] = []
    for session in sessions:
        if session.end_time is None or session.phase is Phase.INFORMATION:
            continue
        start = dt.datetime.combine(session.date, session.start_time)
        end = dt.datetime.combine(session.date, session.end_time)
        if end <= start:
            continue
        for half, part_start, part_end in half_days(start, end):
            if (session.id, session.date, half) not in signed:
                missing.append(UnsignedHalfDay(session_id=session.id, start=part_start, end=part_end))
    return tuple(missing)


def frame_status(dossier: Dossier, sessions: Sequence[Session], admin: AdministrativeFile) -> FrameStatus:
    """The frame of ``dossier`` (no clock: what depends on today is asked of the result)."""
    screening = admin.information.screening
    busy = tuple((session.start, session.end) for session in admin.plan.active)
    return FrameStatus(
        phase=dossier.phase,
        hours_used=admin.hours.total,
        hours_warnings=tuple(admin.hours.warnings()),
        deadlines=tuple(DueDate(due=deadline.due, label=deadline.label, short=SHORT_LABELS.get(deadline.kind, "Échéance"))
                        for deadline in (deadlines(admin.agreement) if admin.agreement is not None else [])
                        if admin.agreement is not None and still_open(deadline, admin.agreement)),
        unsigned=unsigned_half_days(sessions, admin),
        screening=screening.outcome if screening is not None else None,
        call_back_on=screening.call_back_on if screening is not None else None,
        information_missing=len(admin.information.unticked()),
        busy=busy,
    )
