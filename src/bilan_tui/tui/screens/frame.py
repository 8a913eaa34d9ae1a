"""The frame of a bilan (« Cadre du bilan »): the administrative file at a glance, and the way to each
of its parts: information préalable, funding and convention, hours, planning, attendance.

Nothing here comes from the working file: the screen shows the same in both views (F6 hides nothing
of it), as the beneficiary signs and agrees to all of it.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from bilan_tui.domain.plural import plural
from bilan_tui.domain.procedure.admin_file import AdministrativeFile
from bilan_tui.domain.procedure.calendar import date_label
from bilan_tui.domain.procedure.frame import FrameStatus, frame_status
from bilan_tui.domain.procedure.information import InformationItem
from bilan_tui.storage import DossierHandle
from bilan_tui.tui.access import AppAccess

COMPACT_ALERTS = 3
"""The dossier screen shows this many alerts at most (the rest on « Cadre du bilan »): its sessions come first."""


def frame_lines(frame: FrameStatus, admin: AdministrativeFile, now: dt.datetime, *, compact: bool = False) -> Text:
    """The frame as a few lines; ``compact`` for the dossier screen (no per-phase detail, few alerts)."""
    text = Text()
    text.append(f"Heures : {frame.hours_label}", style="bold")
    rows = admin.hours.rows()
    if not compact and any(row.used for row in rows):
        text.append("\n" + " · ".join(row.label for row in rows))
    text.append(f"{' · ' if compact else chr(10)}Prochain entretien prévu : {frame.next_session_label(now)}")
    if compact:
        text.append(" · A : cadre du bilan", style="italic")
    if admin.agreement is not None and not compact:
        text.append(f" · Financement : {admin.agreement.funding.label}")
    alerts = frame.alerts(now.date())
    shown = alerts[:COMPACT_ALERTS] if compact else alerts
    for line in shown:
        text.append(f"\n⚠ {line}", style="bold")
    if len(shown) < len(alerts):
        text.append(f"\n… et {len(alerts) - len(shown)} de plus (A : Cadre du bilan)", style="italic")
    return text


class FrameScreen(AppAccess, Screen[None]):
    """« Cadre du bilan »: a summary and one key per part of the administrative file."""

    DEFAULT_CSS = """
    FrameScreen #frame { padding: 0 1; height: auto; }
    FrameScreen #parts { padding: 0 1; height: auto; }
    FrameScreen .section { text-style: bold; padding: 0 1; margin-top: 1; }
    """
    BINDINGS = [
        Binding("i", "information", "Information préalable"),
        Binding("f", "funding", "Financement"),
        Binding("l", "planning", "Planning"),
        Binding("h", "hours", "Heures"),
        Binding("e", "attendance", "Émargement"),
        Binding("escape", "app.pop_screen", "Retour au dossier"),
    ]

    def __init__(self, handle: DossierHandle) -> None:
        super().__init__()
        self.handle = handle

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="frame", markup=False)
            yield Static("Parties du dossier administratif", classes="section")
            yield Static(id="parts", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        dossier = self.handle.dossier
        self.sub_title = f"{dossier.beneficiary.display_name} · Cadre du bilan"
        admin = self.handle.admin()
        now = self.bilan.now()
        frame = frame_status(dossier, self.handle.sessions(), admin)
        header = Text()
        header.append(f"Phase : {dossier.phase.label}\n")
        header.append_text(frame_lines(frame, admin, now))
        self.query_one("#frame", Static).update(header)
        parts = Text()
        ticked = len(InformationItem) - len(admin.information.unticked())
        screening = admin.information.screening
        parts.append(f"I  Information préalable : {ticked}/{len(InformationItem)} points présentés")
        if screening is not None:
            parts.append(f" · {screening.label}")
        if admin.information.document is not None:
            parts.append(f" · document d'information remis le {date_label(admin.information.document.handed_on)}")
        agreement = admin.agreement
        parts.append("\nF  Financement et convention : ")
        if agreement is None:
            parts.append("à renseigner")
        else:
            signed = f"signé le {date_label(agreement.signed_on)}" if agreement.signed_on else "non signé"
            parts.append(f"{agreement.funding.label}, {agreement.price.label}, {signed}")
        parts.append(f"\nH  Heures : {admin.hours.total_label} · prévues par phase : {admin.hours.plan.label}")
        active = admin.plan.active
        parts.append(f"\nL  Planning : {plural(len(active), 'entretien prévu', 'entretiens prévus')}")
        records = len(admin.attendance)
        parts.append(f"\nE  Émargement : {plural(records, 'demi-journée signée', 'demi-journées signées')}, "
                     f"{len(frame.unsigned)} à signer")
        self.query_one("#parts", Static).update(parts)

    def action_information(self) -> None:
        from bilan_tui.tui.screens.information import InformationScreen

        self.app.push_screen(InformationScreen(self.handle))

    def action_funding(self) -> None:
        from bilan_tui.tui.screens.funding import FundingScreen

        self.app.push_screen(FundingScreen(self.handle))

    def action_planning(self) -> None:
        from bilan_tui.tui.screens.planning import PlanningScreen

        self.app.push_screen(PlanningScreen(self.handle))

    def action_hours(self) -> None:
        from bilan_tui.tui.screens.hours import HoursScreen

        self.app.push_screen(HoursScreen(self.handle))

    def action_attendance(self) -> None:
        from bilan_tui.tui.screens.attendance import AttendanceScreen

        self.app.push_screen(AttendanceScreen(self.handle))
